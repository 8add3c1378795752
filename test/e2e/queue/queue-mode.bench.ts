/**
 * `npm run bench:queue`: the queue-mode benchmark on the suite's topology (Postgres, Redis, main,
 * two workers × concurrency 1, webhook processor). Never part of CI; writes
 * test-artifacts/bench/queue-mode.json and prints one line per figure (BENCHMARKS.md, finding E).
 *
 * A. Bulk send of 1,000 SMS (two executions of 500) under one enforced limit of 20 requests per
 *    2 s for the key: through one worker (the other stopped: the two executions run one after
 *    the other, one rate gate) and through two (both at once, one gate each, meeting only at
 *    AgentCall's 429s). Failed items, share of the limit, 429s, duration.
 * B. Signed webhook deliveries accepted per second (each starting an execution on the workers),
 *    all to main, then spread over main + the webhook processor.
 */
import type { Sandbox } from '../../sandbox';
import { createAgentCallCredential, prepareExample, sandboxApi, sleep, startTestSandbox, waitFor } from '../agentcall';
import { nodeOutput } from '../helpers';
import { bulkSendWorkflow, deliver, report, sendStats, signedSms, writeResults } from './scenarios';
import { getQueue, startProcess, stopProcess, workerOf } from './topology';

const LIMIT = { windowMs: 2000, global: 20 };
const PER_EXECUTION = 500;
const DELIVERIES = 400;
const IN_FLIGHT = 20;
const results: Record<string, unknown> = {};
const note = (line: string) => report(`bench: ${line}`);

let sandbox: Sandbox;
let credential: { id: string; name: string };
let line: { id: string; number: string };

beforeAll(async () => {
	sandbox = await startTestSandbox({ requestLogMax: 100000 });
	line = await sandboxApi(sandbox, 'POST', '/v1/numbers/provision', { type: 'local', label: 'Bench line' });
	credential = await createAgentCallCredential(getQueue().client, {
		name: 'queue bench sandbox',
		apiKey: sandbox.apiKey,
		baseUrl: sandbox.url,
		guardrails: { quietHours: 'off', maxSmsPerExecution: 1000 },
	});
});

afterAll(async () => {
	writeResults('queue-mode', { topologyStartSeconds: getQueue().state.timings, results });
	await sandbox?.close();
});

async function bulkRun(label: string) {
	const { client } = getQueue();
	sandbox.setLimits(LIMIT);
	sandbox.clearRequestLog();
	const workflows = await Promise.all(['A', 'B'].map((tag) => client.createWorkflow(bulkSendWorkflow({ tag: `${label}${tag}`, count: PER_EXECUTION, credential, numberId: line.id }))));
	const t0 = Date.now();
	const ids = await Promise.all(workflows.map((workflow) => client.runWorkflow(workflow.id, 'Manual')));
	const executions = await Promise.all(ids.map((id) => client.waitForExecution(id, { timeoutMs: 600000, intervalMs: 2000 })));
	const wallSeconds = (Date.now() - t0) / 1000;
	sandbox.setLimits({ windowMs: 60000, global: 100 });
	const failed = executions.map((e) => (nodeOutput(e, 'Send SMS') ?? []).filter((item: { id?: string }) => !String(item.id ?? '').startsWith('msg_')).length);
	const result = {
		...sendStats(sandbox.requestLog(), { windowMs: LIMIT.windowMs, limit: LIMIT.global }),
		statuses: executions.map((e) => e.status),
		failedItems: failed.reduce((a, b) => a + b, 0) + executions.filter((e) => e.status !== 'success').length * PER_EXECUTION,
		workers: ids.map((id) => workerOf(id)),
		wallSeconds: Math.round(wallSeconds * 10) / 10,
	};
	note(`bulk send ${label}: ${JSON.stringify(result)}`);
	return result;
}

describe('Queue mode (BENCHMARKS.md, finding E)', () => {
	it('A. bulk send of 1,000 SMS through one worker, then through two, under the same enforced limit', async () => {
		await stopProcess('worker2');
		try {
			results.bulkOneWorker = await bulkRun('one');
		} finally {
			await startProcess('worker2');
		}
		results.bulkTwoWorkers = await bulkRun('two');
		expect(results.bulkTwoWorkers).toMatchObject({ failedItems: 0, accepted: 2 * PER_EXECUTION });
		expect(results.bulkOneWorker).toMatchObject({ failedItems: 0, accepted: 2 * PER_EXECUTION });
	});

	it('B. webhook deliveries per second through main alone, then main + webhook processor', async () => {
		const { client, mainUrl, webhookProcessorUrl } = getQueue();
		const workflow = await client.createWorkflow(prepareExample('eventLog', { credential, freshWebhookIds: true, name: 'bench event log' }));
		const trigger = workflow.nodes.find((node: { name: string }) => node.name === 'AgentCall event');
		const webhookPath = `webhook/${trigger.webhookId}/webhook`;
		await client.activate(workflow.id);
		const hook = await waitFor(() => sandbox.snapshot().webhooks.find((h) => h.url.endsWith(webhookPath)), { what: 'the registration' });
		for (const base of [mainUrl, webhookProcessorUrl]) {
			await waitFor(async () => (await deliver(base, webhookPath, { body: '{}', signature: undefined })) === 401, { what: `${base} to take the webhook` });
		}
		// Like AgentCall: a delivery not answered 200 (n8n answers 503 or 500 while its database pool
		// waits) is sent again a second later; the rate counts deliveries accepted, retries included.
		const run = async (label: string, bases: string[]) => {
			const deliveries = Array.from({ length: DELIVERIES }, (_, n) => signedSms({ secret: hook.secret, id: `msg_${label}_${n}`, numberId: line.id, to: line.number, body: `${label} ${n}` }));
			let refused = 0;
			let next = 0;
			const t0 = Date.now();
			await Promise.all(
				Array.from({ length: IN_FLIGHT }, async () => {
					while (next < deliveries.length) {
						const n = next++;
						for (let attempt = 1; (await deliver(bases[n % bases.length], webhookPath, deliveries[n])) !== 200; attempt++) {
							refused++;
							if (attempt === 30) throw new Error(`delivery ${n} refused 30 times`);
							await sleep(1000);
						}
					}
				}),
			);
			const seconds = (Date.now() - t0) / 1000;
			const result = { deliveries: DELIVERIES, inFlight: IN_FLIGHT, refusedAttempts: refused, perSecond: Math.round((DELIVERIES / seconds) * 10) / 10, seconds: Math.round(seconds * 10) / 10 };
			note(`webhook deliveries via ${label}: ${JSON.stringify(result)}`);
			return result;
		};
		// The queue is first in, first out: when the newest 250 executions finished, the backlog has drained.
		const settle = async () =>
			waitFor(
				async () => {
					// 503 "Database is not ready!" while main's health ping waits: ask again.
					const list = await client.listExecutions(workflow.id, { limit: 250 }).catch(() => []);
					return list.length === 250 && list.every((e: { status: string }) => e.status === 'success');
				},
				{ timeoutMs: 600000, intervalMs: 3000, what: 'the executions to finish' },
			);
		results.webhookMain = await run('main', [mainUrl]);
		await settle();
		results.webhookMainAndProcessor = await run('both', [mainUrl, webhookProcessorUrl]);
		await settle();
		await client.deactivate(workflow.id);
		expect(results.webhookMain).toMatchObject({ deliveries: DELIVERIES });
	});
});
