/**
 * The AgentCall SMS Trigger (SMS auto-reply example) in n8n queue mode: main (the leader) polls,
 * the workers run the executions, and each message is reported exactly once across a restart of
 * main. n8n 2.41 polls at most once a minute; the restart's start-up poll saves one wait.
 */
import type { Sandbox, SandboxMessage } from '../../sandbox';
import { createAgentCallCredential, prepareExample, sandboxApi, sleep, startTestSandbox, waitFor, waitForExecutions } from '../agentcall';
import { nodeOutput } from '../helpers';
import { getQueue, restartProcess, workerOf } from './topology';

interface Execution {
	id: string;
	mode: string;
	status: string;
}

let sandbox: Sandbox;
let line: { id: string; number: string };
let workflowId: string;

function inboxPolls() {
	return sandbox.requestLog().filter((entry) => entry.method === 'GET' && entry.path === `/v1/sms/inbox/${line.id}`);
}

function replies() {
	return sandbox.snapshot().messages.filter((m) => m.direction === 'outbound' && m.numberId === line.id);
}

async function reported(list: Execution[]): Promise<string[]> {
	const { client } = getQueue();
	const ids: string[] = [];
	for (const execution of list) {
		const full = await client.getExecution(execution.id);
		expect(full.status).toBe('success');
		ids.push(...nodeOutput(full, 'New SMS').map((item: { id: string }) => item.id));
	}
	return ids.sort();
}

beforeAll(async () => {
	sandbox = await startTestSandbox();
	line = await sandboxApi(sandbox, 'POST', '/v1/numbers/provision', { type: 'local', label: 'Support line' });
	sandbox.injectSms({ to: line.number, from: '+13105550100', body: 'Sent before the workflow was active' });
	const { client } = getQueue();
	const credential = await createAgentCallCredential(client, { name: 'queue auto-reply sandbox', apiKey: sandbox.apiKey, baseUrl: sandbox.url });
	workflowId = (await client.createWorkflow(prepareExample('smsAutoReply', { credential }))).id;
});

afterAll(async () => {
	await getQueue()
		.client.deactivate(workflowId)
		.catch(() => undefined);
	await sandbox?.close();
});

describe('AgentCall SMS Trigger in queue mode', () => {
	let first: SandboxMessage;

	it('main polls at activation and reports nothing already in the inbox', async () => {
		const { client } = getQueue();
		await client.activate(workflowId);
		await waitFor(() => inboxPolls().length > 0, { what: 'the first inbox poll' });
		await sleep(1500);
		expect(await client.listExecutions(workflowId)).toEqual([]);
	});

	it('reports a new SMS exactly once across a restart of main; a worker runs it and replies', async () => {
		first = sandbox.injectSms({ to: line.number, from: '+13105550111', body: 'Do you open on Sundays?' });
		const polls = inboxPolls().length;
		await restartProcess('main');
		const { client } = getQueue();
		const [execution] = await waitForExecutions(client, workflowId, 1, { timeoutMs: 90000 });
		expect(inboxPolls().length).toBeGreaterThan(polls);
		expect(execution.mode).toBe('trigger');
		expect(workerOf(execution.id)).toMatch(/^worker\d$/);
		expect(await reported([execution])).toEqual([first.id]);
		expect(replies().map((m) => m.to)).toEqual(['+13105550111']);
	});

	it('reports the next SMS at the next scheduled poll, and nothing twice', async () => {
		const { client } = getQueue();
		const second = sandbox.injectSms({ to: line.number, from: '+13105550122', body: 'Can I book for Tuesday?' });
		const list: Execution[] = await waitForExecutions(client, workflowId, 2, { timeoutMs: 90000 });
		expect(list).toHaveLength(2);
		expect(await reported(list)).toEqual([first.id, second.id].sort());
		expect(replies().map((m) => m.to).sort()).toEqual(['+13105550111', '+13105550122']);
	});
});
