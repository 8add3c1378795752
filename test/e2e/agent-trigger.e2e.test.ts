/**
 * The Phone Agent Trigger in a real n8n 2.41: the "AI receptionist checks the calendar" example
 * imported as it is wires itself into a number's inbound AI on activation, answers signed tool
 * calls and caller-context requests in AgentCall's shapes, refuses forged ones, and unwires on
 * deactivation. A deliberately slow and a failing caller-context workflow are answered with an
 * empty context in time (well before the workflow's own answer).
 */
import { createHmac } from 'crypto';

import type { Sandbox } from '../sandbox';
import { createAgentCallCredential, prepareExample, sandboxApi, sleep, startTestSandbox, waitFor } from './agentcall';
import { getN8n, nodeOutput } from './helpers';

const TYPE = 'n8n-nodes-agentcall.agentCallAgentTrigger';
const MARIA = '+13105550177';

let sandbox: Sandbox;
let line: { id: string; number: string };
let spare: { id: string; number: string };
let credential: { id: string; name: string };
const workflowIds: string[] = [];

interface Answer {
	status: number;
	body: Record<string, unknown> | string;
	ms: number;
}

/** POSTs `body` to `url` signed with `secret` (or the given signature), as AgentCall calls out. */
async function callOut(url: string, secret: string, body: unknown, signature?: string): Promise<Answer> {
	const raw = JSON.stringify(body);
	const started = performance.now();
	const res = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'x-agentcall-signature': signature ?? `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}` },
		body: raw,
	});
	const text = await res.text();
	const ms = performance.now() - started;
	let parsed: Record<string, unknown> | string = text;
	try {
		parsed = JSON.parse(text) as Record<string, unknown>;
	} catch {
		// not JSON: kept as text
	}
	return { status: res.status, body: parsed, ms };
}

type Block = { url: string; signingSecret: string; timeoutMs?: number };
const config = (id: string) => sandbox.inboundConfig(id) as (Record<string, Block> & { smsMode?: string; tools?: Array<{ name: string }> }) | null;

/** Imports and activates `workflow`, then waits until the sandbox's config carries `block`. */
async function activate(workflow: Record<string, unknown>, numberId: string, blocks: string[]) {
	const { client } = await getN8n();
	const created = await client.createWorkflow(workflow);
	workflowIds.push(created.id);
	await client.activate(created.id);
	await waitFor(() => blocks.every((block) => config(numberId)?.[block]), { what: `${blocks.join(', ')} on the number` });
	// n8n saves the triggers' static data (their secrets) after every trigger is wired: until then a call-out gets 401.
	const triggers = (workflow.nodes as Array<{ name: string; type: string }>).filter((node) => node.type === TYPE).map((node) => `node:${node.name}`);
	await waitFor(async () => {
		const saved = (await client.getWorkflow(created.id)).staticData as Record<string, { secret?: string }> | null;
		return triggers.every((key) => saved?.[key]?.secret);
	}, { what: 'n8n to save the triggers\' secrets' });
	return created.id as string;
}

async function executionsOf(workflowId: string) {
	const { client } = await getN8n();
	return (await client.listExecutions(workflowId, { limit: 50 })) as Array<{ id: string; status: string }>;
}

/** The number of executions once no new one appeared for a second (earlier runs may still be saved). */
async function settledCount(workflowId: string): Promise<number> {
	let last = -1;
	for (;;) {
		const count = (await executionsOf(workflowId)).length;
		if (count === last) return count;
		last = count;
		await sleep(1000);
	}
}

/** A one-trigger workflow: Caller Context on `numberId`, then `nodes` in a row. */
function contextWorkflow(name: string, numberId: string, nodes: Array<{ name: string; type: string; typeVersion: number; parameters: Record<string, unknown> }>) {
	const trigger = {
		id: crypto.randomUUID(),
		name: 'Caller calls',
		type: TYPE,
		typeVersion: 1,
		position: [0, 0],
		webhookId: crypto.randomUUID(),
		parameters: { agentNumberId: numberId, kind: 'callerContext', contextTimeoutMs: 800 },
		credentials: { agentCallApi: { id: credential.id, name: credential.name } },
	};
	const all = [trigger, ...nodes.map((node, index) => ({ id: crypto.randomUUID(), position: [220 * (index + 1), 0], ...node }))];
	const connections: Record<string, unknown> = {};
	for (let index = 0; index < all.length - 1; index++) connections[all[index].name] = { main: [[{ node: all[index + 1].name, type: 'main', index: 0 }]] };
	return { name, nodes: all, connections, settings: { executionOrder: 'v1' } };
}

