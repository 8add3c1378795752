/**
 * AgentCall Wait (SMS › Send and Wait for Reply, AI Call › Start and Wait) in a real n8n: the execution is
 * parked (status "waiting"), survives a restart, and is resumed through its resume URL by the
 * sandbox's signed delivery of the recipient's reply; forged requests, other people's texts and
 * unrecognised answers leave it waiting; a timeout passes the input on; 20 executions waiting on
 * one number are each resumed by their own recipient; no webhook is left at AgentCall.
 */
import { randomUUID } from 'crypto';

import type { Sandbox } from '../sandbox';
import { createAgentCallCredential, executionError, prepareExample, sandboxApi, sleep, startTestSandbox, waitFor } from './agentcall';
import { getN8n, nodeOutput, restartN8n } from './helpers';
import { N8nRequestError } from './n8n-client';
import { n8nAtLeast } from './versions';

/** n8n offers nodes the execution's custom data from 2.16 on; AgentCall Wait refuses to start before. */
const WAITS_SUPPORTED = n8nAtLeast('2.16.0');
const describeWaits = WAITS_SUPPORTED ? describe : describe.skip;

interface Execution {
	id: string;
	status: string;
}

const PERSON = '+12125550101';
const STRANGER = '+12125550102';
const SLOW_PERSON = '+12125550103';
const UNSURE_PERSON = '+12125550104';

let sandbox: Sandbox;
let line: { id: string; number: string };
let credential: { id: string; name: string };
const paths = { sms: `ask-${randomUUID().slice(0, 8)}`, call: `call-${randomUUID().slice(0, 8)}` };
const workflowIds: string[] = [];
let askNodeId = '';

function webhookNode(path: string) {
	return {
		id: 'trigger',
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 0],
		webhookId: randomUUID(),
		parameters: { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} },
	};
}

/**
 * The "Approve a refund by SMS" example as it is, on its own path, with the wait limit taken from
 * the request (minutes) so that one workflow serves every scenario.
 */
function askWorkflow() {
	const workflow = prepareExample('approveRefundBySms', {
		credential,
		name: `Approve a refund by SMS ${paths.sms}`,
		freshWebhookIds: true,
		parameters: {
			'Refund request': { path: paths.sms },
			'Ask the manager': { replyWaitAmount: "={{ $('Refund request').item.json.body.waitMinutes }}", replyWaitUnit: 'minutes' },
		},
	});
	askNodeId = workflow.nodes.find((node: { name: string }) => node.name === 'Ask the manager').id;
	return workflow;
}

/** Webhook → AgentCall Wait › AI Call › Start and Wait. */
function callWorkflow() {
	return {
		name: `Parked AI call ${paths.call}`,
		nodes: [
			webhookNode(paths.call),
			{
				id: 'call-node',
				name: 'Call',
				type: 'n8n-nodes-agentcall.agentCallWait',
				typeVersion: 1,
				position: [220, 0],
				parameters: {
					resource: 'aiCall',
					operation: 'startAndWait',
					aiCallFrom: { __rl: true, mode: 'id', value: line.id },
					aiCallTo: '={{ $json.body.to }}',
					systemPrompt: 'You confirm a dentist appointment for tomorrow at 10.',
					maxWaitMinutes: 10,
				},
				credentials: { agentCallApi: { id: credential.id, name: credential.name } },
			},
		],
		connections: { Webhook: { main: [[{ node: 'Call', type: 'main', index: 0 }]] } },
	};
}

