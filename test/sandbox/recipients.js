// @ts-check
'use strict';

const { Checker } = require('./validate');

/**
 * Scripted recipients: people outside the account who answer texts. "The person at +1… answers
 * YES 3 s after a text reaches them": every SMS sent to that number (from an account number)
 * gets the scripted answers, each `afterMs` after the text, sent back to the number that texted
 * (as an inbound SMS there, with its `sms.inbound` event). Real milliseconds, not `timeScale`.
 */

/** @param {any} core */
function createRecipients(core) {
	/** @type {Map<string, { replies: Array<{ body: string, afterMs: number }>, times: number | null, answered: number }>} */
	const scripts = new Map();

	/**
	 * @param {{ phone: string, reply?: string, afterMs?: number, replies?: Array<{ body: string, afterMs?: number }>, times?: number | null }} input
	 * `replies` (several answers per text) or `reply` + `afterMs`; `times` = how many texts get answers (default all).
	 */
	function script(input) {
		const c = new Checker(input || {});
		c.e164('phone', { required: true });
		c.throwIfAny();
		const replies = (input.replies || [{ body: String(input.reply ?? ''), afterMs: input.afterMs }]).map((r) => ({
			body: String(r.body ?? ''),
			afterMs: Math.max(0, Number(r.afterMs ?? 3000)),
		}));
		if (!replies.length || replies.some((r) => r.body === '')) {
			const bad = new Checker({});
			bad.fail('reply', 'give the answer text (reply or replies[].body)');
			bad.throwIfAny();
		}
		const entry = { replies, times: input.times == null ? null : Number(input.times), answered: 0 };
		scripts.set(input.phone, entry);
		return { phone: input.phone, replies, times: entry.times };
	}

	/** Called by sms.js for every SMS an account number sends. @param {any} number sender @param {any} message */
	function onSent(number, message) {
		const entry = scripts.get(message.to);
		if (!entry || (entry.times !== null && entry.answered >= entry.times)) return;
		entry.answered++;
		for (const reply of entry.replies) {
			core.scheduler.after(reply.afterMs, () => {
				if (core.state.numbers.get(number.id)) core.sms.receive(number, message.to, reply.body);
			});
		}
	}

	function clear() {
		scripts.clear();
	}

	return { script, onSent, clear, list: () => [...scripts].map(([phone, s]) => ({ phone, ...s })) };
}

module.exports = { createRecipients };
