// @ts-check
'use strict';

const { ApiError, validationError } = require('./errors');
const { Checker, requireObjectBody } = require('./validate');
const { VOICES, LANGUAGES } = require('./catalog');

/**
 * AI calls: `POST /v1/calls/ai` (field rules of §2.4, plan gates, idempotent replay),
 * `GET /v1/calls/:id/transcript` and `GET /v1/calls/:id/report`.
 */

/** Metadata rules: string->string map, ≤24 keys, keys ≤64, values ≤512, ≤2 KB serialised (400). @param {any} meta */
function metadataProblems(meta) {
	/** @type {Array<{field: string, message: string}>} */
	const out = [];
	if (meta === undefined || meta === null) return out;
	if (typeof meta !== 'object' || Array.isArray(meta)) return [{ field: 'metadata', message: 'must be an object of string values' }];
	const keys = Object.keys(meta);
	if (keys.length > 24) out.push({ field: 'metadata', message: `must have at most 24 keys (got ${keys.length})` });
	for (const k of keys) {
		if (k.length < 1 || k.length > 64) out.push({ field: `metadata.${k}`, message: 'key must be 1-64 characters' });
		if (typeof meta[k] !== 'string') out.push({ field: `metadata.${k}`, message: 'value must be a string' });
		else if (meta[k].length > 512) out.push({ field: `metadata.${k}`, message: 'value must be at most 512 characters' });
	}
	const size = Buffer.byteLength(JSON.stringify(meta), 'utf8');
	if (size > 2048) out.push({ field: 'metadata', message: `must serialise to at most 2048 bytes (got ${size})` });
	return out;
}

/** @param {any} core */
function createAiCalls(core) {
	/** @param {any} ctx */
	function initiate(ctx) {
		core.plans.checkAiCall();
		requireObjectBody(ctx.body);
		const b = ctx.body;
		const c = new Checker(b);
		c.string('from', { required: true, min: 1 });
		c.e164('to', { required: true });
		c.string('systemPrompt');
		c.string('firstMessage');
		c.oneOf('voice', VOICES);
		c.oneOf('language', LANGUAGES);
		c.integer('maxDurationSecs', 10, 3600);
		c.boolean('record');
		c.boolean('liveTranscript');
		c.boolean('useSavedAgent');
		c.string('idempotencyKey', { min: 1, max: 200 });
		c.throwIfAny();
		const meta = metadataProblems(b.metadata);
		if (meta.length) throw validationError(meta, 400);

		const from = core.numbers.resolve(b.from);
		const idemKey = b.idempotencyKey ? `${from.id}\u0000${b.idempotencyKey}` : null;
		const replay = idemKey && core.state.idempotency.get(idemKey);
		if (replay) {
			return { status: replay.status, body: replay.body, headers: { 'X-AgentCall-Idempotency-Replayed': 'true' } };
		}
		if (!b.to.startsWith('+1')) {
			throw new ApiError(400, 'carrier_not_supported', 'AI voice calls are available for US and Canada numbers only');
		}
		let saved = {};
		if (b.useSavedAgent) {
			if (!from.outbound.configured) {
				throw new ApiError(400, 'no_saved_agent', `Number '${from.id}' has no saved outbound agent defaults`);
			}
			saved = Object.fromEntries(Object.entries(from.outbound).filter(([k, v]) => k !== 'configured' && v !== null));
		}
		/** @param {string} k @param {any} dflt */
		const pick = (k, dflt) => (b[k] !== undefined && b[k] !== null ? b[k] : /** @type {any} */ (saved)[k] ?? dflt);
		const record = !!pick('record', false);
		if (record) core.plans.checkRecording();
		const ai = {
			systemPrompt: pick('systemPrompt', null),
			firstMessage: pick('firstMessage', null),
			voice: pick('voice', 'shimmer'),
			language: pick('language', 'auto'),
			maxDurationSecs: pick('maxDurationSecs', 600),
			liveTranscript: !!b.liveTranscript,
		};
		const metadata = b.metadata ? { ...b.metadata } : null;
		const call = core.calls.place({ from, to: b.to, record, ai, metadata });
		const full = core.calls.view(call);
		const body = core.config.callReply === 'minimal' ? { id: call.id, status: call.status, ...(metadata ? { metadata } : {}) } : full;
		const reply = { status: core.config.createStatus, body };
		if (idemKey) core.state.idempotency.set(idemKey, JSON.parse(JSON.stringify(reply)));
		return reply;
	}

	/** @param {any} call */
	function notReady(call) {
		const what = call.script ? `available once the call has completed (status: ${call.status})` : 'only produced for AI calls';
		if (call.script && !core.clock.isTerminal(call.status) && core.config.transcriptNotReady === '202') {
			return { status: 202, body: { status: 'pending', callStatus: core.calls.view(call).status } };
		}
		throw new ApiError(404, 'transcript_not_available', `Transcript for call '${call.id}' is ${what}`);
	}

	/** @param {any} ctx */
	function transcript(ctx) {
		const call = core.calls.get(ctx.params.id);
		if (!call.transcript) return notReady(call);
		const entries = core.calls.transcriptEntries(call);
		if (core.config.transcriptShape === 'documented') {
			return { status: 200, body: { entries, summary: call.summary.summary, duration: call.duration } };
		}
		/** @type {Record<string, any>} */
		const body = { callId: call.id, transcript: entries, summary: call.summary, duration: call.duration, peerCallId: call.peerCallId };
		if (call.metadata) body.metadata = call.metadata;
		return { status: 200, body };
	}

	/** @param {any} ctx */
	function report(ctx) {
		const call = core.calls.get(ctx.params.id);
		if (call.reportReady) {
			/** @type {Record<string, any>} */
			const body = { callId: call.id, status: 'ready' };
			if (core.config.reportField !== 'payload') body.report = call.report;
			if (core.config.reportField !== 'report') body.payload = call.report;
			return { status: 200, body };
		}
		if (call.script && (call.reportPending || !core.clock.isTerminal(call.status))) {
			return { status: 202, body: { status: 'extracting' } };
		}
		const why = call.script ? 'the call did not connect' : 'reports are produced for AI calls only';
		throw new ApiError(404, 'report_not_available', `No report for call '${call.id}': ${why}`);
	}

	const routes = [
		{ method: 'POST', path: '/v1/calls/ai', ai: true, handler: initiate },
		{ method: 'GET', path: '/v1/calls/:id/transcript', handler: transcript },
		{ method: 'GET', path: '/v1/calls/:id/report', handler: report },
	];
	return { routes, metadataProblems };
}

module.exports = { createAiCalls, metadataProblems };
