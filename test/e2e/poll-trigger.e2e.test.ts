/**
 * AgentCall SMS Trigger (the "SMS auto-reply" example) in a real n8n: activation records the
 * inbox, each new SMS becomes exactly one execution, also across an n8n restart, and the reply is
 * sent to the sender. n8n 2.41 refuses poll intervals under a minute ("The polling interval is too
 * short. It has to be at least a minute."), so the example's Every Minute is the fastest schedule;
 * the restart's start-up poll saves a second wait.
 */
import type { Sandbox, SandboxMessage } from '../sandbox';
import { createAgentCallCredential, prepareExample, sandboxApi, sleep, startTestSandbox, waitFor, waitForExecutions } from './agentcall';
import { getN8n, nodeOutput, restartN8n } from './helpers';

interface Execution {
	id: string;
	mode: string;
	status: string;
}

let sandbox: Sandbox;
let line: { id: string; number: string };
let workflowId: string;
let oldMessage: SandboxMessage;
let first: SandboxMessage;

function inboxPolls() {
	return sandbox.requestLog().filter((entry) => entry.method === 'GET' && entry.path === `/v1/sms/inbox/${line.id}`);
}

function replies() {
	return sandbox.snapshot().messages.filter((m) => m.direction === 'outbound' && m.numberId === line.id);
}

async function itemsOf(execution: Execution) {
	const { client } = await getN8n();
	const full = await client.getExecution(execution.id);
	expect(full.status).toBe('success');
	return { trigger: nodeOutput(full, 'New SMS'), reply: nodeOutput(full, 'Reply to sender') };
}

beforeAll(async () => {
	sandbox = await startTestSandbox();
	line = await sandboxApi(sandbox, 'POST', '/v1/numbers/provision', { type: 'local', label: 'Support line' });
	oldMessage = sandbox.injectSms({ to: line.number, from: '+13105550100', body: 'Sent before the workflow was active' });
	const { client } = await getN8n();
	const credential = await createAgentCallCredential(client, { name: 'auto-reply sandbox', apiKey: sandbox.apiKey, baseUrl: sandbox.url });
	workflowId = (await client.createWorkflow(prepareExample('smsAutoReply', { credential }))).id;
});

afterAll(async () => {
	const { client } = await getN8n();
	await client.deactivate(workflowId).catch(() => undefined);
	await sandbox?.close();
});

describe('AgentCall SMS Trigger (SMS auto-reply example) in a real n8n', () => {
	it('reads the inboxes when activated and reports none of the messages already there', async () => {
		const { client } = await getN8n();
		await client.activate(workflowId);
		await waitFor(() => inboxPolls().length > 0, { what: 'the first inbox poll' });
		expect(sandbox.requestLog().some((entry) => entry.method === 'GET' && entry.path === '/v1/numbers')).toBe(true);
		await sleep(1500);
		expect(await client.listExecutions(workflowId)).toEqual([]);
		expect(replies()).toEqual([]);
		expect(oldMessage.id).toMatch(/^msg_/);
	});

	it('reports a new SMS once across an n8n restart, and replies to its sender', async () => {
		first = sandbox.injectSms({ to: line.number, from: '+13105550111', body: 'Do you open on Sundays?' });
		const pollsBefore = inboxPolls().length;
		await restartN8n();
		const { client } = await getN8n();
		const [execution] = await waitForExecutions(client, workflowId, 1, { timeoutMs: 75000 });
		expect(inboxPolls().length).toBeGreaterThan(pollsBefore);
		expect(execution.mode).toBe('trigger');
		const { trigger, reply } = await itemsOf(execution);
		expect(trigger).toEqual([
			expect.objectContaining({ id: first.id, numberId: line.id, from: '+13105550111', to: line.number, body: 'Do you open on Sundays?' }),
		]);
		expect(reply).toEqual([expect.objectContaining({ direction: 'outbound', to: '+13105550111' })]);
		expect(replies()).toEqual([
			expect.objectContaining({
				from: line.number,
				to: '+13105550111',
				body: 'Thanks for your message! We received: "Do you open on Sundays?". Someone from our team will get back to you shortly.',
			}),
		]);
	});

	it('reports the next SMS at the next scheduled poll, and nothing twice', async () => {
		const { client } = await getN8n();
		const second = sandbox.injectSms({ to: line.number, from: '+13105550122', body: 'Can I book for Tuesday?' });
		const polls = inboxPolls().length;
		const executions: Execution[] = await waitForExecutions(client, workflowId, 2, { timeoutMs: 75000 });
		expect(inboxPolls().length).toBeGreaterThan(polls);
		expect(executions).toHaveLength(2);
		const { trigger } = await itemsOf(executions[0]);
		expect(trigger).toEqual([expect.objectContaining({ id: second.id, from: '+13105550122', body: 'Can I book for Tuesday?' })]);
		expect(replies().map((m) => m.to).sort()).toEqual(['+13105550111', '+13105550122']);
		const reported = [];
		for (const execution of executions) reported.push(...(await itemsOf(execution)).trigger.map((item: { id: string }) => item.id));
		expect(reported.sort()).toEqual([first.id, second.id].sort());
	});
});
