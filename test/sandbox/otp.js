// @ts-check
'use strict';

const { ApiError, validationError } = require('./errors');

/**
 * OTP extraction and the long-poll `GET /v1/sms/otp/:numberId?timeout=ms`.
 * Waiting requests are parked per number and woken by `notify()` when an inbound SMS with a code
 * arrives (no polling). Window, timeout and timeout-reply follow the otp* settings (§12.1).
 */

/** @param {any} core */
function createOtp(core) {
	/** @type {Map<string, Set<{ resolve: (r: any) => void, reject: (e: any) => void, timer: any }>>} */
	const waiters = new Map();

	/** First match of config.otpRegex (group 1 if present). @param {string} body @returns {string | null} */
	function extract(body) {
		const m = new RegExp(core.config.otpRegex).exec(body);
		if (!m) return null;
		return m[1] !== undefined ? m[1] : m[0];
	}

	/** @param {Record<string, string>} query */
	function parseTimeout(query) {
		const cfg = core.config;
		if (query.timeout === undefined || query.timeout === '') return cfg.otpDefaultTimeoutMs;
		if (!/^\d+$/.test(query.timeout)) throw validationError([{ field: 'timeout', message: 'must be a non-negative integer (milliseconds)' }]);
		const ms = Number(query.timeout);
		if (ms > cfg.otpMaxTimeoutMs) {
			if (cfg.otpTimeoutOverMax === 'reject') {
				throw validationError([{ field: 'timeout', message: `must be at most ${cfg.otpMaxTimeoutMs}` }]);
			}
			return cfg.otpMaxTimeoutMs;
		}
		return ms;
	}

	/** A code that answers at once, per config.otpWindow. @param {string} numberId */
	function immediate(numberId) {
		const cfg = core.config;
		if (cfg.otpWindow === 'after_request') return null;
		let newest = null;
		for (const m of core.state.messages.values()) {
			if (m.numberId === numberId && m.direction === 'inbound' && m.otp && (!newest || m.seq > newest.seq)) newest = m;
		}
		if (!newest) return null;
		if (cfg.otpWindow === 'newest') return newest;
		const fresh = Date.now() - newest.createdMs <= cfg.otpRecentWindowMs;
		return !newest.otpReturned && fresh ? newest : null;
	}

	/** @param {any} m */
	function success(m) {
		m.otpReturned = true;
		return { status: 200, body: { otp: m.otp, message: core.sms.view(m) } };
	}

	/** @param {number} ms @returns {{ status: number, body?: any } | ApiError} */
	function timeoutReply(ms) {
		switch (core.config.otpTimeoutReply) {
			case '204':
				return { status: 204 };
			case '408':
				return new ApiError(408, 'otp_timeout', `No OTP code arrived within ${ms} ms`);
			case '404':
				return new ApiError(404, 'not_found', `No OTP code received within ${ms} ms`);
			default:
				return { status: 200, body: { otp: null, message: null } };
		}
	}

	/** Wakes every request waiting on the message's number. @param {any} m */
	function notify(m) {
		if (!m.otp) return;
		const set = waiters.get(m.numberId);
		if (!set || set.size === 0) return;
		waiters.delete(m.numberId);
		const reply = success(m);
		for (const w of set) {
			core.scheduler.cancel(w.timer);
			w.resolve(reply);
		}
	}

	/** Ends the waits of one number (e.g. released) or of all numbers, with the timeout reply. @param {string} [numberId] */
	function endWaits(numberId) {
		for (const [id, set] of [...waiters]) {
			if (numberId && id !== numberId) continue;
			waiters.delete(id);
			for (const w of set) {
				core.scheduler.cancel(w.timer);
				const r = timeoutReply(0);
				if (r instanceof ApiError) w.reject(r);
				else w.resolve(r);
			}
		}
	}

	const routes = [
		{
			method: 'GET',
			path: '/v1/sms/otp/:numberId',
			handler: (/** @type {any} */ ctx) => {
				const number = core.numbers.byId(ctx.params.numberId);
				const ms = parseTimeout(ctx.query);
				core.plans.checkOtpEndpoint();
				const found = immediate(number.id);
				if (found) return success(found);
				if (ms === 0) {
					const r = timeoutReply(ms);
					if (r instanceof ApiError) throw r;
					return r;
				}
				return new Promise((resolve, reject) => {
					const w = { resolve, reject, timer: /** @type {any} */ (null) };
					const set = waiters.get(number.id) || new Set();
					waiters.set(number.id, set);
					set.add(w);
					const drop = () => {
						set.delete(w);
						if (set.size === 0 && waiters.get(number.id) === set) waiters.delete(number.id);
					};
					w.timer = core.scheduler.after(ms, () => {
						drop();
						const r = timeoutReply(ms);
						if (r instanceof ApiError) reject(r);
						else resolve(r);
					});
					ctx.onAbort(() => {
						core.scheduler.cancel(w.timer);
						drop();
					});
				});
			},
		},
	];

	return {
		routes,
		extract,
		notify,
		cancelNumber: (/** @type {string} */ id) => endWaits(id),
		closeAll: () => endWaits(),
		get waiting() {
			let n = 0;
			for (const s of waiters.values()) n += s.size;
			return n;
		},
	};
}

module.exports = { createOtp };
