import { createHash, randomBytes } from 'crypto';
import type { IDataObject, IHookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { inboundConfigPath, readInboundConfig, writableConfig } from '../shared/inboundConfig';
import { agentCallRequest } from '../shared/transport';
import type { AgentKind, ToolSchema } from './agentProperties';
import { MAX_TOOLS, agentKind, agentNumberId, contextTimeoutMs, declaredTools } from './agentProperties';
import { dedupeScope, forgetDeliveries } from './dedupe';
import { sameUrl } from './registration';

/**
 * Wiring the Phone Agent Trigger into a number's inbound AI config (agentcall-api.md §13.1).
 * AgentCall's POST replaces the whole config, so every change reads it, edits only this
 * trigger's part and writes everything back. Other webhook blocks go back WITHOUT
 * `signingSecret`: AgentCall keeps a stored secret when it is omitted, and never returns it.
 *
 * Static data (node) keeps what this trigger added: `numberId`, `kind`, `url`, `secret`, `tools`
 * (names), `fingerprint` (of the wired settings) and `restore` (the smsMode / contextSource it
 * replaced). These methods run on the leader main in queue mode; webhook() reads `secret` from the
 * saved static data wherever it runs (main or a webhook processor).
 */

/** The config block each kind owns. */
const BLOCK: Record<AgentKind, 'actionWebhook' | 'contextWebhook' | 'agentWebhook'> = {
	toolCall: 'actionWebhook',
	callerContext: 'contextWebhook',
	smsRelay: 'agentWebhook',
};

/**
 * Changes to one number's config, one at a time in this process. n8n activates a workflow's
 * triggers concurrently, and two triggers on one number (the example has a Caller Context and a
 * Tool Call trigger) would otherwise both read the config and the second write would drop the
 * first's block. Activation runs on the leader main only (queue mode too), so this process is
 * the only writer n8n has.
 */
const numberQueues = new Map<string, Promise<unknown>>();

async function oneAtATime<T>(numberId: string, change: () => Promise<T>): Promise<T> {
	const before = numberQueues.get(numberId) ?? Promise.resolve();
	const run = before.then(change, change);
	const settled = run.then(
		() => undefined,
		() => undefined,
	);
	numberQueues.set(numberId, settled);
	try {
		return await run;
	} finally {
		if (numberQueues.get(numberId) === settled) numberQueues.delete(numberId);
	}
}

export interface Wiring {
	numberId: string;
	kind: AgentKind;
	url: string;
	secret: string;
	tools: string[];
	fingerprint: string;
	restore: IDataObject;
}

export function isObject(value: unknown): value is IDataObject {
	return !!value && typeof value === 'object' && !Array.isArray(value);
}

export function storedWiring(data: IDataObject): Wiring | undefined {
	if (typeof data.numberId !== 'string' || typeof data.secret !== 'string' || !data.secret) return undefined;
	return {
		numberId: data.numberId,
		kind: data.kind as AgentKind,
		url: String(data.url ?? ''),
		secret: data.secret,
		tools: Array.isArray(data.tools) ? data.tools.map(String) : [],
		fingerprint: String(data.fingerprint ?? ''),
		restore: isObject(data.restore) ? data.restore : {},
	};
}

function clearWiring(data: IDataObject): void {
	for (const key of ['numberId', 'kind', 'url', 'secret', 'tools', 'fingerprint', 'restore']) delete data[key];
}

async function writeConfig(this: IHookFunctions, numberId: string, config: IDataObject): Promise<void> {
	await agentCallRequest.call(this, {
		method: 'POST',
		path: inboundConfigPath(numberId),
		body: config,
		subject: { label: 'phone number', id: numberId },
		expect: 'objectOrNull',
	});
}

function toolName(tool: unknown): string {
	if (!isObject(tool)) return '';
	const fn = isObject(tool.function) ? tool.function : tool;
	return String(fn.name ?? '');
}

function webhookUrl(this: IHookFunctions): string {
	const url = this.getNodeWebhookUrl('default');
	if (!url) throw new NodeOperationError(this.getNode(), 'n8n could not work out the URL of this trigger');
	return url;
}

/** What the trigger would wire now; a change means re-wiring on the next activation. */
function wanted(this: IHookFunctions): { numberId: string; kind: AgentKind; tools: ToolSchema[]; timeoutMs: number; fingerprint: string } {
	const numberId = agentNumberId.call(this);
	const kind = agentKind.call(this);
	const tools = kind === 'toolCall' ? declaredTools.call(this) : [];
	const timeoutMs = kind === 'callerContext' ? contextTimeoutMs.call(this) : 0;
	const fingerprint = createHash('sha256').update(JSON.stringify([numberId, kind, tools, timeoutMs])).digest('hex').slice(0, 24);
	return { numberId, kind, tools, timeoutMs, fingerprint };
}

/** Takes this trigger's part out of `config`; true when something changed. */
function unwire(config: IDataObject, wiring: Wiring): boolean {
	let changed = false;
	let othersNeedBlock = false;
	if (wiring.kind === 'toolCall' && Array.isArray(config.tools)) {
		const kept = config.tools.filter((tool) => !wiring.tools.includes(toolName(tool)));
		changed = kept.length !== config.tools.length;
		// Tools declared by someone else since still need a URL: the block stays for them.
		othersNeedBlock = kept.length > 0;
		if (kept.length) config.tools = kept;
		else delete config.tools;
	}
	const block = BLOCK[wiring.kind];
	if (!othersNeedBlock && isObject(config[block]) && sameUrl((config[block] as IDataObject).url, wiring.url)) {
		delete config[block];
		changed = true;
		if (wiring.kind === 'smsRelay' && config.smsMode === 'relay') config.smsMode = wiring.restore.smsMode ?? 'off';
		if (wiring.kind === 'callerContext') {
			// A source that reads the webhook cannot stay without one.
			const fallback = config.contextSource === 'merge' ? 'agentcall_memory' : 'none';
			config.contextSource = 'contextSource' in wiring.restore ? wiring.restore.contextSource : fallback;
			if (config.contextSource === 'webhook') config.contextSource = 'none';
		}
	}
	return changed;
}

/** True when AgentCall still calls this trigger's URL with its secret and its settings are unchanged. */
export async function wiringExists(this: IHookFunctions): Promise<boolean> {
	const data = this.getWorkflowStaticData('node');
	const stored = storedWiring(data);
	if (!stored) return false;
	const now = wanted.call(this);
	const url = webhookUrl.call(this);
	return await oneAtATime(stored.numberId, async () => {
		const config = await readInboundConfig.call(this, stored.numberId);
		const block = config?.[BLOCK[stored.kind]];
		const current = isObject(block) && sameUrl(block.url, stored.url) && block.hasSigningSecret !== false;
		const toolsThere = stored.kind !== 'toolCall' || stored.tools.every((name) => (Array.isArray(config?.tools) ? config.tools : []).some((tool) => toolName(tool) === name));
		if (current && toolsThere && stored.fingerprint === now.fingerprint && sameUrl(stored.url, url)) return true;
		// Settings changed (or AgentCall lost part of it): take the old wiring out, create() wires afresh.
		if (config && unwire(config, stored)) await writeConfig.call(this, stored.numberId, writableConfig(config));
		clearWiring(data);
		return false;
	});
}

export async function createWiring(this: IHookFunctions): Promise<boolean> {
	const wish = wanted.call(this);
	return await oneAtATime(wish.numberId, async () => await wire.call(this, wish));
}

async function wire(this: IHookFunctions, { numberId, kind, tools, timeoutMs, fingerprint }: ReturnType<typeof wanted>): Promise<boolean> {
	const data = this.getWorkflowStaticData('node');
	const url = webhookUrl.call(this);
	const config = await readInboundConfig.call(this, numberId);
	if (!config) {
		throw new NodeOperationError(this.getNode(), 'This number has no inbound AI set up yet', {
			description:
				'Set up the number\'s inbound AI first (system prompt, voice: the AgentCall node\'s Phone Number › Set Inbound AI, or the AgentCall dashboard), then activate again. The trigger does not create one itself: that would switch on an AI answering the number\'s calls.',
		});
	}
	const next = writableConfig(config);
	const block = BLOCK[kind];
	const existing = next[block];
	if (isObject(existing) && existing.url && !sameUrl(existing.url, url)) {
		throw new NodeOperationError(this.getNode(), `This number already sends its ${blockLabel(kind)} to another URL`, {
			description: `AgentCall calls ${String(existing.url)} for this. Deactivate the workflow that uses it, or remove it from the number's inbound AI, then activate again.`,
		});
	}
	const secret = randomBytes(32).toString('hex');
	const restore: IDataObject = {};
	if (kind === 'toolCall') {
		const names = tools.map((tool) => tool.name);
		const others = (Array.isArray(next.tools) ? next.tools : []).filter((tool) => !names.includes(toolName(tool)));
		if (others.length + tools.length > MAX_TOOLS) {
			throw new NodeOperationError(this.getNode(), `The number would have ${others.length + tools.length} tools; AgentCall takes at most ${MAX_TOOLS}`, {
				description: `It already has ${others.length} other tool(s): ${others.map(toolName).join(', ')}. Declare fewer tools here or remove some there.`,
			});
		}
		next.tools = [...others, ...tools];
		next.actionWebhook = { url, signingSecret: secret };
	} else if (kind === 'callerContext') {
		next.contextWebhook = { url, signingSecret: secret, timeoutMs };
		// A context source that ignores the webhook would make this trigger pointless.
		const source = next.contextSource;
		if (source === 'none' || source === 'agentcall_memory') {
			restore.contextSource = source;
			next.contextSource = source === 'none' ? 'webhook' : 'merge';
		}
	} else {
		next.agentWebhook = { url, signingSecret: secret };
		if (next.smsMode !== 'relay') {
			restore.smsMode = typeof next.smsMode === 'string' ? next.smsMode : 'off';
			next.smsMode = 'relay';
		}
	}
	await writeConfig.call(this, numberId, next);
	clearWiring(data);
	Object.assign(data, { numberId, kind, url, secret, tools: tools.map((tool) => tool.name), fingerprint, restore });
	return true;
}

function blockLabel(kind: AgentKind): string {
	return kind === 'toolCall' ? 'tool calls' : kind === 'callerContext' ? 'caller context requests' : 'relayed texts';
}

/** Removes exactly what create() added; a number or config already gone counts as removed. */
export async function deleteWiring(this: IHookFunctions): Promise<boolean> {
	const data = this.getWorkflowStaticData('node');
	const stored = storedWiring(data);
	if (!stored) return true;
	forgetDeliveries(dedupeScope(this.getWorkflow().id, this.getNode().id, stored.url));
	try {
		await oneAtATime(stored.numberId, async () => {
			const config = await readInboundConfig.call(this, stored.numberId);
			if (config && unwire(config, stored)) await writeConfig.call(this, stored.numberId, writableConfig(config));
		});
	} catch (error) {
		this.logger.warn(
			`AgentCall Phone Agent Trigger: could not unwire number ${stored.numberId} (${(error as Error).message}). Remove this workflow's URL from the number's inbound AI in AgentCall.`,
			{ numberId: stored.numberId },
		);
		return false;
	}
	clearWiring(data);
	return true;
}
