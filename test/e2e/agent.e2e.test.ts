/**
 * n8n's AI Agent (3.1) with AgentCall tools, in a real n8n, against the sandbox. The "model" is
 * the scripted server of test/model: each scenario scripts which tools it calls, taking the values
 * it passes from the tool results n8n sent it, then checks what n8n sent the model (tool names,
 * descriptions, parameter schemas built from $fromAI, tool results, never the AgentCall API key),
 * the agent's answer and the sandbox's state. Guardrail refusals and the example workflow:
 * agent-recipe.e2e.test.ts; shared parts: agent-harness.ts.
 */
import { callTools, say, toolResults } from '../model';
import { startAcme } from './acme';
import type { Item, ToolSpec } from './agent-harness';
import { expectWhatTheModelSaw, items, LINE_LABEL, lineFrom, runAgent, setUpAgentSuite, suite } from './agent-harness';
import { agentCallTools, fromAI } from './agent-workflow';
import { getN8n, nodeOutput } from './helpers';

setUpAgentSuite();
let acme: Awaited<ReturnType<typeof startAcme>>;
beforeAll(async () => {
	acme = await startAcme(suite.sandbox);
});
afterAll(async () => {
	await acme?.close();
});

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
		expect(acme.signups.at(-1)?.phone).toBe(suite.line.number);
		const code = acme.signups.at(-1)?.code;
		expect(toolResults(requests[3]).map((r) => r.name)).toEqual(['List_my_numbers', 'Request_Acme_code', 'Wait_for_OTP']);
		expect(items(requests[3], 'Wait_for_OTP')).toEqual([expect.objectContaining({ otp: code, timedOut: false, numberId: suite.line.id })]);
		expect(output).toBe(`You are signed up. The Acme verification code is ${code}.`);
		// Wait for OTP ran as its own node run, and its request was held until the code came.
		expect(nodeOutput(execution, 'Wait for OTP')).toBeDefined();
		const waited = suite.sandbox.requestLog().filter((e) => e.method === 'GET' && e.path === `/v1/sms/otp/${suite.line.id}`);
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
			expect(items(requests[3], 'Wait_for_OTP')).toEqual([expect.objectContaining({ otp: null, timedOut: true, numberId: suite.line.id })]);
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
			expect.objectContaining({ status: 'completed', timedOut: false, transcriptAvailable: true, to: restaurant, from: suite.line.number }),
		);
		expect(call.summary).toEqual(expect.stringMatching(/\w/));
		expect(call.transcriptText).toMatch(/^AI: /);
		expect(output).toBe(`Call completed. ${String(call.summary)}`);

		// The call really went out, with the model's instructions as the prompt.
		expect(suite.sandbox.snapshot().calls.find((c) => c.id === call.callId)).toEqual(
			expect.objectContaining({ mode: 'ai', status: 'completed', to: restaurant, numberId: suite.line.id }),
		);
		const sent = suite.sandbox.requestLog().filter((e) => e.method === 'POST' && e.path === '/v1/calls/ai');
		expect(sent.map((e) => e.body)).toEqual([expect.objectContaining({ from: suite.line.id, to: restaurant, systemPrompt: instructions })]);
	});

	it('book by phone, the call outlasts the wait: the tool returns at Max Wait with "timedOut", the call goes on', async () => {
		const restaurant = '+12125550124';
		// Five simulated minutes of talk (75 s at the suite's time scale) against a 6 s Max Wait.
		suite.sandbox.setCallOutcome({ to: restaurant, outcome: 'completed', durationSecs: 300 });
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
		expect(suite.sandbox.snapshot().calls.find((c) => c.id === call.callId)?.status).not.toBe('completed');
	});

	it('answer a text: reads the inbox and replies to the sender', async () => {
		const customer = '+14155550142';
		suite.sandbox.injectSms({ to: suite.line.id, from: customer, body: 'Hi, are you open on Sunday?' });
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
			expect.objectContaining({ from: customer, body: 'Hi, are you open on Sunday?', numberId: suite.line.id }),
		);
		expect(output).toBe(`Replied to ${customer}.`);
		// The SMS really went out from the line to the customer.
		const sent = suite.sandbox.snapshot().messages.filter((m) => m.direction === 'outbound' && m.to === customer);
		expect(sent).toEqual([expect.objectContaining({ from: suite.line.number, body: reply, numberId: suite.line.id })]);
	});
});
