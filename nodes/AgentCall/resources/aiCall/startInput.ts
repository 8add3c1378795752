import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { InputCheckContext } from '../../shared/fields';
import { defaultCountryIn, inputError, itemSite, readFromAndTo } from '../../shared/fields';
import { DEFAULT_VOICE } from '../../shared/catalogue';
import { defaultIdempotencyKey, IDEMPOTENCY_KEY_MAX_LENGTH, readOwnIdempotencyKey } from '../../shared/idempotency';
import { AI_CALL_TEMPLATE_FIELDS, usesTemplate } from '../../shared/promptTemplate';

/**
 * Reads and checks everything AI Call > Start sends, before any request: a mistake is reported
 * with its field and item instead of costing a call.
 */

export const AI_CALL_LIMITS = {
	minMaxDurationSecs: 10,
	maxMaxDurationSecs: 3600,
	defaultMaxDurationSecs: 600,
	metadataMaxKeys: 24,
	metadataKeyMaxLength: 64,
	metadataValueMaxLength: 512,
	metadataMaxBytes: 2048,
	idempotencyKeyMaxLength: IDEMPOTENCY_KEY_MAX_LENGTH,
};

export const WAIT_LIMITS = {
	defaultPollSeconds: 5,
	/** Floor of the poll interval: AgentCall allows 100 requests a minute per account. */
	minPollSeconds: 1,
	defaultMaxWaitMinutes: 15,
	minMaxWaitMinutes: 0.1,
	/** The longest AI call (3600 s) plus ringing, with room to spare. */
	maxMaxWaitMinutes: 120,
};

export interface StartInput {
	body: IDataObject;
	waitForCompletion: boolean;
	maxWaitMs: number;
	pollIntervalMs: number;
	includeTranscriptText: boolean;
	simple: boolean;
}

function asNumber(value: unknown): number {
	if (typeof value === 'number') return value;
	return typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
}

export function readMaxDuration(site: InputCheckContext, raw: unknown): number {
	const { minMaxDurationSecs: min, maxMaxDurationSecs: max } = AI_CALL_LIMITS;
	const seconds = asNumber(raw);
	if (!Number.isInteger(seconds) || seconds < min || seconds > max) {
		throw inputError(
			site,
			`"Max Duration (Seconds)" is not valid: ${JSON.stringify(raw)} - it must be a whole number of seconds from ${min} to ${max}`,
			'AgentCall ends the call after this many seconds. 600 (10 minutes) is the default.',
		);
	}
	return seconds;
}

/** Metadata as AgentCall takes it: a string-to-string map within the documented limits. */
export function readMetadata(site: InputCheckContext, raw: unknown): Record<string, string> | undefined {
	const all = Array.isArray((raw as IDataObject | undefined)?.values) ? ((raw as IDataObject).values as IDataObject[]) : [];
	// A row left blank in the editor is not a key.
	const rows = all.filter((row) => String(row.key ?? '').trim() !== '' || String(row.value ?? '') !== '');
	if (rows.length === 0) return undefined;
	const limits = AI_CALL_LIMITS;
	const hint = `AgentCall takes up to ${limits.metadataMaxKeys} keys, keys of 1-${limits.metadataKeyMaxLength} characters, values of up to ${limits.metadataValueMaxLength} characters and ${limits.metadataMaxBytes} bytes in all. Keep IDs here and look details up later.`;
	if (rows.length > limits.metadataMaxKeys) {
		throw inputError(site, `"Metadata" has ${rows.length} keys - AgentCall allows at most ${limits.metadataMaxKeys}`, hint);
	}
	const metadata: Record<string, string> = {};
	for (const row of rows) {
		const key = typeof row.key === 'string' ? row.key.trim() : String(row.key ?? '').trim();
		const value = row.value;
		if (key === '' || key.length > limits.metadataKeyMaxLength) {
			throw inputError(site, `"Metadata" key ${JSON.stringify(key)} is not valid - a key has 1 to ${limits.metadataKeyMaxLength} characters`, hint);
		}
		if (key in metadata) throw inputError(site, `"Metadata" has the key "${key}" twice - each key may appear once`, hint);
		if (value !== null && typeof value === 'object') {
			throw inputError(site, `"Metadata" value of "${key}" is an object - values must be text`, `${hint} Turn lists and objects into text first, e.g. with JSON.stringify() in an expression.`);
		}
		const text = value === undefined || value === null ? '' : String(value);
		if (text.length > limits.metadataValueMaxLength) {
			throw inputError(site, `"Metadata" value of "${key}" has ${text.length} characters - at most ${limits.metadataValueMaxLength} are allowed`, hint);
		}
		metadata[key] = text;
	}
	const bytes = Buffer.byteLength(JSON.stringify(metadata), 'utf8');
	if (bytes > limits.metadataMaxBytes) {
		throw inputError(site, `"Metadata" is ${bytes} bytes as JSON - AgentCall allows at most ${limits.metadataMaxBytes}`, hint);
	}
	return metadata;
}

