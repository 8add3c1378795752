/**
 * The agent suite's shared parts (test files `agent*.e2e.test.ts`): a sandbox, the scripted model
 * of test/model and the credentials of a file (`setUpAgentSuite`), running an agent workflow, and
 * what to check in what n8n sent the model. Workflows and AgentCall tool parameters come from
 * agent-workflow.js.
 */
import { randomBytes } from 'crypto';

import type { ChatTool, ModelRequest, ModelServer, Script } from '../model';
import { lastToolResult, startModelServer, toolResults } from '../model';
import { modelFitProblems } from '../model/fit';
import type { Sandbox } from '../sandbox';
import { TOOL_DESCRIPTIONS } from '../../nodes/AgentCall/shared/toolDescriptions';
import { AGENT, TRIGGER, agentTypeVersionOf, agentWorkflow, createOpenAiCredential, saveConversation, toolName } from './agent-workflow';
import { createAgentCallCredential, executionError, startTestSandbox } from './agentcall';
import { getN8n, nodeOutput } from './helpers';

export interface Credential {
	id: string;
	name: string;
}
export interface AgentCallTool {
	parameters: { resource: string; operation: string; [key: string]: unknown };
	fromAI: Record<string, { description: string; type: string }>;
}
export interface ToolSpec {
	name: string;
	tool?: AgentCallTool;
	/** The tool node's Settings › On Error (default: Stop Workflow). */
	onError?: 'continueRegularOutput' | 'continueErrorOutput' | 'stopWorkflow';
	node?: { type: string; typeVersion: number; parameters: Record<string, unknown> };
}
export type Item = Record<string, unknown>;

/** A key no test writes anywhere else: if it reaches the model, n8n or a tool leaked it. */
const apiKey = `ac_live_agent_${randomBytes(12).toString('hex')}`;
export const LINE_LABEL = 'Agent line';

/** What a test file of the agent suite works with; filled in by `setUpAgentSuite`'s beforeAll. */
export const suite = {} as {
	sandbox: Sandbox;
	model: ModelServer;
	/** the suite's AgentCall credential (quiet hours off, other guardrails at their defaults) */
	agentCallCredential: Credential;
	/** the OpenAI credential whose Base URL is the scripted model */
	openAiCredential: Credential;
	/** the account's one number, labelled LINE_LABEL */
	line: { id: string; number: string };
	apiKey: string;
};

/**
 * Registers the file's beforeAll/afterAll: a sandbox that knows only this file's API key, the
 * scripted model, both credentials in the shared n8n and one number on the account.
 */
export function setUpAgentSuite(): void {
	beforeAll(async () => {
		suite.apiKey = apiKey;
		suite.sandbox = await startTestSandbox({ apiKeys: [apiKey] });
		suite.model = await startModelServer();
		const { client } = await getN8n();
		suite.agentCallCredential = await createAgentCallCredential(client, { name: 'agent sandbox', apiKey, baseUrl: suite.sandbox.url });
		suite.openAiCredential = await createOpenAiCredential(client, { name: 'scripted model', url: suite.model.url });
		const provisioned = await fetch(`${suite.sandbox.url}/v1/numbers/provision`, {
			method: 'POST',
			headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
			body: JSON.stringify({ type: 'local', label: LINE_LABEL }),
		});
		suite.line = (await provisioned.json()) as { id: string; number: string };
	});

	afterAll(async () => {
		await suite.model?.close();
		await suite.sandbox?.close();
	});
}

/** The output items of a node tool, as n8n sent them to the model (a JSON array of the items' JSON). */
export function items(request: ModelRequest, tool: string): Item[] {
	const json = lastToolResult(request, tool)?.json;
	if (!Array.isArray(json)) throw new Error(`no result of ${tool} in the request: ${JSON.stringify(toolResults(request))}`);
	return json as Item[];
}

/** The account's line as the model received it from List_my_numbers. */
export function lineFrom(request: ModelRequest): Item {
	const found = items(request, 'List_my_numbers').find((n) => n.label === LINE_LABEL);
	if (!found) throw new Error(`no number labelled "${LINE_LABEL}" in the List_my_numbers result`);
	return found;
}

