/**
 * What an AI Agent's model reads back from AgentCall tools in a real n8n: with the tools' defaults
 * (Simplify on) the simplified items of README "Simplified items", and with Simplify off the full
 * items. The scripted model (test/model) lists the numbers and the calls, then reads the inbox and
 * the transcript of the AI call it found; the test checks the tool results n8n sent it.
 */
import { randomBytes } from 'crypto';

import type { ModelRequest, ModelServer } from '../model';
import { callTools, say, startModelServer, toolItems, toolResults } from '../model';
import type { Sandbox } from '../sandbox';
import { AGENT, TRIGGER, agentCallTools, agentTypeVersionOf, agentWorkflow, createOpenAiCredential, saveConversation } from './agent-workflow';
import { createAgentCallCredential, executionError, startTestSandbox } from './agentcall';
import { getN8n, nodeOutput } from './helpers';

type Item = Record<string, unknown>;
type AgentCallTool = ReturnType<typeof agentCallTools.listNumbers>;
type Credential = { id: string; name: string };

const apiKey = `ac_live_output_${randomBytes(12).toString('hex')}`;
const LINE_LABEL = 'Output line';
const CUSTOMER = '+12125550147';
const TEXTS = ['Your Acme verification code is 482913.', 'Are you open on Sunday?', 'Thanks, see you then!'];
let sandbox: Sandbox;
let model: ModelServer;
let agentCallCredential: Credential;
let openAiCredential: Credential;
let line: { id: string; number: string };
let aiCallId: string;

