// @ts-check
'use strict';

const http = require('http');
const { ApiError, renderError, internalError } = require('./errors');
const { createRouter, normalizePath } = require('./router');
const { takeFault, breakJson, truncateJson, badReply } = require('./faults');
const { checkRateLimit } = require('./ratelimit');
const { pushCapped } = require('./state');

/**
 * The HTTP front: path normalisation (trailing slashes), routing, faults, Bearer auth, rate limit,
 * JSON parsing, error rendering and the request log. `/_sandbox/*` goes to the control API.
 */

const MAX_BODY = 1024 * 1024;

/** @typedef {{ status: number, body?: any, headers?: Record<string, string>, raw?: Buffer, contentType?: string }} Reply */

/** @param {http.IncomingMessage} req @returns {Promise<Buffer>} */
function readBody(req) {
	return new Promise((resolve, reject) => {
		/** @type {Buffer[]} */
		const chunks = [];
		let size = 0;
		req.on('data', (c) => {
			size += c.length;
			if (size > MAX_BODY) {
				reject(new ApiError(413, 'payload_too_large', `Request body exceeds ${MAX_BODY} bytes`));
				req.destroy();
			} else chunks.push(c);
		});
		req.on('end', () => resolve(Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

/** @param {Buffer} raw */
function parseJson(raw) {
	const text = raw.toString('utf8');
	if (!text.trim()) return undefined;
	try {
		return JSON.parse(text);
	} catch (e) {
		throw new ApiError(400, 'invalid_json', `Request body is not valid JSON: ${/** @type {Error} */ (e).message}`);
	}
}

/**
 * @param {http.ServerResponse} res @param {Reply} reply
 * @param {((json: string) => string) | null} [garble] rewrites the JSON text (faults)
 * @param {boolean} [head]
 */
function send(res, reply, garble = null, head = false) {
	if (res.writableEnded || res.destroyed) return;
	/** @type {Record<string, string>} */
	const headers = { ...(reply.headers || {}) };
	let payload = null;
	if (reply.raw) {
		headers['Content-Type'] = reply.contentType || 'application/octet-stream';
		payload = reply.raw;
	} else if (reply.status !== 204 && reply.body !== undefined) {
		const json = JSON.stringify(reply.body);
		headers['Content-Type'] = 'application/json; charset=utf-8';
		payload = Buffer.from(garble ? garble(json) : json, 'utf8');
	}
	if (payload) headers['Content-Length'] = String(payload.length);
	res.writeHead(reply.status, headers);
	res.end(head ? undefined : payload || undefined);
}

/**
 * @param {any} core
 * @param {Array<any>} apiRoutes
 * @param {(req: http.IncomingMessage, res: http.ServerResponse, path: string, query: Record<string, string>, raw: Buffer) => Promise<void>} control
 */
function createHttpServer(core, apiRoutes, control) {
	const router = createRouter(apiRoutes);

	/** @param {http.IncomingMessage} req */
	function authOf(req) {
		const h = req.headers.authorization;
		if (!h) return { state: 'missing' };
		const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
		if (!m) return { state: 'invalid' };
		const valid = m[1] === core.apiKey || core.config.apiKeys.includes(m[1]);
		return valid ? { state: 'valid', key: m[1] } : { state: 'invalid' };
	}

	/** @param {http.IncomingMessage} req @param {http.ServerResponse} res */
	async function handle(req, res) {
		const started = Date.now();
		const method = String(req.method || 'GET').toUpperCase();
		const u = new URL(req.url || '/', 'http://sandbox.local');
		const path = normalizePath(u.pathname);
		/** @type {Record<string, string>} */
		const query = Object.fromEntries(u.searchParams);
		const entry = {
			id: core.newId('request'),
			time: new Date(started).toISOString(),
			method,
			path,
			query,
			route: /** @type {string | null} */ (null),
			status: 0,
			durationMs: 0,
			auth: 'public',
			body: /** @type {any} */ (undefined),
		};
		/** @type {Reply} */
		let reply;
		/** @type {((json: string) => string) | null} */
		let garble = null;
		/** @type {any} */
		let fault = null;
		try {
			const raw = await readBody(req);
			if (path === '/_sandbox' || path.startsWith('/_sandbox/')) return await control(req, res, path, query, raw);
			const found = router.find(method, path);
			if (!found || 'methodMismatch' in found) throw new ApiError(404, 'not_found', `Route ${method} ${path} not found`);
			const route = found.route;
			entry.route = `${route.method} ${route.path}`;
			fault = takeFault(core, method, path);
			if (fault && fault.slowMs) await core.scheduler.delay(fault.slowMs);
			if (fault && fault.reset === 'before') return dropConnection(req, res, entry, started);
			if (fault && fault.status) throw new ApiError(fault.status, fault.code, fault.message);
			reply = (fault && badReply(fault)) || (await runRoute(req, res, route, found.params, method, path, query, raw, entry));
			if (fault && fault.reset === 'after') return dropConnection(req, res, entry, started);
			if (fault && fault.brokenJson) garble = breakJson;
			if (fault && fault.reply === 'truncated') garble = truncateJson;
		} catch (e) {
			const err = e instanceof ApiError ? e : internalError(e);
			reply = renderError(core.config, err);
		}
		send(res, reply, garble, method === 'HEAD');
		finishEntry(entry, reply.status, started);
	}

	/**
	 * Auth, rate limit, body parsing and the route's handler.
	 * @param {http.IncomingMessage} req @param {http.ServerResponse} res @param {any} route
	 * @param {Record<string, string>} params @param {string} method @param {string} path
	 * @param {Record<string, string>} query @param {Buffer} raw @param {any} entry
	 * @returns {Promise<Reply>}
	 */
	async function runRoute(req, res, route, params, method, path, query, raw, entry) {
		let key = null;
		/** @type {Record<string, string> | undefined} */
		let limitHeaders;
		if (!route.public) {
			const auth = authOf(req);
			entry.auth = auth.state;
			if (auth.state !== 'valid') {
				throw new ApiError(401, 'unauthorized', auth.state === 'missing' ? 'Missing API key: send Authorization: Bearer <key>' : 'Invalid API key');
			}
			key = auth.key;
			limitHeaders = checkRateLimit(core, /** @type {string} */ (key), !!route.ai);
		}
		const body = ['POST', 'PUT', 'PATCH', 'DELETE'].includes(method) ? parseJson(raw) : undefined;
		entry.body = body;
		const ctx = {
			req,
			res,
			method,
			path,
			params,
			query,
			body,
			apiKey: key,
			/** @param {() => void} fn */
			onAbort: (fn) => res.on('close', () => {
				if (!res.writableEnded) fn();
			}),
		};
		const reply = await route.handler(ctx);
		return limitHeaders ? { ...reply, headers: { ...reply.headers, ...limitHeaders } } : reply;
	}

	/** @param {any} entry @param {number} status @param {number} started */
	function finishEntry(entry, status, started) {
		entry.status = status;
		entry.durationMs = Date.now() - started;
		if (entry.body === undefined) delete entry.body;
		pushCapped(core.state.requestLog, entry, core.config.requestLogMax);
	}

	/**
	 * A `reset` fault: the socket is destroyed with no answer, as a crashed proxy or a cut network
	 * leaves it; the request log records status 0.
	 * @param {http.IncomingMessage} req @param {http.ServerResponse} res @param {any} entry @param {number} started
	 */
	function dropConnection(req, res, entry, started) {
		req.socket.destroy();
		res.destroy();
		finishEntry(entry, 0, started);
	}

	const server = http.createServer((req, res) => {
		handle(req, res).catch((e) => {
			if (!res.headersSent) send(res, renderError(core.config, internalError(e)));
			else res.destroy();
		});
	});
	server.keepAliveTimeout = 1000;
	return server;
}

module.exports = { createHttpServer, send, parseJson, readBody };
