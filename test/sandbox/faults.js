// @ts-check
'use strict';

const { matchPath } = require('./router');

/**
 * Fault injection per route: `{ method?: 'GET'|…|'*', path: '/v1/sms/send' | '/v1/calls/:id' | '/v1/*',
 * status?: 500|503|…, code?, message?, slowMs?, brokenJson?, reply?, reset?, times? }`.
 * `status` answers with an error body without running the handler; `slowMs` delays the request;
 * `brokenJson` runs the handler and garbles the JSON reply; `reply` answers 200 with something
 * that is not AgentCall's JSON (see REPLIES); `reset` drops the connection without an answer,
 * `before` the handler runs (nothing happened) or `after` it (the action happened, its answer is
 * lost); `times` limits how often it fires.
 */

/**
 * Bad 200 answers. `html` and `text` stand for a website or a proxy answering instead of the API
 * (the handler does not run; `message` replaces the text); `object` is JSON that is not the
 * route's answer (a health check); `truncated` runs the handler and cuts its JSON in half.
 */
const REPLIES = ['html', 'text', 'object', 'truncated'];
const RESETS = ['before', 'after'];

/** @param {any} list @returns {string | null} */
function checkFaults(list) {
	if (!Array.isArray(list)) return 'must be an array of faults';
	for (const [i, f] of list.entries()) {
		const p = checkFault(f);
		if (p) return `[${i}] ${p}`;
	}
	return null;
}

/** @param {any} f @returns {string | null} */
function checkFault(f) {
	if (!f || typeof f !== 'object' || Array.isArray(f)) return 'must be an object';
	const known = ['method', 'path', 'status', 'code', 'message', 'slowMs', 'brokenJson', 'reply', 'reset', 'times'];
	const unknown = Object.keys(f).filter((k) => !known.includes(k));
	if (unknown.length) return `unknown field(s) ${unknown.join(', ')}`;
	if (typeof f.path !== 'string' || !f.path.startsWith('/')) return 'path must be a string starting with /';
	if (f.method !== undefined && (typeof f.method !== 'string' || !/^([A-Z]+|\*)$/.test(f.method))) return 'method must be an upper-case HTTP method or *';
	if (f.status !== undefined && !(Number.isInteger(f.status) && f.status >= 400 && f.status <= 599)) return 'status must be an integer 400-599';
	if (f.code !== undefined && typeof f.code !== 'string') return 'code must be a string';
	if (f.message !== undefined && typeof f.message !== 'string') return 'message must be a string';
	if (f.slowMs !== undefined && !(Number.isInteger(f.slowMs) && f.slowMs >= 0)) return 'slowMs must be an integer >= 0';
	if (f.brokenJson !== undefined && typeof f.brokenJson !== 'boolean') return 'brokenJson must be a boolean';
	if (f.reply !== undefined && !REPLIES.includes(f.reply)) return `reply must be one of ${REPLIES.join(', ')}`;
	if (f.reset !== undefined && !RESETS.includes(f.reset)) return `reset must be one of ${RESETS.join(', ')}`;
	if (f.times !== undefined && !(Number.isInteger(f.times) && f.times >= 1)) return 'times must be an integer >= 1';
	if (f.status === undefined && f.slowMs === undefined && !f.brokenJson && !f.reply && !f.reset) {
		return 'needs at least one of status, slowMs, brokenJson, reply, reset';
	}
	return null;
}

/** Default error code of an injected status. @param {number} status @param {string} method @param {string} path */
function defaultCode(status, method, path) {
	if (status === 503 && method === 'POST' && path === '/v1/calls/ai') return 'voice_ai_unavailable';
	if (status === 429) return 'rate_limited';
	if (status >= 500) return status === 503 ? 'service_unavailable' : 'internal';
	return 'fault_injected';
}

/**
 * Finds the first fault matching the request and consumes one of its `times`.
 * @param {any} core
 * @param {string} method
 * @param {string} path normalised
 */
function takeFault(core, method, path) {
	const faults = core.config.faults;
	for (let i = 0; i < faults.length; i++) {
		const f = faults[i];
		if (f.method && f.method !== '*' && f.method !== method) continue;
		if (!matchPath(f.path, path)) continue;
		if (f.times !== undefined) {
			const rest = [...faults];
			if (f.times <= 1) rest.splice(i, 1);
			else rest[i] = { ...f, times: f.times - 1 };
			core.setConfig({ faults: rest });
		}
		return {
			...f,
			code: f.code || (f.status ? defaultCode(f.status, method, path) : undefined),
			message: f.message || (f.status ? `Injected fault: ${f.status} on ${method} ${path}` : undefined),
		};
	}
	return null;
}

/** A reply body that is not valid JSON. @param {string} json */
function breakJson(json) {
	return `${json.slice(0, Math.max(1, Math.floor(json.length / 2)))}<!-- upstream error`;
}

/** The first half of a JSON reply, as a connection cut short by a proxy leaves it. @param {string} json */
function truncateJson(json) {
	return json.slice(0, Math.max(1, Math.floor(json.length / 2)));
}

/**
 * The 200 a `reply` fault sends instead of the route's answer; null for `truncated`, which needs
 * the handler's reply first.
 * @param {any} fault
 * @returns {{ status: number, raw: Buffer, contentType: string } | null}
 */
function badReply(fault) {
	/** @param {string} text @param {string} contentType */
	const reply = (text, contentType) => ({ status: 200, raw: Buffer.from(text, 'utf8'), contentType });
	if (fault.reply === 'html') {
		const text = fault.message || 'Welcome to AgentCall';
		return reply(`<!DOCTYPE html>\n<html lang="en"><head><title>AgentCall</title></head><body><h1>${text}</h1></body></html>\n`, 'text/html; charset=utf-8');
	}
	if (fault.reply === 'text') return reply(fault.message || 'OK', 'text/plain; charset=utf-8');
	if (fault.reply === 'object') return reply(JSON.stringify({ status: 'ok', service: 'gateway' }), 'application/json; charset=utf-8');
	return null;
}

module.exports = { checkFaults, takeFault, breakJson, truncateJson, badReply };
