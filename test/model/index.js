'use strict';
/**
 * A scripted "model": an OpenAI-compatible chat-completions server on 127.0.0.1 that answers
 * from a per-test script and records every request. n8n's OpenAI Chat Model (credential Base URL
 * = `server.url`) talks to it like to OpenAI, so a test decides which tools the "model" calls and
 * then checks what n8n sent it (tools, descriptions, schemas, tool results). See README.md.
 * Plain CommonJS with Node built-ins only (runs under the machine's Node 20 and in jest).
 */
const http = require('http');
const crypto = require('crypto');

/** @typedef {import('./index').ModelRequest} ModelRequest */
/** @typedef {import('./index').ModelTurn} ModelTurn */
/** @typedef {import('./index').ScriptStep} ScriptStep */

/** An assistant turn that calls tools. @param {...{ name: string, args?: Record<string, unknown>, id?: string }} calls */
function callTools(...calls) {
	return { toolCalls: calls };
}

/** An assistant turn that answers in text (ends the agent's run). @param {string} content */
function say(content) {
	return { content };
}

/** The `role: "tool"` messages of a request, newest last, each with its content parsed when it is JSON. */
function toolResults(request) {
	const messages = (request && request.body && request.body.messages) || [];
	return messages
		.filter((m) => m && m.role === 'tool')
		.map((m) => {
			const text = contentText(m.content);
			let json;
			try {
				json = JSON.parse(text);
			} catch {
				json = undefined;
			}
			return { toolCallId: m.tool_call_id, name: toolNameOf(messages, m.tool_call_id), text, json };
		});
}

/** The newest tool result of a request, optionally only from tool `name`. */
function lastToolResult(request, name) {
	const results = toolResults(request).filter((r) => name === undefined || r.name === name);
	return results[results.length - 1];
}

/**
 * The output items of a node tool's last run as n8n sent them to the model (a JSON array of the
 * items' JSON); throws, listing what came back, when there is none.
 */
function toolItems(request, name) {
	const json = lastToolResult(request, name)?.json;
	if (!Array.isArray(json)) throw new Error(`no result of ${name} in the request: ${JSON.stringify(toolResults(request))}`);
	return json;
}

/** Message content as text (OpenAI allows a string or a list of text parts). */
function contentText(content) {
	if (typeof content === 'string') return content;
	if (Array.isArray(content)) return content.map((part) => (part && typeof part.text === 'string' ? part.text : '')).join('');
	return content == null ? '' : JSON.stringify(content);
}

/** The name of the tool an assistant turn called with `id`. */
function toolNameOf(messages, id) {
	for (const m of messages) {
		for (const call of (m && m.tool_calls) || []) if (call.id === id) return call.function && call.function.name;
	}
	return undefined;
}

function completion(request, turn) {
	const calls = (turn.toolCalls || []).map((call) => ({
		id: call.id || `call_${crypto.randomBytes(6).toString('hex')}`,
		type: 'function',
		function: { name: call.name, arguments: JSON.stringify(call.args || {}) },
	}));
	const message = { role: 'assistant', content: calls.length ? turn.content ?? null : String(turn.content ?? ''), refusal: null };
	if (calls.length) message.tool_calls = calls;
	return {
		id: `chatcmpl-${crypto.randomBytes(8).toString('hex')}`,
		object: 'chat.completion',
		created: Math.floor(Date.now() / 1000),
		model: (request.body && request.body.model) || 'scripted',
		choices: [{ index: 0, message, logprobs: null, finish_reason: calls.length ? 'tool_calls' : 'stop' }],
		usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
	};
}

/** OpenAI's error shape; 400 because the OpenAI client retries 5xx, which would hide the cause. */
function openAiError(res, status, message) {
	res.writeHead(status, { 'content-type': 'application/json' });
	res.end(JSON.stringify({ error: { message, type: 'invalid_request_error', param: null, code: 'scripted_model' } }));
}

/**
 * Starts the server on 127.0.0.1 (any free port).
 * @param {{ script?: ScriptStep[] | ((request: ModelRequest, index: number) => ModelTurn | Promise<ModelTurn>), models?: string[] }} [options]
 * @returns {Promise<import('./index').ModelServer>}
 */
async function startModelServer(options = {}) {
	/** @type {ModelRequest[]} */
	const requests = [];
	/** @type {string[]} */
	const problems = [];
	/** @type {ScriptStep[] | ((request: ModelRequest, index: number) => ModelTurn | Promise<ModelTurn>)} */
	let script = options.script || [];
	let answered = 0;
	const models = options.models || ['gpt-4o-mini'];

	/** @param {ModelRequest} request */
	async function nextTurn(request) {
		const index = answered++;
		if (typeof script === 'function') return await script(request, index);
		const step = script.shift();
		if (step === undefined) throw new Error(`no scripted answer left for model request #${index + 1}`);
		return typeof step === 'function' ? await step(request, index) : step;
	}

	const server = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', async () => {
			const raw = Buffer.concat(chunks).toString('utf8');
			let body;
			try {
				body = raw ? JSON.parse(raw) : undefined;
			} catch {
				body = undefined;
			}
			const path = (req.url || '').split('?')[0];
			/** @type {ModelRequest} */
			const request = { method: req.method || '', path, headers: { ...req.headers }, raw, body, time: new Date().toISOString() };
			requests.push(request);
			try {
				if (req.method === 'GET' && /\/models$/.test(path)) {
					res.writeHead(200, { 'content-type': 'application/json' });
					res.end(JSON.stringify({ object: 'list', data: models.map((id) => ({ id, object: 'model', created: 0, owned_by: 'scripted' })) }));
					return;
				}
				if (req.method !== 'POST' || !/\/chat\/completions$/.test(path)) {
					const hint = /\/responses$/.test(path) ? ' (set the OpenAI Chat Model option responsesApiEnabled: false)' : '';
					throw new Error(`the scripted model serves POST /v1/chat/completions only, not ${req.method} ${path}${hint}`);
				}
				if (!body || !Array.isArray(body.messages)) throw new Error('request body has no messages');
				if (body.stream) throw new Error('streaming is not scripted: run the workflow manually (n8n does not stream then)');
				const turn = await nextTurn(request);
				request.answer = completion(request, turn);
				res.writeHead(200, { 'content-type': 'application/json' });
				res.end(JSON.stringify(request.answer));
			} catch (error) {
				const message = `scripted model: ${error instanceof Error ? error.message : String(error)}`;
				problems.push(message);
				request.problem = message;
				openAiError(res, 400, message);
			}
		});
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve(undefined));
	});
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : 0;

	return {
		url: `http://127.0.0.1:${port}/v1`,
		port,
		requests,
		problems,
		/** Chat-completion requests only, in order. */
		get chatRequests() {
			return requests.filter((r) => r.method === 'POST' && /\/chat\/completions$/.test(r.path));
		},
		/** Replace the script (and forget what was recorded): one per test. */
		script(next) {
			script = Array.isArray(next) ? [...next] : next;
			answered = 0;
			requests.length = 0;
			problems.length = 0;
		},
		/** Scripted answers not used yet (array scripts). */
		get pending() {
			return Array.isArray(script) ? script.length : 0;
		},
		close() {
			return new Promise((resolve) => {
				server.closeAllConnections?.();
				server.close(() => resolve(undefined));
			});
		},
	};
}

module.exports = { startModelServer, callTools, say, toolResults, lastToolResult, toolItems };
