// @ts-check
'use strict';

const { validationError } = require('./errors');

/**
 * List replies: limit parsing, order, optional cursor, and the per-endpoint wrapper (§12.1).
 */

/**
 * @param {Record<string, any>} config
 * @param {Record<string, string>} query
 * @returns {number}
 */
function parseLimit(config, query) {
	if (query.limit === undefined || query.limit === '') return Math.min(config.listLimitDefault, config.listLimitMax);
	const n = Number(query.limit);
	if (!/^\d+$/.test(String(query.limit)) || !Number.isInteger(n) || n < 1) {
		throw validationError([{ field: 'limit', message: 'must be a positive integer' }]);
	}
	if (n > config.listLimitMax) {
		if (config.listLimitOverMax === 'reject') {
			throw validationError([{ field: 'limit', message: `must be at most ${config.listLimitMax}` }]);
		}
		return config.listLimitMax;
	}
	return n;
}

/** @param {number} seq */
function encodeCursor(seq) {
	return Buffer.from(`s:${seq}`).toString('base64url');
}

/** @param {string} cursor */
function decodeCursor(cursor) {
	const m = /^s:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
	if (!m) throw validationError([{ field: 'cursor', message: 'is not a valid cursor' }]);
	return Number(m[1]);
}

/**
 * Orders records (by insertion `seq`), applies cursor + limit, and wraps them.
 * @param {Record<string, any>} config
 * @param {'numbers'|'calls'|'webhooks'|'inbox'|'conversations'} list which wrapper setting applies
 * @param {Array<{ seq: number }>} records
 * @param {Record<string, string>} query
 * @param {(r: any) => any} view
 * @param {'none'|'cursor'} [pagination] overrides config.pagination for this list
 * @returns {{ status: number, body: any, headers?: Record<string, string> }}
 */
function listReply(config, list, records, query, view, pagination = config.pagination) {
	const limit = parseLimit(config, query);
	const newest = config.listOrder === 'newest';
	let items = [...records].sort((a, b) => (newest ? b.seq - a.seq : a.seq - b.seq));
	const cursorMode = pagination === 'cursor';
	if (cursorMode && query.cursor) {
		const after = decodeCursor(query.cursor);
		items = items.filter((r) => (newest ? r.seq < after : r.seq > after));
	}
	const page = items.slice(0, limit);
	const next = cursorMode && items.length > limit ? encodeCursor(page[page.length - 1].seq) : null;
	const wrapper = config.listWrappers[list];
	const data = page.map(view);
	if (wrapper === 'bare') {
		return { status: 200, body: data, headers: next ? { 'X-Next-Cursor': next } : {} };
	}
	/** @type {Record<string, any>} */
	const body = { [wrapper]: data };
	if (cursorMode) body[config.cursorField] = next;
	return { status: 200, body };
}

module.exports = { listReply, parseLimit, encodeCursor, decodeCursor };