/** POST to a Webhook trigger; n8n 2.41 publishes an activation in the background, so a 404 (nothing ran) is tried again. */
async function trigger(path: string, body: Record<string, unknown>): Promise<void> {
	const { webhookUrl } = await getN8n();
	const status = await waitFor(
		async () => {
			const res = await fetch(`${webhookUrl.replace(/\/+$/, '')}/webhook/${path}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(body),
			});
			await res.arrayBuffer();
			// 404: not published yet; 503: n8n's busy SQLite ping; nothing ran either way.
			return res.status === 404 || res.status === 503 ? false : res.status;
		},
		{ timeoutMs: 30_000, what: `the webhook ${path}` },
	);
	expect(status).toBe(200);
}

/**
 * n8n's REST answers 503 "Database is not ready" while its SQLite health ping times out under a
 * burst (20 executions resuming at once on 2 shared cores): asked again after a pause.
 */
async function unlessBusy<T>(read: () => Promise<T>): Promise<T> {
	for (let attempt = 1; ; attempt++) {
		try {
			return await read();
		} catch (error) {
			const busy = (error instanceof N8nRequestError && error.status === 503) || /timeout/i.test(String((error as Error).message));
			// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- test code: the client's own error, as it is
			if (!busy || attempt >= 20) throw error;
			await sleep(500);
		}
	}
}

/** The editor's list: n8n 1.x's public API leaves out the executions parked in memory. */
async function executions(workflowId: string): Promise<Execution[]> {
	const { client } = await getN8n();
	return (await unlessBusy(async () => await client.listExecutionsInEditor(workflowId))) as Execution[];
}

/** The one execution whose Ask node texted `to` (its Webhook input names it). */
async function executionFor(workflowId: string, to: string): Promise<Execution & { data: unknown }> {
	const { client } = await getN8n();
	return waitFor(
		async () => {
			for (const { id } of await executions(workflowId)) {
				const full = await unlessBusy(async () => await client.getExecution(id));
				if ((nodeOutput(full, 'Webhook') ?? nodeOutput(full, 'Refund request'))?.[0]?.body?.managerPhone === to || nodeOutput(full, 'Webhook')?.[0]?.body?.to === to) return full;
			}
			return false;
		},
		{ what: `the execution for ${to}` },
	);
}

async function statusOf(id: string): Promise<string> {
	const { client } = await getN8n();
	return (await unlessBusy(async () => await client.getExecution(id, { includeData: false }))).status;
}

function waitHooks() {
	return sandbox.snapshot().webhooks.filter((hook) => hook.url.includes('/webhook-waiting/'));
}

function hookOf(executionId: string) {
	return waitHooks().find((hook) => hook.url.includes(`/webhook-waiting/${executionId}/`));
}

function textsTo(phone: string): string[] {
	return sandbox
		.snapshot()
		.messages.filter((message) => message.direction === 'outbound' && message.to === phone)
		.map((message) => String(message.body));
}

beforeAll(async () => {
	// AgentCall's own retry pace (1, 2, 4, 8, 16 s): n8n on a loaded machine may answer 503 for a while.
	sandbox = await startTestSandbox({ deliveryBackoffScale: 1 });
	const { client } = await getN8n();
	credential = await createAgentCallCredential(client, { name: `Send and wait ${paths.sms}`, apiKey: sandbox.apiKey, baseUrl: sandbox.url });
	line = await sandboxApi(sandbox, 'POST', '/v1/numbers/provision', { type: 'local' });
	for (const workflow of [askWorkflow(), callWorkflow()]) {
		const created = await client.createWorkflow(workflow);
		await client.activate(created.id);
		workflowIds.push(created.id);
	}
}, 60_000);

afterAll(async () => {
	const { client } = await getN8n();
	for (const id of workflowIds) await client.deleteWorkflow(id).catch(() => undefined);
	await sandbox?.close();
});

describeWaits('SMS › Send and Wait for Reply in a real n8n', () => {
	it('parks, ignores forgeries and strangers, survives a restart, resumes with the reply; a timeout passes the input on', async () => {
		const [workflowId] = workflowIds;
		await trigger(paths.sms, { managerPhone: PERSON, order: 'A-1', amount: '$40', customer: 'Kim', waitMinutes: 60 });
		await trigger(paths.sms, { managerPhone: SLOW_PERSON, order: 'A-2', amount: '$15', customer: 'Lee', waitMinutes: 0.05 });
		const waiting = await executionFor(workflowId, PERSON);
		const timingOut = await executionFor(workflowId, SLOW_PERSON);
		await waitFor(async () => (await statusOf(waiting.id)) === 'waiting', { what: 'status waiting' });
		expect(textsTo(PERSON)).toEqual(['Refund request: $40 for order A-1 (Kim). Reply YES to approve or NO to decline.']);

		// One webhook per waiting execution, at its resume URL for the node, for sms.inbound only.
		const hook = hookOf(waiting.id)!;
		expect(hook.events).toEqual(['sms.inbound']);
		expect(hook.url).toMatch(new RegExp(`/webhook-waiting/${waiting.id}/${askNodeId}\\?signature=[^&]+&agentcallWaitUntil=\\d+$`));
		expect(hookOf(timingOut.id)).toBeDefined();

		// Forged: no signature, a wrong one. n8n runs the node's webhook(), which answers 401.
		const body = JSON.stringify({ event: 'sms.inbound', data: { from: PERSON, to: line.number, numberId: line.id, body: 'YES' } });
		for (const headers of [{}, { 'x-agentcall-signature': `sha256=${'0'.repeat(64)}` }] as Array<Record<string, string>>) {
			const res = await fetch(hook.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
			expect(res.status).toBe(401);
		}
		// Someone else texts the number: delivered, signed, answered 200, not a reply.
		await sandboxApi(sandbox, 'POST', '/_sandbox/sms/inbound', { to: line.id, from: STRANGER, body: 'YES' });
		await waitFor(() => sandbox.deliveries({ webhookId: hook.id }).some((d) => d.status === 200), { what: 'the stranger delivered' });
		await sleep(500);
		expect(await statusOf(waiting.id)).toBe('waiting');

		await restartN8n();
		// n8n's wait tracker resumes the execution whose limit passed when it starts.
		const timedOut = await (await getN8n()).client.waitForExecution(timingOut.id, { timeoutMs: 90_000 });
		expect(timedOut.status).toBe('success');
		// n8n passed the node's input (the number listed by Caller number) on unchanged; the
		// example's IF sends it down "No answer in time".
		const passedOn = nodeOutput(timedOut, 'Ask the manager')!;
		expect(passedOn).toEqual(nodeOutput(timedOut, 'Caller number'));
		expect(passedOn[0].replied).toBeUndefined();
		expect(nodeOutput(timedOut, 'No answer in time')).toEqual([{ order: 'A-2', decision: 'no answer' }]);
		expect(nodeOutput(timedOut, 'Approved?')).toBeUndefined();
		expect(await statusOf(waiting.id)).toBe('waiting');

		await sandboxApi(sandbox, 'POST', '/_sandbox/sms/inbound', { to: line.id, from: PERSON, body: ' yes!! ' });
		const done = await (await getN8n()).client.waitForExecution(waiting.id, { timeoutMs: 30_000 });
		expect(done.status).toBe('success');
		expect(nodeOutput(done, 'Ask the manager')).toEqual([
			expect.objectContaining({ replied: true, timedOut: false, approved: true, replyText: ' yes!! ', from: PERSON, to: line.number, waitingNode: 'Ask the manager' }),
		]);
		expect(nodeOutput(done, 'Refund approved')).toEqual([{ order: 'A-1', decision: 'approved', answer: ' yes!! ' }]);
		// Its webhook was deleted; the timed-out one's is still there (nothing ran on the timeout).
		expect(hookOf(waiting.id)).toBeUndefined();
		expect(hookOf(timingOut.id)).toBeDefined();
		// A second reply is not delivered any more, and could not resume anything.
		await sandboxApi(sandbox, 'POST', '/_sandbox/sms/inbound', { to: line.id, from: PERSON, body: 'NO' });
		await sleep(500);
		expect(await executions(workflowId)).toHaveLength(2);
	}, 180_000);

	it('asks again after an unrecognised answer, then resumes with the decline; the next wait removed the timed-out webhook', async () => {
		const [workflowId] = workflowIds;
		await trigger(paths.sms, { managerPhone: UNSURE_PERSON, order: 'B-7', amount: '$9', customer: 'Ana', waitMinutes: 60 });
		const execution = await executionFor(workflowId, UNSURE_PERSON);
		await waitFor(async () => (await statusOf(execution.id)) === 'waiting', { what: 'status waiting' });
		// Registering this wait probed the timed-out execution's URL (n8n: finished) and deleted its webhook.
		expect(waitHooks().map((hook) => hook.url)).toEqual([expect.stringContaining(`/webhook-waiting/${execution.id}/`)]);

		await sandboxApi(sandbox, 'POST', '/_sandbox/sms/inbound', { to: line.id, from: UNSURE_PERSON, body: 'Maybe later?' });
		await waitFor(() => textsTo(UNSURE_PERSON).length === 2, { what: 'the second question' });
		expect(textsTo(UNSURE_PERSON)[1]).toBe('Please reply YES or NO.');
		expect(await statusOf(execution.id)).toBe('waiting');

		await sandboxApi(sandbox, 'POST', '/_sandbox/sms/inbound', { to: line.id, from: UNSURE_PERSON, body: 'No, thanks.' });
		const done = await (await getN8n()).client.waitForExecution(execution.id, { timeoutMs: 30_000 });
		expect(nodeOutput(done, 'Ask the manager')).toEqual([expect.objectContaining({ replied: true, approved: false, replyText: 'No, thanks.' })]);
		expect(nodeOutput(done, 'Refund declined')).toEqual([{ order: 'B-7', decision: 'declined', answer: 'No, thanks.' }]);
		expect(waitHooks()).toEqual([]);
	}, 120_000);

	it('20 executions wait on one number at once; each is resumed by its own recipient; no webhook is left', async () => {
		const [workflowId] = workflowIds;
		const before = (await executions(workflowId)).length;
		const people = Array.from({ length: 20 }, (_, index) => `+1213555${String(1000 + index)}`);
		// Each person answers 3-9 s after their text: even indexes approve, odd ones decline. Every
		// answer is delivered to every waiting execution's webhook (AgentCall has no per-number
		// filter): up to 20 × 20 requests that n8n must answer without resuming the wrong one.
		for (const [index, phone] of people.entries()) {
			sandbox.scriptRecipient({ phone, reply: index % 2 === 0 ? 'Yes' : 'NO.', afterMs: 3000 + index * 300 });
		}
		await Promise.all(people.map((to, index) => trigger(paths.sms, { managerPhone: to, order: `C-${index}`, amount: '$1', customer: 'Sam', waitMinutes: 60 })));
		const finished = await waitFor(
			async () => {
				const list = await executions(workflowId);
				const done = list.slice(0, list.length - before).filter((e) => e.status === 'success');
				return done.length === people.length ? done : false;
			},
			{ timeoutMs: 240_000, intervalMs: 2000, what: '20 resumed executions' },
		);
		const { client } = await getN8n();
		const outputs = [];
		for (const { id } of finished) outputs.push(await unlessBusy(async () => await client.getExecution(id)));
		const byPerson = new Map(outputs.map((execution) => [nodeOutput(execution, 'Refund request')![0].body.managerPhone, nodeOutput(execution, 'Ask the manager')![0]]));
		expect([...byPerson.keys()].sort()).toEqual([...people].sort());
		for (const [index, phone] of people.entries()) {
			expect(byPerson.get(phone)).toMatchObject({ replied: true, from: phone, approved: index % 2 === 0 });
		}
		expect(waitHooks()).toEqual([]);
	}, 300_000);
});

describeWaits('AgentCall Wait › AI Call › Start and Wait in a real n8n', () => {
	it('parks during the call and resumes on its final event with the transcript, reading the call once', async () => {
		const [, workflowId] = workflowIds;
		const callee = '+12125550199';
		sandbox.setCallOutcome({ to: callee, outcome: 'completed', durationSecs: 24 });
		sandbox.clearRequestLog();
		await trigger(paths.call, { to: callee });
		const execution = await waitFor(async () => (await executions(workflowId))[0], { what: 'the call execution' });
		await waitFor(async () => (await statusOf(execution.id)) === 'waiting', { what: 'status waiting' });
		const callHooks = () => waitHooks().filter((hook) => hook.events.includes('call.status'));
		expect(callHooks().map((hook) => hook.events)).toEqual([['call.status', 'call.transcript']]);

		const done = await (await getN8n()).client.waitForExecution(execution.id, { timeoutMs: 60_000 });
		expect(done.status).toBe('success');
		const [item] = nodeOutput(done, 'Call')!;
		expect(item).toMatchObject({ status: 'completed', transcriptAvailable: true, timedOut: false, to: callee });
		expect(String(item.transcriptText)).toContain('AI:');
		// No polling: the call was read once, when it had ended, and its transcript once.
		const reads = sandbox.requestLog().filter((entry) => entry.method === 'GET' && entry.path.startsWith('/v1/calls/'));
		expect(reads.map((entry) => entry.path.replace(/\/v1\/calls\/[^/]+/, '/v1/calls/:id'))).toEqual(['/v1/calls/:id', '/v1/calls/:id/transcript']);
		expect(callHooks()).toEqual([]);
	}, 120_000);
});

(WAITS_SUPPORTED ? describe.skip : describe)('AgentCall Wait on n8n before 2.16', () => {
	it('refuses to start, with a message naming the version and the alternative: nothing is texted, no webhook is registered', async () => {
		const [workflowId] = workflowIds;
		sandbox.clearRequestLog();
		await trigger(paths.sms, { managerPhone: PERSON, order: 'B-1', amount: '$5', customer: 'Ann', waitMinutes: 60 });
		const execution = await executionFor(workflowId, PERSON);
		const done = await (await getN8n()).client.waitForExecution(execution.id);
		expect(done.status).toBe('error');
		expect(executionError(done)).toEqual(
			expect.objectContaining({
				message: 'AgentCall Wait needs n8n 2.16 or later',
				description: expect.stringContaining('nothing was sent. Update n8n to 2.16 or later, or use AgentCall › SMS › Send and the AgentCall Trigger'),
			}),
		);
		expect(textsTo(PERSON)).toEqual([]);
		expect(waitHooks()).toEqual([]);
		expect(sandbox.requestLog().filter((entry) => entry.method !== 'GET')).toEqual([]);
	});
});
