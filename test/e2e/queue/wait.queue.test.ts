/**
 * AgentCall Wait › SMS › Send and Wait for Reply in n8n queue mode: the execution runs on a
 * worker, parks (status "waiting", no worker held), and is resumed by the reply whichever process
 * the delivery reaches (the webhook processor, where WEBHOOK_URL points, or main), then continues
 * on a worker. The per-wait webhook is gone afterwards.
 */
import { createHmac, randomUUID } from 'crypto';

import type { Sandbox, SandboxWebhook } from '../../sandbox';
import { createAgentCallCredential, prepareExample, sandboxApi, startTestSandbox, waitFor } from '../agentcall';
import { nodeOutput } from '../helpers';
import { deliverUntilAccepted, whenReady } from './scenarios';
import { getQueue, workerOf } from './topology';

const VIA_PROCESSOR = '+12125550141';
const VIA_MAIN = '+12125550142';

let sandbox: Sandbox;
let line: { id: string; number: string };
let workflowId: string;
const path = `queue-ask-${randomUUID().slice(0, 8)}`;

/** The execution whose Ask node texted `to` (its Webhook input names the manager). */
async function executionFor(to: string): Promise<{ id: string }> {
	const { client } = getQueue();
	return waitFor(
		async () => {
			const list = (await whenReady(() => client.listExecutions(workflowId, { limit: 50 }))) as Array<{ id: string }>;
			for (const { id } of list) {
				const full = await whenReady(() => client.getExecution(id));
				if (nodeOutput(full, 'Refund request')?.[0]?.body?.managerPhone === to) return { id };
			}
			return false;
		},
		{ timeoutMs: 60_000, what: `the execution for ${to}` },
	);
}

async function statusOf(id: string): Promise<string> {
	const { client } = getQueue();
	return (await whenReady(() => client.getExecution(id, { includeData: false }))).status;
}

function hookOf(executionId: string): SandboxWebhook | undefined {
	return sandbox.snapshot().webhooks.find((hook) => hook.url.includes(`/webhook-waiting/${executionId}/`));
}

/** Starts the workflow through the webhook processor (404 until the activation is published there). */
async function ask(managerPhone: string): Promise<{ id: string }> {
	const { webhookProcessorUrl } = getQueue();
	await waitFor(
		async () => {
			const res = await fetch(`${webhookProcessorUrl}webhook/${path}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ managerPhone, order: `Q-${managerPhone.slice(-2)}`, amount: '$20', customer: 'Kim', waitMinutes: 60 }),
			});
			await res.arrayBuffer();
			return res.status === 200;
		},
		{ timeoutMs: 90_000, intervalMs: 1000, what: `the webhook ${path} on the webhook processor` },
	);
	const execution = await executionFor(managerPhone);
	await waitFor(async () => (await statusOf(execution.id)) === 'waiting', { timeoutMs: 90_000, what: 'status waiting' });
	return execution;
}

beforeAll(async () => {
	// AgentCall's own retry pace (1, 2, 4, 8, 16 s): a busy n8n may answer 503 for a while.
	sandbox = await startTestSandbox({ deliveryBackoffScale: 1 });
	const { client } = getQueue();
	const credential = await createAgentCallCredential(client, { name: `queue wait ${path}`, apiKey: sandbox.apiKey, baseUrl: sandbox.url });
	line = await sandboxApi(sandbox, 'POST', '/v1/numbers/provision', { type: 'local' });
	const workflow = prepareExample('approveRefundBySms', {
		credential,
		name: `Approve a refund by SMS (queue) ${path}`,
		freshWebhookIds: true,
		parameters: {
			'Refund request': { path },
			'Ask the manager': { replyWaitAmount: "={{ $('Refund request').item.json.body.waitMinutes }}", replyWaitUnit: 'minutes' },
		},
	});
	workflowId = (await client.createWorkflow(workflow)).id;
	await client.activate(workflowId);
}, 120_000);

afterAll(async () => {
	await getQueue().client.deactivate(workflowId).catch(() => undefined);
	await sandbox?.close();
});

describe('Send and Wait for Reply in queue mode', () => {
	it('parks on a worker and resumes on a worker when the reply reaches the webhook processor', async () => {
		const execution = await ask(VIA_PROCESSOR);
		const hook = hookOf(execution.id)!;
		// The resume URL is built from WEBHOOK_URL, which is the webhook processor's.
		expect(hook.url.startsWith(`${getQueue().webhookProcessorUrl}webhook-waiting/${execution.id}/`)).toBe(true);

		await sandboxApi(sandbox, 'POST', '/_sandbox/sms/inbound', { to: line.id, from: VIA_PROCESSOR, body: 'Yes' });
		const done = await getQueue().client.waitForExecution(execution.id, { timeoutMs: 120_000 });
		expect(done.status).toBe('success');
		expect(workerOf(execution.id)).toMatch(/^worker\d$/);
		expect(nodeOutput(done, 'Ask the manager')).toEqual([expect.objectContaining({ replied: true, approved: true, from: VIA_PROCESSOR })]);
		expect(nodeOutput(done, 'Refund approved')).toEqual([{ order: 'Q-41', decision: 'approved', answer: 'Yes' }]);
		expect(hookOf(execution.id)).toBeUndefined();
	});

	it('resumes on a worker when the signed reply reaches main instead', async () => {
		const execution = await ask(VIA_MAIN);
		const hook = hookOf(execution.id)!;
		const { mainUrl, webhookProcessorUrl } = getQueue();
		// The reply AgentCall would deliver, signed with this wait's webhook secret, sent to main.
		const body = JSON.stringify({
			event: 'sms.inbound',
			timestamp: new Date().toISOString(),
			data: { id: `msg_${randomUUID().slice(0, 8)}`, numberId: line.id, from: VIA_MAIN, to: line.number, body: 'NO', direction: 'inbound' },
		});
		const signature = `sha256=${createHmac('sha256', hook.secret).update(body).digest('hex')}`;
		await deliverUntilAccepted([{ base: mainUrl, path: hook.url.slice(webhookProcessorUrl.length), delivery: { body, signature } }]);

		const done = await getQueue().client.waitForExecution(execution.id, { timeoutMs: 120_000 });
		expect(done.status).toBe('success');
		expect(workerOf(execution.id)).toMatch(/^worker\d$/);
		expect(nodeOutput(done, 'Ask the manager')).toEqual([expect.objectContaining({ replied: true, approved: false, from: VIA_MAIN })]);
		expect(nodeOutput(done, 'Refund declined')).toEqual([{ order: 'Q-42', decision: 'declined', answer: 'NO' }]);
		await waitFor(() => hookOf(execution.id) === undefined, { timeoutMs: 30_000, what: 'the wait webhook removed' });
	});
});
