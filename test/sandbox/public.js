// @ts-check
'use strict';

const catalog = require('./catalog');

/**
 * Public routes (no auth): `GET /` self-description, `GET /llms.txt`, `GET /docs/json` (a minimal
 * OpenAPI built from the route table) and the voice / premium-voice / prompt-template catalogues.
 * @param {any} core
 * @param {() => Array<{ method: string, path: string, public?: boolean }>} allRoutes
 */
function createPublic(core, allRoutes) {
	const apiRoutes = () => allRoutes().filter((r) => r.path.startsWith('/v1/'));

	function describe() {
		return {
			name: 'AgentCall API',
			version: '1.0',
			description: 'Phone numbers, SMS, OTP, voice and AI voice calls for agents (local AgentCall sandbox).',
			sandbox: true,
			baseUrl: core.baseUrl(),
			auth: { type: 'bearer', header: 'Authorization', keyPrefix: 'ac_live_' },
			docs: `${core.baseUrl()}/docs/json`,
			endpoints: apiRoutes().map((r) => ({ method: r.method, path: r.path.replace(/:(\w+)/g, '{$1}'), auth: !r.public })),
		};
	}

	function openapi() {
		/** @type {Record<string, Record<string, any>>} */
		const paths = {};
		for (const r of apiRoutes()) {
			const p = r.path.replace(/:(\w+)/g, '{$1}');
			paths[p] = paths[p] || {};
			paths[p][r.method.toLowerCase()] = { security: r.public ? [] : [{ bearerAuth: [] }], responses: { 200: { description: 'OK' } } };
		}
		return {
			openapi: '3.0.3',
			info: { title: 'AgentCall API (sandbox)', version: '1.0' },
			servers: [{ url: core.baseUrl() }],
			components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } } },
			paths,
		};
	}

	function llms() {
		const lines = apiRoutes().map((r) => `- ${r.method} ${r.path}${r.public ? ' (public)' : ''}`);
		return `# AgentCall (sandbox)\n\n> Phone numbers, SMS, OTP, voice and AI calls. Auth: Authorization: Bearer ac_live_...\n\n## Endpoints\n${lines.join('\n')}\n`;
	}

	const routes = [
		{ method: 'GET', path: '/', public: true, handler: () => ({ status: 200, body: describe() }) },
		{ method: 'GET', path: '/docs/json', public: true, handler: () => ({ status: 200, body: openapi() }) },
		{ method: 'GET', path: '/llms.txt', public: true, handler: () => ({ status: 200, raw: Buffer.from(llms()), contentType: 'text/plain; charset=utf-8' }) },
		{ method: 'GET', path: '/v1/calls/voices', public: true, handler: () => ({ status: 200, body: catalog.voices(core.baseUrl()) }) },
		{ method: 'GET', path: '/v1/calls/premium-voices', public: true, handler: () => ({ status: 200, body: catalog.premiumVoices(core.baseUrl()) }) },
		{
			method: 'GET',
			path: '/v1/calls/prompt-templates',
			public: true,
			handler: (/** @type {any} */ ctx) => ({ status: 200, body: catalog.promptTemplates(ctx.query) }),
		},
	];
	return { routes };
}

module.exports = { createPublic };
