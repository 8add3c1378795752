'use strict';
/**
 * AgentCall-specific helpers for the real-n8n suite and `npm start`: the example workflows in
 * examples/*.json (loaded and wired to a credential and a sandbox), a sandbox for a test file,
 * the AgentCall credential, and small polling helpers.
 * Plain CommonJS (Node built-ins + the repo's sandbox): runs under the machine's Node 20.
 */
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const { startSandbox } = require('../sandbox');
const { REPO_DIR } = require('./n8n');

const EXAMPLES_DIR = path.join(REPO_DIR, 'examples');
/** The sandbox URL written in the example files; replaced by the running sandbox's URL on import. */
const EXAMPLE_SANDBOX_URL = 'http://127.0.0.1:4010';
const PACKAGE = 'n8n-nodes-agentcall';
/** The owner `npm start` signs up in its demo n8n (printed for the user; a local demo only). */
const DEMO_OWNER = { email: 'demo@agentcall.test', password: 'AgentCall-Demo-1', firstName: 'Demo', lastName: 'Owner' };
const AGENTCALL_TYPES = [`${PACKAGE}.agentCall`, `${PACKAGE}.agentCallTool`, `${PACKAGE}.agentCallTrigger`, `${PACKAGE}.agentCallPollTrigger`, `${PACKAGE}.agentCallWait`, `${PACKAGE}.agentCallAgentTrigger`];
const OPENAI_CHAT_MODEL_TYPE = '@n8n/n8n-nodes-langchain.lmChatOpenAi';

/** The examples, in the order `npm start` lists them. `trigger`: the node a manual run starts from. */
const EXAMPLES = {
	otpQa: { file: 'otp-qa.json', trigger: 'When clicking ‘Execute workflow’', activate: false },
	aiAppointmentCall: { file: 'ai-appointment-call.json', trigger: 'When clicking ‘Execute workflow’', activate: false },
	smsAutoReply: { file: 'sms-auto-reply.json', trigger: 'New SMS', activate: true },
	eventLog: { file: 'event-log.json', trigger: 'AgentCall event', activate: true },
	aiAgent: { file: 'ai-agent-with-a-phone.json', trigger: 'When clicking ‘Execute workflow’', activate: false },
	callReportToCrm: { file: 'call-report-to-crm.json', trigger: 'Report ready', activate: true },
	// Started by a POST to its Webhook once published; the demo leaves publishing to the user.
	approveRefundBySms: { file: 'approve-refund-by-sms.json', trigger: 'Refund request', activate: false },
	aiReceptionist: { file: 'ai-receptionist.json', trigger: 'Agent uses a tool', activate: false },
};

function sleep(ms) {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The raw example workflow JSON. @param {keyof typeof EXAMPLES} key */
function readExample(key) {
	const spec = EXAMPLES[key];
	if (!spec) throw new Error(`unknown example ${key}`);
	return JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, spec.file), 'utf8'));
}

/**
 * An example ready for POST /api/v1/workflows: every AgentCall node and tool uses `credential`,
 * every OpenAI Chat Model `openAiCredential`, the sandbox URL points at `sandboxUrl`, optional name
 * suffix, optional fresh webhook IDs (two workflows with the same webhookId cannot be active at
 * once) and parameter overrides per node name.
 * @param {keyof typeof EXAMPLES} key
 * @param {{ credential?: { id: string, name: string }, openAiCredential?: { id: string, name: string }, sandboxUrl?: string, name?: string, freshWebhookIds?: boolean, parameters?: Record<string, Record<string, unknown>> }} [options]
 */
function prepareExample(key, { credential, openAiCredential, sandboxUrl, name, freshWebhookIds = false, parameters = {} } = {}) {
	let text = fs.readFileSync(path.join(EXAMPLES_DIR, EXAMPLES[key].file), 'utf8');
	if (sandboxUrl) text = text.split(EXAMPLE_SANDBOX_URL).join(sandboxUrl.replace(/\/+$/, ''));
	const workflow = JSON.parse(text);
	if (name) workflow.name = name;
	for (const node of workflow.nodes) {
		if (credential && AGENTCALL_TYPES.includes(node.type)) {
			node.credentials = { agentCallApi: { id: String(credential.id), name: credential.name } };
		}
		if (openAiCredential && node.type === OPENAI_CHAT_MODEL_TYPE) {
			node.credentials = { openAiApi: { id: String(openAiCredential.id), name: openAiCredential.name } };
		}
		if (freshWebhookIds && node.webhookId) node.webhookId = crypto.randomUUID();
		if (parameters[node.name]) node.parameters = { ...node.parameters, ...parameters[node.name] };
	}
	return workflow;
}

/** Names of the nodes in an example that are of one of our types. */
function agentCallNodeNames(workflow) {
	return workflow.nodes.filter((node) => AGENTCALL_TYPES.includes(node.type)).map((node) => node.name);
}

