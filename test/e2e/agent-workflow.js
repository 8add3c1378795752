'use strict';
/**
 * AI Agent workflows for the real-n8n suite: Manual Trigger → AI Agent (3.1) whose chat model is
 * the OpenAI Chat Model (1.3, Chat Completions API) pointed at the scripted model server
 * (test/model), with AgentCall nodes attached as tools (`ai_tool`), their model-filled
 * parameters written as `$fromAI(...)`.
 *
 * This module is the ONE place where agent tests write AgentCall node parameters
 * (`agentCallTools`), so a parameter rename is one edit here.
 * Plain CommonJS: runs under the machine's Node 20.
 */
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const AGENTCALL_TOOL_TYPE = 'n8n-nodes-agentcall.agentCallTool';
const TRIGGER = 'When clicking ‘Execute workflow’';
const AGENT = 'AI Agent';
const AGENT_TYPE = '@n8n/n8n-nodes-langchain.agent';
const AGENT_TYPE_VERSION = 3.1;
const CHAT_MODEL = 'OpenAI Chat Model';

/** `={{ $fromAI('key', 'description', 'type') }}`: a parameter the model fills in. */
function fromAI(key, description, type = 'string') {
	const quoted = (text) => `'${String(text).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
	return `={{ $fromAI(${quoted(key)}, ${quoted(description)}, ${quoted(type)}) }}`;
}

/** A resource locator set by the model (the ID mode accepts any AgentCall ID). */
function locatorFromAI(key, description) {
	return { __rl: true, mode: 'id', value: fromAI(key, description) };
}

/**
 * One AgentCall tool: `{ parameters, fromAI }`. `fixed` parameters are set as given; each entry of
 * `byModel` (parameter name → `{ key, description, locator? }`) becomes a `$fromAI` string
 * parameter, and `fromAI` lists those keys with the description and type n8n must send the model.
 * @param {string} resource
 * @param {string} operation
 * @param {Record<string, unknown>} fixed
 * @param {Record<string, { key: string, description: string, locator?: boolean }>} [byModel]
 * @returns {{ parameters: { resource: string, operation: string, [name: string]: unknown }, fromAI: Record<string, { description: string, type: string }> }}
 */
function agentCallTool(resource, operation, fixed, byModel = {}) {
	/** @type {{ resource: string, operation: string, [name: string]: unknown }} */
	const parameters = { resource, operation, ...fixed };
	/** @type {Record<string, { description: string, type: string }>} */
	const keys = {};
	for (const [name, { key, description, locator }] of Object.entries(byModel)) {
		parameters[name] = locator ? locatorFromAI(key, description) : fromAI(key, description);
		keys[key] = { description, type: 'string' };
	}
	return { parameters, fromAI: keys };
}

/**
 * AgentCall tools as the agent scenarios use them. Descriptions stay on "automatic" (no
 * descriptionType), as a user leaves them.
 */
const agentCallTools = {
	listNumbers() {
		return agentCallTool('phoneNumber', 'getAll', { returnAll: true, filters: {} });
	},
	waitForOtp({ timeoutSeconds = 30 } = {}) {
		return agentCallTool(
			'sms',
			'waitForOtp',
			{ timeout: timeoutSeconds, onTimeout: 'outputItem' },
			{ smsNumberId: { key: 'numberId', description: 'ID of the phone number the code is texted to', locator: true } },
		);
	},
	getInbox() {
		return agentCallTool(
			'sms',
			'getInbox',
			{ returnAll: false, limit: 10, filters: {} },
			{ smsNumberId: { key: 'numberId', description: 'ID of the phone number whose received texts to read', locator: true } },
		);
	},
	sendSms() {
		return agentCallTool(
			'sms',
			'send',
			{ options: {} },
			{
				smsFrom: { key: 'fromNumberId', description: 'ID of the phone number to send from', locator: true },
				smsTo: { key: 'to', description: 'Phone number to text, in E.164 format' },
				message: { key: 'message', description: 'Text of the message' },
			},
		);
	},
	listCalls() {
		return agentCallTool('call', 'getAll', { returnAll: false, limit: 10 });
	},
	getTranscript() {
		return agentCallTool('aiCall', 'getTranscript', { options: {} }, { aiCallId: { key: 'callId', description: 'ID of the ended AI call' } });
	},
	aiCallAndWait({ pollIntervalSeconds = 1, maxWaitMinutes = 2 } = {}) {
		return agentCallTool(
			'aiCall',
			'start',
			{
				voice: 'shimmer',
				waitForCompletion: true,
				maxWaitMinutes,
				additionalFields: { language: 'en', maxDurationSecs: 300 },
				options: { pollIntervalSeconds, includeTranscriptText: true },
			},
			{
				aiCallFrom: { key: 'fromNumberId', description: 'ID of the phone number to call from', locator: true },
				aiCallTo: { key: 'to', description: 'Phone number to call, in E.164 format' },
				systemPrompt: { key: 'instructions', description: 'What the voice AI should say and find out during the call' },
			},
		);
	},
};

function position(index) {
	return [200 + index * 220, 300];
}

/**
 * The workflow JSON for POST /api/v1/workflows.
 * @param {{ name: string, prompt: string, systemMessage?: string, openAiCredential: { id: string, name: string },
 *   agentCallCredential: { id: string, name: string },
 *   tools: Array<{ name: string, tool?: { parameters: object }, node?: { type: string, typeVersion: number, parameters: object } }>,
 *   agentTypeVersion?: number }} spec
 *   `tools[].tool` is an entry of `agentCallTools`; `tools[].node` any other tool node.
 *   `agentTypeVersion`: the AI Agent's (default 3.1; `agentTypeVersionOf` gives the one an n8n has).
 */
function agentWorkflow({ name, prompt, systemMessage, openAiCredential, agentCallCredential, tools, agentTypeVersion = AGENT_TYPE_VERSION }) {
	const nodes = [
		{ id: crypto.randomUUID(), name: TRIGGER, type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
		{
			id: crypto.randomUUID(),
			name: AGENT,
			type: AGENT_TYPE,
			typeVersion: agentTypeVersion,
			position: [240, 0],
			parameters: {
				promptType: 'define',
				text: prompt,
				options: systemMessage ? { systemMessage } : {},
			},
		},
		{
			id: crypto.randomUUID(),
			name: CHAT_MODEL,
			type: '@n8n/n8n-nodes-langchain.lmChatOpenAi',
			typeVersion: 1.3,
			position: [0, 300],
			parameters: {
				model: { __rl: true, mode: 'id', value: 'gpt-4o-mini' },
				responsesApiEnabled: false,
				options: {},
			},
			credentials: { openAiApi: { id: String(openAiCredential.id), name: openAiCredential.name } },
		},
	];
	const connections = {
		[TRIGGER]: { main: [[{ node: AGENT, type: 'main', index: 0 }]] },
		[CHAT_MODEL]: { ai_languageModel: [[{ node: AGENT, type: 'ai_languageModel', index: 0 }]] },
	};
	tools.forEach((spec, index) => {
		const node = spec.tool
			? {
					type: AGENTCALL_TOOL_TYPE,
					typeVersion: 1,
					parameters: spec.tool.parameters,
					credentials: { agentCallApi: { id: String(agentCallCredential.id), name: agentCallCredential.name } },
				}
			: spec.node;
		// onError: the node's Settings › On Error, e.g. 'continueRegularOutput'
		nodes.push({ id: crypto.randomUUID(), name: spec.name, position: position(index), ...node, ...(spec.onError ? { onError: spec.onError } : {}) });
		connections[spec.name] = { ai_tool: [[{ node: AGENT, type: 'ai_tool', index: 0 }]] };
	});
	return { name, nodes, connections, settings: { executionOrder: 'v1' } };
}

const agentVersions = new Map();
/**
 * The AI Agent version the suite's workflows use in this n8n: 3.1, or the newest 3.x an older n8n
 * has (n8n 1.123 and 2.0 have only 3; the parameters the suite sets are the same in both).
 * @param {{ baseUrl: string, nodeTypes: () => Promise<Array<{ name: string, version: number | number[] }>> }} client
 */
async function agentTypeVersionOf(client) {
	if (!agentVersions.has(client.baseUrl)) {
		const versions = (await client.nodeTypes())
			.filter((type) => type.name === AGENT_TYPE)
			.flatMap((type) => [].concat(type.version))
			.filter((version) => version >= 3 && version <= AGENT_TYPE_VERSION);
		if (!versions.length) throw new Error(`this n8n has no ${AGENT_TYPE} 3.x`);
		agentVersions.set(client.baseUrl, Math.max(...versions));
	}
	return agentVersions.get(client.baseUrl);
}

/** The name n8n gives a tool for the model: the node name with characters outside [A-Za-z0-9_-] as "_". */
function toolName(nodeName) {
	return nodeName.replace(/[^a-zA-Z0-9_-]+/g, '_');
}

/** An OpenAI credential whose Base URL is the scripted model server. */
function createOpenAiCredential(client, { name, url, apiKey = 'sk-scripted-model' }) {
	return client.createCredential({ name, type: 'openAiApi', data: { apiKey, url, header: false } });
}

/**
 * Writes what the model received in one scenario (bodies of the chat requests, nothing else) to
 * test-artifacts/e2e/agent/<slug>.json, for reading after a run.
 */
function saveConversation(name, requests) {
	const dir = path.resolve(__dirname, '..', '..', 'test-artifacts', 'e2e', 'agent');
	fs.mkdirSync(dir, { recursive: true });
	const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
	fs.writeFileSync(path.join(dir, `${slug}.json`), JSON.stringify(requests.map((r) => r.body), null, 2));
}

module.exports = { AGENT, TRIGGER, agentCallTools, agentTypeVersionOf, agentWorkflow, createOpenAiCredential, fromAI, saveConversation, toolName };
