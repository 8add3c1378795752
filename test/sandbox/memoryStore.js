// @ts-check
'use strict';

const { nextSeq } = require('./state');
const { Checker } = require('./validate');

/**
 * Auditable Call Memory (§13.6), the shared part: contacts made from real traffic, and what an AI
 * call's report leaves behind (a report row, memory candidates, a brief when briefWorthy). The
 * routes are in contacts.js and memory.js. The records live beside `core.state` (a fresh state on
 * reset gets fresh records) without widening state.js.
 */

/** Settings for what §13.6 leaves UNKNOWN; merged into config.js. */
const MEMORY_DEFAULTS = Object.freeze({
	memoryListWrapper: 'data', // 'data' | 'items' | 'named' (contacts, memories, timeline, candidates, briefs, reports) | 'bare'
	nextCallContextShape: 'block', // 'block' { contactId, phone, numberId, contextBlock, contextBlockChars, isEmpty } | 'brief' { contactId, brief, updatedAt }
});

/** @param {...string} values */
const oneOf = (...values) => (/** @type {any} */ v) => (values.includes(v) ? null : `must be one of ${values.map((x) => JSON.stringify(x)).join(', ')}`);

const MEMORY_CHECKS = {
	memoryListWrapper: oneOf('data', 'items', 'named', 'bare'),
	nextCallContextShape: oneOf('block', 'brief'),
};

/** Memory types, from the report fields they come from (§13.4). */
const SOURCES = /** @type {const} */ ([
	['facts', 'fact'],
	['preferences', 'preference'],
	['decisions', 'decision'],
	['commitments', 'commitment'],
]);
const MEMORY_TYPES = SOURCES.map(([, type]) => type);
const INTENTS = ['service_request', 'quote_request', 'scheduling', 'complaint', 'spam', 'general_inquiry', 'other'];
const URGENCIES = ['high', 'medium', 'low'];

/** @type {WeakMap<object, ReturnType<typeof emptyRecords>>} */
const RECORDS = new WeakMap();

function emptyRecords() {
	return {
		/** @type {Map<string, any>} id -> contact */
		contacts: new Map(),
		/** @type {Map<string, any>} id -> memory row (soft-deleted rows stay) */
		memories: new Map(),
		/** @type {Map<string, any>} id -> candidate */
		candidates: new Map(),
		/** @type {Map<string, any>} id -> brief */
		briefs: new Map(),
		/** @type {Map<string, any>} id -> report row */
		reports: new Map(),
		/** @type {any[]} timeline entries of every memory row */
		timeline: [],
	};
}

/** The text of a report entry, whichever documented form it has (string, {text}, {task}, {value}). @param {any} entry */
function entryText(entry) {
	if (typeof entry === 'string') return entry;
	if (!entry || typeof entry !== 'object') return '';
	if (typeof entry.text === 'string') return entry.text;
	if (typeof entry.task === 'string') return entry.owner ? `${entry.owner}: ${entry.task}` : entry.task;
	if (typeof entry.description === 'string') return entry.description;
	return typeof entry.value === 'string' ? entry.value : JSON.stringify(entry);
}

