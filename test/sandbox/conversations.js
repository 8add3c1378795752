// @ts-check
'use strict';

const { ApiError } = require('./errors');
const { Checker, requireObjectBody } = require('./validate');
const { listReply } = require('./lists');

/**
 * SMS conversations (§3): one thread per (account number, contact phone), built from the message
 * store as messages are stored (inbound and outbound alike).
 *   GET  /v1/sms-conversations[?numberId=&limit=&cursor=]  — most recent activity first
 *   GET  /v1/sms-conversations/:id                          — thread + last 50 messages, oldest first
 *   POST /v1/sms-conversations/:id/reply { body, idempotencyKey? } — a real SMS (inbox, demo loop,
 *        usage); same key within 24 h → the first answer again and no second SMS; 403
 *        recipient_opted_out once the contact texted STOP/UNSUBSCRIBE (START opts back in).
 */

const OPT_OUT = /^\s*(stop|unsubscribe)\s*[.!]?\s*$/i;
const OPT_IN = /^\s*(start|unstop)\s*[.!]?\s*$/i;
const THREAD_MESSAGES = 50;
const REPLAY_MS = 24 * 3600 * 1000;

/** @param {any} core */
function createConversations(core) {
	const st = () => core.state;
	const key = (/** @type {string} */ numberId, /** @type {string} */ phone) => `${numberId}\u0000${phone}`;

	/** @param {string} numberId @param {string} phone */
	function find(numberId, phone) {
		const id = st().conversationKeys.get(key(numberId, phone));
		return id ? st().conversations.get(id) : undefined;
	}

	/** Files a just-stored message into its thread; an inbound STOP/START flips the opt-out. @param {any} m */
	function track(m) {
		const phone = m.direction === 'inbound' ? m.from : m.to;
		let conv = find(m.numberId, phone);
		if (!conv) {
			conv = { id: core.newId('conversation'), seq: m.seq, numberId: m.numberId, contactPhone: phone, createdMs: m.createdMs, createdAt: m.createdAt, messageIds: [], optedOut: false, optedOutAt: null };
			st().conversations.set(conv.id, conv);
			st().conversationKeys.set(key(m.numberId, phone), conv.id);
		}
		conv.seq = m.seq; // lists order threads by their latest message
		conv.messageIds.push(m.id);
		m.conversationId = conv.id;
		if (m.direction === 'inbound' && OPT_OUT.test(m.body)) {
			conv.optedOut = true;
			conv.optedOutAt = m.createdAt;
		} else if (m.direction === 'inbound' && OPT_IN.test(m.body)) {
			conv.optedOut = false;
			conv.optedOutAt = null;
		}
		return conv;
	}

	/** Whether an inbound message is a STOP/START keyword (no AI reply, no relay). @param {string} body */
	const isKeyword = (body) => OPT_OUT.test(body) || OPT_IN.test(body);

	/** @param {string} id */
	function get(id) {
		const conv = st().conversations.get(id);
		const n = conv && st().numbers.get(conv.numberId);
		if (!conv || !n || n.status !== 'active') throw new ApiError(404, 'sms_conversation_not_found', `SMS conversation '${id}' not found`);
		return conv;
	}

	/** @param {any} m */
	const brief = (m) => ({ id: m.id, direction: m.direction, from: m.from, to: m.to, body: m.body, status: m.status, createdAt: m.createdAt });

	/** @param {any} conv */
	function view(conv) {
		const last = st().messages.get(conv.messageIds[conv.messageIds.length - 1]);
		return {
			id: conv.id,
			numberId: conv.numberId,
			number: st().numbers.get(conv.numberId).number,
			contactPhone: conv.contactPhone,
			messageCount: conv.messageIds.length,
			lastMessageAt: last.createdAt,
			lastMessage: { id: last.id, direction: last.direction, body: last.body, createdAt: last.createdAt },
			optedOut: conv.optedOut,
			optedOutAt: conv.optedOutAt,
			createdAt: conv.createdAt,
		};
	}

	/** @param {any} ctx */
	function list(ctx) {
		const q = ctx.query;
		const only = q.numberId ? core.numbers.byId(q.numberId).id : null;
		const items = [...st().conversations.values()].filter((c) => {
			const n = st().numbers.get(c.numberId);
			return n && n.status === 'active' && (!only || c.numberId === only);
		});
		const mode = core.config.conversationPagination;
		return listReply(core.config, 'conversations', items, q, view, mode === 'global' ? core.config.pagination : mode);
	}

	/** @param {any} ctx */
	function reply(ctx) {
		const conv = get(ctx.params.id);
		requireObjectBody(ctx.body);
		const c = new Checker(ctx.body);
		c.string('body', { required: true, min: 1, max: 1600 });
		c.string('idempotencyKey', { min: 1, max: 200 });
		c.throwIfAny();
		const idemKey = ctx.body.idempotencyKey ? `reply\u0000${conv.id}\u0000${ctx.body.idempotencyKey}` : null;
		const replay = idemKey && st().idempotency.get(idemKey);
		if (replay && Date.now() - replay.atMs < REPLAY_MS) {
			return { status: replay.status, body: replay.body, headers: { 'X-AgentCall-Idempotency-Replayed': 'true' } };
		}
		if (conv.optedOut) {
			throw new ApiError(403, 'recipient_opted_out', `${conv.contactPhone} opted out (texted STOP) of messages from this number`);
		}
		core.plans.checkSmsSend();
		const number = core.numbers.byId(conv.numberId);
		const m = core.sms.sendFrom(number, conv.contactPhone, ctx.body.body);
		const out = { status: core.config.createStatus, body: { status: 'sent', messageId: m.id, conversationId: conv.id, createdAt: m.createdAt } };
		if (idemKey) st().idempotency.set(idemKey, { ...JSON.parse(JSON.stringify(out)), atMs: Date.now() });
		return out;
	}

	const routes = [
		{ method: 'GET', path: '/v1/sms-conversations', handler: list },
		{
			method: 'GET',
			path: '/v1/sms-conversations/:id',
			handler: (/** @type {any} */ ctx) => {
				const conv = get(ctx.params.id);
				const messages = conv.messageIds.slice(-THREAD_MESSAGES).map((/** @type {string} */ id) => brief(st().messages.get(id)));
				return { status: 200, body: { ...view(conv), messages } };
			},
		},
		{ method: 'POST', path: '/v1/sms-conversations/:id/reply', handler: reply },
	];

	return { routes, track, find, get, isKeyword, view };
}

module.exports = { createConversations };