const setContext = (value: string) => ({
	name: 'Set context',
	type: 'n8n-nodes-base.set',
	typeVersion: 3.4,
	parameters: { assignments: { assignments: [{ id: crypto.randomUUID(), name: 'contextBlock', value, type: 'string' }] }, options: {} },
});

beforeAll(async () => {
	sandbox = await startTestSandbox();
	line = await sandboxApi(sandbox, 'POST', '/v1/numbers/provision', { type: 'local', label: 'Front desk' });
	spare = await sandboxApi(sandbox, 'POST', '/v1/numbers/provision', { type: 'local', label: 'Slow CRM' });
	for (const number of [line, spare]) sandbox.configureInbound(number.id, { mode: 'ai', systemPrompt: 'You are Ava, the receptionist of Bright Smile Dental.', voice: 'coral' });
	const { client } = await getN8n();
	credential = await createAgentCallCredential(client, { name: 'receptionist sandbox', apiKey: sandbox.apiKey, baseUrl: sandbox.url });
});

afterAll(async () => {
	const { client } = await getN8n();
	for (const id of workflowIds) await client.deactivate(id).catch(() => undefined);
	await sandbox?.close();
});

describe('AgentCall Phone Agent Trigger in a real n8n', () => {
	let receptionist: string;

	it('the example wires both triggers into the number on activation, keeping the rest of its setup', async () => {
		const before = config(line.id)!;
		const workflow = prepareExample('aiReceptionist', {
			credential,
			freshWebhookIds: true,
			// The longest timeout AgentCall allows: on a loaded 2-core machine n8n's first runs can take
			// longer than 600 ms, and this test is about the answers, the slow test about the deadline.
			parameters: { 'Caller calls': { agentNumberId: line.id, contextTimeoutMs: 1500 }, 'Agent uses a tool': { agentNumberId: line.id } },
		});
		receptionist = await activate(workflow, line.id, ['contextWebhook', 'actionWebhook']);
		const after = config(line.id)!;
		expect(after.contextWebhook).toEqual({ url: expect.stringMatching(/\/webhook\/[^/]+\/webhook$/), signingSecret: expect.stringMatching(/^[0-9a-f]{64}$/), timeoutMs: 1500 });
		expect(after.actionWebhook.signingSecret).not.toBe(after.contextWebhook.signingSecret);
		expect((after.tools as unknown as Array<{ name: string }>).map((tool) => tool.name)).toEqual(['check_calendar', 'book_slot']);
		expect({ ...after, contextWebhook: null, actionWebhook: null, tools: [], contextSource: 'none' }).toEqual(before);
	});

	it('answers tool calls with the branch\'s result, several tools in one workflow', async () => {
		const { actionWebhook } = config(line.id)!;
		const context = { channel: 'voice', callId: 'call_e2e_1', contact: { phone: MARIA } };
		const free = await callOut(actionWebhook.url, actionWebhook.signingSecret, { tool: 'check_calendar', arguments: { date: '2026-12-01' }, context });
		expect(free).toMatchObject({ status: 200, body: { result: 'Free on 2026-12-01: 09:00, 11:30 and 15:00.' } });
		const closed = await callOut(actionWebhook.url, actionWebhook.signingSecret, { tool: 'check_calendar', arguments: '{"date":"2026-12-06"}', context });
		expect(closed.body).toEqual({ result: 'The practice is closed on 2026-12-06.' });
		const booked = await callOut(actionWebhook.url, actionWebhook.signingSecret, { tool: 'book_slot', arguments: { date: '2026-12-01', time: '09:00', name: 'Maria Lopez' }, context });
		expect(booked.body).toEqual({ result: 'Booked Maria Lopez on 2026-12-01 at 09:00. Confirmation sent by text.' });

		const { client } = await getN8n();
		const [latest] = await executionsOf(receptionist);
		const execution = await client.getExecution(latest.id);
		expect(nodeOutput(execution, 'Agent uses a tool')[0]).toEqual({ tool: 'book_slot', args: { date: '2026-12-01', time: '09:00', name: 'Maria Lopez' }, context });
	});

	it('answers the caller context before the call connects', async () => {
		const { contextWebhook } = config(line.id)!;
		// n8n loads the workflow's nodes on its first run; that one may be answered empty.
		await callOut(contextWebhook.url, contextWebhook.signingSecret, { caller: '+12125550100', numberId: line.id, callId: 'call_e2e_warm' });
		const known = await callOut(contextWebhook.url, contextWebhook.signingSecret, { caller: MARIA, numberId: line.id, callId: 'call_e2e_2', timestamp: new Date().toISOString() });
		expect(known).toMatchObject({ status: 200, body: { contextBlock: expect.stringContaining('Maria Lopez, patient since 2021') } });
		const stranger = await callOut(contextWebhook.url, contextWebhook.signingSecret, { caller: '+12125550123', numberId: line.id, callId: 'call_e2e_3' });
		expect(stranger.body).toEqual({ contextBlock: 'New caller: ask for their name and what they need.' });
	});

	it('answers a simulated inbound AI call: the context before it connects, two tool calls, all in the transcript', async () => {
		const simulate = async () =>
			await sandbox.simulateInboundCall(line.id, {
				from: MARIA,
				toolCalls: [
					{ tool: 'check_calendar', arguments: { date: '2026-12-01' }, atSecond: 1 },
					{ tool: 'book_slot', arguments: { date: '2026-12-01', time: '11:30', name: 'Maria Lopez' }, atSecond: 3 },
				],
			});
		// On this shared 2-core machine (load average near 20 while 7 engineers run suites) n8n has been
		// seen to need more than 1.5 s for the context run; the trigger then rightly answers empty. Up to
		// three calls, so that the check is about the answers: the call that got its context is checked in full.
		let call = await simulate();
		for (let attempt = 1; attempt < 3 && call.context.outcome !== 'used'; attempt++) {
			expect(call.context.outcome).toBe('timeout');
			call = await simulate();
		}
		expect(call).toMatchObject({ status: 'completed', context: { outcome: 'used', contextBlock: expect.stringContaining('Maria Lopez, patient since 2021') } });
		expect(call.toolCalls.map((toolCall) => [toolCall.tool, toolCall.outcome, toolCall.result])).toEqual([
			['check_calendar', 'ok', 'Free on 2026-12-01: 09:00, 11:30 and 15:00.'],
			['book_slot', 'ok', 'Booked Maria Lopez on 2026-12-01 at 11:30. Confirmation sent by text.'],
		]);
		const { transcript } = await sandboxApi(sandbox, 'GET', `/v1/calls/${call.callId}/transcript`);
		const lines = (transcript as Array<{ role: string; text: string }>).map((line) => `${line.role}: ${line.text}`);
		expect(lines[0]).toBe('system: Caller context: Caller: Maria Lopez, patient since 2021. Prefers morning appointments. Last visit: cleaning in March.');
		expect(lines).toContain('tool: check_calendar({"date":"2026-12-01"}) → result: Free on 2026-12-01: 09:00, 11:30 and 15:00.');
		expect(lines).toContain('tool: book_slot({"date":"2026-12-01","time":"11:30","name":"Maria Lopez"}) → result: Booked Maria Lopez on 2026-12-01 at 11:30. Confirmation sent by text.');
	});

	it('refuses forged call-outs with 401 and starts nothing', async () => {
		const { actionWebhook, contextWebhook } = config(line.id)!;
		const before = await settledCount(receptionist);
		const body = { tool: 'book_slot', arguments: { date: '2026-12-01', time: '09:00', name: 'Mallory' }, context: {} };
		expect((await callOut(actionWebhook.url, 'not-the-secret-0123456789', body)).status).toBe(401);
		expect((await callOut(actionWebhook.url, '', body, 'sha256=' + 'a'.repeat(64))).status).toBe(401);
		// The context block's secret does not open the tool block.
		expect((await callOut(actionWebhook.url, contextWebhook.signingSecret, body)).status).toBe(401);
		expect(await settledCount(receptionist)).toBe(before);
	});

	it('answers an empty context in time when the workflow is too slow, and when it fails', async () => {
		const slowId = await activate(
			contextWorkflow('Slow CRM', spare.id, [
				{ name: 'Slow lookup', type: 'n8n-nodes-base.wait', typeVersion: 1.1, parameters: { amount: 3, unit: 'seconds' } },
				setContext('Too late to matter'),
			]),
			spare.id,
			['contextWebhook'],
		);
		const slowBlock = config(spare.id)!.contextWebhook;
		const slow = await callOut(slowBlock.url, slowBlock.signingSecret, { caller: MARIA, numberId: spare.id, callId: 'call_slow' });
		expect(slow.status).toBe(200);
		expect(slow.body).toEqual({ contextBlock: '' });
		// The trigger answers 600 ms after its webhook() starts (800 less the margin); n8n's own work
		// before that varies with load, so this checks AgentCall's maximum timeout, far below the
		// 3 s the workflow takes. The share inside 800 ms is measured in test/bench/9-phone-agent.
		expect(slow.ms).toBeLessThan(1500);
		// The run itself goes on and ends normally; its late answer is dropped without an error.
		const { client } = await getN8n();
		const [run] = await waitFor(async () => {
			const list = await executionsOf(slowId);
			return list.length && list[0].status === 'success' ? list : false;
		}, { timeoutMs: 20000, what: 'the slow run to finish' });
		expect(nodeOutput(await client.getExecution(run.id), 'Set context')[0]).toEqual(expect.objectContaining({ contextBlock: 'Too late to matter' }));
		await client.deactivate(slowId);
		await waitFor(() => !config(spare.id)?.contextWebhook, { what: 'the slow workflow to unwire' });

		const failingId = await activate(
			contextWorkflow('Broken CRM', spare.id, [{ name: 'CRM down', type: 'n8n-nodes-base.stopAndError', typeVersion: 1, parameters: { errorMessage: 'CRM is down' } }]),
			spare.id,
			['contextWebhook'],
		);
		const failingBlock = config(spare.id)!.contextWebhook;
		const failed = await callOut(failingBlock.url, failingBlock.signingSecret, { caller: MARIA, numberId: spare.id, callId: 'call_fail' });
		expect(failed).toMatchObject({ status: 200, body: { contextBlock: '' } });
		expect(failed.ms).toBeLessThan(1500);
		const [failedRun] = await waitFor(async () => {
			const list = await executionsOf(failingId);
			return list.length && list[0].status === 'error' ? list : false;
		}, { timeoutMs: 20000, what: 'the failing run to be recorded' });
		expect(failedRun.status).toBe('error');
	});

	it('SMS Relay: an inbound text starts one run with message, conversation and contact, acknowledged at once', async () => {
		const workflow = contextWorkflow('Texts', spare.id, [setContext('={{ $json.message.body }}')]);
		(workflow.nodes[0] as { parameters: Record<string, unknown> }).parameters = { agentNumberId: spare.id, kind: 'smsRelay' };
		const relayId = await activate(workflow, spare.id, ['agentWebhook']);
		expect(config(spare.id)).toMatchObject({ smsMode: 'relay' });
		const sms = sandbox.simulateInboundSms(spare.id, { from: MARIA, body: 'Can I come at 3 instead?' });
		expect(sms).toMatchObject({ agent: 'relay' });
		const [run] = await waitFor(async () => {
			const list = await executionsOf(relayId);
			return list.length && list[0].status === 'success' ? list : false;
		}, { timeoutMs: 20000, what: 'the relay run' });
		const { client } = await getN8n();
		const [item] = nodeOutput(await client.getExecution(run.id), 'Caller calls');
		expect(item).toMatchObject({
			message: { id: sms.message.id, from: MARIA, body: 'Can I come at 3 instead?' },
			conversation: { id: sms.conversationId, contactPhone: MARIA },
			contact: { phone: MARIA },
			context: { channel: 'sms', numberId: spare.id },
		});
		await sandbox.settled(10000);
		expect(sandbox.callouts({ numberId: spare.id, kind: 'relay' }).map((entry) => entry.status)).toEqual([200]);
		await client.deactivate(relayId);
		await waitFor(() => config(spare.id)?.smsMode === 'off', { what: 'relay switched off again' });
	});

	it('unwires on deactivation: the number\'s config is as it was before', async () => {
		const { client } = await getN8n();
		await client.deactivate(receptionist);
		await waitFor(() => !config(line.id)?.actionWebhook && !config(line.id)?.contextWebhook, { what: 'the example to unwire' });
		expect(config(line.id)).toMatchObject({ tools: [], contextSource: 'none', systemPrompt: 'You are Ava, the receptionist of Bright Smile Dental.', voice: 'coral' });
	});
});
