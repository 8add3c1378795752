// @ts-check
'use strict';

const crypto = require('crypto');
const http = require('http');
const https = require('https');
const { pushCapped } = require('./state');
const { createIdleWaiters } = require('./scheduler');

/**
 * Webhook delivery: body `{ event, timestamp, data }` (or root fields), header
 * `X-AgentCall-Signature: sha256=<hex HMAC-SHA256(raw body, secret as UTF-8)>`, timeout, retries
 * with backoff (deliveryBackoffMs × deliveryBackoffScale), identical bytes on every retry unless
 * deliveryRestamp, and a log of every attempt.
 */

/** @param {string} secret @param {string | Buffer} raw */
function sign(secret, raw) {
	return `sha256=${crypto.createHmac('sha256', Buffer.from(secret, 'utf8')).update(raw).digest('hex')}`;
}

/** @param {Record<string, any>} config @param {string} event @param {string} timestamp @param {Record<string, any>} data */
function buildBody(config, event, timestamp, data) {
	if (config.webhookBody === 'root') return JSON.stringify({ event, timestamp, ...data });
	return JSON.stringify({ event, timestamp, data });
}

/** @param {any} core */
function createDelivery(core) {
	const agents = { http: new http.Agent({ keepAlive: false }), https: new https.Agent({ keepAlive: false }) };
	/** @type {Set<http.ClientRequest>} */
	const inflight = new Set();
	/** @type {Map<string, any>} deliveryId -> pending delivery */
	const pending = new Map();
	/** @type {Map<string, { busy: boolean, items: any[] }>} webhookId -> first-attempt queue */
	const queues = new Map();
	const idle = createIdleWaiters(core.scheduler, () => pending.size);
	const checkIdle = idle.notify;
	let closed = false;
	let generation = 0; // bumped by abortAll: attempts of an older generation are dropped silently

	/** @param {any} w webhook record @param {string} event @param {Record<string, any>} data */
	function enqueue(w, event, data) {
		if (closed) return;
		const timestamp = new Date().toISOString();
		const d = { id: core.newId('delivery'), webhookId: w.id, url: w.url, event, data, timestamp, raw: buildBody(core.config, event, timestamp, data), attempt: 0, timer: null, gen: generation };
		pending.set(d.id, d);
		const q = queues.get(w.id) || { busy: false, items: /** @type {any[]} */ ([]) };
		queues.set(w.id, q);
		q.items.push(d);
		void pump(w.id);
	}

	/** First attempts to one webhook go out one at a time, in event order (retries do not block). @param {string} webhookId */
	async function pump(webhookId) {
		const q = queues.get(webhookId);
		if (!q || q.busy) return;
		q.busy = true;
		while (q.items.length && !closed) await attempt(q.items.shift());
		q.busy = false;
		if (queues.get(webhookId) === q && !q.items.length) queues.delete(webhookId);
	}

	/**
	 * One POST; resolves with the status and the reply body (first 64 KB) once the whole reply is in,
	 * or `{ error: 'timeout' }` when that takes longer than `timeoutMs` (a late reply counts as none).
	 * @param {string} url @param {string} raw @param {Record<string, string>} headers @param {number} timeoutMs
	 * @returns {Promise<{ status?: number, body?: string, error?: string }>}
	 */
	function post(url, raw, headers, timeoutMs) {
		return new Promise((resolve) => {
			let done = false;
			/** @param {{ status?: number, body?: string, error?: string }} r */
			const finish = (r) => {
				if (done) return;
				done = true;
				core.scheduler.cancel(timer);
				inflight.delete(req);
				resolve(r);
			};
			const u = new URL(url);
			const mod = u.protocol === 'https:' ? https : http;
			const req = mod.request(u, { method: 'POST', headers, agent: u.protocol === 'https:' ? agents.https : agents.http });
			inflight.add(req);
			const timer = core.scheduler.after(timeoutMs, () => {
				finish({ error: 'timeout' });
				req.destroy();
			});
			req.on('response', (res) => {
				/** @type {Buffer[]} */
				const chunks = [];
				let size = 0;
				res.on('data', (/** @type {Buffer} */ c) => {
					if (size < 65536) chunks.push(c);
					size += c.length;
				});
				res.on('end', () => finish({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8').slice(0, 65536) }));
				res.on('error', (e) => finish({ error: /** @type {any} */ (e).code || e.message }));
			});
			req.on('error', (e) => finish({ error: /** @type {any} */ (e).code || e.message }));
			req.end(raw);
		});
	}

	/** @param {any} d */
	async function attempt(d) {
		const w = core.state.webhooks.get(d.webhookId);
		if (closed || !w) return drop(d);
		d.attempt += 1;
		const cfg = core.config;
		if (cfg.deliveryRestamp && d.attempt > 1) {
			d.timestamp = new Date().toISOString();
			d.raw = buildBody(cfg, d.event, d.timestamp, d.data);
		}
		const raw = d.raw;
		const signature = sign(core.webhooks.signingSecret(w), raw);
		/** @type {Record<string, string>} */
		const headers = {
			'Content-Type': 'application/json',
			'Content-Length': String(Buffer.byteLength(raw)),
			'User-Agent': 'AgentCall-Webhooks/1.0 (sandbox)',
			'X-AgentCall-Signature': signature,
		};
		if (cfg.eventHeader) headers['X-AgentCall-Event'] = d.event;
		const started = Date.now();
		const r = await post(d.url, raw, headers, cfg.deliveryTimeoutMs);
		if (closed || d.gen !== generation) return;
		const ok = r.status !== undefined && r.status >= 200 && r.status < 300;
		const retriesLeft = core.config.deliveryRetries - (d.attempt - 1);
		const entry = {
			id: `${d.id}-${d.attempt}`,
			deliveryId: d.id,
			webhookId: d.webhookId,
			event: d.event,
			url: d.url,
			attempt: d.attempt,
			status: r.status ?? null,
			error: r.error ?? null,
			ok,
			time: new Date(started).toISOString(),
			durationMs: Date.now() - started,
			signature,
			body: raw,
			nextRetryInMs: /** @type {number | null} */ (null),
		};
		if (!ok && retriesLeft > 0 && core.state.webhooks.has(d.webhookId)) {
			const table = core.config.deliveryBackoffMs;
			const wait = table[Math.min(d.attempt - 1, table.length - 1)] * core.config.deliveryBackoffScale;
			entry.nextRetryInMs = wait;
			d.timer = core.scheduler.after(wait, () => void attempt(d));
		} else {
			pending.delete(d.id);
		}
		pushCapped(core.state.deliveryLog, entry, core.config.deliveryLogMax);
		checkIdle();
	}

	/** @param {any} d */
	function drop(d) {
		core.scheduler.cancel(d.timer);
		pending.delete(d.id);
		checkIdle();
	}

	/** Stops pending retries of a deleted webhook. @param {string} webhookId */
	function cancelWebhook(webhookId) {
		const q = queues.get(webhookId);
		if (q) q.items.splice(0);
		for (const d of [...pending.values()]) if (d.webhookId === webhookId && (d.timer || d.attempt === 0)) drop(d);
	}

	/** Resolves true once no delivery is in flight or waiting for a retry (false after `timeoutMs`). */
	const settled = idle.settled;

	/** Drops every pending delivery and aborts requests in flight. */
	function abortAll() {
		generation += 1;
		for (const q of queues.values()) q.items.splice(0);
		queues.clear();
		for (const d of pending.values()) core.scheduler.cancel(d.timer);
		pending.clear();
		for (const req of inflight) req.destroy();
		inflight.clear();
		checkIdle();
	}

	function close() {
		closed = true;
		abortAll();
		agents.http.destroy();
		agents.https.destroy();
	}

	return { enqueue, settled, cancelWebhook, abortAll, close, post, get pendingCount() { return pending.size; } };
}

module.exports = { createDelivery, sign, buildBody };
