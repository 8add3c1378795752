// @ts-check
'use strict';

const { ApiError, renderError, internalError } = require('./errors');
const { ConfigError } = require('./config');
const { createRouter } = require('./router');
const { send, parseJson } = require('./server');

/**
 * Control API under `/_sandbox` (no auth): the in-process operations over HTTP, for demos, the n8n
 * e2e process and other languages. Errors: `{ error: { code, message, details? } }`.
 * @param {any} ops the sandbox handle (see index.js)
 */
function createControl(ops) {
	/** Error rendering independent of the API error-shape settings. */
	const FIXED = { validationStatus: 422, validationDetails: 'list', errorMessage: true, errorLinks: 'inside' };
	const ok = (/** @type {any} */ body, status = 200) => ({ status, body });

	/** @type {Array<{ method: string, path: string, run: (c: { params: Record<string, string>, query: Record<string, string>, body: any }) => any }>} */
	const routes = [
		{ method: 'GET', path: '/_sandbox', run: () => ok({ routes: routes.map((r) => `${r.method} ${r.path}`) }) },
		{ method: 'POST', path: '/_sandbox/reset', run: ({ body }) => ok(ops.reset({ keepConfig: !!(body && body.keepConfig) })) },
		{ method: 'GET', path: '/_sandbox/config', run: () => ok(ops.config) },
		{ method: 'PATCH', path: '/_sandbox/config', run: ({ body }) => ok(ops.setConfig(body || {})) },
		{ method: 'GET', path: '/_sandbox/state', run: () => ok(ops.snapshot()) },
		{ method: 'POST', path: '/_sandbox/sms/inbound', run: ({ body }) => ok(ops.injectSms(body || {})) },
		{ method: 'POST', path: '/_sandbox/calls/inbound', run: ({ body }) => ok(ops.injectCall(body || {})) },
		{ method: 'POST', path: '/_sandbox/calls/:id/outcome', run: ({ params, body }) => ok(ops.setCallOutcome({ ...(body || {}), callId: params.id })) },
		{ method: 'POST', path: '/_sandbox/outcomes', run: ({ body }) => ok(ops.setCallOutcome({ ...(body || {}), callId: undefined })) },
		{ method: 'POST', path: '/_sandbox/calls/:id/advance', run: ({ params, body }) => ok(ops.advanceCall(params.id, body && body.status)) },
		{ method: 'POST', path: '/_sandbox/calls/:id/complete', run: ({ params }) => ok(ops.completeCall(params.id)) },
		{ method: 'POST', path: '/_sandbox/numbers/:id/inbound', run: ({ params, body }) => ok(ops.configureInbound(params.id, body || {})) },
		{ method: 'POST', path: '/_sandbox/numbers/:id/outbound-defaults', run: ({ params, body }) => ok(ops.setOutboundDefaults(params.id, body || {})) },
		{ method: 'POST', path: '/_sandbox/numbers/:id/inbound-call', run: async ({ params, body }) => ok(await ops.simulateInboundCall(params.id, body || {})) },
		{ method: 'GET', path: '/_sandbox/calls/:id/simulation', run: ({ params }) => ok(ops.simulation(params.id)) },
		{ method: 'POST', path: '/_sandbox/numbers/:id/inbound-sms', run: ({ params, body }) => ok(ops.simulateInboundSms(params.id, body || {})) },
		{ method: 'GET', path: '/_sandbox/callouts', run: ({ query }) => ok({ data: ops.callouts(query) }) },
		{ method: 'DELETE', path: '/_sandbox/callouts', run: () => (ops.clearCallouts(), ok({ cleared: true })) },
		{ method: 'GET', path: '/_sandbox/requests', run: () => ok({ data: ops.requestLog() }) },
		{ method: 'DELETE', path: '/_sandbox/requests', run: () => (ops.clearRequestLog(), ok({ cleared: true })) },
		{ method: 'GET', path: '/_sandbox/deliveries', run: ({ query }) => ok({ data: ops.deliveries(query) }) },
		{ method: 'DELETE', path: '/_sandbox/deliveries', run: () => (ops.clearDeliveries(), ok({ cleared: true })) },
		{ method: 'POST', path: '/_sandbox/deliveries/settle', run: async ({ query }) => ok({ settled: await ops.settled(Number(query.timeoutMs) || 10000) }) },
		{ method: 'GET', path: '/_sandbox/webhooks', run: () => ok({ data: ops.snapshot().webhooks }) },
		{ method: 'GET', path: '/_sandbox/faults', run: () => ok({ data: ops.config.faults }) },
		{ method: 'PUT', path: '/_sandbox/faults', run: ({ body }) => ok({ data: ops.setFaults(Array.isArray(body) ? body : (body && body.faults) || []) }) },
		{ method: 'POST', path: '/_sandbox/faults', run: ({ body }) => ok({ data: ops.addFault(body) }) },
		{ method: 'DELETE', path: '/_sandbox/faults', run: () => ok({ data: ops.clearFaults() }) },
		{ method: 'PUT', path: '/_sandbox/limits', run: ({ body }) => ok(ops.setLimits(body || {})) },
		{ method: 'PUT', path: '/_sandbox/plan', run: ({ body }) => ok({ plan: ops.setPlan(body && body.plan).plan }) },
		{ method: 'GET', path: '/_sandbox/usage', run: ({ query }) => ok(ops.usage(query.period)) },
	];
	const router = createRouter(routes);

	/**
	 * @param {import('http').IncomingMessage} req
	 * @param {import('http').ServerResponse} res
	 * @param {string} path
	 * @param {Record<string, string>} query
	 * @param {Buffer} raw
	 */
	return async function control(req, res, path, query, raw) {
		const method = String(req.method || 'GET').toUpperCase();
		let reply;
		try {
			const found = router.find(method, path);
			if (!found || 'methodMismatch' in found) throw new ApiError(404, 'not_found', `Control route ${method} ${path} not found`);
			reply = await found.route.run({ params: found.params, query, body: parseJson(raw) });
		} catch (e) {
			const err =
				e instanceof ApiError
					? e
					: e instanceof ConfigError
						? new ApiError(422, 'invalid_config', e.message, { details: e.details })
						: internalError(e);
			reply = renderError(FIXED, err);
		}
		send(res, reply);
	};
}

module.exports = { createControl };