/**
 * A sandbox on 127.0.0.1 (any free port) for one test file. Defaults keep runs short: prefixed IDs,
 * AI calls of ~2 s, delivery retries after 0.1-1.6 s.
 * @param {Record<string, unknown>} [config]
 */
function startTestSandbox(config = {}) {
	return startSandbox({
		port: 0,
		host: '127.0.0.1',
		config: { idFormat: 'prefixed', timeScale: 0.25, deliveryBackoffScale: 0.1, ...config },
	});
}

/**
 * An agentCallApi credential in n8n through the public API. n8n fills in the other guardrail
 * defaults; quiet hours are off so that calls in the suite pass at any time of day.
 * @param {import('./n8n-client').N8nClient} client
 * @param {{ name: string, apiKey: string, baseUrl: string, guardrails?: Record<string, unknown> }} options
 */
async function createAgentCallCredential(client, { name, apiKey, baseUrl, guardrails = { quietHours: 'off' } }) {
	return client.createCredential({ name, type: 'agentCallApi', data: { apiKey, baseUrl, ...guardrails } });
}

const MANUAL_TRIGGER = { id: 'm', name: 'Manual', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };

/**
 * A one-node workflow (Manual → "AgentCall" with these parameters and node settings such as
 * `onError`), run manually; resolves to the finished execution.
 */
async function runAgentCallNode(client, { name, credential, parameters, node = {} }) {
	const workflow = await client.createWorkflow({
		name,
		nodes: [
			MANUAL_TRIGGER,
			{
				id: 'a',
				name: 'AgentCall',
				type: 'n8n-nodes-agentcall.agentCall',
				typeVersion: 1,
				position: [220, 0],
				parameters,
				credentials: { agentCallApi: { id: credential.id, name: credential.name } },
				...node,
			},
		],
		connections: { Manual: { main: [[{ node: 'AgentCall', type: 'main', index: 0 }]] } },
	});
	return client.waitForExecution(await client.runWorkflow(workflow.id, 'Manual'), { timeoutMs: 60000 });
}

/** Sandbox API request (Bearer key) from the test process. */
async function sandboxApi(sandbox, method, route, body) {
	const res = await fetch(`${sandbox.url}${route}`, {
		method,
		headers: { authorization: `Bearer ${sandbox.apiKey}`, 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await res.text();
	let json;
	try {
		json = text ? JSON.parse(text) : undefined;
	} catch {
		json = text;
	}
	if (!res.ok) throw new Error(`${method} ${route} -> ${res.status}: ${text.slice(0, 500)}`);
	return json;
}

/**
 * Poll `probe` until it returns a truthy value (returned) or time runs out (throws, naming `what`
 * and the last value seen).
 * @template T
 * @param {() => Promise<T> | T} probe
 * @param {{ timeoutMs?: number, intervalMs?: number, what?: string }} [options]
 * @returns {Promise<Exclude<T, false | null | undefined | 0 | ''>>}
 */
async function waitFor(probe, { timeoutMs = 30000, intervalMs = 250, what = 'condition' } = {}) {
	const deadline = Date.now() + timeoutMs;
	let last;
	for (;;) {
		last = await probe();
		if (last) return last;
		if (Date.now() > deadline) {
			throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what} (last: ${JSON.stringify(last)})`);
		}
		await sleep(intervalMs);
	}
}

/** Executions of a workflow (newest first), once there are at least `count` finished ones. */
async function waitForExecutions(client, workflowId, count, { timeoutMs = 30000 } = {}) {
	return waitFor(
		async () => {
			const list = await client.listExecutions(workflowId);
			const finished = list.filter((e) => e.finished || ['success', 'error', 'crashed', 'canceled'].includes(e.status));
			return finished.length >= count ? finished : false;
		},
		{ timeoutMs, intervalMs: 300, what: `${count} execution(s) of workflow ${workflowId}` },
	);
}

/** The error of a failed execution (fetched with includeData): message, description, node. */
function executionError(execution) {
	const result = execution && execution.data && execution.data.resultData;
	const error = result && result.error;
	if (!error) return undefined;
	return {
		message: error.message,
		description: error.description,
		node: (error.node && error.node.name) || result.lastNodeExecuted,
		httpCode: error.httpCode,
	};
}

module.exports = {
	DEMO_OWNER,
	EXAMPLES,
	EXAMPLES_DIR,
	EXAMPLE_SANDBOX_URL,
	AGENTCALL_TYPES,
	readExample,
	prepareExample,
	agentCallNodeNames,
	startTestSandbox,
	createAgentCallCredential,
	MANUAL_TRIGGER,
	runAgentCallNode,
	sandboxApi,
	waitFor,
	waitForExecutions,
	executionError,
	sleep,
};
