// @ts-check
'use strict';

/**
 * Sandbox settings: every row of §12.1 of /work/shared/agentcall-api.md is a named setting here.
 * Defaults follow the reference; `validateConfig` rejects unknown keys and bad values.
 */

/** @typedef {'data'|'numbers'|'messages'|'calls'|'bare'} ListWrapper */

const WRAPPERS = ['data', 'numbers', 'messages', 'calls', 'conversations', 'bare'];

/** @type {Record<string, any>} */
const DEFAULTS = Object.freeze({
	// --- auth & plan
	apiKeys: [], // extra valid keys besides the main one
	plan: 'pro', // 'pro' | 'free' | 'pro_no_card'
	upgradeUrl: 'https://www.agentcall.co/pricing',
	setupUrl: 'https://checkout.stripe.com/c/pay/cs_test_agentcall_sandbox',
	publicBaseUrl: null, // base of recording/sample URLs; null = the server's own URL
	// --- ids, lists, replies
	idFormat: 'cuid', // 'cuid' | 'prefixed'
	listWrappers: Object.freeze({ numbers: 'numbers', calls: 'data', webhooks: 'data', inbox: 'messages', conversations: 'data' }),
	listLimitDefault: 20,
	listLimitMax: 100,
	listLimitOverMax: 'clamp', // 'clamp' | 'reject'
	pagination: 'none', // 'none' | 'cursor'
	cursorField: 'nextCursor',
	listOrder: 'newest', // 'newest' | 'oldest'
	createStatus: 200, // 200 | 201
	deleteReply: '204', // '204' | '200'
	releasedNumber: '404', // '404' | '200'
	// --- messages & OTP
	messageTimestamps: 'both', // 'both' | 'createdAt' | 'receivedAt'
	messageOtpField: true,
	smsSendReply: 'full', // 'full' | 'minimal'
	otpRegex: '\\b(\\d{4,8})\\b',
	otpTimeoutReply: 'null', // 'null' (200 {otp:null,message:null}) | '204' | '408' | '404'
	otpWindow: 'recent', // 'recent' | 'after_request' | 'newest'
	otpRecentWindowMs: 600000,
	otpDefaultTimeoutMs: 60000,
	otpMaxTimeoutMs: 60000,
	otpTimeoutOverMax: 'clamp', // 'clamp' | 'reject'
	// --- calls
	callReply: 'full', // 'full' | 'minimal'
	timeScale: 1,
	clockRingingMs: 1000, // initiated -> ringing
	clockInProgressMs: 2000, // ringing -> in-progress (also -> busy / no_answer)
	clockCompletedMs: 5000, // in-progress -> completed (the simulated talk time)
	inProgressStatus: 'in-progress', // 'in-progress' | 'answered'
	hangupEnded: 'idempotent', // 'idempotent' | '409'
	transcriptShape: 'live', // 'live' | 'documented'
	transcriptNotReady: '404', // '404' | '202'
	aiRole: 'ai', // 'ai' | 'assistant'
	reportDelayMs: 5000, // after completion (scaled by timeScale)
	reportField: 'report', // 'report' | 'payload' | 'both'
	recordingUrlField: 'recordingUrl', // 'recordingUrl' | 'url' | 'signedUrl'
	recordingUrlTtlSecs: 3600,
	recordingWebhookUrlTtlSecs: 86400,
	// --- inbound AI config, conversations, call-outs (issue 12)
	inboundSecretNesting: 'inside', // 'inside' (block.hasSigningSecret) | 'flat' (config.<block>HasSigningSecret)
	inboundConfigUnset: 'null', // GET inbound-config of an unconfigured number: 'null' (config: null) | 'absent' (no config key)
	conversationPagination: 'cursor', // 'cursor' | 'none' | 'global' (follow `pagination`)
	calloutToolTimeoutMs: 8000, // budget of a tool call-out (AgentCall: 8 s at most); lower it for tests
	// --- webhooks & delivery
	webhookExtraFields: false,
	webhookDuplicates: 'allow', // 'allow' | 'reject'
	rotateGraceMs: 0,
	webhookBody: 'envelope', // 'envelope' | 'root'
	eventHeader: false,
	deliveryTimeoutMs: 5000,
	deliveryRetries: 5,
	deliveryBackoffMs: Object.freeze([1000, 2000, 4000, 8000, 16000]),
	deliveryBackoffScale: 1,
	deliveryRestamp: false,
	// --- errors
	errorLinks: 'inside', // 'inside' | 'top'
	errorMessage: true,
	validationStatus: 422, // 422 | 400
	validationDetails: 'list', // 'list' | 'map' | 'none'
	// --- rate limit & faults
	rateLimitWindowMs: 60000,
	rateLimitGlobal: 100,
	rateLimitAiCalls: 10,
	rateLimitRetryAfter: true,
	rateLimitHeaders: false, // X-RateLimit-Limit/Remaining/Reset on counted answers (a variant)
	faults: Object.freeze([]),
	// --- housekeeping
	requestLogMax: 2000,
	deliveryLogMax: 2000,
});

