/**
 * The README's AI agents recipe in a real n8n, with the scripted model (test/model): a guardrail
 * refusal reaches the model as the tool result and nothing reaches the sandbox, the cap per
 * execution stops an agent that texts in a loop, and the example workflow
 * examples/ai-agent-with-a-phone.json runs as it is imported. Shared parts: agent-harness.ts.
 */
import { callTools, lastToolResult, say, toolResults } from '../model';
import type { Item, ToolSpec } from './agent-harness';
import {
	expectWhatTheModelSaw,
	items,
	LINE_LABEL,
	lineFrom,
	refusedText,
	runAgent,
	runAgentWorkflow,
	setUpAgentSuite,
	suite,
	toolError,
	toolRunError,
} from './agent-harness';
import { AGENT, TRIGGER, agentCallTools, agentTypeVersionOf, agentWorkflow } from './agent-workflow';
import { createAgentCallCredential, EXAMPLES, executionError, prepareExample, readExample } from './agentcall';
import { getN8n } from './helpers';
import { n8nAtLeast } from './versions';

/**
 * Where a failing tool goes. Tested: n8n 1.123.81 and 2.0.3 end the agent's execution with the
 * tool's error; 2.41.1 hands the error to the model as the tool's result. The versions between are
 * not tested, so the suite expects the newer behaviour from 2.41 on.
 */
const TOOL_ERRORS_REACH_MODEL = n8nAtLeast('2.41.0');
/** AI Agent 3.1, which the example uses, arrived with n8n 2.1 (2.0.3 has 3 at most). */
const AGENT_3_1 = n8nAtLeast('2.1.4');

setUpAgentSuite();

/** What a model does with a refusal that says "ask the user for a different number". */
export const ASK_USER = "I could not text that number: it is a premium-rate number this account may not text. Which other number should I use?";

describe('AI agents recipe: guardrail refusals and the example workflow (scripted model, real n8n)', () => {
	(TOOL_ERRORS_REACH_MODEL ? it.skip : it)('refused on an n8n that stops at a failing tool (1.123, 2.0): the run ends with the refusal, nothing is sent', async () => {
		const premium = '+19005550100';
		const { client } = await getN8n();
		const tools: ToolSpec[] = [
			{ name: 'List my numbers', tool: agentCallTools.listNumbers() },
			{ name: 'Send a text', tool: agentCallTools.sendSms() },
		];
		suite.sandbox.clearRequestLog();
		suite.model.script([
			callTools({ name: 'List_my_numbers' }),
			(request) => callTools({ name: 'Send_a_text', args: { fromNumberId: lineFrom(request).id, to: premium, message: 'See you at 7' } }),
		]);
		const workflow = await client.createWorkflow(
			agentWorkflow({
				name: 'Agent: refused number, older n8n',
				prompt: `Text my cousin at ${premium} from my "${LINE_LABEL}" number: "See you at 7".`,
				openAiCredential: suite.openAiCredential,
				agentCallCredential: suite.agentCallCredential,
				tools,
				agentTypeVersion: await agentTypeVersionOf(client),
			}),
		);
		const execution = await client.waitForExecution(await client.runWorkflow(workflow.id, TRIGGER), { timeoutMs: 150000 });
		expect(suite.model.problems).toEqual([]);
		expect(suite.model.pending).toBe(0);
		expect(execution.status).toBe('error');
		expect(executionError(execution)).toEqual(
			expect.objectContaining({
				message: "Refused by the AgentCall credential's guardrails - nothing was sent: +19005550100 starts with +1900, a blocked premium-rate or high-cost range. Do not retry this number; ask the user for a different number.",
			}),
		);
		expect(suite.sandbox.requestLog().map((e) => `${e.method} ${e.path}`)).toEqual(['GET /v1/numbers']);
		expect(suite.sandbox.snapshot().messages.filter((m) => m.to === premium)).toEqual([]);
	});

	(TOOL_ERRORS_REACH_MODEL ? it : it.skip)('refused: a premium-rate number, the refusal reaches the model, which asks the user instead', async () => {
		const premium = '+19005550100';
		const tools: ToolSpec[] = [
			{ name: 'List my numbers', tool: agentCallTools.listNumbers() },
			{ name: 'Send a text', tool: agentCallTools.sendSms() },
		];
		suite.sandbox.clearRequestLog();
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
		expect(suite.sandbox.requestLog().map((e) => `${e.method} ${e.path}`)).toEqual(['GET /v1/numbers']);
		expect(suite.sandbox.snapshot().messages.filter((m) => m.to === premium)).toEqual([]);
		// The refusal is the tool node's error in the execution, where the owner sees it.
		expect(toolRunError(execution, 'Send a text')).toEqual(
			expect.objectContaining({ message: expect.stringMatching(/^Refused by the AgentCall credential's guardrails/) }),
		);
	});

	(TOOL_ERRORS_REACH_MODEL ? it : it.skip)('refused at the cap: an agent texting in a loop stops at Max SMS per Execution', async () => {
		const { client } = await getN8n();
		const capped = await createAgentCallCredential(client, {
			name: 'agent suite.sandbox, 2 SMS per execution',
			apiKey: suite.apiKey,
			baseUrl: suite.sandbox.url,
			guardrails: { quietHours: 'off', maxSmsPerExecution: 2 },
		});
		const customers = ['+14155550171', '+14155550172', '+14155550173', '+14155550174'];
		const tools: ToolSpec[] = [
			{ name: 'List my numbers', tool: agentCallTools.listNumbers() },
			{ name: 'Send a text', tool: agentCallTools.sendSms() },
		];
		suite.sandbox.clearRequestLog();
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
		const sends = suite.sandbox.requestLog().filter((e) => e.method === 'POST' && e.path === '/v1/sms/send');
		expect(sends.map((e) => (e.body as Item).to)).toEqual(customers.slice(0, 2));
		expect(suite.sandbox.snapshot().messages.filter((m) => customers.includes(String(m.to)))).toHaveLength(2);
	});

	(AGENT_3_1 ? it : it.skip)('the example "AI agent with a phone" (examples/), imported as it is: its tools, its system message, a run', async () => {
		const customer = '+14155550188';
		suite.sandbox.injectSms({ to: suite.line.id, from: customer, body: 'Can I move my table to 8 pm?' });
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

		const summary = `You have one number, ${suite.line.number}. ${customer} wrote: "Can I move my table to 8 pm?" They want to move their booking to 8 pm.`;
		const { requests, output } = await runAgentWorkflow(
			prepareExample('aiAgent', { credential: suite.agentCallCredential, openAiCredential: suite.openAiCredential, name: 'Example: AI agent with a phone' }),
			[
				callTools({ name: 'List_my_numbers' }),
				(req) => callTools({ name: 'Read_texts', args: { numberId: lineFrom(req).id } }),
				(req) => {
					const [newest] = items(req, 'Read_texts');
					return say(`You have one number, ${suite.line.number}. ${String(newest.from)} wrote: "${String(newest.body)}" They want to move their booking to 8 pm.`);
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
