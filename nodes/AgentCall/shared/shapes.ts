import type { IDataObject } from 'n8n-workflow';

/**
 * One stable output shape per AgentCall object, whatever version of the API answered. The API
 * reference lists several shapes for messages and transcripts; workflows should not have to care.
 */

function text(value: unknown): string | undefined {
	return typeof value === 'string' && value !== '' ? value : undefined;
}

function isObject(value: unknown): value is IDataObject {
	return !!value && typeof value === 'object' && !Array.isArray(value);
}

/** An SMS: `receivedAt` from whichever timestamp the API sent, `otp` null when absent. */
export function toMessage(raw: IDataObject, numberId?: string): IDataObject {
	const receivedAt = text(raw.receivedAt) ?? text(raw.createdAt) ?? text(raw.timestamp) ?? null;
	return {
		...raw,
		id: raw.id,
		numberId: raw.numberId ?? numberId ?? null,
		from: raw.from ?? null,
		to: raw.to ?? null,
		body: raw.body ?? raw.text ?? '',
		otp: text(raw.otp) ?? null,
		receivedAt,
	};
}

/** Call statuses compared with `-` and `_` treated alike (`in-progress` vs `no_answer`). */
export function canonicalCallStatus(status: unknown): string {
	return String(status ?? '')
		.trim()
		.toLowerCase()
		.replace(/-/g, '_');
}

const FINAL_CALL_STATUSES = new Set(['completed', 'busy', 'no_answer', 'failed', 'trial_exhausted', 'canceled', 'cancelled']);

export function isFinalCallStatus(status: unknown): boolean {
	return FINAL_CALL_STATUSES.has(canonicalCallStatus(status));
}

export interface TranscriptEntry extends IDataObject {
	role: string;
	text: string;
	timestamp: string | null;
}

function toRole(role: unknown): string {
	const value = String(role ?? '').toLowerCase();
	if (value === 'ai' || value === 'assistant' || value === 'agent' || value === 'bot') return 'ai';
	if (value === 'human' || value === 'user' || value === 'caller' || value === 'customer') return 'human';
	return value || 'unknown';
}

/**
 * A transcript in one shape: `entries` (role `ai` or `human`), `summary` as text and the
 * structured insights beside it, from either the documented `{ entries, summary: string }` or the
 * live `{ transcript, summary: {...} }` form.
 */
export function toTranscript(raw: IDataObject, callId?: string): IDataObject {
	const rawEntries = Array.isArray(raw.entries) ? raw.entries : Array.isArray(raw.transcript) ? raw.transcript : [];
	const entries: TranscriptEntry[] = rawEntries.filter(isObject).map((entry) => ({
		role: toRole(entry.role),
		text: String(entry.text ?? entry.content ?? ''),
		timestamp: text(entry.timestamp) ?? null,
	}));
	const summaryObject = isObject(raw.summary) ? raw.summary : undefined;
	const summaryText = text(raw.summary) ?? text(summaryObject?.summary) ?? null;
	const insights = summaryObject
		? {
				callerName: summaryObject.callerName ?? null,
				intent: summaryObject.intent ?? null,
				urgency: summaryObject.urgency ?? null,
				callbackBy: summaryObject.callbackBy ?? null,
				spam: summaryObject.spam ?? null,
			}
		: null;
	const duration = Number(raw.duration);
	return {
		callId: raw.callId ?? callId ?? null,
		duration: Number.isFinite(duration) ? duration : null,
		entries,
		summary: summaryText,
		insights,
	};
}

/** The post-call report's fields (§13.4), in the order the output item lists them. */
export const REPORT_FIELDS = [
	'summary',
	'intent',
	'urgency',
	'spam',
	'briefWorthy',
	'entities',
	'facts',
	'preferences',
	'decisions',
	'commitments',
	'tasks',
	'risks',
	'unresolved',
	'nextAction',
	'nextCallContext',
	'ownerBrief',
] as const;

const REPORT_LISTS = new Set<string>(['entities', 'facts', 'preferences', 'decisions', 'commitments', 'tasks', 'risks', 'unresolved']);

