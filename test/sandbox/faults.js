// @ts-check
'use strict';

const { matchPath } = require('./router');

/**
 * Fault injection per route: `{ method?: 'GET'|…|'*', path: '/v1/sms/send' | '/v1/calls/:id' | '/v1/*',
 * status?: 500|503|…, code?, message?, slowMs?, brokenJson?, times? }`.
 * `status` answers with an error body without running the handler; `slowMs` delays the request;
 * `brokenJson` runs the handler and garbles the JSON reply; `times` limits how often it fires.
 */

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
	const known = ['method', 'path', 'status', 'code', 'message', 'slowMs', 'brokenJson', 'times'];
	const unknown = Object.keys(f).filter((k) => !known.includes(k));
	if (unknown.length) return `unknown field(s) ${unknown.join(', ')}`;
	if (typeof f.path !== 'string' || !f.path.startsWith('/')) return 'path must be a string starting with /';
	if (f.method !== undefined && (typeof f.method !== 'string' || !/^([A-Z]+|\*)$/.test(f.method))) return 'method must be an upper-case HTTP method or *';
	if (f.status !== undefined && !(Number.isInteger(f.status) && f.status >= 400 && f.status <= 599)) return 'status must be an integer 400-599';
	if (f.code !== undefined && typeof f.code !== 'string') return 'code must be a string';
	if (f.message !== undefined && typeof f.message !== 'string') return 'message must be a string';
	if (f.slowMs !== undefined && !(Number.isInteger(f.slowMs) && f.slowMs >= 0)) return 'slowMs must be an integer >= 0';
	if (f.brokenJson !== undefined && typeof f.brokenJson !== 'boolean') return 'brokenJson must be a boolean';
	if (f.times !== undefined && !(Number.isInteger(f.times) && f.times >= 1)) return 'times must be an integer >= 1';
	if (f.status === undefined && f.slowMs === undefined && !f.brokenJson) return 'needs at least one of status, slowMs, brokenJson';
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

module.exports = { checkFaults, takeFault, breakJson };
