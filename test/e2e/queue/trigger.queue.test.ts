/**
 * The AgentCall Trigger (Event log example) in n8n queue mode: main registers one webhook,
 * deliveries are taken by main and by the webhook processor, executions run on the workers,
 * forgeries start nothing, and repeats reaching either process are measured.
 */
import { createHmac } from 'crypto';

import type { Sandbox, SandboxWebhook } from '../../sandbox';
import { createAgentCallCredential, prepareExample, sandboxApi, sleep, startTestSandbox, waitFor } from '../agentcall';
import { nodeOutput } from '../helpers';
import { deliver, deliverUntilAccepted, report, signedSms, whenReady } from './scenarios';
import { getQueue, workerOf } from './topology';

interface Execution {
	id: string;
	status: string;
	mode: string;
}

let sandbox: Sandbox;
let line: { id: string; number: string };
let workflowId: string;
/** `webhook/<webhookId>/webhook`: the same path on main and on the webhook processor. */
let webhookPath: string;

const FINISHED = ['success', 'error', 'crashed', 'canceled'];

function registrations(): SandboxWebhook[] {
	const { webhookProcessorUrl } = getQueue();
	return sandbox.snapshot().webhooks.filter((hook) => hook.url === `${webhookProcessorUrl}${webhookPath}`);
}

/** The workflow's executions, newest first. */
async function executions(): Promise<Execution[]> {
	return whenReady(() => getQueue().client.listExecutions(workflowId, { limit: 250 }));
}

/**
 * The number of executions once it has stopped changing (the same for 6 s, all finished). Under
 * load n8n creates an execution's row seconds after the trigger answered (its database pool is
 * busy), so a fixed pause would count some of them in the next round.
 */
async function settledCount(): Promise<number> {
	let last = -1;
	let since = Date.now();
	for (;;) {
		const list = await executions();
		const done = list.every((e) => FINISHED.includes(e.status));
		if (list.length !== last || !done) {
			last = list.length;
			since = Date.now();
		} else if (Date.now() - since >= 6000) {
			return last;
		}
		await sleep(1000);
	}
}

/** The messages (bodies) of the executions started after the first `before`, once `expected` exist and all finished. */
async function newBodies(before: number, expected: number, { settleMs = 3000 } = {}): Promise<string[]> {
	const { client } = getQueue();
	await waitFor(
		async () => {
			const list = await executions();
			return list.length - before >= expected && list.every((e) => FINISHED.includes(e.status));
		},
		{ timeoutMs: 180000, intervalMs: 1000, what: `${expected} new executions, all finished` },
	);
	// Late duplicates would show up here.
	await sleep(settleMs);
	await settledCount();
	const list = await executions();
	const fresh = list.slice(0, list.length - before);
	const full = await Promise.all(fresh.map((e) => whenReady(() => client.getExecution(e.id))));
	return full.map((execution) => String(nodeOutput(execution, 'AgentCall event')[0].body)).sort();
}

function secret(): string {
	const [hook] = registrations();
	return hook.secret;
}

beforeAll(async () => {
	sandbox = await startTestSandbox();
	line = await sandboxApi(sandbox, 'POST', '/v1/numbers/provision', { type: 'local', label: 'Front desk' });
	const { client } = getQueue();
	const credential = await createAgentCallCredential(client, { name: 'queue event log sandbox', apiKey: sandbox.apiKey, baseUrl: sandbox.url });
	const workflow = await client.createWorkflow(prepareExample('eventLog', { credential, freshWebhookIds: true }));
	workflowId = workflow.id;
	const trigger = workflow.nodes.find((node: { name: string }) => node.name === 'AgentCall event');
	webhookPath = `webhook/${trigger.webhookId}/webhook`;
});

afterAll(async () => {
	await getQueue()
		.client.deactivate(workflowId)
		.catch(() => undefined);
	await sandbox?.close();
});