/** @typedef {(v: any) => string | null} Check */

/** @param {...any} values @returns {Check} */
const oneOf = (...values) => (v) => (values.includes(v) ? null : `must be one of ${values.map((x) => JSON.stringify(x)).join(', ')}`);
/** @param {number} min @param {number} [max] @returns {Check} */
const int = (min, max = Number.MAX_SAFE_INTEGER) => (v) =>
	Number.isInteger(v) && v >= min && v <= max ? null : `must be an integer between ${min} and ${max}`;
/** @param {number} min @returns {Check} */
const num = (min) => (v) => (typeof v === 'number' && Number.isFinite(v) && v >= min ? null : `must be a number >= ${min}`);
/** @type {Check} */
const bool = (v) => (typeof v === 'boolean' ? null : 'must be a boolean');
/** @type {Check} */
const str = (v) => (typeof v === 'string' && v.length > 0 ? null : 'must be a non-empty string');
/** @type {Check} */
const url = (v) => {
	if (typeof v !== 'string') return 'must be a URL string';
	try {
		new URL(v);
		return null;
	} catch {
		return 'must be a valid URL';
	}
};

/** @type {Record<string, Check>} */
const CHECKS = {
	apiKeys: (v) => (Array.isArray(v) && v.every((k) => typeof k === 'string' && k.length > 0) ? null : 'must be an array of non-empty strings'),
	plan: oneOf('pro', 'free', 'pro_no_card'),
	upgradeUrl: url,
	setupUrl: url,
	publicBaseUrl: (v) => (v === null ? null : url(v)),
	idFormat: oneOf('cuid', 'prefixed'),
	listWrappers: (v) => {
		if (!v || typeof v !== 'object' || Array.isArray(v)) return 'must be an object';
		for (const [k, w] of Object.entries(v)) {
			if (!['numbers', 'calls', 'webhooks', 'inbox', 'conversations'].includes(k)) return `unknown list "${k}" (numbers, calls, webhooks, inbox, conversations)`;
			if (!WRAPPERS.includes(w)) return `${k} must be one of ${WRAPPERS.join(', ')}`;
		}
		return null;
	},
	listLimitDefault: int(1, 10000),
	listLimitMax: int(1, 10000),
	listLimitOverMax: oneOf('clamp', 'reject'),
	pagination: oneOf('none', 'cursor'),
	cursorField: str,
	listOrder: oneOf('newest', 'oldest'),
	createStatus: oneOf(200, 201),
	deleteReply: oneOf('204', '200'),
	releasedNumber: oneOf('404', '200'),
	messageTimestamps: oneOf('both', 'createdAt', 'receivedAt'),
	messageOtpField: bool,
	smsSendReply: oneOf('full', 'minimal'),
	otpRegex: (v) => {
		if (typeof v !== 'string' || !v) return 'must be a regular expression source string';
		try {
			new RegExp(v);
			return null;
		} catch (e) {
			return `is not a valid regular expression (${e.message})`;
		}
	},
	otpTimeoutReply: oneOf('null', '204', '408', '404'),
	otpWindow: oneOf('recent', 'after_request', 'newest'),
	otpRecentWindowMs: int(0),
	otpDefaultTimeoutMs: int(0),
	otpMaxTimeoutMs: int(0),
	otpTimeoutOverMax: oneOf('clamp', 'reject'),
	callReply: oneOf('full', 'minimal'),
	timeScale: (v) => (typeof v === 'number' && v > 0 && Number.isFinite(v) ? null : 'must be a number > 0'),
	clockRingingMs: int(0),
	clockInProgressMs: int(0),
	clockCompletedMs: int(0),
	inProgressStatus: oneOf('in-progress', 'answered'),
	hangupEnded: oneOf('idempotent', '409'),
	transcriptShape: oneOf('live', 'documented'),
	transcriptNotReady: oneOf('404', '202'),
	aiRole: oneOf('ai', 'assistant'),
	reportDelayMs: int(0),
	reportField: oneOf('report', 'payload', 'both'),
	recordingUrlField: oneOf('recordingUrl', 'url', 'signedUrl'),
	recordingUrlTtlSecs: int(1),
	recordingWebhookUrlTtlSecs: int(1),
	inboundSecretNesting: oneOf('inside', 'flat'),
	inboundConfigUnset: oneOf('null', 'absent'),
	conversationPagination: oneOf('cursor', 'none', 'global'),
	calloutToolTimeoutMs: int(1, 8000),
	webhookExtraFields: bool,
	webhookDuplicates: oneOf('allow', 'reject'),
	rotateGraceMs: int(0),
	webhookBody: oneOf('envelope', 'root'),
	eventHeader: bool,
	deliveryTimeoutMs: int(1),
	deliveryRetries: int(0, 50),
	deliveryBackoffMs: (v) => (Array.isArray(v) && v.length > 0 && v.every((x) => Number.isInteger(x) && x >= 0) ? null : 'must be a non-empty array of integers >= 0'),
	deliveryBackoffScale: num(0),
	deliveryRestamp: bool,
	errorLinks: oneOf('inside', 'top'),
	errorMessage: bool,
	validationStatus: oneOf(422, 400),
	validationDetails: oneOf('list', 'map', 'none'),
	rateLimitWindowMs: int(1),
	rateLimitGlobal: int(0),
	rateLimitAiCalls: int(0),
	rateLimitRetryAfter: bool,
	rateLimitHeaders: bool,
	faults: (v) => require('./faults').checkFaults(v),
	requestLogMax: int(1),
	deliveryLogMax: int(1),
};

