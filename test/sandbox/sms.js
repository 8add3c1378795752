// @ts-check
'use strict';

const { notFound } = require('./errors');
const { Checker, requireObjectBody, E164 } = require('./validate');
const { listReply } = require('./lists');
const { nextSeq } = require('./state');

/** SMS: send (with the same-account demo loop), inbox, get, inbound handling, AI auto-replies. */

/** @param {any} core */
function createSms(core) {
	const st = () => core.state;

	/** Public message object (§12.1: message object, shape switches in config). @param {any} m */
	function view(m) {
		const cfg = core.config;
		/** @type {Record<string, any>} */
		const out = { id: m.id, numberId: m.numberId, direction: m.direction, from: m.from, to: m.to, body: m.body };
		if (cfg.messageOtpField) out.otp = m.otp;
		out.status = m.status;
		const inbound = m.direction === 'inbound';
		if (cfg.messageTimestamps !== 'receivedAt' || !inbound) out.createdAt = m.createdAt;
		if (inbound && cfg.messageTimestamps !== 'createdAt') out.receivedAt = m.createdAt;
		return out;
	}

	/** @param {Partial<Record<string, any>>} fields @returns {any} */
	function store(fields) {
		const now = Date.now();
		const m = {
			seq: nextSeq(st()),
			id: core.newId('message'),
			createdMs: now,
			createdAt: new Date(now).toISOString(),
			otp: null,
			otpReturned: false,
			...fields,
		};
		st().messages.set(m.id, m);
		core.conversations.track(m);
		return m;
	}

	/**
	 * An SMS arriving at an account number: extracts the OTP, fires sms.inbound (+ sms.otp), wakes
	 * OTP long-polls, then hands it to the number's SMS agent (AI auto-reply or relay, see callouts.js).
	 * @param {any} number account number record
	 * @param {string} from E.164 sender
	 * @param {string} body
	 * @param {{ noAiReply?: boolean }} [opts]
	 */
	function receive(number, from, body, opts = {}) {
		const otp = core.plans.otpExtractionAllowed() ? core.otp.extract(body) : null;
		const m = store({ numberId: number.id, direction: 'inbound', from, to: number.number, body, otp, status: 'received' });
		const v = view(m);
		core.emit('sms.inbound', v);
		if (otp) core.emit('sms.otp', { ...v, otp });
		core.otp.notify(m);
		m.agent = core.callouts.smsAgent(number, m, opts);
		if (m.agent.agent === 'ai') aiReply(number, m);
		if (m.agent.agent === 'relay') core.callouts.relay(number, m);
		return m;
	}

	/** @param {any} number @param {any} inbound */
	function aiReply(number, inbound) {
		const who = number.label || 'this number';
		const gist = inbound.body.length > 60 ? `${inbound.body.slice(0, 57)}...` : inbound.body;
		const text = `Thanks for your message to ${who}! This is an automated assistant. We received "${gist}" and will follow up shortly.`;
		const reply = sendFrom(number, inbound.from, text, { aiReply: true });
		core.emit('sms.ai_reply', { numberId: number.id, message: view(reply) });
	}

	/**
	 * @param {any} number sender (account number)
	 * @param {string} to
	 * @param {string} body
	 * @param {{ aiReply?: boolean }} [opts]
	 */
	function sendFrom(number, to, body, opts = {}) {
		const m = store({ numberId: number.id, direction: 'outbound', from: number.number, to, body, status: 'sent', aiReply: !!opts.aiReply });
		const target = core.numbers.findByE164(to);
		if (target) receive(target, number.number, body, { noAiReply: !!opts.aiReply });
		return m;
	}

	/** Control/in-process: inject an inbound SMS. @param {{ to: string, from: string, body: string }} input */
	function inject(input) {
		const c = new Checker(input);
		c.string('to', { required: true, min: 1 });
		c.e164('from', { required: true });
		c.string('body', { required: true, min: 1, max: 1600 });
		c.throwIfAny();
		const number = core.numbers.resolve(input.to);
		return view(receive(number, input.from, input.body));
	}

	/** Control: an inbound SMS to one number, with who answered it. @param {string} numberId @param {{ from: string, body: string }} input */
	function simulate(numberId, input) {
		const number = core.numbers.byId(numberId);
		const v = inject({ ...input, to: number.id });
		const m = st().messages.get(v.id);
		return { message: v, conversationId: m.conversationId, agent: m.agent.agent, reason: m.agent.reason };
	}

	const routes = [
		{
			method: 'POST',
			path: '/v1/sms/send',
			handler: (/** @type {any} */ ctx) => {
				requireObjectBody(ctx.body);
				const c = new Checker(ctx.body);
				c.string('from', { required: true, min: 1 });
				c.e164('to', { required: true });
				c.string('body', { required: true, min: 1, max: 1600 });
				c.throwIfAny();
				const number = core.numbers.resolve(ctx.body.from);
				core.plans.checkSmsSend();
				const m = sendFrom(number, ctx.body.to, ctx.body.body);
				const body = core.config.smsSendReply === 'minimal' ? { id: m.id, status: m.status } : view(m);
				return { status: core.config.createStatus, body };
			},
		},
		{
			method: 'GET',
			path: '/v1/sms/inbox/:numberId',
			handler: (/** @type {any} */ ctx) => {
				const number = core.numbers.byId(ctx.params.numberId);
				const otpOnly = ctx.query.otpOnly === 'true' || ctx.query.otpOnly === '1';
				const items = [...st().messages.values()].filter(
					(m) => m.numberId === number.id && m.direction === 'inbound' && (!otpOnly || m.otp),
				);
				return listReply(core.config, 'inbox', items, ctx.query, view);
			},
		},
		{
			method: 'GET',
			path: '/v1/sms/:messageId',
			handler: (/** @type {any} */ ctx) => {
				const m = st().messages.get(ctx.params.messageId);
				if (!m) throw notFound('Message', ctx.params.messageId);
				return { status: 200, body: view(m) };
			},
		},
	];

	return { routes, view, receive, inject, simulate, sendFrom, E164 };
}

module.exports = { createSms };