function readWaitOptions(context: IExecuteFunctions, site: InputCheckContext, itemIndex: number, options: IDataObject) {
	const raw = context.getNodeParameter('maxWaitMinutes', itemIndex, WAIT_LIMITS.defaultMaxWaitMinutes) as unknown;
	const minutes = asNumber(raw);
	if (!Number.isFinite(minutes) || minutes <= 0 || minutes > WAIT_LIMITS.maxMaxWaitMinutes) {
		throw inputError(
			site,
			`"Max Wait (Minutes)" is not valid: ${JSON.stringify(raw)} - it must be a number of minutes above 0 and at most ${WAIT_LIMITS.maxMaxWaitMinutes}`,
			'The node waits at most this long for the call to end, e.g. 15.',
		);
	}
	const poll = options.pollIntervalSeconds === undefined ? WAIT_LIMITS.defaultPollSeconds : asNumber(options.pollIntervalSeconds);
	if (!Number.isFinite(poll)) {
		throw inputError(site, `"Poll Interval (Seconds)" is not valid: ${JSON.stringify(options.pollIntervalSeconds)} - enter a number of seconds`, 'e.g. 5');
	}
	return {
		maxWaitMs: Math.round(minutes * 60_000),
		pollIntervalMs: Math.round(Math.max(WAIT_LIMITS.minPollSeconds, poll) * 1000),
		includeTranscriptText: options.includeTranscriptText === true,
		simple: context.getNodeParameter('simple', itemIndex, true) === true,
	};
}

export function readStartInput(context: IExecuteFunctions, itemIndex: number, fixed: { waitForCompletion?: boolean } = {}): StartInput {
	const site = itemSite(context, itemIndex);
	const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const extra = context.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const { from, to } = readFromAndTo(site, 'aiCall', defaultCountryIn(options));
	const useSavedAgent = extra.useSavedAgent === true;
	const fromTemplate = usesTemplate(context, itemIndex, AI_CALL_TEMPLATE_FIELDS);
	const systemPrompt = fromTemplate ? '' : String(context.getNodeParameter('systemPrompt', itemIndex, '') ?? '').trim();
	if (systemPrompt === '' && !useSavedAgent && !fromTemplate) {
		throw inputError(
			site,
			'"System Prompt" is empty - tell the AI who it is and why it calls',
			'Describe the goal of the call, what to find out and when to end it. To use the agent saved on the From number instead, turn on Use Saved Agent under Additional Fields.',
		);
	}
	const voice = String(context.getNodeParameter('voice', itemIndex, 'shimmer'));

	const body: IDataObject = { from, to };
	if (systemPrompt !== '') body.systemPrompt = systemPrompt;
	// With a saved agent or a template, the default voice is "not chosen": theirs applies.
	if (!((useSavedAgent || fromTemplate) && voice === DEFAULT_VOICE)) body.voice = voice;
	const firstMessage = typeof extra.firstMessage === 'string' ? extra.firstMessage.trim() : '';
	if (firstMessage !== '') body.firstMessage = firstMessage;
	if (typeof extra.language === 'string' && extra.language !== '') body.language = extra.language;
	if (extra.maxDurationSecs !== undefined) body.maxDurationSecs = readMaxDuration(site, extra.maxDurationSecs);
	if (extra.record === true) body.record = true;
	if (extra.liveTranscript === true) body.liveTranscript = true;
	if (useSavedAgent) body.useSavedAgent = true;
	const metadata = readMetadata(site, extra.metadata);
	if (metadata) body.metadata = metadata;

	const ownKey = readOwnIdempotencyKey(site, extra.idempotencyKey, 'Use a short, stable ID such as an order or contact ID.');
	const idempotencyKey = ownKey || defaultIdempotencyKey(context, itemIndex, from, to);
	if (idempotencyKey) body.idempotencyKey = idempotencyKey;

	// AgentCall Wait's Start and Wait always waits and has no such field.
	const waitForCompletion = fixed.waitForCompletion ?? context.getNodeParameter('waitForCompletion', itemIndex, false) === true;
	const wait = waitForCompletion
		? readWaitOptions(context, site, itemIndex, options)
		: { maxWaitMs: 0, pollIntervalMs: 0, includeTranscriptText: false, simple: false };
	return { body, waitForCompletion, ...wait };
}
