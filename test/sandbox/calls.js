// @ts-check
'use strict';

const { ApiError, notFound } = require('./errors');
const { Checker, requireObjectBody } = require('./validate');
const { listReply } = require('./lists');
const { nextSeq } = require('./state');
const T = require('./transcripts');

/** Call records and the plain-voice routes (initiate, list, get, hangup) + control helpers. */

const OUTCOMES = ['completed', 'busy', 'no_answer', 'failed'];
const ADVANCE_TARGETS = ['ringing', 'in-progress', 'answered', 'completed', 'busy', 'no_answer', 'failed'];

/** @param {any} core */
function createCalls(core) {
	const st = () => core.state;

	/** 'ai' role under config.aiRole. @param {string} role */
	const role = (role) => (role === 'ai' ? core.config.aiRole : role);

	/** @param {any} c */
	function view(c) {
		/** @type {Record<string, any>} */
		const out = {
			id: c.id,
			status: c.status === 'in-progress' ? core.config.inProgressStatus : c.status,
			direction: c.direction,
			mode: c.mode,
			from: c.from,
			to: c.to,
			numberId: c.numberId,
			record: c.record,
			recordingUrl: c.recordingUrl,
			duration: c.duration,
			peerCallId: c.peerCallId,
			toolCallCount: 0,
			metadata: c.metadata,
			createdAt: c.createdAt,
			updatedAt: c.updatedAt,
			answeredAt: c.answeredAt,
			endedAt: c.endedAt,
		};
		if (c.ai) {
			out.voice = c.ai.voice;
			out.language = c.ai.language;
			out.maxDurationSecs = c.ai.maxDurationSecs;
			out.liveTranscript = c.ai.liveTranscript;
		}
		return out;
	}

	/** @param {any} c */
	const transcriptEntries = (c) => (c.transcript || []).map((/** @type {any} */ e) => ({ ...e, role: role(e.role) }));

	/** Stable contact id per phone number. @param {string} phone */
	function contactId(phone) {
		let id = st().contacts.get(phone);
		if (!id) {
			id = core.newId('contact');
			st().contacts.set(phone, id);
		}
		return id;
	}

	/** @param {Partial<Record<string, any>>} fields @returns {any} */
	function store(fields) {
		const now = Date.now();
		const iso = new Date(now).toISOString();
		const c = {
			seq: nextSeq(st()),
			id: core.newId('call'),
			status: 'initiated',
			mode: 'voice',
			record: false,
			recordingUrl: null,
			duration: null,
			peerCallId: null,
			metadata: null,
			createdMs: now,
			createdAt: iso,
			updatedAt: iso,
			answeredMs: null,
			answeredAt: null,
			endedMs: null,
			endedAt: null,
			ai: null,
			outcome: null,
			script: null,
			brief: null,
			live: [],
			transcript: null,
			summary: null,
			report: null,
			reportPending: false,
			reportReady: false,
			...fields,
		};
		st().calls.set(c.id, c);
		return c;
	}

	/** Inbound AI script of a number with inbound AI configured (caller = human). @param {any} number @param {string} from */
	function inboundAi(number, from) {
		if (!number.inbound.configured) return null;
		const brief = { systemPrompt: number.inbound.systemPrompt, firstMessage: number.inbound.firstMessage, to: from, from: number.number };
		return { brief, script: T.script(brief) };
	}

	/**
	 * Outbound call (plain or AI) plus, when `to` is an account number, the linked inbound leg.
	 * @param {{ from: any, to: string, record: boolean, ai?: any, metadata?: any }} o
	 */
	function place(o) {
		const target = core.numbers.findByE164(o.to);
		const out = store({ direction: 'outbound', mode: o.ai ? 'ai' : 'voice', from: o.from.number, to: o.to, numberId: o.from.id, record: o.record, ai: o.ai || null, metadata: o.metadata || null, driver: true });
		if (o.ai) {
			out.brief = { systemPrompt: o.ai.systemPrompt, firstMessage: o.ai.firstMessage, to: o.to, from: out.from };
			out.script = T.script(out.brief);
		}
		if (target) {
			const answering = o.ai ? null : inboundAi(target, out.from);
			const leg = store({ direction: 'inbound', mode: answering ? 'ai' : 'voice', from: out.from, to: o.to, numberId: target.id, peerCallId: out.id, metadata: o.metadata ? { ...o.metadata } : null, driver: false });
			if (out.script) {
				leg.brief = out.brief;
				leg.script = T.swapRoles(out.script);
			} else if (answering) {
				leg.brief = answering.brief;
				leg.script = answering.script;
				out.brief = answering.brief;
				out.script = T.swapRoles(answering.script);
			}
			out.peerCallId = leg.id;
		}
		core.clock.schedule(out);
		return out;
	}

	/** Control: an inbound call from outside to an account number. @param {{ to: string, from: string }} input */
	function inject(input) {
		const c = new Checker(input);
		c.string('to', { required: true, min: 1 });
		c.e164('from', { required: true });
		c.throwIfAny();
		const number = core.numbers.resolve(input.to);
		const answering = inboundAi(number, input.from);
		const leg = store({ direction: 'inbound', mode: answering ? 'ai' : 'voice', from: input.from, to: number.number, numberId: number.id, driver: true, brief: answering && answering.brief, script: answering && answering.script });
		core.clock.transition(leg, 'ringing', 'advance');
		return view(leg);
	}

	/** @param {string} id */
	function get(id) {
		const c = st().calls.get(id);
		if (!c) throw notFound('Call', id);
		return c;
	}

	/** The leg whose timers drive a call. @param {any} c */
	const driverOf = (c) => (c.driver || !c.peerCallId ? c : st().calls.get(c.peerCallId) || c);

	/** @param {{ callId?: string, to?: string, outcome: string | null, durationSecs?: number }} o */
	function setOutcome(o) {
		const c = new Checker(o);
		if (o && o.outcome !== null) c.oneOf('outcome', OUTCOMES, { required: true });
		c.integer('durationSecs', 0, 86400);
		if (!o || (!o.callId && !o.to)) c.fail('callId', 'callId or to is required');
		c.throwIfAny();
		const value = { outcome: o.outcome || 'completed', ...(o.durationSecs !== undefined ? { durationSecs: o.durationSecs } : {}) };
		if (!o.callId) {
			if (o.outcome === null) st().toOutcomes.delete(/** @type {string} */ (o.to));
			else st().toOutcomes.set(/** @type {string} */ (o.to), value);
			return { to: o.to, outcome: o.outcome, durationSecs: o.durationSecs ?? null };
		}
		const call = driverOf(get(o.callId));
		if (core.clock.isTerminal(call.status)) throw new ApiError(409, 'call_already_ended', `Call '${call.id}' has already ended`);
		if (call.status === 'in-progress' && (value.outcome === 'busy' || value.outcome === 'no_answer')) {
			throw new ApiError(409, 'invalid_transition', `Call '${call.id}' is already in progress`);
		}
		call.outcome = o.outcome === null ? null : value;
		core.clock.schedule(call);
		return view(get(o.callId));
	}

	/** Control: move a call to its next status, or to `status`, now. @param {string} id @param {string} [status] */
	function advance(id, status) {
		const call = driverOf(get(id));
		if (core.clock.isTerminal(call.status)) throw new ApiError(409, 'call_already_ended', `Call '${call.id}' has already ended`);
		/** @type {string} */
		let target;
		if (status === undefined || status === null) {
			const step = core.clock.nextStep(call);
			target = step ? step.status : 'completed';
		} else if (!ADVANCE_TARGETS.includes(status)) {
			throw new ApiError(422, 'validation_error', `status must be one of ${ADVANCE_TARGETS.join(', ')}`);
		} else {
			target = status === 'answered' ? 'in-progress' : status;
		}
		const rank = { initiated: 0, ringing: 1, 'in-progress': 2 };
		const from = rank[/** @type {'initiated'} */ (call.status)];
		const to = target in rank ? rank[/** @type {'initiated'} */ (target)] : 3;
		const neverAnswered = target === 'busy' || target === 'no_answer';
		if (to <= from || (neverAnswered && call.status === 'in-progress')) {
			throw new ApiError(409, 'invalid_transition', `Call '${call.id}' cannot move from ${call.status} to ${target}`);
		}
		core.clock.transition(call, target, 'advance');
		return view(get(id));
	}

	const routes = [
		{
			method: 'POST',
			path: '/v1/calls/initiate',
			handler: (/** @type {any} */ ctx) => {
				requireObjectBody(ctx.body);
				const c = new Checker(ctx.body);
				c.string('from', { required: true, min: 1 });
				c.e164('to', { required: true });
				c.boolean('record');
				c.throwIfAny();
				const from = core.numbers.resolve(ctx.body.from);
				if (ctx.body.record) core.plans.checkRecording();
				core.plans.checkVoice();
				const call = place({ from, to: ctx.body.to, record: !!ctx.body.record });
				const body = core.config.callReply === 'minimal' ? { id: call.id, status: call.status } : view(call);
				return { status: core.config.createStatus, body };
			},
		},
		{
			method: 'GET',
			path: '/v1/calls',
			handler: (/** @type {any} */ ctx) => listReply(core.config, 'calls', [...st().calls.values()], ctx.query, view),
		},
		{
			method: 'GET',
			path: '/v1/calls/:id',
			handler: (/** @type {any} */ ctx) => ({ status: 200, body: view(get(ctx.params.id)) }),
		},
		{
			method: 'POST',
			path: '/v1/calls/:id/hangup',
			handler: (/** @type {any} */ ctx) => {
				const call = get(ctx.params.id);
				if (core.clock.isTerminal(call.status)) {
					if (core.config.hangupEnded === '409') throw new ApiError(409, 'call_already_ended', `Call '${call.id}' has already ended (${call.status})`);
					return { status: 200, body: view(call) };
				}
				core.clock.transition(driverOf(call), 'completed', 'hangup');
				return { status: 200, body: view(call) };
			},
		},
	];

	return { routes, view, get, place, inject, setOutcome, advance, role, transcriptEntries, contactId, OUTCOMES };
}

module.exports = { createCalls };