describe('AgentCall Trigger in queue mode', () => {
	it('registers exactly one AgentCall webhook, for the webhook processor URL, when activated on main', async () => {
		const { client, mainUrl, webhookProcessorUrl } = getQueue();
		await client.activate(workflowId);
		await waitFor(() => registrations().length > 0, { what: 'the webhook registration' });
		// Both processes answer the path once n8n has taken the activation in (before: 404).
		for (const base of [mainUrl, webhookProcessorUrl]) {
			await waitFor(async () => (await deliver(base, webhookPath, { body: '{}', signature: undefined })) === 401, {
				timeoutMs: 30000,
				what: `${base} to answer the webhook path`,
			});
		}
		await sleep(1000);
		expect(registrations()).toHaveLength(1);
		expect(sandbox.requestLog().filter((entry) => entry.method === 'POST' && entry.path === '/v1/webhooks')).toHaveLength(1);
	});

	it('starts one execution on a worker for a signed event AgentCall delivers to the webhook processor', async () => {
		const recentKeys = async () => {
			const { staticData } = await getQueue().client.getWorkflow(workflowId);
			const node = Object.values(staticData ?? {})[0] as { recent?: string } | undefined;
			return node?.recent ? node.recent.split(',').length : 0;
		};
		expect(await recentKeys()).toBe(0);
		const sms = sandbox.injectSms({ to: line.number, from: '+13105550177', body: 'Can I move my booking to Friday?' });
		const [execution] = await waitFor(async () => {
			const list = await executions();
			return list.length && FINISHED.includes(list[0].status) ? list : false;
		});
		expect(execution.mode).toBe('webhook');
		expect(execution.status).toBe('success');
		expect(workerOf(execution.id)).toMatch(/^worker\d$/);
		const full = await whenReady(() => getQueue().client.getExecution(execution.id));
		expect(nodeOutput(full, 'AgentCall event')).toEqual([expect.objectContaining({ event: 'sms.inbound', id: sms.id, body: 'Can I move my booking to Friday?' })]);
		expect(sandbox.deliveries({ event: 'sms.inbound' }).map((d) => d.status)).toEqual([200]);
		// The webhook processor read the registration main saved, and saved the event's key for the others.
		expect(await recentKeys()).toBe(1);
	});

	it('starts one execution for a signed delivery to main, and ignores its replay at the webhook processor', async () => {
		const { mainUrl, webhookProcessorUrl } = getQueue();
		const before = (await executions()).length;
		const delivery = signedSms({ secret: secret(), id: 'msg_via_main', numberId: line.id, to: line.number, body: 'via main' });
		expect(await deliver(mainUrl, webhookPath, delivery)).toBe(200);
		await sleep(1500);
		expect(await deliver(webhookProcessorUrl, webhookPath, delivery)).toBe(200);
		expect(await deliver(mainUrl, webhookPath, delivery)).toBe(200);
		expect(await newBodies(before, 1)).toEqual(['via main']);
	});

	it('answers forged deliveries with 401 at main and at the webhook processor, starting nothing', async () => {
		const { mainUrl, webhookProcessorUrl } = getQueue();
		const before = (await executions()).length;
		const body = JSON.stringify({ event: 'sms.inbound', timestamp: new Date().toISOString(), data: { id: 'msg_forged', numberId: line.id, from: '+15555550100', to: line.number, body: 'codes please' } });
		const forged = [`sha256=${createHmac('sha256', 'not-the-secret').update(body).digest('hex')}`, undefined, 'sha256=abc'];
		for (const base of [mainUrl, webhookProcessorUrl]) {
			for (const signature of forged) expect(await deliver(base, webhookPath, { body, signature })).toBe(401);
		}
		await sleep(1500);
		expect(await executions()).toHaveLength(before);
	});

	it('recognises the repeats of a burst at the webhook processor alone (one process: its own memory)', async () => {
		const { webhookProcessorUrl } = getQueue();
		const count = 40;
		const events = Array.from({ length: count }, (_, n) => signedSms({ secret: secret(), id: `msg_solo_${n}`, numberId: line.id, to: line.number, body: `solo ${n}` }));
		const before = (await executions()).length;
		await deliverUntilAccepted(events.map((delivery) => ({ base: webhookProcessorUrl, path: webhookPath, delivery })));
		await deliverUntilAccepted(events.map((delivery) => ({ base: webhookProcessorUrl, path: webhookPath, delivery })));
		expect(await newBodies(before, count)).toEqual(events.map((_, n) => `solo ${n}`).sort());
	});

	it('recognises a repeat at the other process once the first has answered, and measures the window a burst leaves', async () => {
		const { mainUrl, webhookProcessorUrl } = getQueue();
		// One event at a time, each redelivered to the other process a second later (AgentCall's first retry).
		let before = (await executions()).length;
		for (let n = 0; n < 6; n++) {
			const delivery = signedSms({ secret: secret(), id: `msg_hop_${n}`, numberId: line.id, to: line.number, body: `hop ${n}` });
			const [first, other] = n % 2 ? [webhookProcessorUrl, mainUrl] : [mainUrl, webhookProcessorUrl];
			expect(await deliver(first, webhookPath, delivery)).toBe(200);
			await sleep(1000);
			expect(await deliver(other, webhookPath, delivery)).toBe(200);
		}
		expect(await newBodies(before, 6)).toEqual(['hop 0', 'hop 1', 'hop 2', 'hop 3', 'hop 4', 'hop 5']);

		// The window: distinct events at main and the webhook processor at once. Each process saves
		// its own copy of the keys; the copy saved last lacks what the other process took meanwhile.
		const count = 40;
		const events = Array.from({ length: count }, (_, n) => signedSms({ secret: secret(), id: `msg_cross_${n}`, numberId: line.id, to: line.number, body: `cross ${n}` }));
		const at = (n: number, other = false) => ((n % 2 === 0) !== other ? mainUrl : webhookProcessorUrl);
		before = (await executions()).length;
		await deliverUntilAccepted(events.map((delivery, n) => ({ base: at(n), path: webhookPath, delivery })));
		expect(await newBodies(before, count)).toEqual(events.map((_, n) => `cross ${n}`).sort());

		// Redelivered a second later to the process that took each event: its memory knows them all.
		before = (await executions()).length;
		await sleep(1000);
		await deliverUntilAccepted(events.map((delivery, n) => ({ base: at(n), path: webhookPath, delivery })));
		expect((await settledCount()) - before).toBe(0);

		// Redelivered to the OTHER process, all at once: what the last saved copy lacks runs again.
		await deliverUntilAccepted(events.map((delivery, n) => ({ base: at(n, true), path: webhookPath, delivery })));
		const ranAgain = (await settledCount()) - before;
		// ...after which both processes know every key: nothing more runs, wherever it arrives.
		before = await settledCount();
		await deliverUntilAccepted(events.flatMap((delivery, n) => [at(n), at(n, true)].map((base) => ({ base, path: webhookPath, delivery }))));
		expect((await settledCount()) - before).toBe(0);
		report(`burst of ${count} distinct events split over main and the webhook processor, then each redelivered to the other process: ${ranAgain} ran again`);
		expect(ranAgain).toBeLessThan(count);
	});

	it('measures identical copies reaching main and the webhook processor in the same instant', async () => {
		const { mainUrl, webhookProcessorUrl } = getQueue();
		const count = 20;
		const before = (await executions()).length;
		const events = Array.from({ length: count }, (_, n) => signedSms({ secret: secret(), id: `msg_twin_${n}`, numberId: line.id, to: line.number, body: `twin ${n}` }));
		await deliverUntilAccepted(events.flatMap((delivery) => [mainUrl, webhookProcessorUrl].map((base) => ({ base, path: webhookPath, delivery }))));
		const bodies = await newBodies(before, count);
		const runTwice = bodies.length - new Set(bodies).size;
		report(`identical copies at main and webhook processor in the same instant: ${count} events, ${runTwice} ran twice`);
		expect(new Set(bodies)).toEqual(new Set(events.map((_, n) => `twin ${n}`)));
	});

	it('deletes its one registration when deactivated', async () => {
		const { client } = getQueue();
		const [hook] = registrations();
		await whenReady(() => client.deactivate(workflowId));
		await waitFor(() => registrations().length === 0, { what: 'the registration to be deleted' });
		expect(sandbox.requestLog().filter((entry) => entry.method === 'DELETE' && entry.path.startsWith('/v1/webhooks/')).map((entry) => entry.path)).toEqual([
			`/v1/webhooks/${hook.id}`,
		]);
	});
});
