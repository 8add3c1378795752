// @ts-check
'use strict';

/**
 * What `npm run test:live` asks the real API, and how each answer settles an UNKNOWN of
 * ../../../shared/agentcall-api.md (the API reference beside the repository).
 *
 * Every probe has an id (the UNKNOWN it settles, see README.md beside this file), the reference
 * sections (`doc`), the sandbox setting that imitates it (`setting`, a key of test/sandbox/config.js,
 * dotted for listWrappers), `observe` (answer -> the value of that UNKNOWN, or undefined when this
 * answer cannot tell) and `accepts` (value -> whether the nodes handle it, per §12.2 of the reference).
 * The same probe observes the default sandbox, so "what the sandbox returns" is measured, not assumed.
 */

/** @typedef {{ status: number, headers: Record<string, string>, body: any, ms?: number, error?: string }} Answer */
/** @typedef {{ id: string, doc: string, what: string, setting?: string, observe: (a: Answer) => any, accepts: (v: any) => boolean, nodes: string, toSetting?: (v: any) => Record<string, any> | undefined }} Probe */
/** @typedef {{ name: string, path: (ctx: Record<string, string>) => string | undefined, needs?: string, note?: string, probes: Probe[] }} Call */

const WRAPPERS = ['data', 'numbers', 'messages', 'calls'];
const CURSOR_FIELDS = ['nextCursor', 'next_cursor', 'cursor', 'next', 'nextPageToken', 'next_page_token', 'hasMore', 'has_more', 'pagination'];
/** §4.3: every status the reference lists, `answered` (older) and `queued` (client types) included. */
const KNOWN_STATUSES = ['initiated', 'queued', 'ringing', 'in-progress', 'answered', 'completed', 'busy', 'no_answer', 'failed', 'trial_exhausted'];
const ID_PREFIX = /^[a-z]+_[A-Za-z0-9]+$/;
const CUID = /^c[a-z0-9]{20,32}$/;

/** @param {unknown} v @returns {v is Record<string, any>} */
const isObject = (v) => !!v && typeof v === 'object' && !Array.isArray(v);

/** The list in a list answer: a bare array, or the one array under a wrapper key. @param {any} body */
function listOf(body) {
	if (Array.isArray(body)) return { wrapper: 'bare', items: body };
	if (!isObject(body)) return undefined;
	const keys = Object.keys(body).filter((key) => Array.isArray(body[key]));
	const key = keys.find((k) => WRAPPERS.includes(k)) ?? (keys.length === 1 ? keys[0] : undefined);
	return key === undefined ? undefined : { wrapper: key, items: /** @type {any[]} */ (body[key]) };
}

/** @param {Answer} a */
const ok = (a) => a.status >= 200 && a.status < 300;
/** @param {Answer} a */
const firstItem = (a) => (ok(a) ? listOf(a.body)?.items.find(isObject) : undefined);

/** @param {string} list @param {string} doc @returns {Probe} */
function wrapperProbe(list, doc) {
	return {
		id: `lists.wrapper.${list}`,
		doc,
		what: `which key holds the ${list} list`,
		setting: `listWrappers.${list}`,
		observe: (a) => (ok(a) ? listOf(a.body)?.wrapper : undefined),
		accepts: (v) => v === 'bare' || WRAPPERS.includes(v),
		nodes: 'items under data, numbers, messages or calls, or a bare array',
		toSetting: (v) => (v === 'bare' || WRAPPERS.includes(v) ? { listWrappers: { [list]: v } } : undefined),
	};
}

/**
 * Key names of one object, sorted: compared as sets between the live API and the sandbox.
 * @param {string} id @param {string} doc @param {string} what @param {(a: Answer) => any} pick @param {string[]} needed
 * @param {Probe['toSetting']} [toSetting]
 * @returns {Probe}
 */
function fieldsProbe(id, doc, what, pick, needed, toSetting) {
	return {
		id,
		toSetting,
		doc,
		what,
		observe: (a) => {
			const item = pick(a);
			return isObject(item) ? Object.keys(item).sort() : undefined;
		},
		accepts: (v) => needed.every((field) => v.includes(field)),
		nodes: needed.length ? `need ${needed.join(', ')}; other fields pass through` : 'any fields pass through',
	};
}

/** @param {string} list @returns {Probe} */
function orderProbe(list) {
	return {
		id: `lists.order.${list}`,
		doc: '§5 (sort order of any list: UNKNOWN)',
		what: `order of the ${list} list`,
		setting: 'listOrder',
		observe: (a) => {
			const times = (listOf(a.body)?.items ?? []).map((item) => Date.parse(item?.createdAt ?? item?.receivedAt ?? '')).filter((t) => !Number.isNaN(t));
			if (times.length < 2 || new Set(times).size < times.length) return undefined;
			if (times.every((t, i) => i === 0 || times[i - 1] > t)) return 'newest';
			if (times.every((t, i) => i === 0 || times[i - 1] < t)) return 'oldest';
			return 'unordered';
		},
		accepts: () => true,
		nodes: 'any order: the nodes sort by timestamp and dedupe by ID where order matters',
		toSetting: (v) => (v === 'newest' || v === 'oldest' ? { listOrder: v } : undefined),
	};
}

