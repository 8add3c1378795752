// @ts-check
'use strict';

const { ApiError } = require('./errors');

/**
 * Fixed-window rate limit per API key: a window opens at the key's first request and lasts
 * rateLimitWindowMs; rateLimitGlobal requests per window on every authenticated route, and
 * rateLimitAiCalls on top of that for `POST /v1/calls/ai`. 429 `rate_limited` + `Retry-After`
 * (seconds until the window closes; omitted when rateLimitRetryAfter is false).
 * @param {any} core
 * @param {string} key
 * @param {boolean} aiRoute
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
	if (!overGlobal && !overAi) return;
	const secs = Math.max(1, Math.ceil((w.start + cfg.rateLimitWindowMs - now) / 1000));
	const limit = overGlobal ? `${cfg.rateLimitGlobal} requests` : `${cfg.rateLimitAiCalls} AI call requests`;
	const headers = cfg.rateLimitRetryAfter ? { 'Retry-After': String(secs) } : undefined;
	throw new ApiError(429, 'rate_limited', `Rate limit exceeded: ${limit} per ${cfg.rateLimitWindowMs / 1000} s. Retry in ${secs} s.`, { headers });
}

module.exports = { checkRateLimit };
