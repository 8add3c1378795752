// @ts-check
'use strict';

const { ApiError } = require('./errors');

/**
 * Fixed-window rate limit per API key: a window opens at the key's first request and lasts
 * rateLimitWindowMs; rateLimitGlobal requests per window on every authenticated route, and
 * rateLimitAiCalls on top of that for `POST /v1/calls/ai`. 429 `rate_limited` + `Retry-After`
 * (seconds until the window closes; omitted when rateLimitRetryAfter is false).
 * With rateLimitHeaders (a variant: whether AgentCall sends such headers is unknown) every
 * counted answer, 429 included, carries `X-RateLimit-Limit`, `X-RateLimit-Remaining` and
 * `X-RateLimit-Reset` (seconds until the window closes, rounded up, as @fastify/rate-limit does);
 * on the AI call route they describe the AI-call limit.
 * @param {any} core
 * @param {string} key
 * @param {boolean} aiRoute
 * @returns {Record<string, string> | undefined} headers for the answer
 */
function checkRateLimit(core, key, aiRoute) {
	const cfg = core.config;
	const now = Date.now();
	let w = core.state.rate.get(key);
	if (!w || now - w.start >= cfg.rateLimitWindowMs) {
		w = { start: now, global: 0, ai: 0 };
		core.state.rate.set(key, w);
	}
	w.global += 1;
	if (aiRoute) w.ai += 1;
	const overGlobal = w.global > cfg.rateLimitGlobal;
	const overAi = aiRoute && w.ai > cfg.rateLimitAiCalls;
	const secs = Math.max(1, Math.ceil((w.start + cfg.rateLimitWindowMs - now) / 1000));
	const [limit, used] = aiRoute ? [cfg.rateLimitAiCalls, w.ai] : [cfg.rateLimitGlobal, w.global];
	/** @type {Record<string, string> | undefined} */
	const headers = cfg.rateLimitHeaders
		? { 'X-RateLimit-Limit': String(limit), 'X-RateLimit-Remaining': String(Math.max(0, limit - used)), 'X-RateLimit-Reset': String(secs) }
		: undefined;
	if (!overGlobal && !overAi) return headers;
	const text = overGlobal ? `${cfg.rateLimitGlobal} requests` : `${cfg.rateLimitAiCalls} AI call requests`;
	const refusal = { ...headers, ...(cfg.rateLimitRetryAfter ? { 'Retry-After': String(secs) } : {}) };
	throw new ApiError(429, 'rate_limited', `Rate limit exceeded: ${text} per ${cfg.rateLimitWindowMs / 1000} s. Retry in ${secs} s.`, {
		headers: Object.keys(refusal).length ? refusal : undefined,
	});
}

module.exports = { checkRateLimit };