/** @type {Call[]} */
const CALLS = [
	{
		name: 'numbers',
		path: () => '/v1/numbers?limit=1',
		probes: [
			wrapperProbe('numbers', '§2.1, §5, §11.4 (numbers wrapper: INFERRED)'),
			{
				id: 'lists.cursor',
				doc: '§5 (next-cursor field: UNKNOWN), §12.2',
				what: 'how a list says there is a next page (asked with limit=1)',
				setting: 'pagination',
				observe: (a) => {
					if (!ok(a)) return undefined;
					if (a.headers['x-next-cursor'] !== undefined) return 'header X-Next-Cursor';
					const field = isObject(a.body) ? CURSOR_FIELDS.find((key) => key in a.body) : undefined;
					if (field) return field;
					return (listOf(a.body)?.items.length ?? 0) >= 1 ? 'none' : undefined;
				},
				accepts: (v) => ['none', 'nextCursor', 'next_cursor', 'cursor', 'header X-Next-Cursor'].includes(v),
				nodes: 'no cursor, or nextCursor / next_cursor / cursor in the body',
				toSetting: (v) => (v === 'none' ? { pagination: 'none' } : v.startsWith('header') ? undefined : { pagination: 'cursor', cursorField: v }),
			},
			{
				id: 'ids.format',
				doc: '§1 (IDs are opaque; live numbers look cuid-like)',
				what: 'what a number ID looks like',
				setting: 'idFormat',
				observe: (a) => {
					const id = firstItem(a)?.id;
					if (typeof id !== 'string') return undefined;
					return ID_PREFIX.test(id) ? 'prefixed' : CUID.test(id) ? 'cuid' : 'other';
				},
				accepts: () => true,
				nodes: 'any opaque string (never parsed, sorted or checked by prefix)',
				toSetting: (v) => (v === 'cuid' || v === 'prefixed' ? { idFormat: v } : undefined),
			},
		],
	},
	{
		name: 'one number',
		needs: 'numberId',
		path: (ctx) => `/v1/numbers/${encodeURIComponent(ctx.numberId)}`,
		probes: [fieldsProbe('number.fields', '§4.1 (country, status, createdAt: UNKNOWN)', 'fields of a number', (/** @type {Answer} */ a) => (ok(a) ? a.body : undefined), ['id', 'number'])],
	},
	{
		name: 'inbox',
		needs: 'numberId',
		path: (ctx) => `/v1/sms/inbox/${encodeURIComponent(ctx.numberId)}?limit=5`,
		probes: [
			wrapperProbe('inbox', '§2.2, §5 (inbox wrapper: UNKNOWN)'),
			orderProbe('inbox'),
			fieldsProbe('message.fields', '§4.2 (otp, numberId, status: UNKNOWN)', 'fields of an inbox message', firstItem, ['id', 'body']),
			{
				id: 'message.timestamps',
				doc: '§4.2 (receivedAt or createdAt: UNKNOWN)',
				what: 'which timestamps an inbound message carries',
				setting: 'messageTimestamps',
				observe: (a) => {
					const item = firstItem(a);
					if (!item) return undefined;
					const has = ['createdAt', 'receivedAt'].filter((key) => typeof item[key] === 'string');
					return has.length === 2 ? 'both' : (has[0] ?? 'none');
				},
				accepts: (v) => v !== 'none',
				nodes: 'receivedAt or createdAt',
				toSetting: (v) => (v === 'none' ? undefined : { messageTimestamps: v }),
			},
			{
				id: 'message.otp',
				doc: '§4.2 (whether inbox messages carry otp: UNKNOWN)',
				what: 'whether an inbox message has an otp field',
				setting: 'messageOtpField',
				observe: (a) => {
					const item = firstItem(a);
					return item ? 'otp' in item : undefined;
				},
				accepts: () => true,
				nodes: 'otp may be missing',
				toSetting: (v) => ({ messageOtpField: v }),
			},
		],
	},
	{
		name: 'calls',
		path: () => '/v1/calls?limit=5',
		probes: [
			wrapperProbe('calls', '§2.3, §5 (calls wrapper: LIVE data, to confirm)'),
			orderProbe('calls'),
			fieldsProbe('call.fields', '§4.3 (duration on the REST object: INFERRED)', 'fields of a call', firstItem, ['id', 'status']),
			{
				id: 'call.statuses',
				doc: '§4.3, §11.2 (status vocabulary)',
				what: 'call statuses outside the vocabulary of §4.3',
				setting: 'inProgressStatus',
				observe: (a) => {
					const items = ok(a) ? (listOf(a.body)?.items ?? []) : [];
					if (!items.length) return undefined;
					const odd = [...new Set(items.map((item) => String(item?.status)))].filter((s) => !KNOWN_STATUSES.includes(s)).sort();
					return odd.length ? odd.join(', ') : 'none';
				},
				accepts: () => true,
				nodes: 'unknown statuses pass through (not treated as final)',
			},
		],
	},
	{
		name: 'webhooks',
		path: () => '/v1/webhooks',
		probes: [
			wrapperProbe('webhooks', '§2.5, §5 (webhooks wrapper: LIVE client)'),
			fieldsProbe('webhook.fields', '§4.8 (fields beyond id, url, events: UNKNOWN)', 'fields of a listed webhook', firstItem, ['id', 'url'], (v) => ({
				webhookExtraFields: v.some((/** @type {string} */ field) => !['id', 'url', 'events'].includes(field)),
			})),
		],
	},
	{
		name: 'usage',
		path: () => '/v1/usage',
		probes: [
			fieldsProbe('usage.breakdown', '§2.6 (breakdown keys: UNKNOWN)', 'keys of usage breakdown', (/** @type {Answer} */ a) => (ok(a) ? a.body?.breakdown : undefined), []),
			{
				id: 'usage.total',
				doc: '§2.6 (type of total: UNKNOWN)',
				what: 'type of usage total',
				observe: (a) => (ok(a) && isObject(a.body) ? (a.body.total === null ? 'null' : typeof a.body.total) : undefined),
				accepts: (v) => v === 'number' || v === 'string',
				nodes: 'output as returned',
			},
			{
				id: 'usage.period',
				doc: '§2.6 (default when period is omitted: UNKNOWN)',
				what: 'which period GET /v1/usage without ?period= reports',
				observe: (a) => {
					if (!ok(a) || !isObject(a.body)) return undefined;
					if (a.body.period === undefined) return 'not stated';
					return a.body.period === new Date().toISOString().slice(0, 7) ? 'current UTC month' : String(a.body.period);
				},
				accepts: () => true,
				nodes: 'the Usage node always sends a period',
			},
		],
	},
	{
		name: 'OTP wait (1 s)',
		needs: 'numberId',
		note: 'a code received in the last minutes may be returned (and count as read) instead of a timeout',
		path: (ctx) => `/v1/sms/otp/${encodeURIComponent(ctx.numberId)}?timeout=1000`,
		probes: [
			{
				id: 'otp.timeout',
				doc: '§9 UNKNOWN 1 (what a timeout returns), §12.2',
				what: 'the answer when no code arrives within the timeout',
				setting: 'otpTimeoutReply',
				observe: (a) => {
					if (a.error) return undefined;
					if (a.status === 200) return isObject(a.body) && a.body.otp ? undefined : 'null';
					return ['204', '408', '404'].includes(String(a.status)) ? String(a.status) : `status ${a.status}`;
				},
				accepts: (v) => ['null', '204', '408', '404'].includes(v),
				nodes: '200 with otp null, 204, 408, or 404 with a timeout code',
				toSetting: (v) => (['null', '204', '408', '404'].includes(v) ? { otpTimeoutReply: v } : undefined),
			},
		],
	},
	{
		name: 'unknown number (error body)',
		path: () => '/v1/numbers/live-check-no-such-number',
		probes: [
			{
				id: 'errors.body',
				doc: '§6 (error.message likely, never seen)',
				what: 'where a 404 puts its code and message',
				setting: 'errorMessage',
				observe: (a) => {
					if (a.error || ok(a) || a.body === undefined) return undefined;
					const b = a.body;
					const parts = [];
					if (isObject(b) && isObject(b.error)) {
						if (b.error.code !== undefined) parts.push('error.code');
						if (b.error.message !== undefined) parts.push('error.message');
					} else if (isObject(b) && typeof b.error === 'string') parts.push('error (string)');
					if (isObject(b) && b.code !== undefined) parts.push('code');
					if (isObject(b) && b.message !== undefined) parts.push('message');
					return parts.length ? parts.join(' + ') : 'no code or message';
				},
				accepts: (v) => /error\.code|code/.test(v) || /message|error \(string\)/.test(v),
				nodes: 'code from error.code; text from error.message, a string error, or message',
				toSetting: (v) => (v === 'error.code + error.message' ? { errorMessage: true } : v === 'error.code' ? { errorMessage: false } : undefined),
			},
			{
				id: 'errors.not-found-status',
				doc: '§6 (404 for a missing resource)',
				what: 'HTTP status for an unknown number',
				observe: (a) => (a.error ? undefined : a.status),
				accepts: (v) => v === 404,
				nodes: '404 is shown as "not found"',
			},
		],
	},
];

/** Probes over every answer of the run. @type {Array<Probe & { observeAll: (answers: Answer[]) => any }>} */
const RUN_PROBES = [
	{
		id: 'ratelimit.headers',
		doc: '§7 (Retry-After, X-RateLimit-*: UNKNOWN)',
		what: 'rate-limit headers on ordinary answers',
		observe: () => undefined,
		observeAll: (answers) => {
			const names = new Set(answers.flatMap((a) => Object.keys(a.headers ?? {})).filter((name) => /ratelimit|rate-limit|^retry-after$/i.test(name)));
			return answers.some((a) => !a.error) ? (names.size ? [...names].sort().join(', ') : 'none') : undefined;
		},
		accepts: () => true,
		nodes: 'Retry-After used when present, else a fixed back-off',
	},
];

module.exports = { CALLS, RUN_PROBES, listOf, isObject };
