// @ts-check
'use strict';

const { ApiError } = require('./errors');
const { Checker, requireObjectBody, E164 } = require('./validate');
const { VOICES, LANGUAGES, promptTemplates } = require('./catalog');

/**
 * A number's inbound AI config (§13.1) and outbound defaults (§13.3):
 *   POST|GET|DELETE /v1/numbers/:id/inbound-config  — POST replaces everything; a webhook block
 *     whose `signingSecret` is omitted keeps that block's stored secret; GET redacts secrets.
 *   POST|GET|DELETE /v1/numbers/:id/outbound-defaults — the saved agent `useSavedAgent` reads.
 * The full config (with secrets) lives on the number record as `inboundConfig`; the number's public
 * `inbound` summary is derived from it, so `GET /v1/numbers/:id` and PATCH stay in step.
 */

const BLOCKS = ['contextWebhook', 'actionWebhook', 'agentWebhook'];
const CONTEXT_SOURCES = ['none', 'agentcall_memory', 'webhook', 'merge'];
const SMS_MODES = ['off', 'ai', 'relay'];
const FIELDS = ['mode', 'systemPrompt', 'voice', 'language', 'firstMessage', 'maxDurationSecs', 'record', 'notify', 'contextWebhook', 'contextSource', 'liveTranscript', 'smsMode', 'smsSystemPrompt', 'tools', 'actionWebhook', 'agentWebhook', 'allowedSenders'];
const NOTIFY_FIELDS = ['emailTo', 'smsTo', 'businessName', 'agencyName'];
const OUTBOUND_FIELDS = ['systemPrompt', 'voice', 'language', 'firstMessage', 'maxDurationSecs', 'record', 'templateId'];
const TOOL_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const SECRET_MIN = 16;
const MAX_TOOLS = 8;
const MAX_SENDERS = 20;
const CONTEXT_TIMEOUT_MAX = 1500;
const CONTEXT_TIMEOUT_DEFAULT = 800;

/** @param {any} v */
const isObject = (v) => !!v && typeof v === 'object' && !Array.isArray(v);

/** @param {string} v */
function isHttpUrl(v) {
	try {
		const u = new URL(v);
		return u.protocol === 'http:' || u.protocol === 'https:';
	} catch {
		return false;
	}
}

/**
 * Validates one webhook block and returns it normalised with its secret (given or kept).
 * @param {Checker} c @param {string} name @param {any} block @param {any} stored the stored block or null
 */
function webhookBlock(c, name, block, stored) {
	if (!isObject(block)) return c.fail(name, 'must be an object { url, signingSecret }');
	for (const k of Object.keys(block)) {
		// hasSigningSecret comes back from GET; accepting it lets a client post a read config back unchanged
		if (!['url', 'signingSecret', 'hasSigningSecret', ...(name === 'contextWebhook' ? ['timeoutMs'] : [])].includes(k)) c.fail(`${name}.${k}`, 'is not a known field');
	}
	if (typeof block.url !== 'string' || !isHttpUrl(block.url)) c.fail(`${name}.url`, 'must be an http(s) URL');
	let secret = block.signingSecret;
	if (secret === undefined || secret === null) {
		secret = stored ? stored.signingSecret : null;
		if (!secret) c.fail(`${name}.signingSecret`, `is required (no stored secret to keep; at least ${SECRET_MIN} characters)`);
	} else if (typeof secret !== 'string' || secret.length < SECRET_MIN) {
		c.fail(`${name}.signingSecret`, `must be a string of at least ${SECRET_MIN} characters`);
	}
	/** @type {Record<string, any>} */
	const out = { url: block.url, signingSecret: secret };
	if (name === 'contextWebhook') {
		const t = block.timeoutMs;
		if (t !== undefined && t !== null && (!Number.isInteger(t) || t < 1 || t > CONTEXT_TIMEOUT_MAX)) {
			c.fail(`${name}.timeoutMs`, `must be an integer between 1 and ${CONTEXT_TIMEOUT_MAX}`);
		}
		out.timeoutMs = t ?? CONTEXT_TIMEOUT_DEFAULT;
	}
	return out;
}

