// @ts-check
'use strict';

const { ApiError, notFound, validationError } = require('./errors');
const { Checker, requireObjectBody } = require('./validate');
const { listReply } = require('./lists');
const { nextSeq } = require('./state');
const { MEMORY_TYPES, INTENTS, URGENCIES } = require('./memoryStore');

/**
 * Memory, candidates, briefs and reports (§13.6). A candidate is proposed by a call's report;
 * approving it makes it current truth (a memory row with a timeline entry), rejecting it keeps it
 * out. Memory rows are edited (text, expiresAt) and soft-deleted, each change on the timeline.
 * Briefs go open → acknowledged → resolved.
 */

const CANDIDATE_STATUSES = ['proposed', 'approved', 'rejected'];
const BRIEF_STATUSES = ['open', 'acknowledged', 'resolved'];

/** Validates filter query parameters against their allowed values. @param {Record<string, string>} query @param {Record<string, readonly string[]>} allowed */
function checkFilters(query, allowed) {
	const details = Object.entries(allowed)
		.filter(([k, values]) => query[k] !== undefined && query[k] !== '' && !values.includes(query[k]))
		.map(([k, values]) => ({ field: k, message: `must be one of: ${values.join(', ')}` }));
	if (details.length) throw validationError(details);
}

/** @param {any} core @param {ReturnType<typeof import('./memoryStore').createMemoryStore>} store */
function createMemory(core, store) {
	const db = () => store.db();
	const strip = (/** @type {any} */ { seq: _seq, ...r }) => r;
	/** @param {string} name @param {any[]} records @param {Record<string, string>} query @param {Record<string, any>} [extra] */
	const list = (name, records, query, extra = {}) => listReply({ ...store.wrapperConfig(name), ...extra }, /** @type {any} */ (name), records, query, strip);
	/** @param {Record<string, string>} query @param {string} key @param {any} r */
	const matches = (query, key, r) => query[key] === undefined || query[key] === '' || String(r[key]) === query[key];

	/** @param {Map<string, any>} map @param {string} what @param {string} id */
	function find(map, what, id) {
		const r = map.get(id);
		if (!r) throw notFound(what, id);
		return r;
	}

	/** @param {any} memory @param {string} action @param {Record<string, any>} [extra] */
	function log(memory, action, extra = {}) {
		const entry = { seq: nextSeq(core.state), id: core.newId('timeline'), memoryId: memory.id, action, text: memory.text, at: store.now(), ...extra };
		db().timeline.push(entry);
		return entry;
	}

	/** @param {any} body */
	const optionalBody = (body) => (body === undefined || body === null ? {} : (requireObjectBody(body), body));

	/** @param {string} id @param {any} body @param {'approve' | 'reject'} action */
	function decide(id, body, action) {
		const cand = find(db().candidates, 'Memory candidate', id);
		const b = optionalBody(body);
		const c = new Checker(b);
		c.string(action === 'approve' ? 'note' : 'reason', { max: 2000 });
		c.throwIfAny();
		if (cand.status !== 'proposed') throw new ApiError(409, 'candidate_already_decided', `Memory candidate '${id}' is already ${cand.status}`);
		cand.status = action === 'approve' ? 'approved' : 'rejected';
		cand.decidedAt = store.now();
		if (action === 'reject') {
			cand.reason = b.reason ?? null;
			return strip(cand);
		}
		cand.note = b.note ?? null;
		const memory = { seq: nextSeq(core.state), id: core.newId('memory'), contactId: cand.contactId, type: cand.type, text: cand.text, status: 'active', candidateId: cand.id, sourceCallId: cand.callId, expiresAt: null, createdAt: cand.decidedAt, updatedAt: cand.decidedAt, deletedAt: null };
		db().memories.set(memory.id, memory);
		cand.memoryId = memory.id;
		log(memory, 'approved', { candidateId: cand.id, note: cand.note });
		return { ...strip(cand), memory: strip(memory) };
	}

	/** @param {string} id */
	function liveMemory(id) {
		const m = find(db().memories, 'Memory', id);
		if (m.deletedAt) throw new ApiError(404, 'not_found', `Memory '${id}' was deleted`);
		return m;
	}

	/** @param {string} id @param {any} body */
	function updateMemory(id, body) {
		const m = liveMemory(id);
		requireObjectBody(body);
		const c = new Checker(body);
		for (const k of Object.keys(body)) if (k !== 'text' && k !== 'expiresAt') c.fail(k, 'is not a memory field (text, expiresAt)');
		if (body.text === undefined && body.expiresAt === undefined) c.fail('(body)', 'must set text or expiresAt');
		c.string('text', { min: 1, max: 2000 });
		if (body.expiresAt !== undefined && body.expiresAt !== null && (typeof body.expiresAt !== 'string' || Number.isNaN(Date.parse(body.expiresAt)))) {
			c.fail('expiresAt', 'must be an ISO 8601 date-time or null');
		}
		c.throwIfAny();
		const previous = { text: m.text, expiresAt: m.expiresAt };
		if (body.text !== undefined && body.text !== null) m.text = body.text;
		if (body.expiresAt !== undefined) m.expiresAt = body.expiresAt;
		m.updatedAt = store.now();
		log(m, 'updated', { previousText: previous.text, expiresAt: m.expiresAt, previousExpiresAt: previous.expiresAt });
		return strip(m);
	}

	/** @param {string} id @param {'ack' | 'resolve'} action */
	function moveBrief(id, action) {
		const brief = find(db().briefs, 'Brief', id);
		if (action === 'ack') {
			if (brief.status === 'resolved') throw new ApiError(409, 'brief_already_resolved', `Brief '${id}' is already resolved`);
			if (brief.status === 'open') Object.assign(brief, { status: 'acknowledged', acknowledgedAt: store.now() });
		} else if (brief.status !== 'resolved') {
			Object.assign(brief, { status: 'resolved', resolvedAt: store.now() });
		}
		return { status: 200, body: strip(brief) };
	}

	const routes = [
		{
			method: 'GET',
			path: '/v1/memory/current',
			handler: (/** @type {any} */ ctx) => {
				const now = Date.now();
				const rows = [...db().memories.values()].filter((m) => !m.deletedAt && !(m.expiresAt && Date.parse(m.expiresAt) <= now) && matches(ctx.query, 'contactId', m));
				return list('memories', rows, ctx.query);
			},
		},
		{
			method: 'GET',
			path: '/v1/memory/candidates',
			handler: (/** @type {any} */ ctx) => {
				checkFilters(ctx.query, { status: CANDIDATE_STATUSES, type: MEMORY_TYPES });
				const rows = [...db().candidates.values()].filter((r) => ['status', 'contactId', 'type'].every((k) => matches(ctx.query, k, r)));
				return list('candidates', rows, ctx.query);
			},
		},
		{
			method: 'GET',
			path: '/v1/memory/:id/timeline',
			handler: (/** @type {any} */ ctx) => {
				const m = find(db().memories, 'Memory', ctx.params.id);
				return list('timeline', db().timeline.filter((t) => t.memoryId === m.id), ctx.query, { listOrder: 'oldest' });
			},
		},
		{ method: 'PATCH', path: '/v1/memory/:id', handler: (/** @type {any} */ ctx) => ({ status: 200, body: updateMemory(ctx.params.id, ctx.body) }) },
		{
			method: 'DELETE',
			path: '/v1/memory/:id',
			handler: (/** @type {any} */ ctx) => {
				const m = liveMemory(ctx.params.id);
				m.deletedAt = store.now();
				m.status = 'deleted';
				log(m, 'deleted');
				return core.config.deleteReply === '204' ? { status: 204 } : { status: 200, body: strip(m) };
			},
		},
		{ method: 'POST', path: '/v1/memory/candidates/:id/approve', handler: (/** @type {any} */ ctx) => ({ status: 200, body: decide(ctx.params.id, ctx.body, 'approve') }) },
		{ method: 'POST', path: '/v1/memory/candidates/:id/reject', handler: (/** @type {any} */ ctx) => ({ status: 200, body: decide(ctx.params.id, ctx.body, 'reject') }) },
		{
			method: 'GET',
			path: '/v1/briefs',
			handler: (/** @type {any} */ ctx) => {
				checkFilters(ctx.query, { status: BRIEF_STATUSES, urgency: URGENCIES });
				const rows = [...db().briefs.values()].filter((r) => ['status', 'urgency', 'contactId'].every((k) => matches(ctx.query, k, r)));
				return list('briefs', rows, ctx.query);
			},
		},
		{ method: 'POST', path: '/v1/briefs/:id/ack', handler: (/** @type {any} */ ctx) => moveBrief(ctx.params.id, 'ack') },
		{ method: 'POST', path: '/v1/briefs/:id/resolve', handler: (/** @type {any} */ ctx) => moveBrief(ctx.params.id, 'resolve') },
		{
			method: 'GET',
			path: '/v1/reports',
			handler: (/** @type {any} */ ctx) => {
				checkFilters(ctx.query, { intent: INTENTS, urgency: URGENCIES, briefWorthy: ['true', 'false'] });
				const rows = [...db().reports.values()].filter((r) => ['contactId', 'intent', 'urgency', 'briefWorthy'].every((k) => matches(ctx.query, k, r)));
				return list('reports', rows, ctx.query);
			},
		},
	];
	return { routes };
}

module.exports = { createMemory };
