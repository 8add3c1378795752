/**
 * n8n's AI Agent (3.1) with AgentCall tools, in a real n8n, against the sandbox. The "model" is
 * the scripted server of test/model: each scenario scripts which tools it calls, taking the values
 * it passes from the tool results n8n sent it, then checks what n8n sent the model (tool names,
 * descriptions, parameter schemas built from $fromAI, tool results, never the AgentCall API key),
 * the agent's answer and the sandbox's state.
 */
import { randomBytes } from 'crypto';

import type { ChatTool, ModelRequest, ModelServer, Script } from '../model';
import { callTools, lastToolResult, say, startModelServer, toolResults } from '../model';
import { modelFitProblems } from '../model/fit';
import type { Sandbox } from '../sandbox';
import { TOOL_DESCRIPTIONS } from '../../nodes/AgentCall/shared/toolDescriptions';
import { startAcme } from './acme';
import { AGENT, TRIGGER, agentCallTools, agentWorkflow, createOpenAiCredential, fromAI, saveConversation, toolName } from './agent-workflow';
import { createAgentCallCredential, EXAMPLES, executionError, prepareExample, readExample, startTestSandbox } from './agentcall';
import { getN8n, nodeOutput } from './helpers';

interface Credential {
	id: string;
	name: string;
}
interface AgentCallTool {
	parameters: { resource: string; operation: string; [key: string]: unknown };
	fromAI: Record<string, { description: string; type: string }>;
}
interface ToolSpec {
	name: string;
	tool?: AgentCallTool;
	node?: { type: string; typeVersion: number; parameters: Record<string, unknown> };
}
type Item = Record<string, unknown>;

/** A key no test writes anywhere else: if it reaches the model, n8n or a tool leaked it. */
const apiKey = `ac_live_agent_${randomBytes(12).toString('hex')}`;
const LINE_LABEL = 'Agent line';
let sandbox: Sandbox;
let model: ModelServer;
let acme: Awaited<ReturnType<typeof startAcme>>;
let agentCallCredential: Credential;
let openAiCredential: Credential;
let line: { id: string; number: string };

beforeAll(async () => {
	sandbox = await startTestSandbox({ apiKeys: [apiKey] });
	model = await startModelServer();
	acme = await startAcme(sandbox);
	const { client } = await getN8n();
	agentCallCredential = await createAgentCallCredential(client, { name: 'agent sandbox', apiKey, baseUrl: sandbox.url });
	openAiCredential = await createOpenAiCredential(client, { name: 'scripted model', url: model.url });
	const provisioned = await fetch(`${sandbox.url}/v1/numbers/provision`, {
		method: 'POST',
		headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
		body: JSON.stringify({ type: 'local', label: LINE_LABEL }),
	});
	line = (await provisioned.json()) as { id: string; number: string };
});

afterAll(async () => {
	await model?.close();
	await acme?.close();
	await sandbox?.close();
});

/** The output items of a node tool, as n8n sent them to the model (a JSON array of the items' JSON). */
function items(request: ModelRequest, tool: string): Item[] {
	const json = lastToolResult(request, tool)?.json;
	if (!Array.isArray(json)) throw new Error(`no result of ${tool} in the request: ${JSON.stringify(toolResults(request))}`);
	return json as Item[];
}

/** The account's line as the model received it from List_my_numbers. */
function lineFrom(request: ModelRequest): Item {
	const found = items(request, 'List_my_numbers').find((n) => n.label === LINE_LABEL);
	if (!found) throw new Error(`no number labelled "${LINE_LABEL}" in the List_my_numbers result`);
	return found;
}

/** Runs an agent workflow from its manual trigger with the script; checks it ran clean; returns the execution. */
async function runAgentWorkflow(workflowJson: { name: string }, script: Script) {
	const { client } = await getN8n();
	model.script(script);
	const workflow = await client.createWorkflow(workflowJson);
	const execution = await client.waitForExecution(await client.runWorkflow(workflow.id, TRIGGER), { timeoutMs: 150000 });
	saveConversation(workflowJson.name, model.chatRequests);
	expect(model.problems).toEqual([]);
	expect(executionError(execution)).toBeUndefined();
	expect(execution.status).toBe('success');
	expect(model.pending).toBe(0);
	const output = nodeOutput(execution, AGENT)?.[0]?.output;
	return { execution, requests: model.chatRequests, output };
}