/** @param {Checker} c @param {any} tools */
function checkTools(c, tools) {
	if (!Array.isArray(tools)) return c.fail('tools', 'must be an array');
	if (tools.length > MAX_TOOLS) c.fail('tools', `must have at most ${MAX_TOOLS} tools (got ${tools.length})`);
	const seen = new Set();
	tools.forEach((t, i) => {
		if (!isObject(t)) return c.fail(`tools[${i}]`, 'must be an object { name, description, parameters }');
		if (typeof t.name !== 'string' || !TOOL_NAME.test(t.name)) c.fail(`tools[${i}].name`, 'must be 1-64 letters, digits, _ or -');
		else if (seen.has(t.name)) c.fail(`tools[${i}].name`, `duplicate tool name "${t.name}"`);
		seen.add(t.name);
		if (t.description !== undefined && typeof t.description !== 'string') c.fail(`tools[${i}].description`, 'must be a string');
		if (t.parameters !== undefined && !isObject(t.parameters)) c.fail(`tools[${i}].parameters`, 'must be a JSON Schema object');
	});
}

/** @param {Checker} c @param {any} notify */
function checkNotify(c, notify) {
	if (!isObject(notify)) return c.fail('notify', 'must be an object');
	for (const k of Object.keys(notify)) if (!NOTIFY_FIELDS.includes(k)) c.fail(`notify.${k}`, 'is not a known field');
	const n = new Checker(notify);
	n.string('emailTo', { min: 3, max: 254 });
	if (typeof notify.emailTo === 'string' && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(notify.emailTo)) n.fail('emailTo', 'must be an email address');
	n.e164('smsTo');
	n.string('businessName', { max: 100 });
	n.string('agencyName', { max: 100 });
	for (const d of n.details) c.fail(`notify.${d.field}`, d.message);
}

/**
 * Validates a full inbound-config body against the stored config (for kept secrets) and returns
 * the normalised config to store.
 * @param {any} body @param {any} stored
 */
function normaliseInbound(body, stored, lenient = false) {
	const c = new Checker(body);
	for (const k of Object.keys(body)) {
		// `<block>HasSigningSecret` is what GET shows with inboundSecretNesting "flat"; ignored like the nested flag
		if (!FIELDS.includes(k) && !BLOCKS.some((b) => k === `${b}HasSigningSecret`)) c.fail(k, 'is not a known inbound-config field');
	}
	c.oneOf('mode', ['ai'], { required: !lenient });
	c.string('systemPrompt', { required: !lenient, min: 1 });
	c.oneOf('voice', VOICES);
	c.oneOf('language', LANGUAGES);
	c.string('firstMessage');
	c.integer('maxDurationSecs', 10, 3600);
	c.boolean('record');
	c.boolean('liveTranscript');
	c.oneOf('contextSource', CONTEXT_SOURCES);
	c.oneOf('smsMode', SMS_MODES);
	c.string('smsSystemPrompt');
	if (c.has('notify')) checkNotify(c, body.notify);
	if (c.has('tools')) checkTools(c, body.tools);
	if (c.has('allowedSenders')) {
		const a = body.allowedSenders;
		if (!Array.isArray(a)) c.fail('allowedSenders', 'must be an array of E.164 numbers');
		else {
			if (a.length > MAX_SENDERS) c.fail('allowedSenders', `must have at most ${MAX_SENDERS} numbers (got ${a.length})`);
			a.forEach((p, i) => (typeof p === 'string' && E164.test(p) ? null : c.fail(`allowedSenders[${i}]`, 'must be an E.164 phone number like +14155551234')));
		}
	}
	/** @type {Record<string, any>} */
	const blocks = {};
	for (const name of BLOCKS) {
		if (c.has(name)) blocks[name] = webhookBlock(c, name, body[name], stored && stored[name]);
	}
	const tools = Array.isArray(body.tools) ? body.tools : [];
	if (tools.length && !c.has('actionWebhook')) c.fail('actionWebhook', 'is required when tools are declared');
	if (body.smsMode === 'relay' && !c.has('agentWebhook')) c.fail('agentWebhook', 'is required when smsMode is "relay"');
	if ((body.contextSource === 'webhook' || body.contextSource === 'merge') && !c.has('contextWebhook')) {
		c.fail('contextWebhook', `is required when contextSource is "${body.contextSource}"`);
	}
	c.throwIfAny();
	/** @type {Record<string, any>} */
	const cfg = {
		mode: 'ai',
		systemPrompt: body.systemPrompt ?? null,
		voice: body.voice ?? 'shimmer',
		language: body.language ?? 'auto',
		firstMessage: body.firstMessage ?? null,
		maxDurationSecs: body.maxDurationSecs ?? 600,
		record: body.record ?? false,
		notify: c.has('notify') ? { ...body.notify } : null,
		contextSource: body.contextSource ?? (blocks.contextWebhook ? 'webhook' : 'none'),
		liveTranscript: body.liveTranscript ?? false,
		smsMode: body.smsMode ?? 'off',
		smsSystemPrompt: body.smsSystemPrompt ?? null,
		tools: tools.map((t) => ({ name: t.name, ...(t.description !== undefined ? { description: t.description } : {}), ...(t.parameters !== undefined ? { parameters: t.parameters } : {}) })),
		allowedSenders: c.has('allowedSenders') ? [...body.allowedSenders] : null,
		contextWebhook: blocks.contextWebhook || null,
		actionWebhook: blocks.actionWebhook || null,
		agentWebhook: blocks.agentWebhook || null,
	};
	return cfg;
}