/** @param {any} core */
function createMemoryStore(core) {
	const db = () => {
		let records = RECORDS.get(core.state);
		if (!records) {
			records = emptyRecords();
			RECORDS.set(core.state, records);
		}
		return records;
	};
	const now = () => new Date().toISOString();

	/** @param {any} c */
	function contactView(c) {
		const { seq: _seq, ...out } = c;
		return { ...out, tags: [...c.tags] };
	}

	/** @param {string} phone */
	function contactByPhone(phone) {
		const id = core.state.contacts.get(phone);
		return id ? db().contacts.get(id) : undefined;
	}

	/**
	 * The contact of a phone number, created on first contact (the id is the one call.report.ready
	 * carries, see calls.js); `seen` counts a call or a text and moves lastSeenAt.
	 * @param {string} phone @param {string | null} numberId @param {'call' | 'sms' | null} seen
	 */
	function touchContact(phone, numberId, seen) {
		let c = contactByPhone(phone);
		if (!c) {
			const at = now();
			c = { seq: nextSeq(core.state), id: core.calls.contactId(phone), phone, numberId, displayName: null, tags: [], ownerNotes: null, verified: false, blockedAt: null, callCount: 0, smsCount: 0, lastSeenAt: at, createdAt: at, updatedAt: at };
			db().contacts.set(c.id, c);
		}
		if (seen) {
			if (seen === 'call') c.callCount += 1;
			else c.smsCount += 1;
			c.lastSeenAt = now();
			c.numberId = numberId || c.numberId;
		}
		return c;
	}

	/** @param {string | undefined} e164 */
	const accountNumberId = (e164) => {
		const n = e164 ? core.numbers.findByE164(e164) : null;
		return n ? n.id : null;
	};

	/**
	 * What an AI call's report leaves behind: a report row, one memory candidate per fact,
	 * preference, decision and commitment, and an open brief when the report is briefWorthy.
	 * @param {{ phone: string, numberId?: string | null, callId?: string | null, report: Record<string, any> }} input
	 */
	function deriveFromReport(input) {
		const contact = touchContact(input.phone, input.numberId || null, null);
		const r = input.report;
		const at = now();
		const report = {
			seq: nextSeq(core.state),
			id: core.newId('report'),
			callId: input.callId || null,
			contactId: contact.id,
			numberId: input.numberId || contact.numberId,
			...r,
			redacted: false,
			createdAt: at,
		};
		db().reports.set(report.id, report);
		const candidates = [];
		for (const [field, type] of SOURCES) {
			for (const entry of Array.isArray(r[field]) ? r[field] : []) {
				const text = entryText(entry);
				if (!text) continue;
				const quote = entry && typeof entry === 'object' && typeof entry.quote === 'string' ? entry.quote : null;
				const cand = { seq: nextSeq(core.state), id: core.newId('candidate'), contactId: contact.id, callId: report.callId, reportId: report.id, type, text, quote, status: 'proposed', memoryId: null, note: null, reason: null, createdAt: at, decidedAt: null };
				db().candidates.set(cand.id, cand);
				candidates.push(cand);
			}
		}
		let brief = null;
		if (r.briefWorthy === true) {
			brief = { seq: nextSeq(core.state), id: core.newId('brief'), contactId: contact.id, callId: report.callId, reportId: report.id, urgency: URGENCIES.includes(r.urgency) ? r.urgency : 'medium', intent: r.intent ?? null, summary: r.ownerBrief || r.summary || '', nextAction: r.nextAction ?? null, status: 'open', createdAt: at, acknowledgedAt: null, resolvedAt: null };
			db().briefs.set(brief.id, brief);
		}
		return { contact, report, candidates, brief };
	}

	/** Webhook events the store learns from (wired in index.js, before delivery). @param {string} event @param {any} data */
	function observe(event, data) {
		if (event === 'sms.inbound') touchContact(data.from, data.numberId, 'sms');
		else if (event === 'call.inbound') touchContact(data.from, data.numberId, 'call');
		else if (event === 'call.ringing' && data.direction === 'outbound') touchContact(data.to, accountNumberId(data.from), 'call');
		else if (event === 'call.report.ready') {
			const call = core.state.calls.get(data.callId);
			if (!call) return;
			const phone = call.direction === 'outbound' ? call.to : call.from;
			deriveFromReport({ phone, numberId: call.numberId, callId: call.id, report: data.report });
		}
	}

	/**
	 * Right to be forgotten: the contact, its memory, candidates and briefs go; its reports (and
	 * the reports on its calls) keep only the call shell. @param {any} contact
	 */
	function forget(contact) {
		const d = db();
		const mine = (/** @type {any} */ r) => r.contactId === contact.id;
		const memoryIds = new Set([...d.memories.values()].filter(mine).map((m) => m.id));
		for (const map of [d.memories, d.candidates, d.briefs]) for (const r of [...map.values()]) if (mine(r)) map.delete(r.id);
		d.timeline = d.timeline.filter((t) => !memoryIds.has(t.memoryId));
		for (const r of d.reports.values()) if (mine(r)) redact(r);
		for (const call of core.state.calls.values()) {
			const phone = call.direction === 'outbound' ? call.to : call.from;
			if (phone === contact.phone && call.report) call.report = redact({ ...call.report });
		}
		d.contacts.delete(contact.id);
		core.state.contacts.delete(contact.phone);
	}

	/** @param {Record<string, any>} r */
	function redact(r) {
		const keep = new Set(['seq', 'id', 'callId', 'contactId', 'numberId', 'createdAt', 'status']);
		for (const key of Object.keys(r)) {
			if (keep.has(key)) continue;
			r[key] = Array.isArray(r[key]) ? [] : typeof r[key] === 'boolean' ? false : null;
		}
		r.redacted = true;
		return r;
	}

	/** The list wrapper for one of the memory lists. @param {string} name */
	function wrapperConfig(name) {
		const setting = core.config.memoryListWrapper;
		return { ...core.config, listWrappers: { ...core.config.listWrappers, [name]: setting === 'named' ? name : setting } };
	}

	/**
	 * Control: what an AI call's report leaves behind, for a phone number, without placing a call
	 * (the contact is created if needed). The report fields default to a brief-worthy scheduling call.
	 * @param {{ phone: string, numberId?: string, callId?: string, report?: Record<string, any> }} input
	 */
	function seed(input) {
		const c = new Checker(input);
		c.e164('phone', { required: true });
		c.string('numberId');
		c.string('callId');
		if (input && input.report !== undefined && (typeof input.report !== 'object' || input.report === null || Array.isArray(input.report))) c.fail('report', 'must be an object');
		c.throwIfAny();
		const report = { summary: 'The caller asked to move their appointment.', intent: 'scheduling', urgency: 'high', spam: false, briefWorthy: true, facts: [{ text: 'Has an appointment on Tuesday', quote: 'my Tuesday appointment' }], preferences: ['Prefers text messages to calls'], decisions: [], commitments: [{ owner: 'business', task: 'Confirm the new time by text' }], nextAction: 'Confirm the new time', ownerBrief: 'Wants to move the Tuesday appointment; confirm by text.', ...(input.report || {}) };
		const made = deriveFromReport({ phone: input.phone, numberId: input.numberId, callId: input.callId, report });
		const strip = (/** @type {any} */ r) => (r ? (({ seq: _seq, ...rest }) => rest)(r) : null);
		return { contact: contactView(made.contact), report: strip(made.report), candidates: made.candidates.map(strip), brief: strip(made.brief) };
	}

	/** Everything, for the control API and tests. */
	function snapshot() {
		const d = db();
		const list = (/** @type {Map<string, any>} */ m) => [...m.values()].map(({ seq: _seq, ...r }) => r);
		return { contacts: list(d.contacts), memories: list(d.memories), candidates: list(d.candidates), briefs: list(d.briefs), reports: list(d.reports), timeline: d.timeline.map((t) => ({ ...t })) };
	}

	return { db, now, contactView, contactByPhone, touchContact, deriveFromReport, observe, forget, wrapperConfig, seed, snapshot };
}

module.exports = { createMemoryStore, MEMORY_DEFAULTS, MEMORY_CHECKS, MEMORY_TYPES, INTENTS, URGENCIES, entryText };