async function api(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Item> {
	const response = await fetch(`${sandbox.url}${path}`, {
		method,
		headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
	return (await response.json()) as Item;
}

beforeAll(async () => {
	sandbox = await startTestSandbox({ apiKeys: [apiKey] });
	model = await startModelServer();
	const { client } = await getN8n();
	agentCallCredential = await createAgentCallCredential(client, { name: 'output sandbox', apiKey, baseUrl: sandbox.url });
	openAiCredential = await createOpenAiCredential(client, { name: 'scripted model (output)', url: model.url });
	line = (await api('POST', '/v1/numbers/provision', { type: 'local', label: LINE_LABEL })) as typeof line;
	for (const body of TEXTS) sandbox.injectSms({ to: line.id, from: CUSTOMER, body });
	const plain = await api('POST', '/v1/calls/initiate', { from: line.id, to: CUSTOMER });
	const ai = await api('POST', '/v1/calls/ai', { from: line.id, to: CUSTOMER, systemPrompt: 'You are calling to confirm the appointment on Tuesday at 3 pm.' });
	sandbox.completeCall(String(plain.id));
	sandbox.completeCall(String(ai.id));
	aiCallId = String(ai.id);
});

afterAll(async () => {
	await model?.close();
	await sandbox?.close();
});

const items = toolItems;

const withParameters = (tool: AgentCallTool, extra: Item): AgentCallTool => ({ ...tool, parameters: { ...tool.parameters, ...extra } });

/** Runs the agent with the four reading tools (each with `extra` parameters); returns the last chat request. */
async function readEverything(name: string, extra: Item): Promise<ModelRequest> {
	const { client } = await getN8n();
	const tools = [
		{ name: 'List my numbers', tool: withParameters(agentCallTools.listNumbers(), extra) },
		{ name: 'List calls', tool: withParameters(agentCallTools.listCalls(), extra) },
		{ name: 'Read texts', tool: withParameters(agentCallTools.getInbox(), extra) },
		{ name: 'Read transcript', tool: withParameters(agentCallTools.getTranscript(), extra) },
	];
	model.script([
		callTools({ name: 'List_my_numbers' }, { name: 'List_calls' }),
		(request) =>
			callTools(
				{ name: 'Read_texts', args: { numberId: String(items(request, 'List_my_numbers').find((n) => n.label === LINE_LABEL)?.id) } },
				{ name: 'Read_transcript', args: { callId: String(items(request, 'List_calls').find((c) => c.mode === 'ai')?.id) } },
			),
		say('Read everything.'),
	]);
	const agentTypeVersion = await agentTypeVersionOf(client);
	const workflow = await client.createWorkflow(
		agentWorkflow({ name, prompt: 'Read my texts and my last AI call.', openAiCredential, agentCallCredential, tools, agentTypeVersion }),
	);
	const execution = await client.waitForExecution(await client.runWorkflow(workflow.id, TRIGGER), { timeoutMs: 150000 });
	saveConversation(name, model.chatRequests);
	expect(model.problems).toEqual([]);
	expect(executionError(execution)).toBeUndefined();
	expect(nodeOutput(execution, AGENT)?.[0]?.output).toBe('Read everything.');
	expect(model.chatRequests).toHaveLength(3);
	const last = model.chatRequests[2];
	expect(toolResults(last).map((result) => result.name).sort()).toEqual(['List_calls', 'List_my_numbers', 'Read_texts', 'Read_transcript']);
	expect(JSON.stringify(model.requests)).not.toContain(apiKey);
	return last;
}

describe('What the model reads from AgentCall tools (scripted model, real n8n)', () => {
	it('with the tools\' defaults: the simplified items, transcripts as text lines', async () => {
		const request = await readEverything('Agent output: simplified', {});

		const numbers = items(request, 'List_my_numbers');
		expect(numbers).toEqual([{ id: line.id, number: line.number, type: 'local', country: 'US', label: LINE_LABEL, status: 'active' }]);

		const calls = items(request, 'List_calls');
		expect(calls).toHaveLength(2);
		for (const call of calls) {
			expect(Object.keys(call)).toEqual(['id', 'mode', 'direction', 'status', 'from', 'to', 'duration', 'createdAt', 'endedAt']);
			expect(call).toMatchObject({ direction: 'outbound', status: 'completed', from: line.number, to: CUSTOMER });
		}
		expect(calls.map((call) => call.mode).sort()).toEqual(['ai', 'voice']);

		const texts = items(request, 'Read_texts');
		expect(texts.map((text) => text.body)).toEqual([...TEXTS].reverse());
		for (const text of texts) expect(Object.keys(text)).toEqual(['id', 'numberId', 'from', 'to', 'body', 'otp', 'receivedAt']);
		expect(texts[2]).toMatchObject({ numberId: line.id, from: CUSTOMER, to: line.number, otp: '482913' });

		const [transcript] = items(request, 'Read_transcript');
		expect(Object.keys(transcript)).toEqual(['callId', 'duration', 'summary', 'insights', 'transcriptText']);
		expect(transcript.callId).toBe(aiCallId);
		expect(String(transcript.transcriptText).split('\n')[0]).toMatch(/^AI: /);
		expect(String(transcript.transcriptText)).toMatch(/\nHuman: /);
		expect(transcript.summary).toEqual(expect.stringMatching(/\w/));
	});

	it('with Simplify off: the full items', async () => {
		const request = await readEverything('Agent output: full', { simple: false });

		expect(items(request, 'List_my_numbers')[0]).toEqual(expect.objectContaining({ id: line.id, inbound: expect.any(Object), outbound: expect.any(Object) }));
		for (const call of items(request, 'List_calls')) expect(call).toEqual(expect.objectContaining({ numberId: line.id, updatedAt: expect.any(String) }));
		for (const text of items(request, 'Read_texts')) expect(text).toEqual(expect.objectContaining({ direction: 'inbound', status: expect.any(String) }));
		const [transcript] = items(request, 'Read_transcript');
		expect(transcript).toEqual(expect.objectContaining({ callId: aiCallId, entries: expect.any(Array) }));
		expect(transcript).not.toHaveProperty('transcriptText');
		expect((transcript.entries as Item[])[0]).toEqual(expect.objectContaining({ role: 'ai', text: expect.any(String) }));
	});
});