/**
 * A ready post-call report in one flat shape, from Call > Get Report (`report`, or the deprecated
 * `payload` alias) and from the `call.report.ready` delivery alike: `callId`, `contactId`,
 * `ready: true` and every report field (lists empty and others null when AgentCall left them out),
 * so a CRM mapping reads `summary` or `urgency` without caring where the report was nested.
 */
export function toReport(body: IDataObject, callId?: string): IDataObject {
	const nested = isObject(body.report) ? body.report : isObject(body.payload) ? body.payload : undefined;
	const report = nested ?? body;
	// The envelope's own `status` ("ready") is left out: `ready` says it, and a status here reads like the call's.
	const outer: IDataObject = {};
	for (const [key, value] of Object.entries(body)) if (key !== 'report' && key !== 'payload' && key !== 'status') outer[key] = value;
	const fields: IDataObject = {};
	for (const key of REPORT_FIELDS) fields[key] = report[key] ?? (REPORT_LISTS.has(key) ? [] : null);
	return {
		...outer,
		...nested,
		callId: body.callId ?? report.callId ?? callId ?? null,
		contactId: body.contactId ?? report.contactId ?? null,
		ready: true,
		...fields,
	};
}

/** The transcript as plain dialogue lines, ready for an LLM prompt. */
export function transcriptAsText(entries: TranscriptEntry[]): string {
	return entries.map((entry) => `${entry.role === 'ai' ? 'AI' : entry.role === 'human' ? 'Human' : entry.role}: ${entry.text}`).join('\n');
}

/*
 * Simplify: what an agent or a person acts on, one simplifier per shape. Each keeps a fixed list of
 * fields (null when the API left one out) so that the output has the same keys on every item;
 * everything else stays available with Simplify off.
 */

function pick(raw: IDataObject, keys: readonly string[]): IDataObject {
	const kept: IDataObject = {};
	for (const key of keys) kept[key] = raw[key] ?? null;
	return kept;
}

/** `numberId` stays: it is what Send takes as From, to reply from the number that received the message. */
export const SIMPLE_MESSAGE_FIELDS = ['id', 'numberId', 'from', 'to', 'body', 'otp', 'receivedAt'] as const;
export const SIMPLE_CALL_FIELDS = ['id', 'mode', 'direction', 'status', 'from', 'to', 'duration', 'createdAt', 'endedAt'] as const;
export const SIMPLE_NUMBER_FIELDS = ['id', 'number', 'type', 'country', 'label', 'status'] as const;
/** The fields of a transcript item; the call's own fields only where the item has them (Start). */
export const SIMPLE_TRANSCRIPT_FIELDS = ['callId', 'duration', 'summary', 'insights'] as const;
const SIMPLE_FINISHED_CALL_FIELDS = ['status', 'from', 'to', 'timedOut', 'transcriptAvailable'] as const;

/** A message (after `toMessage`). */
export function simpleMessage(message: IDataObject): IDataObject {
	return pick(message, SIMPLE_MESSAGE_FIELDS);
}

/** A call, plain or AI. */
export function simpleCall(call: IDataObject): IDataObject {
	return pick(call, SIMPLE_CALL_FIELDS);
}

/** A phone number without its inbound and outbound agent settings. */
export function simpleNumber(phoneNumber: IDataObject): IDataObject {
	return pick(phoneNumber, SIMPLE_NUMBER_FIELDS);
}

/**
 * A transcript item (Get Transcript, or Start with Wait for Completion): the dialogue as
 * `transcriptText` lines instead of `entries` objects, the summary and insights.
 */
export function simpleTranscript(result: IDataObject): IDataObject {
	const finished: IDataObject = {};
	for (const key of SIMPLE_FINISHED_CALL_FIELDS) if (key in result) finished[key] = result[key] ?? null;
	const entries = Array.isArray(result.entries) ? (result.entries as TranscriptEntry[]) : [];
	const { callId, ...rest } = pick(result, SIMPLE_TRANSCRIPT_FIELDS);
	return { callId, ...finished, ...rest, transcriptText: transcriptAsText(entries) };
}
