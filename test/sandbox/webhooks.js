// @ts-check
'use strict';

const { ApiError, notFound } = require('./errors');
const { Checker, requireObjectBody } = require('./validate');
const { listReply } = require('./lists');
const { nextSeq } = require('./state');
const { newSecret } = require('./ids');
const { EVENTS } = require('./catalog');

/**
 * Account webhooks: register (secret shown once), list (no secrets), rotate, delete; `emit()` fans
 * an event out to every subscribed webhook through the delivery engine.
 */

/** @param {any} core */
function createWebhooks(core) {
	const st = () => core.state;

	/** @param {any} w @param {boolean} [withSecret] */
	function view(w, withSecret = false) {
		/** @type {Record<string, any>} */
		const out = { id: w.id, url: w.url, events: [...w.events] };
		if (core.config.webhookExtraFields) Object.assign(out, { active: true, createdAt: w.createdAt, updatedAt: w.updatedAt });
		if (withSecret) out.secret = w.secret;
		return out;
	}

	/** @param {string} id */
	function get(id) {
		const w = st().webhooks.get(id);
		if (!w) throw notFound('Webhook', id);
		return w;
	}

	/** The secret deliveries are signed with now (the old one during a rotation grace period). @param {any} w */
	function signingSecret(w) {
		const grace = core.config.rotateGraceMs;
		if (w.previousSecret && grace > 0 && Date.now() - w.rotatedMs < grace) return w.previousSecret;
		return w.secret;
	}

	/** @param {string} event @param {Record<string, any>} data */
	function emit(event, data) {
		if (!EVENTS.includes(event)) throw new Error(`sandbox bug: unknown event ${event}`);
		const snapshot = JSON.parse(JSON.stringify(data));
		for (const w of st().webhooks.values()) {
			if (w.events.includes(event)) core.delivery.enqueue(w, event, snapshot);
		}
	}

	/** @param {any} body */
	function register(body) {
		requireObjectBody(body);
		const c = new Checker(body);
		c.string('url', { required: true, min: 1, max: 2048 });
		if (typeof body.url === 'string' && body.url) {
			let ok = false;
			try {
				const u = new URL(body.url);
				ok = (u.protocol === 'http:' || u.protocol === 'https:') && !!u.hostname;
			} catch {
				ok = false;
			}
			if (!ok) c.fail('url', 'must be an absolute http(s) URL');
		}
		if (!Array.isArray(body.events) || body.events.length === 0) {
			c.fail('events', 'must be a non-empty array of event names');
		} else {
			body.events.forEach((/** @type {any} */ e, /** @type {number} */ i) => {
				if (!EVENTS.includes(e)) c.fail(`events[${i}]`, `unknown event ${JSON.stringify(e)}; known: ${EVENTS.join(', ')}`);
			});
		}
		c.throwIfAny();
		if (core.config.webhookDuplicates === 'reject') {
			for (const w of st().webhooks.values()) {
				if (w.url === body.url) throw new ApiError(409, 'webhook_exists', `A webhook for ${body.url} already exists (${w.id})`);
			}
		}
		const now = new Date().toISOString();
		const w = {
			seq: nextSeq(st()),
			id: core.newId('webhook'),
			url: body.url,
			events: [...new Set(/** @type {string[]} */ (body.events))],
			secret: newSecret(),
			previousSecret: null,
			rotatedMs: 0,
			createdAt: now,
			updatedAt: now,
		};
		st().webhooks.set(w.id, w);
		return w;
	}

	/** @param {string} id */
	function rotate(id) {
		const w = get(id);
		w.previousSecret = w.secret;
		w.rotatedMs = Date.now();
		w.secret = newSecret();
		w.updatedAt = new Date().toISOString();
		return w;
	}

	/** @param {string} id */
	function remove(id) {
		const w = get(id);
		st().webhooks.delete(id);
		core.delivery.cancelWebhook(id);
		return w;
	}

	const routes = [
		{
			method: 'POST',
			path: '/v1/webhooks',
			handler: (/** @type {any} */ ctx) => ({ status: core.config.createStatus, body: view(register(ctx.body), true) }),
		},
		{
			method: 'GET',
			path: '/v1/webhooks',
			handler: (/** @type {any} */ ctx) => listReply(core.config, 'webhooks', [...st().webhooks.values()], ctx.query, (w) => view(w)),
		},
		{
			method: 'POST',
			path: '/v1/webhooks/:id/rotate',
			handler: (/** @type {any} */ ctx) => ({ status: 200, body: view(rotate(ctx.params.id), true) }),
		},
		{
			method: 'DELETE',
			path: '/v1/webhooks/:id',
			handler: (/** @type {any} */ ctx) => {
				const w = remove(ctx.params.id);
				if (core.config.deleteReply === '204') return { status: 204 };
				return { status: 200, body: { ...view(w), deleted: true } };
			},
		},
	];

	return { routes, emit, view, get, register, rotate, remove, signingSecret };
}

module.exports = { createWebhooks };
