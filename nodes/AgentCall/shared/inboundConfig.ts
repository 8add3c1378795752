import type { IDataObject } from 'n8n-workflow';

import type { AgentCallContext } from './transport';
import { agentCallRequest } from './transport';

/**
 * A number's inbound AI config (agentcall-api.md §13.1), read and written by Phone Number › Set
 * Inbound AI and by the Phone Agent Trigger's wiring. AgentCall's POST replaces the whole config,
 * so a change reads it, edits its part and writes back `writableConfig` of what it read: webhook
 * blocks go back WITHOUT `signingSecret` (AgentCall keeps a stored secret when it is omitted and
 * never returns it) and the fields a GET only reports are left out.
 */

/** Fields AgentCall reports on GET but does not take, and bookkeeping fields. */
const READ_ONLY_FIELDS = ['premiumVoice', 'hasByokKey', 'voiceMode', 'byokOpenaiApiKeyPreview', 'numberId', 'number', 'id', 'createdAt', 'updatedAt'];
/** Inside a webhook block: the redacted secret flag, and the secret itself (never sent back). */
const BLOCK_SECRET_FIELDS = ['hasSigningSecret', 'signingSecret'];

function isObject(value: unknown): value is IDataObject {
	return !!value && typeof value === 'object' && !Array.isArray(value);
}

export function inboundConfigPath(numberId: string): string {
	return `/v1/numbers/${encodeURIComponent(numberId)}/inbound-config`;
}

/** The config in a GET answer (wrapped in `config`, `inboundConfig` or `data`, or not), or undefined when there is none. */
export function configOf(answer: unknown): IDataObject | undefined {
	if (!isObject(answer)) return undefined;
	const config = [answer.config, answer.inboundConfig, answer.data].find(isObject) ?? answer;
	return config.mode !== undefined || config.systemPrompt !== undefined ? config : undefined;
}

/** The number's inbound AI config as AgentCall stores it, or undefined when it has none (404, null or empty). */
export async function readInboundConfig(this: AgentCallContext, numberId: string, itemIndex?: number): Promise<IDataObject | undefined> {
	const { statusCode, body } = await agentCallRequest.call(this, {
		method: 'GET',
		path: inboundConfigPath(numberId),
		itemIndex,
		subject: { label: 'phone number', id: numberId },
		// No inbound AI yet (a missing number fails on the write with its own 404).
		acceptStatuses: [404],
		expect: 'objectOrNull',
	});
	return statusCode === 404 ? undefined : configOf(body);
}

/** The config as it can be written back: read-only fields out, webhook blocks without secrets. */
export function writableConfig(config: IDataObject | undefined): IDataObject {
	const writable: IDataObject = {};
	for (const [key, value] of Object.entries(config ?? {})) {
		// null is "not set", which omitting says too; `<block>HasSigningSecret` is the flat form of the flag.
		if (READ_ONLY_FIELDS.includes(key) || value === undefined || value === null || /HasSigningSecret$/.test(key)) continue;
		if (isObject(value)) {
			const block = { ...value };
			for (const secret of BLOCK_SECRET_FIELDS) delete block[secret];
			writable[key] = block;
		} else {
			writable[key] = value;
		}
	}
	return writable;
}
