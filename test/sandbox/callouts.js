// @ts-check
'use strict';

const { performance } = require('perf_hooks');
const { ApiError } = require('./errors');
const { Checker } = require('./validate');
const { sign } = require('./delivery');
const { pushCapped } = require('./state');
const { createIdleWaiters } = require('./scheduler');

/**
 * The synchronous call-outs AgentCall makes to a number's own URLs (§8.6, §13.2), each signed like
 * deliveries (§8.4) with the block's own secret, and logged per HTTP attempt:
 *   context — POST { caller, numberId, callId, timestamp } before an inbound AI call connects; reply
 *             { contextBlock } within contextWebhook.timeoutMs, else the call goes on without (fail-open);
 *   tool    — POST { tool, arguments, context } for each scripted tool call; reply { result } within the
 *             tool budget (calloutToolTimeoutMs, 8 s like AgentCall); tools not declared are refused;
 *   relay   — POST { message, conversation, context } + `X-AgentCall-Event: sms.relay` for each inbound
 *             SMS when smsMode is "relay"; retried on non-2xx like deliveries (deliveryRetries, backoff).
 */

/** @param {any} core */
function createCallouts(core) {
	let generation = 0; // bumped by abortAll: simulations of an older generation stop
	/** @type {Set<() => void>} */
	const waiters = new Set();
	/** @type {Set<string>} relay ids waiting for an attempt */
	const relaysPending = new Set();
	const idle = createIdleWaiters(core.scheduler, () => relaysPending.size);

	/** A scheduler sleep that reset/close end at once. @param {number} ms */
	function sleep(ms) {
		return new Promise((resolve) => {
			const done = () => {
				waiters.delete(done);
				core.scheduler.cancel(t);
				resolve(undefined);
			};
			const t = core.scheduler.after(ms, done);
			waiters.add(done);
		});
	}

	/** @param {number} gen */
	function checkAlive(gen) {
		if (gen !== generation) throw new ApiError(409, 'simulation_aborted', 'The sandbox was reset or closed during the simulation');
	}

	/**
	 * One signed POST to a number's URL, logged. `reply` is the parsed JSON reply (undefined if none or invalid).
	 * @param {{ kind: 'context'|'tool'|'relay', number: any, block: { url: string, signingSecret: string }, body: any, timeoutMs: number, refs?: Record<string, any>, attempt?: number, event?: string }} o
	 */
	async function call(o) {
		const raw = JSON.stringify(o.body);
		/** @type {Record<string, string>} */
		const headers = {
			'Content-Type': 'application/json',
			'Content-Length': String(Buffer.byteLength(raw)),
			'User-Agent': 'AgentCall-Webhooks/1.0 (sandbox)',
			'X-AgentCall-Signature': sign(o.block.signingSecret, raw),
		};
		if (o.event) headers['X-AgentCall-Event'] = o.event;
		const started = performance.now();
		const time = new Date().toISOString();
		const r = await core.delivery.post(o.block.url, raw, headers, o.timeoutMs);
		const latencyMs = Math.round((performance.now() - started) * 10) / 10;
		const ok = r.status !== undefined && r.status >= 200 && r.status < 300;
		let reply;
		try {
			reply = r.body ? JSON.parse(r.body) : undefined;
		} catch {
			reply = undefined;
		}
		const entry = {
			id: core.newId('callout'),
			kind: o.kind,
			numberId: o.number.id,
			...(o.refs || {}),
			url: o.block.url,
			attempt: o.attempt || 1,
			time,
			headers,
			body: raw,
			status: r.status ?? null,
			error: r.error ?? null,
			ok,
			latencyMs,
			responseBody: r.body ?? null,
		};
		pushCapped(core.state.calloutLog, entry, core.config.deliveryLogMax);
		return { ok, status: r.status ?? null, error: r.error ?? null, reply, latencyMs };
	}

	/** Outcome words for a failed call-out. @param {{ status: number|null, error: string|null }} r @param {number} timeoutMs */
	const failure = (r, timeoutMs) => (r.error === 'timeout' ? `timeout after ${timeoutMs} ms` : r.error ? `failed: ${r.error}` : `failed: HTTP ${r.status}`);

	/** @param {any} number @param {any} cfg @param {any} leg @param {number} gen */
	async function fetchContext(number, cfg, leg, gen) {
		const block = cfg.contextWebhook;
		if (!block || !['webhook', 'merge'].includes(cfg.contextSource)) return { outcome: 'skipped', contextBlock: null, latencyMs: null };
		const body = { caller: leg.from, numberId: number.id, callId: leg.id, timestamp: new Date().toISOString() };
		const r = await call({ kind: 'context', number, block, body, timeoutMs: block.timeoutMs, refs: { callId: leg.id } });
		checkAlive(gen);
		const base = { status: r.status, latencyMs: r.latencyMs };
		if (!r.ok) return { ...base, outcome: r.error === 'timeout' ? 'timeout' : 'failed', contextBlock: null, error: failure(r, block.timeoutMs) };
		const text = r.reply && typeof r.reply.contextBlock === 'string' ? r.reply.contextBlock : null;
		if (text === null) return { ...base, outcome: 'failed', contextBlock: null, error: 'failed: reply has no string contextBlock' };
		return { ...base, outcome: text.trim() ? 'used' : 'empty', contextBlock: text };
	}

	/** @param {any} number @param {any} cfg @param {any} leg @param {any} tc @param {number} budgetMs @param {number} gen */
	async function toolCall(number, cfg, leg, tc, budgetMs, gen) {
		const args = tc.arguments ?? {};
		const base = { tool: tc.tool, arguments: args };
		if (!cfg.tools.some((/** @type {any} */ t) => t.name === tc.tool)) {
			return { ...base, outcome: 'refused', error: 'refused: tool not declared on this number', status: null, latencyMs: null };
		}
		const body = { tool: tc.tool, arguments: args, context: { channel: 'voice', callId: leg.id, numberId: number.id, contact: { phone: leg.from } } };
		const r = await call({ kind: 'tool', number, block: cfg.actionWebhook, body, timeoutMs: budgetMs, refs: { callId: leg.id, tool: tc.tool } });
		checkAlive(gen);
		const more = { status: r.status, latencyMs: r.latencyMs };
		if (!r.ok) return { ...base, ...more, outcome: r.error === 'timeout' ? 'timeout' : 'failed', error: failure(r, budgetMs) };
		if (!r.reply || r.reply.result === undefined) return { ...base, ...more, outcome: 'failed', error: 'failed: reply has no result' };
		const result = typeof r.reply.result === 'string' ? r.reply.result : JSON.stringify(r.reply.result);
		return { ...base, ...more, outcome: 'ok', result };
	}

	/** @param {any} input */
	function checkSimulation(input) {
		const c = new Checker(input);
		c.e164('from', { required: true });
		c.integer('durationSecs', 1, 3600);
		c.integer('toolTimeoutMs', 1, 8000);
		c.boolean('wait');
		const list = input && input.toolCalls;
		if (list !== undefined && list !== null && !Array.isArray(list)) c.fail('toolCalls', 'must be an array');
		(Array.isArray(list) ? list : []).forEach((tc, i) => {
			if (!tc || typeof tc !== 'object' || typeof tc.tool !== 'string' || !tc.tool) c.fail(`toolCalls[${i}].tool`, 'is required');
			if (tc && tc.arguments !== undefined && (typeof tc.arguments !== 'object' || tc.arguments === null || Array.isArray(tc.arguments))) c.fail(`toolCalls[${i}].arguments`, 'must be an object');
			if (tc && tc.atSecond !== undefined && !(typeof tc.atSecond === 'number' && tc.atSecond >= 0)) c.fail(`toolCalls[${i}].atSecond`, 'must be a number >= 0');
		});
		c.throwIfAny();
	}

	/** @param {any} o @param {string} text */
	const line = (o, text) => ({ role: o, text });

	/**
	 * An inbound AI call from `from`: rings (call.inbound), fetches context, connects, makes the
	 * scripted tool calls (at `atSecond` of simulated talk time, in that order), ends the call with
	 * what came back in its transcript. `wait: false` answers at once with the call id.
	 * @param {string} numberId
	 * @param {{ from: string, toolCalls?: Array<{ tool: string, arguments?: any, atSecond?: number }>, durationSecs?: number, toolTimeoutMs?: number, wait?: boolean }} input
	 */
	async function simulateCall(numberId, input) {
		checkSimulation(input);
		const number = core.numbers.byId(numberId);
		const cfg = number.inboundConfig;
		if (!cfg) throw new ApiError(409, 'inbound_ai_not_configured', `Number '${number.id}' has no inbound AI: the call would hang up at the carrier`);
		const gen = generation;
		const leg = core.calls.get(core.calls.inject({ to: number.id, from: input.from }).id);
		core.scheduler.cancelTag(leg.id); // this simulation drives the call, not the clock
		leg.ai = { systemPrompt: cfg.systemPrompt, firstMessage: cfg.firstMessage, voice: cfg.voice, language: cfg.language, maxDurationSecs: cfg.maxDurationSecs, liveTranscript: cfg.liveTranscript };
		leg.record = cfg.record;
		if (input.durationSecs) leg.outcome = { outcome: 'completed', durationSecs: input.durationSecs };
		const sim = { callId: leg.id, numberId: number.id, from: input.from, status: 'running', context: /** @type {any} */ (null), toolCalls: /** @type {any[]} */ ([]) };
		leg.simulation = sim;
		const run = (async () => {
			sim.context = await fetchContext(number, cfg, leg, gen);
			if (sim.context.contextBlock && sim.context.outcome === 'used') {
				leg.brief = { ...leg.brief, systemPrompt: `${leg.brief.systemPrompt || ''}\n\nCaller context: ${sim.context.contextBlock}` };
			}
			core.clock.transition(leg, 'in-progress', 'advance');
			core.scheduler.cancelTag(leg.id);
			const answered = Date.now();
			const budget = input.toolTimeoutMs ?? core.config.calloutToolTimeoutMs;
			const calls = [...(input.toolCalls || [])].map((tc, i) => ({ ...tc, i })).sort((a, b) => (a.atSecond ?? 0) - (b.atSecond ?? 0) || a.i - b.i);
			for (const tc of calls) {
				const due = answered + (tc.atSecond ?? 0) * 1000 * core.config.timeScale - Date.now();
				if (due > 0) await sleep(due);
				checkAlive(gen);
				sim.toolCalls.push(await toolCall(number, cfg, leg, tc, budget, gen));
			}
			const c = sim.context;
			const ctxLine =
				c.outcome === 'skipped' ? [] : [line('system', c.outcome === 'used' ? `Caller context: ${c.contextBlock}` : `No context (${c.outcome === 'empty' ? 'empty answer' : c.error})`)];
			const toolLines = sim.toolCalls.map((t) => line('tool', `${t.tool}(${JSON.stringify(t.arguments)}) → ${t.outcome === 'ok' ? `result: ${t.result}` : t.error}`));
			const s = leg.script || [];
			leg.script = [...ctxLine, ...s.slice(0, 4), ...toolLines, ...s.slice(4)];
			core.clock.transition(leg, 'completed', 'advance');
			sim.status = 'completed';
			return { ...sim, status: core.calls.view(leg).status };
		})();
		run.catch((e) => {
			sim.status = e instanceof ApiError ? e.code : 'failed';
		});
		if (input.wait === false) return { callId: leg.id, numberId: number.id, status: 'running' };
		return run;
	}

	/** Who answers an inbound SMS: 'ai', 'relay' or 'none' (+ why). @param {any} number @param {any} m @param {{ noAiReply?: boolean }} opts */
	function smsAgent(number, m, opts) {
		const cfg = number.inboundConfig;
		const mode = number.inbound.smsMode;
		if (mode === 'off') return { agent: 'none', reason: 'sms_mode_off' };
		if (core.conversations.isKeyword(m.body)) return { agent: 'none', reason: 'opt_keyword' };
		if (core.conversations.get(m.conversationId).optedOut) return { agent: 'none', reason: 'opted_out' };
		if (cfg && cfg.allowedSenders && !cfg.allowedSenders.includes(m.from)) return { agent: 'none', reason: 'sender_not_allowed' };
		if (mode === 'relay') return cfg && cfg.agentWebhook ? { agent: 'relay', reason: null } : { agent: 'none', reason: 'no_agent_webhook' };
		return opts.noAiReply ? { agent: 'none', reason: 'ai_reply_loop' } : { agent: 'ai', reason: null };
	}

	/** Pushes an inbound SMS to the number's agentWebhook, retrying non-2xx. @param {any} number @param {any} m */
	function relay(number, m) {
		const cfg = number.inboundConfig;
		const conv = core.conversations.get(m.conversationId);
		const body = {
			message: { id: m.id, from: m.from, to: m.to, body: m.body, receivedAt: m.createdAt },
			conversation: { id: conv.id, contactPhone: conv.contactPhone },
			context: { channel: 'sms', numberId: number.id, agentId: number.id },
		};
		const gen = generation;
		const key = m.id;
		relaysPending.add(key);
		const attempt = async (/** @type {number} */ n) => {
			if (gen !== generation) return;
			const r = await call({ kind: 'relay', number, block: cfg.agentWebhook, body, timeoutMs: core.config.deliveryTimeoutMs, refs: { messageId: m.id, conversationId: conv.id }, attempt: n, event: 'sms.relay' });
			if (gen !== generation) return;
			if (!r.ok && n <= core.config.deliveryRetries) {
				const table = core.config.deliveryBackoffMs;
				await sleep(table[Math.min(n - 1, table.length - 1)] * core.config.deliveryBackoffScale);
				return attempt(n + 1);
			}
			relaysPending.delete(key);
			idle.notify();
		};
		void attempt(1);
	}

	/** Ends every simulation and relay (reset / close). */
	function abortAll() {
		generation += 1;
		for (const w of [...waiters]) w();
		relaysPending.clear();
		idle.notify();
	}

	/** @param {{ numberId?: string, kind?: string, callId?: string }} [f] */
	const log = (f = {}) =>
		core.state.calloutLog
			.filter((/** @type {any} */ e) => (!f.numberId || e.numberId === f.numberId) && (!f.kind || e.kind === f.kind) && (!f.callId || e.callId === f.callId))
			.map((/** @type {any} */ e) => ({ ...e, headers: { ...e.headers } }));

	return { simulateCall, smsAgent, relay, settled: idle.settled, abortAll, log };
}

module.exports = { createCallouts };
