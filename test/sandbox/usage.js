// @ts-check
'use strict';

const { validationError } = require('./errors');
const { periodOf } = require('./state');
const { PRICES } = require('./catalog');

/**
 * `GET /v1/usage?period=YYYY-MM`, computed from the account's activity in that UTC month:
 *  numbers   { count, cost }  every number active at some point of the month, full monthly fee
 *  sms       { count, sent, received, cost }
 *  voice     { minutes, outboundMinutes, inboundMinutes, cost }  plain legs, per call ceil(duration/60)
 *  voiceAi   { minutes, cost }  AI legs (outbound AI calls and inbound-AI answered calls)
 *  recording { minutes, cost }  recorded legs
 *  total     number (USD)
 */

/** @param {number} x */
const money = (x) => Math.round(x * 10000) / 10000;

/** @param {string} period */
function bounds(period) {
	const [y, m] = period.split('-').map(Number);
	return { start: Date.UTC(y, m - 1, 1), end: Date.UTC(y, m, 1) };
}

/** @param {any} state @param {string} period */
function computeUsage(state, period) {
	const { start, end } = bounds(period);
	const numbers = { count: 0, cost: 0 };
	for (const n of state.numbers.values()) {
		if (n.createdMs < end && (n.releasedMs === null || n.releasedMs >= start)) {
			numbers.count += 1;
			numbers.cost += PRICES.number[/** @type {'local'} */ (n.type)];
		}
	}
	const sms = { count: 0, sent: 0, received: 0, cost: 0 };
	for (const m of state.messages.values()) {
		if (periodOf(m.createdMs) !== period) continue;
		sms.count += 1;
		if (m.direction === 'outbound') {
			sms.sent += 1;
			sms.cost += PRICES.smsOut;
		} else {
			sms.received += 1;
			sms.cost += PRICES.smsIn;
		}
	}
	const voice = { minutes: 0, outboundMinutes: 0, inboundMinutes: 0, cost: 0 };
	const voiceAi = { minutes: 0, cost: 0 };
	const recording = { minutes: 0, cost: 0 };
	for (const c of state.calls.values()) {
		if (periodOf(c.createdMs) !== period || !c.duration) continue;
		const min = Math.ceil(c.duration / 60);
		if (c.mode === 'ai') {
			voiceAi.minutes += min;
			voiceAi.cost += min * PRICES.voiceAi;
		} else if (c.direction === 'outbound') {
			voice.outboundMinutes += min;
			voice.cost += min * PRICES.voiceOut;
		} else {
			voice.inboundMinutes += min;
			voice.cost += min * PRICES.voiceIn;
		}
		if (c.record) {
			recording.minutes += min;
			recording.cost += min * PRICES.recording;
		}
	}
	voice.minutes = voice.outboundMinutes + voice.inboundMinutes;
	for (const o of [numbers, sms, voice, voiceAi, recording]) o.cost = money(o.cost);
	const total = money(numbers.cost + sms.cost + voice.cost + voiceAi.cost + recording.cost);
	return { period, currency: 'USD', breakdown: { numbers, sms, voice, voiceAi, recording }, total };
}

/** @param {any} core */
function createUsage(core) {
	const routes = [
		{
			method: 'GET',
			path: '/v1/usage',
			handler: (/** @type {any} */ ctx) => {
				const p = ctx.query.period;
				if (p !== undefined && !/^\d{4}-(0[1-9]|1[0-2])$/.test(p)) {
					throw validationError([{ field: 'period', message: 'must be a month in the form YYYY-MM' }]);
				}
				return { status: 200, body: computeUsage(core.state, p || periodOf(Date.now())) };
			},
		},
	];
	return { routes, compute: (/** @type {string} */ period) => computeUsage(core.state, period) };
}

module.exports = { createUsage, computeUsage };
