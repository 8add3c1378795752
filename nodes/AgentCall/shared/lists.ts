import type { IDataObject } from 'n8n-workflow';

/**
 * The wrappers AgentCall uses (or may use) around list results, most likely first; the wrappers
 * of the call-memory lists (§13.6) are not documented, so their plural names are accepted too.
 */
const LIST_KEYS = [
	'data',
	'numbers',
	'messages',
	'calls',
	'webhooks',
	'items',
	'results',
	'contacts',
	'memories',
	'candidates',
	'timeline',
	'briefs',
	'reports',
];

/** Cursor fields a list response may carry when there is a next page. */
const CURSOR_KEYS = ['nextCursor', 'next_cursor', 'cursor'];

/** The largest page AgentCall serves; bigger limits are clamped by the API anyway. */
export const PAGE_SIZE_MAX = 100;

function isObject(value: unknown): value is IDataObject {
	return !!value && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Whether an answer is a list: a bare array, or an object holding an array under one of the
 * wrappers. Only such an answer can say "the list is empty"; any other JSON is not a list at all.
 */
export function isListAnswer(body: unknown): boolean {
	if (Array.isArray(body)) return true;
	return isObject(body) && LIST_KEYS.some((key) => Array.isArray(body[key]));
}

/** Items of a list response, whichever wrapper it came in; a bare array is a list too. */
export function extractList(body: unknown): IDataObject[] {
	if (Array.isArray(body)) return body.filter(isObject);
	if (!isObject(body)) return [];
	for (const key of LIST_KEYS) {
		const value = body[key];
		if (Array.isArray(value)) return value.filter(isObject);
	}
	return [];
}

/**
 * The cursor for the next page, when the response says there is one. A bare-array reply can only
 * carry it in a header (`X-Next-Cursor`), so callers that have the headers pass them too.
 */
export function extractNextCursor(body: unknown, headers?: IDataObject): string | undefined {
	const header = headers?.['x-next-cursor'] ?? headers?.['X-Next-Cursor'];
	if (typeof header === 'string' && header !== '') return header;
	if (!isObject(body)) return undefined;
	const holders = [body, isObject(body.pagination) ? body.pagination : {}, isObject(body.meta) ? body.meta : {}];
	for (const holder of holders) {
		for (const key of CURSOR_KEYS) {
			const value = holder[key];
			if ((typeof value === 'string' && value !== '') || typeof value === 'number') return String(value);
		}
	}
	return undefined;
}