class ConfigError extends Error {
	/** @param {Array<{field: string, message: string}>} details */
	constructor(details) {
		super(`Invalid sandbox config: ${details.map((d) => `${d.field} ${d.message}`).join('; ')}`);
		this.details = details;
	}
}

/**
 * Merges `partial` into `base` (listWrappers is merged key by key) after validating every key.
 * @param {Record<string, any>} base
 * @param {Record<string, any> | undefined | null} partial
 * @returns {Record<string, any>} a new frozen config
 */
function mergeConfig(base, partial) {
	if (partial === undefined || partial === null) return base;
	if (typeof partial !== 'object' || Array.isArray(partial)) throw new ConfigError([{ field: '(config)', message: 'must be an object' }]);
	/** @type {Array<{field: string, message: string}>} */
	const details = [];
	for (const [key, value] of Object.entries(partial)) {
		const check = CHECKS[key];
		if (!check) {
			details.push({ field: key, message: 'is not a sandbox setting' });
			continue;
		}
		const problem = check(value);
		if (problem) details.push({ field: key, message: problem });
	}
	if (details.length) throw new ConfigError(details);
	const next = { ...base, ...partial };
	if (partial.listWrappers) next.listWrappers = Object.freeze({ ...base.listWrappers, ...partial.listWrappers });
	return Object.freeze(next);
}

/** @param {Record<string, any>} [partial] */
function createConfig(partial) {
	return mergeConfig(DEFAULTS, partial || {});
}

module.exports = { DEFAULTS, CHECKS, ConfigError, mergeConfig, createConfig };