/** @param {any} core */
function createInbound(core) {
	/** The number's public `inbound` summary (the shape `GET /v1/numbers/:id` has always had). @param {any} cfg */
	function summary(cfg) {
		if (!cfg) return { configured: false, mode: null, voice: null, language: null, systemPrompt: null, firstMessage: null, smsMode: 'off' };
		return { configured: true, mode: 'ai', voice: cfg.voice, language: cfg.language, systemPrompt: cfg.systemPrompt, firstMessage: cfg.firstMessage, smsMode: cfg.smsMode };
	}

	/** Stores (or clears, with null) a number's full inbound config. @param {any} n @param {any} cfg */
	function apply(n, cfg) {
		n.inboundConfig = cfg;
		n.inbound = summary(cfg);
	}

	/** The config as GET shows it: secrets replaced by `hasSigningSecret` (nesting per inboundSecretNesting). @param {any} cfg */
	function redact(cfg) {
		if (!cfg) return null;
		const flat = core.config.inboundSecretNesting === 'flat';
		/** @type {Record<string, any>} */
		const out = {};
		for (const [k, v] of Object.entries(cfg)) {
			if (!BLOCKS.includes(k) || !v) {
				out[k] = v && typeof v === 'object' ? JSON.parse(JSON.stringify(v)) : v;
				continue;
			}
			const { signingSecret, ...rest } = v;
			out[k] = flat ? rest : { ...rest, hasSigningSecret: !!signingSecret };
			if (flat) out[`${k}HasSigningSecret`] = !!signingSecret;
		}
		return out;
	}

	/** @param {any} n */
	function reply(n) {
		/** @type {Record<string, any>} */
		const body = { numberId: n.id, number: n.number };
		const cfg = redact(n.inboundConfig);
		if (cfg || core.config.inboundConfigUnset === 'null') body.config = cfg;
		// BYOK keys and premium voices have no operations here: the account always uses managed voices
		Object.assign(body, { voiceMode: 'managed', hasByokKey: false, byokOpenaiApiKeyPreview: null, premiumVoice: null });
		return { status: 200, body };
	}

	/** @param {any} n */
	function checkCarrier(n) {
		if (n.country !== 'US' && n.country !== 'CA') {
			throw new ApiError(400, 'carrier_not_supported', 'Inbound AI is available for US and Canada numbers only');
		}
	}

	/** @param {any} ctx */
	function postInbound(ctx) {
		const n = core.numbers.byId(ctx.params.id);
		requireObjectBody(ctx.body);
		checkCarrier(n);
		const cfg = normaliseInbound(ctx.body, n.inboundConfig);
		if (cfg.record) core.plans.checkRecording();
		if (cfg.smsMode !== 'off') core.plans.checkProFeature(`plan_limit_sms_${cfg.smsMode}`, cfg.smsMode === 'ai' ? 'AI SMS replies are' : 'SMS relay is');
		apply(n, cfg);
		return reply(n);
	}

	/** @param {any} ctx */
	function deleteInbound(ctx) {
		const n = core.numbers.byId(ctx.params.id);
		apply(n, null);
		if (core.config.deleteReply === '204') return { status: 204 };
		return { status: 200, body: { numberId: n.id, number: n.number, deleted: true } };
	}

	/**
	 * Control helper (older, lenient): sets mode/voice/language/prompts/smsMode without the REST
	 * rules (no prompt required, no Pro gate); `mode: null` clears. Keeps stored webhook blocks.
	 * @param {string} id @param {any} input
	 */
	function configure(id, input) {
		const n = core.numbers.byId(id);
		const c = new Checker(input);
		c.oneOf('mode', ['ai']);
		c.oneOf('voice', VOICES);
		c.oneOf('language', LANGUAGES);
		c.oneOf('smsMode', SMS_MODES);
		c.string('systemPrompt');
		c.string('firstMessage');
		c.throwIfAny();
		if (input && input.mode === null) {
			apply(n, null);
			return core.numbers.view(n);
		}
		const prev = n.inboundConfig;
		const body = { ...redact(prev), ...input, mode: 'ai' };
		for (const k of Object.keys(body)) if (body[k] === null) delete body[k];
		apply(n, normaliseInbound(body, prev, true));
		return core.numbers.view(n);
	}

	/** @param {any} d */
	function normaliseOutbound(d) {
		const c = new Checker(d);
		for (const k of Object.keys(d)) if (!OUTBOUND_FIELDS.includes(k)) c.fail(k, 'is not a known outbound-defaults field');
		if (!OUTBOUND_FIELDS.some((k) => c.has(k))) c.fail('(body)', `must contain at least one of ${OUTBOUND_FIELDS.join(', ')}`);
		c.string('systemPrompt', { min: 1 });
		c.string('firstMessage');
		c.oneOf('voice', VOICES);
		c.oneOf('language', LANGUAGES);
		c.integer('maxDurationSecs', 10, 3600);
		c.boolean('record');
		c.string('templateId', { min: 1 });
		const tpl = c.has('templateId') ? promptTemplates({ direction: 'outbound' }).templates.find((t) => t.id === d.templateId) : null;
		if (c.has('templateId') && !tpl) c.fail('templateId', 'is not an outbound prompt template id');
		c.throwIfAny();
		/** @type {Record<string, any>} */
		const out = {};
		for (const k of OUTBOUND_FIELDS) if (c.has(k)) out[k] = d[k];
		return out;
	}

	/** Stores (or clears) the outbound defaults and the number's `outbound` summary. @param {any} n @param {any} blob */
	function applyOutbound(n, blob) {
		n.outboundDefaults = blob;
		const tpl = blob && blob.templateId ? promptTemplates({ direction: 'outbound' }).templates.find((t) => t.id === blob.templateId) : null;
		/** @param {string} k */
		const val = (k) => (blob && blob[k] !== undefined ? blob[k] : tpl && k in tpl ? /** @type {any} */ (tpl)[k] : null);
		n.outbound = {
			configured: !!blob,
			systemPrompt: val('systemPrompt'),
			firstMessage: val('firstMessage'),
			voice: blob && blob.voice !== undefined ? blob.voice : tpl ? tpl.recommendedVoice : null,
			language: val('language'),
			maxDurationSecs: val('maxDurationSecs'),
			record: blob && blob.record !== undefined ? blob.record : null,
			templateId: val('templateId'),
		};
	}

	/** Control helper (older): sets outbound defaults; null or {} clears. @param {string} id @param {any} d */
	function setOutbound(id, d) {
		const n = core.numbers.byId(id);
		applyOutbound(n, d && Object.keys(d).length ? normaliseOutbound(d) : null);
		return core.numbers.view(n);
	}

	const routes = [
		{ method: 'GET', path: '/v1/numbers/:id/inbound-config', handler: (/** @type {any} */ ctx) => reply(core.numbers.byId(ctx.params.id)) },
		{ method: 'POST', path: '/v1/numbers/:id/inbound-config', handler: postInbound },
		{ method: 'DELETE', path: '/v1/numbers/:id/inbound-config', handler: deleteInbound },
		{
			method: 'GET',
			path: '/v1/numbers/:id/outbound-defaults',
			handler: (/** @type {any} */ ctx) => ({ status: 200, body: core.numbers.byId(ctx.params.id).outboundDefaults ?? null }),
		},
		{
			method: 'POST',
			path: '/v1/numbers/:id/outbound-defaults',
			handler: (/** @type {any} */ ctx) => {
				const n = core.numbers.byId(ctx.params.id);
				requireObjectBody(ctx.body);
				core.plans.checkProFeature('plan_limit_outbound_defaults', 'Saved outbound agents are');
				const blob = normaliseOutbound(ctx.body);
				if (blob.record) core.plans.checkRecording();
				applyOutbound(n, blob);
				return { status: 200, body: { ...blob } };
			},
		},
		{
			method: 'DELETE',
			path: '/v1/numbers/:id/outbound-defaults',
			handler: (/** @type {any} */ ctx) => {
				const n = core.numbers.byId(ctx.params.id);
				applyOutbound(n, null);
				if (core.config.deleteReply === '204') return { status: 204 };
				return { status: 200, body: { numberId: n.id, deleted: true } };
			},
		},
	];

	return { routes, apply, applyOutbound, configure, setOutbound, redact };
}

module.exports = { createInbound, normaliseInbound, BLOCKS, MAX_TOOLS, MAX_SENDERS };