/**
 * Creates the workflow of one scenario and runs it (`runAgentWorkflow`). `credential`: the
 * AgentCall credential of its tools (default: the suite's, quiet hours off).
 */
async function runAgent(name: string, prompt: string, tools: ToolSpec[], script: Script, { credential = agentCallCredential } = {}) {
	return await runAgentWorkflow(agentWorkflow({ name, prompt, openAiCredential, agentCallCredential: credential, tools }), script);
}

/**
 * What every scenario's model saw: exactly the connected tools; for each AgentCall tool the
 * operation's text for models (fit for one) and a schema with the $fromAI keys, all required;
 * and nowhere the AgentCall API key.
 */
function expectWhatTheModelSaw(requests: ModelRequest[], tools: ToolSpec[]) {
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
	for (const request of model.requests) {
		expect(request.raw).not.toContain(apiKey);
		expect(JSON.stringify(request.headers)).not.toContain(apiKey);
	}
}

/**
 * The error a tool run handed the model, or undefined. n8n 2.41 turns a failed tool run into one
 * item `{ error: <message> }` (the error's description does not reach the model), unless the
 * tool node's On Error is "Stop Workflow".
 */
function toolError(request: ModelRequest, tool: string): string | undefined {
	const json = lastToolResult(request, tool)?.json;
	const error = Array.isArray(json) && json.length === 1 ? (json[0] as Item).error : undefined;
	return typeof error === 'string' ? error : undefined;
}

/** Whether the newest result of `tool` in the conversation is a guardrail refusal. */
function refusedText(request: ModelRequest, tool: string): boolean {
	return /^Refused by the AgentCall credential's guardrails/.test(toolError(request, tool) ?? '');
}

/** What a model does with a refusal that says "ask the user for a different number". */
const ASK_USER = "I could not text that number: it is a premium-rate number this account may not text. Which other number should I use?";

/** The error of a node's first run in the execution (a tool's run is a run of its node). */
function toolRunError(execution: unknown, nodeName: string): { message?: string; description?: string } | undefined {
	const runData = (execution as { data?: { resultData?: { runData?: Record<string, Array<{ error?: { message?: string; description?: string } }>> } } })
		.data?.resultData?.runData;
	return runData?.[nodeName]?.[0]?.error;
}

const requestAcmeCode = (): ToolSpec => ({
	name: 'Request Acme code',
	node: {
		type: 'n8n-nodes-base.httpRequestTool',
		typeVersion: 4.2,
		parameters: {
			toolDescription: 'Asks Acme to text a sign-up verification code to a phone number',
			method: 'POST',
			url: `${acme.url}/signup`,
			sendBody: true,
			bodyParameters: {
				parameters: [{ name: 'phone', value: fromAI('phone', 'Phone number to verify, in E.164 format') }],
			},
			options: {},
		},
	},
});

