// @ts-check
'use strict';

/**
 * The account's mutable state. Records are plain objects; `seq` is a global insertion counter
 * used for ordering and cursors (IDs are opaque and never sorted).
 */
function createState() {
	return {
		seq: 0,
		/** @type {Map<string, any>} id -> number record */
		numbers: new Map(),
		/** @type {Set<string>} every E.164 ever issued (a released number is never re-provisioned) */
		issued: new Set(),
		/** @type {Record<string, number>} next line suffix per area prefix */
		lineCounters: {},
		/** @type {Map<string, any>} id -> message record */
		messages: new Map(),
		/** @type {Map<string, any>} id -> SMS conversation (one per number + contact phone) */
		conversations: new Map(),
		/** @type {Map<string, string>} `${numberId}\u0000${phone}` -> conversation id */
		conversationKeys: new Map(),
		/** @type {Map<string, any>} id -> call record */
		calls: new Map(),
		/** @type {Map<string, any>} id -> webhook record (with secret) */
		webhooks: new Map(),
		/** @type {Map<string, {status: number, body: any, atMs?: number}>} `${fromNumberId}\u0000${key}` (AI calls), `reply\u0000${conversationId}\u0000${key}` (replies) -> original reply */
		idempotency: new Map(),
		/** @type {Map<string, {outcome: string, durationSecs?: number}>} E.164 `to` -> outcome */
		toOutcomes: new Map(),
		/** @type {Map<string, string>} E.164 -> contact id (for call.report.ready) */
		contacts: new Map(),
		/** @type {any[]} */
		requestLog: [],
		/** @type {any[]} */
		deliveryLog: [],
		/** @type {any[]} every HTTP attempt of a number's call-outs (context, tool, relay) */
		calloutLog: [],
		/** @type {Map<string, {start: number, global: number, ai: number}>} api key -> window */
		rate: new Map(),
	};
}

/** @typedef {ReturnType<typeof createState>} State */

/** @param {State} state */
function nextSeq(state) {
	state.seq += 1;
	return state.seq;
}

/** @param {any[]} log @param {any} entry @param {number} max */
function pushCapped(log, entry, max) {
	log.push(entry);
	if (log.length > max) log.splice(0, log.length - max);
}

/** UTC period "YYYY-MM" of a timestamp (ms or ISO). @param {number | string} t */
function periodOf(t) {
	return new Date(t).toISOString().slice(0, 7);
}

module.exports = { createState, nextSeq, pushCapped, periodOf };
