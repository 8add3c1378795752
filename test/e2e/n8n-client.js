'use strict';
// A small client for a running n8n: owner/login, API key, credentials, workflows, executions.
// Split from n8n.js, which starts and installs n8n itself.

const axios = require('axios');

function sleep(ms) {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

class N8nRequestError extends Error {
	constructor(method, url, status, body) {
		const text = typeof body === 'string' ? body : JSON.stringify(body);
		super(`${method.toUpperCase()} ${url} -> ${status}: ${(text || '').slice(0, 800)}`);
		this.name = 'N8nRequestError';
		this.status = status;
		this.body = body;
	}
}

const TERMINAL_STATUSES = ['success', 'error', 'canceled', 'crashed'];

class N8nClient {
	/** @param {{ baseUrl: string, apiKey?: string, cookie?: string }} options */
	constructor({ baseUrl, apiKey, cookie }) {
		this.baseUrl = baseUrl.replace(/\/$/, '');
		this.apiKey = apiKey;
		this.cookie = cookie;
		this.http = axios.create({ baseURL: this.baseUrl, timeout: 60000, validateStatus: () => true, maxRedirects: 0 });
	}

	/**
	 * @param {'get'|'post'|'put'|'patch'|'delete'} method
	 * @param {string} url
	 * @param {{ data?: unknown, params?: Record<string, unknown>, auth?: 'cookie'|'apiKey'|'none', expect?: number[] }} [options]
	 * @returns {Promise<any>} the response body
	 */
	async request(method, url, { data, params, auth = url.startsWith('/api/') ? 'apiKey' : 'cookie', expect } = {}) {
		const headers = {};
		if (auth === 'cookie') {
			if (!this.cookie) throw new Error(`${url}: not logged in (call setupOwner or login first)`);
			headers.cookie = this.cookie;
		} else if (auth === 'apiKey') {
			if (!this.apiKey) throw new Error(`${url}: no API key (call createApiKey first)`);
			headers['X-N8N-API-KEY'] = this.apiKey;
		}
		const res = await this.http.request({ method, url, data, params, headers });
		const ok = expect ? expect.includes(res.status) : res.status >= 200 && res.status < 300;
		if (!ok) throw new N8nRequestError(method, url, res.status, res.data);
		return res.data;
	}

	keepCookie(res) {
		const set = [].concat(res.headers['set-cookie'] || []);
		const auth = set.map((c) => c.split(';')[0]).find((c) => c.startsWith('n8n-auth='));
		if (auth) this.cookie = auth;
	}

	/** POST /rest/owner/setup (once per database); keeps the n8n-auth cookie. */
	async setupOwner({ email = 'owner@agentcall.test', password = 'E2e-Passw0rd!', firstName = 'E2E', lastName = 'Owner' } = {}) {
		const res = await this.http.post('/rest/owner/setup', { email, password, firstName, lastName });
		if (res.status !== 200) throw new N8nRequestError('post', '/rest/owner/setup', res.status, res.data);
		this.keepCookie(res);
		return res.data.data;
	}

	/** POST /rest/login; keeps the n8n-auth cookie. */
	async login({ email = 'owner@agentcall.test', password = 'E2e-Passw0rd!' } = {}) {
		const res = await this.http.post('/rest/login', { emailOrLdapLoginId: email, password });
		if (res.status !== 200) throw new N8nRequestError('post', '/rest/login', res.status, res.data);
		this.keepCookie(res);
		return res.data.data;
	}

	/** An API key with every scope the owner may grant (GET /rest/api-keys/scopes); kept for /api/v1. */
	async createApiKey({ label = `e2e-${Date.now()}`, scopes } = {}) {
		const all = scopes || (await this.request('get', '/rest/api-keys/scopes')).data;
		const body = await this.request('post', '/rest/api-keys', { data: { label, scopes: all, expiresAt: null } });
		this.apiKey = body.data.rawApiKey;
		return this.apiKey;
	}

	/**
	 * POST /api/v1/credentials — { name, type, data } → { id, name, type, … }. n8n 1.123 and 2.0
	 * add "Allowed HTTP Request Domains" to every credential type and their public API then demands
	 * `allowedDomains` unless `allowedHttpRequestDomains` is given: sent again with its default, 'all'.
	 */
	async createCredential({ name, type = 'agentCallApi', data }) {
		const body = { name: name || `${type} ${Date.now()}`, type, data };
		try {
			return await this.request('post', '/api/v1/credentials', { data: body });
		} catch (error) {
			if (!(error instanceof N8nRequestError && error.status === 400 && /requires property \\?"allowedDomains/.test(error.message))) throw error;
			return await this.request('post', '/api/v1/credentials', { data: { ...body, data: { allowedHttpRequestDomains: 'all', ...data } } });
		}
	}

	/**
	 * POST /api/v1/credentials/:id/test → { status: 'OK' | 'Error', message }. n8n 1.123 and 2.0
	 * have no such public route (404): there the editor's way, POST /rest/credentials/test with the
	 * stored credential as the editor holds it (secrets redacted; n8n puts them back).
	 */
	async testCredential(id) {
		try {
			return await this.request('post', `/api/v1/credentials/${id}/test`);
		} catch (error) {
			if (!(error instanceof N8nRequestError && error.status === 404)) throw error;
			const stored = (await this.request('get', `/rest/credentials/${id}`, { params: { includeData: true } })).data;
			const { name, type, data } = stored;
			return (await this.request('post', '/rest/credentials/test', { data: { credentials: { id, name, type, data } } })).data;
		}
	}

	deleteCredential(id) {
		return this.request('delete', `/api/v1/credentials/${id}`);
	}

	/** POST /api/v1/workflows; only the fields the public API accepts are sent. */
	createWorkflow(json) {
		const { name, nodes, connections, settings, staticData } = json;
		return this.request('post', '/api/v1/workflows', {
			data: {
				name: name || `e2e ${Date.now()}`,
				nodes,
				connections: connections || {},
				settings: { executionOrder: 'v1', ...(settings || {}) },
				...(staticData ? { staticData } : {}),
			},
		});
	}

	/** GET /api/v1/workflows/:id (includes staticData). */
	getWorkflow(id) {
		return this.request('get', `/api/v1/workflows/${id}`);
	}

	deleteWorkflow(id) {
		return this.request('delete', `/api/v1/workflows/${id}`);
	}

	/** A JSON body is required: with none, axios sends form-encoding and n8n 2.41 answers 415. */
	activate(id) {
		return this.request('post', `/api/v1/workflows/${id}/activate`, { data: {} });
	}

	deactivate(id) {
		return this.request('post', `/api/v1/workflows/${id}/deactivate`, { data: {} });
	}

	/** Manual run from a trigger node: POST /rest/workflows/:id/run (cookie) → execution id. */
	async runWorkflow(id, triggerNodeName) {
		const url = `/rest/workflows/${id}/run`;
		const triggerToStartFrom = { name: triggerNodeName };
		let body;
		try {
			body = await this.request('post', url, { data: { triggerToStartFrom } });
		} catch (error) {
			// n8n 1.123 and 2.0 read the workflow from the body (500 "reading 'id'" without it)
			if (!(error instanceof N8nRequestError && error.status === 500 && /reading 'id'/.test(error.message))) throw error;
			const workflowData = (await this.request('get', `/rest/workflows/${id}`)).data;
			body = await this.request('post', url, { data: { workflowData, triggerToStartFrom } });
		}
		const executionId = body && body.data && body.data.executionId;
		if (!executionId) throw new Error(`run of workflow ${id} returned no executionId: ${JSON.stringify(body)}`);
		return String(executionId);
	}

	/**
	 * GET /api/v1/executions/:id?includeData=true. n8n 1.x on SQLite (pool size 0) saves a finished
	 * execution's status and its data in two statements, so a read in between sees "success"
	 * without `data`: such a read is repeated for up to 5 s.
	 */
	async getExecution(id, { includeData = true } = {}) {
		const deadline = Date.now() + 5000;
		for (;;) {
			const execution = await this.request('get', `/api/v1/executions/${id}`, { params: { includeData } });
			const dataPending = includeData && TERMINAL_STATUSES.includes(execution.status) && execution.data === undefined;
			if (!dataPending || Date.now() > deadline) return execution;
			await sleep(100);
		}
	}

	/** Poll until the execution's status is success/error/canceled/crashed (or one in `statuses`). */
	async waitForExecution(id, { timeoutMs = 60000, intervalMs = 300, statuses = TERMINAL_STATUSES } = {}) {
		const deadline = Date.now() + timeoutMs;
		let last;
		for (;;) {
			try {
				last = await this.getExecution(id);
				if (statuses.includes(last.status)) return last;
			} catch (error) {
				if (!(error instanceof N8nRequestError && error.status === 404)) throw error; // not saved yet
			}
			if (Date.now() > deadline) {
				throw new Error(`execution ${id} not finished after ${timeoutMs / 1000} s (status ${last && last.status})`);
			}
			await sleep(intervalMs);
		}
	}

	/** GET /api/v1/executions?workflowId= — newest first; returns the `data` array. */
	async listExecutions(workflowId, { includeData = false, status, limit = 100 } = {}) {
		const params = { workflowId, includeData, limit };
		if (status) params.status = status;
		return (await this.request('get', '/api/v1/executions', { params })).data;
	}

	/**
	 * GET /rest/executions (cookie), the editor's list: newest first, `{ id, status }` without data.
	 * Unlike the public API of n8n 1.x, it includes the executions this n8n holds in memory, which
	 * there are also the parked ones (waiting for a webhook).
	 */
	async listExecutionsInEditor(workflowId, { limit = 100 } = {}) {
		const body = await this.request('get', '/rest/executions', { params: { filter: JSON.stringify({ workflowId }), limit } });
		const results = (body && body.data && (body.data.results || body.data)) || [];
		return results.map((e) => ({ ...e, id: String(e.id) }));
	}

	/** GET /types/nodes.json (cookie): every node type description n8n has loaded. */
	nodeTypes() {
		return this.request('get', '/types/nodes.json');
	}

	/** GET /types/credentials.json (cookie). */
	credentialTypes() {
		return this.request('get', '/types/credentials.json');
	}
}

/** Items (json) a node produced in an execution fetched with includeData. */
function nodeOutput(execution, nodeName, { run = 0, output = 0 } = {}) {
	const runs = execution && execution.data && execution.data.resultData && execution.data.resultData.runData;
	const r = runs && runs[nodeName] && runs[nodeName][run];
	if (!r) return undefined;
	const main = r.data && r.data.main && r.data.main[output];
	return (main || []).map((item) => item.json);
}

module.exports = { N8nClient, N8nRequestError, nodeOutput, TERMINAL_STATUSES };