describe('AI Agent with AgentCall tools (scripted model, real n8n)', () => {
	it('the editor gets the short action labels, for the node and for its tool variant', async () => {
		const { client } = await getN8n();
		const types = (await client.nodeTypes()) as Array<{ name: string; properties: Array<{ name: string; options?: Item[] }> }>;
		for (const name of ['n8n-nodes-agentcall.agentCall', 'n8n-nodes-agentcall.agentCallTool']) {
			const options = (types.find((t) => t.name === name)?.properties ?? [])
				.filter((p) => p.name === 'operation')
				.flatMap((p) => p.options ?? [])
				// n8n adds a "Custom API Call" option to each resource
				.filter((o) => o.value !== '__CUSTOM_API_CALL__');
			expect(options.length).toBeGreaterThanOrEqual(20);
			expect(options.filter((o) => typeof o.action !== 'string' || o.action.length > 40)).toEqual([]);
			expect(options.filter((o) => 'toJSON' in o)).toEqual([]);
			expect(options.find((o) => o.value === 'waitForOtp')?.action).toBe('Wait for an OTP code');
		}
	});

	it('sign up and verify: finds the number, asks Acme for a code, waits for it and reports it', async () => {
		const tools: ToolSpec[] = [
			{ name: 'List my numbers', tool: agentCallTools.listNumbers() },
			requestAcmeCode(),
			{ name: 'Wait for OTP', tool: agentCallTools.waitForOtp({ timeoutSeconds: 30 }) },
		];
		const { execution, requests, output } = await runAgent(
			'Agent: sign up and verify',
			`Sign me up for Acme with my AgentCall number "${LINE_LABEL}" and tell me the verification code.`,
			tools,
			[
				callTools({ name: 'List_my_numbers' }),
				(request) => callTools({ name: 'Request_Acme_code', args: { phone: lineFrom(request).number } }),
				(request) => callTools({ name: 'Wait_for_OTP', args: { numberId: lineFrom(request).id } }),
				(request) => say(`You are signed up. The Acme verification code is ${String(items(request, 'Wait_for_OTP')[0].otp)}.`),
			],
		);
		expectWhatTheModelSaw(requests, tools);

		// Acme was asked for this number, and the code it texted reached the model through Wait for OTP.
		expect(acme.signups.at(-1)?.phone).toBe(line.number);
		const code = acme.signups.at(-1)?.code;
		expect(toolResults(requests[3]).map((r) => r.name)).toEqual(['List_my_numbers', 'Request_Acme_code', 'Wait_for_OTP']);
		expect(items(requests[3], 'Wait_for_OTP')).toEqual([expect.objectContaining({ otp: code, timedOut: false, numberId: line.id })]);
		expect(output).toBe(`You are signed up. The Acme verification code is ${code}.`);
		// Wait for OTP ran as its own node run, and its request was held until the code came.
		expect(nodeOutput(execution, 'Wait for OTP')).toBeDefined();
		const waited = sandbox.requestLog().filter((e) => e.method === 'GET' && e.path === `/v1/sms/otp/${line.id}`);
		expect(waited).toEqual([expect.objectContaining({ status: 200 })]);
		expect(waited[0].durationMs).toBeGreaterThan(500);
	});

	it('sign up, no code arrives: Wait for OTP ends at its timeout with a result the model can act on', async () => {
		acme.setSendCodes(false);
		const tools: ToolSpec[] = [
			{ name: 'List my numbers', tool: agentCallTools.listNumbers() },
			requestAcmeCode(),
			{ name: 'Wait for OTP', tool: agentCallTools.waitForOtp({ timeoutSeconds: 3 }) },
		];
		try {
			const { requests, output } = await runAgent(
				'Agent: no code arrives',
				`Sign me up for Acme with my AgentCall number "${LINE_LABEL}".`,
				tools,
				[
					callTools({ name: 'List_my_numbers' }),
					(request) => callTools({ name: 'Request_Acme_code', args: { phone: lineFrom(request).number } }),
					(request) => callTools({ name: 'Wait_for_OTP', args: { numberId: lineFrom(request).id } }),
					(request) => {
						const [result] = items(request, 'Wait_for_OTP');
						return say(result.timedOut === true ? 'No code arrived. Shall I ask Acme for a new one?' : `Code ${String(result.otp)}`);
					},
				],
			);
			expectWhatTheModelSaw(requests, tools);
			expect(items(requests[3], 'Wait_for_OTP')).toEqual([expect.objectContaining({ otp: null, timedOut: true, numberId: line.id })]);
			expect(output).toBe('No code arrived. Shall I ask Acme for a new one?');
		} finally {
			acme.setSendCodes(true);
		}
	});

	it('book by phone: an AI call with Wait for Completion, the agent reads the summary', async () => {
		const restaurant = '+12125550123';
		const tools: ToolSpec[] = [
			{ name: 'List my numbers', tool: agentCallTools.listNumbers() },
			{ name: 'Phone a business', tool: agentCallTools.aiCallAndWait() },
		];
		const instructions =
			"You are Sam's assistant calling Luigi's Trattoria to book a table for 2 tonight at 7 pm under the name Sam. Confirm the time and thank them.";
		const { requests, output } = await runAgent(
			'Agent: book by phone',
			`Book a table for 2 tonight at 7 pm at Luigi's Trattoria (${restaurant}) by phone and tell me how it went.`,
			tools,
			[
				callTools({ name: 'List_my_numbers' }),
				(request) => callTools({ name: 'Phone_a_business', args: { fromNumberId: lineFrom(request).id, to: restaurant, instructions } }),
				(request) => {
					const [call] = items(request, 'Phone_a_business');
					return say(`Call ${String(call.status)}. ${String(call.summary)}`);
				},
			],
		);
		expectWhatTheModelSaw(requests, tools);

		const [call] = items(requests[2], 'Phone_a_business');
		expect(call).toEqual(
			expect.objectContaining({ status: 'completed', timedOut: false, transcriptAvailable: true, to: restaurant, from: line.number }),
		);
		expect(call.summary).toEqual(expect.stringMatching(/\w/));
		expect(call.transcriptText).toMatch(/^AI: /);
		expect(output).toBe(`Call completed. ${String(call.summary)}`);

		// The call really went out, with the model's instructions as the prompt.
		expect(sandbox.snapshot().calls.find((c) => c.id === call.callId)).toEqual(
			expect.objectContaining({ mode: 'ai', status: 'completed', to: restaurant, numberId: line.id }),
		);
		const sent = sandbox.requestLog().filter((e) => e.method === 'POST' && e.path === '/v1/calls/ai');
		expect(sent.map((e) => e.body)).toEqual([expect.objectContaining({ from: line.id, to: restaurant, systemPrompt: instructions })]);
	});

	it('book by phone, the call outlasts the wait: the tool returns at Max Wait with "timedOut", the call goes on', async () => {
		const restaurant = '+12125550124';
		// Five simulated minutes of talk (75 s at the suite's time scale) against a 6 s Max Wait.
		sandbox.setCallOutcome({ to: restaurant, outcome: 'completed', durationSecs: 300 });
		const tools: ToolSpec[] = [
			{ name: 'List my numbers', tool: agentCallTools.listNumbers() },
			{ name: 'Phone a business', tool: agentCallTools.aiCallAndWait({ maxWaitMinutes: 0.1 }) },
		];
		const { requests, output } = await runAgent(
			'Agent: call outlasts the wait',
			`Book a table for 2 tonight at Luigi's Trattoria (${restaurant}) by phone.`,
			tools,
			[
				callTools({ name: 'List_my_numbers' }),
				(request) =>
					callTools({ name: 'Phone_a_business', args: { fromNumberId: lineFrom(request).id, to: restaurant, instructions: 'Book a table for 2 at 7 pm.' } }),
				(request) => {
					const [call] = items(request, 'Phone_a_business');
					return say(call.timedOut === true ? `The call is still going on; I will check its transcript later (call ${String(call.callId)}).` : 'Booked.');
				},
			],
		);
		expectWhatTheModelSaw(requests, tools);

		const [call] = items(requests[2], 'Phone_a_business');
		expect(call).toEqual(expect.objectContaining({ timedOut: true, transcriptAvailable: false, summary: null, to: restaurant }));
		expect(['initiated', 'ringing', 'in-progress']).toContain(call.status);
		expect(output).toBe(`The call is still going on; I will check its transcript later (call ${String(call.callId)}).`);
		// The agent's run was held for Max Wait, not for the call: the call is still live after it.
		expect(sandbox.snapshot().calls.find((c) => c.id === call.callId)?.status).not.toBe('completed');
	});

	it('answer a text: reads the inbox and replies to the sender', async () => {
		const customer = '+14155550142';
		sandbox.injectSms({ to: line.id, from: customer, body: 'Hi, are you open on Sunday?' });
		const reply = 'Yes, we are open on Sunday from 10 am to 4 pm.';
		const tools: ToolSpec[] = [
			{ name: 'List my numbers', tool: agentCallTools.listNumbers() },
			{ name: 'Read texts', tool: agentCallTools.getInbox() },
			{ name: 'Send a text', tool: agentCallTools.sendSms() },
		];
		const { requests, output } = await runAgent(
			'Agent: answer a text',
			`Answer the newest text on my "${LINE_LABEL}" number: we are open on Sundays from 10 am to 4 pm.`,
			tools,
			[
				callTools({ name: 'List_my_numbers' }),
				(request) => callTools({ name: 'Read_texts', args: { numberId: lineFrom(request).id } }),
				(request) => {
					const [newest] = items(request, 'Read_texts');
					return callTools({ name: 'Send_a_text', args: { fromNumberId: newest.numberId, to: newest.from, message: reply } });
				},
				(request) => say(`Replied to ${String(items(request, 'Send_a_text')[0].to)}.`),
			],
		);
		expectWhatTheModelSaw(requests, tools);

		expect(items(requests[2], 'Read_texts')[0]).toEqual(
			expect.objectContaining({ from: customer, body: 'Hi, are you open on Sunday?', numberId: line.id }),
		);
		expect(output).toBe(`Replied to ${customer}.`);
		// The SMS really went out from the line to the customer.
		const sent = sandbox.snapshot().messages.filter((m) => m.direction === 'outbound' && m.to === customer);
		expect(sent).toEqual([expect.objectContaining({ from: line.number, body: reply, numberId: line.id })]);
	});

	it('refused: a premium-rate number, the refusal reaches the model, which asks the user instead', async () => {
		const premium = '+19005550100';
		const tools: ToolSpec[] = [
			{ name: 'List my numbers', tool: agentCallTools.listNumbers() },
			{ name: 'Send a text', tool: agentCallTools.sendSms() },
		];
		sandbox.clearRequestLog();
		const { execution, requests, output } = await runAgent(
			'Agent: refused number',
			`Text my cousin at ${premium} from my "${LINE_LABEL}" number: "See you at 7".`,
			tools,
			[
				callTools({ name: 'List_my_numbers' }),
				(request) => callTools({ name: 'Send_a_text', args: { fromNumberId: lineFrom(request).id, to: premium, message: 'See you at 7' } }),
				(request) => say(refusedText(request, 'Send_a_text') ? ASK_USER : 'Sent.'),
			],
		);
		expectWhatTheModelSaw(requests, tools);

		// n8n handed the guardrail's refusal to the model as the tool result, word for word: the
		// message alone (the description stays in the execution), so the message says what to do.
		expect(toolResults(requests[2]).map((r) => r.name)).toEqual(['List_my_numbers', 'Send_a_text']);
		expect(lastToolResult(requests[2], 'Send_a_text')?.json).toEqual([
			{
				error:
					"Refused by the AgentCall credential's guardrails - nothing was sent: +19005550100 starts with +1900, a blocked premium-rate or high-cost range. Do not retry this number; ask the user for a different number.",
			},
		]);
		// The model's next turn, asking the user, is the agent's answer.
		expect(output).toBe(ASK_USER);
		// Nothing reached AgentCall but the listing: no send, no message.
		expect(sandbox.requestLog().map((e) => `${e.method} ${e.path}`)).toEqual(['GET /v1/numbers']);
		expect(sandbox.snapshot().messages.filter((m) => m.to === premium)).toEqual([]);
		// The refusal is the tool node's error in the execution, where the owner sees it.
		expect(toolRunError(execution, 'Send a text')).toEqual(
			expect.objectContaining({ message: expect.stringMatching(/^Refused by the AgentCall credential's guardrails/) }),
		);
	});

	it('refused at the cap: an agent texting in a loop stops at Max SMS per Execution', async () => {
		const { client } = await getN8n();
		const capped = await createAgentCallCredential(client, {
			name: 'agent sandbox, 2 SMS per execution',
			apiKey,
			baseUrl: sandbox.url,
			guardrails: { quietHours: 'off', maxSmsPerExecution: 2 },
		});
		const customers = ['+14155550171', '+14155550172', '+14155550173', '+14155550174'];
		const tools: ToolSpec[] = [
			{ name: 'List my numbers', tool: agentCallTools.listNumbers() },
			{ name: 'Send a text', tool: agentCallTools.sendSms() },
		];
		sandbox.clearRequestLog();
		const { requests, output } = await runAgent(
			'Agent: refused at the cap',
			`Text each of my customers ${customers.join(', ')} from my "${LINE_LABEL}" number: "We open at 10 tomorrow".`,
			tools,
			// A model that keeps texting the next customer until a tool result tells it to stop.
			(request, index) => {
				if (index === 0) return callTools({ name: 'List_my_numbers' });
				if (refusedText(request, 'Send_a_text')) return say('I texted 2 customers, then hit the limit for one run. Shall I text the others later?');
				const next = customers[index - 1];
				if (next === undefined) return say('All customers texted.');
				return callTools({ name: 'Send_a_text', args: { fromNumberId: lineFrom(request).id, to: next, message: 'We open at 10 tomorrow' } });
			},
			{ credential: capped },
		);
		expectWhatTheModelSaw(requests, tools);

		// Two texts went out, the third was refused before any request, the model stopped there.
		expect(requests).toHaveLength(5);
		expect(toolResults(requests[4]).map((r) => r.name)).toEqual(['List_my_numbers', 'Send_a_text', 'Send_a_text', 'Send_a_text']);
		expect(toolResults(requests[4]).slice(1, 3).map((r) => (r.json as Item[])[0].to)).toEqual(customers.slice(0, 2));
		expect(toolError(requests[4], 'Send_a_text')).toBe(
			"Refused by the AgentCall credential's guardrails - nothing was sent: this run already placed or sent 2 SMS, the most allowed in one run (2). Do not retry in this run; tell the user the limit was reached.",
		);
		expect(output).toBe('I texted 2 customers, then hit the limit for one run. Shall I text the others later?');
		const sends = sandbox.requestLog().filter((e) => e.method === 'POST' && e.path === '/v1/sms/send');
		expect(sends.map((e) => (e.body as Item).to)).toEqual(customers.slice(0, 2));
		expect(sandbox.snapshot().messages.filter((m) => customers.includes(String(m.to)))).toHaveLength(2);
	});

	it('the example "AI agent with a phone" (examples/), imported as it is: its tools, its system message, a run', async () => {
		const customer = '+14155550188';
		sandbox.injectSms({ to: line.id, from: customer, body: 'Can I move my table to 8 pm?' });
		// The example's tools are exactly the builders' (one place for parameter names).
		const tools: ToolSpec[] = [
			{ name: 'List my numbers', tool: agentCallTools.listNumbers() },
			{ name: 'Read texts', tool: agentCallTools.getInbox() },
			{ name: 'Send an SMS', tool: agentCallTools.sendSms() },
			{ name: 'Wait for OTP', tool: agentCallTools.waitForOtp({ timeoutSeconds: 60 }) },
			{ name: 'Phone call with AI', tool: agentCallTools.aiCallAndWait({ pollIntervalSeconds: 5, maxWaitMinutes: 15 }) },
		];
		const example = readExample('aiAgent') as { nodes: Array<{ name: string; type: string; parameters: Item }> };
		const exampleTools = example.nodes.filter((n) => n.type === 'n8n-nodes-agentcall.agentCallTool');
		expect(exampleTools.map((n) => [n.name, n.parameters])).toEqual(tools.map((t) => [t.name, t.tool?.parameters]));
		const request = example.nodes.find((n) => n.name === 'Example request');
		const prompt = (request?.parameters.assignments as { assignments: Item[] }).assignments.find((a) => a.name === 'chatInput')?.value;
		const systemMessage = (example.nodes.find((n) => n.name === AGENT)?.parameters.options as Item).systemMessage;
		expect(EXAMPLES.aiAgent.trigger).toBe(TRIGGER);

		const summary = `You have one number, ${line.number}. ${customer} wrote: "Can I move my table to 8 pm?" They want to move their booking to 8 pm.`;
		const { requests, output } = await runAgentWorkflow(
			prepareExample('aiAgent', { credential: agentCallCredential, openAiCredential, name: 'Example: AI agent with a phone' }),
			[
				callTools({ name: 'List_my_numbers' }),
				(req) => callTools({ name: 'Read_texts', args: { numberId: lineFrom(req).id } }),
				(req) => {
					const [newest] = items(req, 'Read_texts');
					return say(`You have one number, ${line.number}. ${String(newest.from)} wrote: "${String(newest.body)}" They want to move their booking to 8 pm.`);
				},
			],
		);
		expectWhatTheModelSaw(requests, tools);
		// The model got the example's system message and its request (through the Simple Memory).
		const messages = requests[0].body?.messages ?? [];
		expect(messages[0]).toEqual(expect.objectContaining({ role: 'system', content: systemMessage }));
		expect(messages.at(-1)).toEqual(expect.objectContaining({ role: 'user', content: prompt }));
		expect(output).toBe(summary);
	});
});