/** Runs an agent workflow from its manual trigger with the script; checks it ran clean; returns the execution. */
export async function runAgentWorkflow(workflowJson: { name: string }, script: Script) {
	const { client } = await getN8n();
	suite.model.script(script);
	const workflow = await client.createWorkflow(workflowJson);
	const execution = await client.waitForExecution(await client.runWorkflow(workflow.id, TRIGGER), { timeoutMs: 150000 });
	saveConversation(workflowJson.name, suite.model.chatRequests);
	expect(suite.model.problems).toEqual([]);
	expect(executionError(execution)).toBeUndefined();
	expect(execution.status).toBe('success');
	expect(suite.model.pending).toBe(0);
	const output = nodeOutput(execution, AGENT)?.[0]?.output;
	return { execution, requests: suite.model.chatRequests, output };
}

/**
 * Creates the workflow of one scenario and runs it (`runAgentWorkflow`). `credential`: the
 * AgentCall credential of its tools (default: the suite's, quiet hours off).
 */
export async function runAgent(name: string, prompt: string, tools: ToolSpec[], script: Script, { credential = suite.agentCallCredential } = {}) {
	const agentTypeVersion = await agentTypeVersionOf((await getN8n()).client);
	const workflow = agentWorkflow({ name, prompt, openAiCredential: suite.openAiCredential, agentCallCredential: credential, tools, agentTypeVersion });
	return await runAgentWorkflow(workflow, script);
}

/**
 * What every scenario's model saw: exactly the connected tools; for each AgentCall tool the
 * operation's text for models (fit for one) and a schema with the $fromAI keys, all required;
 * and nowhere the AgentCall API key.
 */
export function expectWhatTheModelSaw(requests: ModelRequest[], tools: ToolSpec[]) {
	expect(requests.length).toBeGreaterThan(1);
	for (const request of requests) {
		expect(request.headers.authorization).toBe('Bearer sk-scripted-model');
		expect(request.body?.stream).toBeFalsy();
		expect((request.body?.tools ?? []).map((t) => t.function.name).sort()).toEqual(tools.map((t) => toolName(t.name)).sort());
	}
	const offered = (requests[0].body?.tools ?? []).map((t: ChatTool) => t.function);
	for (const spec of tools) {
		if (!spec.tool) continue;
		const fn = offered.find((f) => f.name === toolName(spec.name));
		const { resource, operation } = spec.tool.parameters;
		const text = TOOL_DESCRIPTIONS[resource][operation];
		expect(fn?.description).toBe(`${text} in AgentCall`);
		expect(modelFitProblems(`${resource}.${operation}`, text)).toEqual([]);
		const keys = Object.keys(spec.tool.fromAI).sort();
		expect(Object.keys(fn?.parameters?.properties ?? {}).sort()).toEqual(keys);
		for (const key of keys) expect(fn?.parameters?.properties?.[key]).toEqual(expect.objectContaining(spec.tool.fromAI[key]));
		expect([...(fn?.parameters?.required ?? [])].sort()).toEqual(keys);
	}
	for (const request of suite.model.requests) {
		expect(request.raw).not.toContain(apiKey);
		expect(JSON.stringify(request.headers)).not.toContain(apiKey);
	}
}

/**
 * The error a tool run handed the model, or undefined. n8n 2.41 turns a failed tool run into one
 * item `{ error: <message> }` (the error's description does not reach the model), unless the
 * tool node's On Error is "Stop Workflow".
 */
export function toolError(request: ModelRequest, tool: string): string | undefined {
	const json = lastToolResult(request, tool)?.json;
	const error = Array.isArray(json) && json.length === 1 ? (json[0] as Item).error : undefined;
	return typeof error === 'string' ? error : undefined;
}

/** Whether the newest result of `tool` in the conversation is a guardrail refusal. */
export function refusedText(request: ModelRequest, tool: string): boolean {
	return /^Refused by the AgentCall credential's guardrails/.test(toolError(request, tool) ?? '');
}

/** The error of a node's first run in the execution (a tool's run is a run of its node). */
export function toolRunError(execution: unknown, nodeName: string): { message?: string; description?: string } | undefined {
	const runData = (execution as { data?: { resultData?: { runData?: Record<string, Array<{ error?: { message?: string; description?: string } }>> } } })
		.data?.resultData?.runData;
	return runData?.[nodeName]?.[0]?.error;
}
