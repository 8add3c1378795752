/* eslint-disable @n8n/community-nodes/no-restricted-globals -- benchmark code runs in Node: it measures wall time */
import { NODE_TYPE, NodeRun } from '../harness/engine';
import { WaitingHost } from '../harness/waiting';
import { agentCallNode, byId, useBenchSuite } from './lib/engine';
import { cpuMsNow, fmt, median, progress, Scenario } from './lib/measure';

/**
 * 8. An AI call of 2 minutes (sandbox clock) waited for: AgentCall › AI Call › Start with Wait for
 * Completion (the node polls every 5 s of sandbox time, the default) versus AgentCall Wait › AI
 * Call › Start and Wait (the execution is parked; the call's events are delivered over HTTP to a stand-in for n8n's
 * waiting-webhook endpoint, harness/waiting.ts, which runs the node's webhook()). Measured: the
 * requests made to AgentCall and the time an n8n worker is held by the execution: polling holds
 * it for the whole call; parked, only while execute() and webhook() run.
 */

const CALL_SECONDS = 120;
/** Sandbox time runs 5× faster: the 2-minute call takes 24 s, a 1 s poll is 5 s of call time. */
const TIME_SCALE = 0.2;
const POLL_SECONDS = 1;
const ROUNDS = 2;
const CALLEE = '+12125550177';

interface Sample {
	requests: number;
	heldMs: number;
	cpuMs: number;
	status: string;
}

describe('8. Waiting for an AI call: polling vs parked', () => {
	const suite = useBenchSuite();
	let host: WaitingHost;

	beforeAll(async () => {
		host = new WaitingHost(suite.engine);
		await host.listen();
		await suite.sandbox.setConfig({ timeScale: TIME_SCALE, deliveryBackoffScale: 0.05 });
	});
	afterAll(async () => await host.close());

	async function trial(side: 'parked' | 'polling'): Promise<Sample> {
		const number = await suite.sandbox.provision();
		await suite.sandbox.control.post('/_sandbox/outcomes', { to: CALLEE, outcome: 'completed', durationSecs: CALL_SECONDS });
		await suite.sandbox.clearRequestLog();
		const parameters = {
			aiCallFrom: byId(number.id),
			aiCallTo: CALLEE,
			systemPrompt: 'Confirm the appointment.',
			maxWaitMinutes: 30,
			resource: 'aiCall',
		};
		const node =
			side === 'parked'
				? agentCallNode('Call', { ...parameters, operation: 'startAndWait' }, { type: NODE_TYPE.wait })
				: agentCallNode('Call', { ...parameters, operation: 'start', waitForCompletion: true, options: { pollIntervalSeconds: POLL_SECONDS } });
		const workflow = suite.engine.workflow([node]);
		const cpu0 = cpuMsNow();
		const started = performance.now();
		const run = await suite.engine.run(workflow, 'Call', [{ json: {} }], host.additionalData);
		const executeMs = performance.now() - started;
		let heldMs = executeMs;
		let status: string;
		if (side === 'parked') {
			const executionId = host.park(new NodeRun(run, 'Call', workflow));
			const webhookBefore = host.webhookMs;
			const deadline = Date.now() + 120_000;
			while (!host.resumed.has(executionId)) {
				if (Date.now() > deadline) throw new Error('parked call never resumed');
				await new Promise((resolve) => setTimeout(resolve, 50));
			}
			heldMs += host.webhookMs - webhookBefore;
			status = String(host.resumed.get(executionId)!.items[0].status);
		} else {
			status = String(run.data.resultData.runData.Call?.[0]?.data?.main?.[0]?.[0]?.json.status);
		}
		const requests = (await suite.sandbox.requestLog()).length;
		return { requests, heldMs, cpuMs: cpuMsNow() - cpu0, status };
	}

	it('waits for the call', async () => {
		const scenario = await new Scenario(
			'8',
			'Waiting for a 2-minute AI call: parked (AgentCall Wait) vs polling',
			`AgentCall › AI Call › Start with Wait for Completion: the node polls GET /v1/calls/:id every ${POLL_SECONDS * 5} s of call time (the default interval) and holds its worker until the call ends`,
			suite.sandbox,
		).begin();
		const samples: Record<'parked' | 'polling', Sample[]> = { parked: [], polling: [] };
		for (let round = 0; round < ROUNDS; round++) {
			for (const side of (round % 2 ? ['polling', 'parked'] : ['parked', 'polling']) as Array<'parked' | 'polling'>) {
				const sample = await trial(side);
				expect(sample.status).toBe('completed');
				samples[side].push(sample);
				progress(`8 ${side}: ${sample.requests} requests, worker held ${fmt(sample.heldMs, 0)} ms, CPU ${fmt(sample.cpuMs, 0)} ms`);
			}
		}
		const of = (side: 'parked' | 'polling', key: keyof Omit<Sample, 'status'>) => samples[side].map((sample) => sample[key]);
		scenario.row({
			measure: 'Requests to AgentCall per call',
			unit: '',
			ours: median(of('parked', 'requests')),
			alt: median(of('polling', 'requests')),
			oursRounds: of('parked', 'requests'),
			altRounds: of('polling', 'requests'),
			lowerIsBetter: true,
			note: 'parked: list and register the webhook, start the call, then after the final event read the call and its transcript once and delete the webhook; polling: start, one status read per interval, the transcript',
		});
		scenario.row({
			measure: 'Time an n8n worker is held',
			unit: 'ms',
			ours: median(of('parked', 'heldMs')),
			alt: median(of('polling', 'heldMs')),
			oursRounds: of('parked', 'heldMs'),
			altRounds: of('polling', 'heldMs'),
			lowerIsBetter: true,
			note: `the call lasts ${CALL_SECONDS} s of sandbox time (${CALL_SECONDS * TIME_SCALE} s here); parked = execute() until parked + every webhook() call (including the call's earlier events, answered without resuming)`,
		});
		scenario.row({
			measure: 'Client CPU per call (n8n process)',
			unit: 'ms',
			ours: median(of('parked', 'cpuMs')),
			alt: median(of('polling', 'cpuMs')),
			oursRounds: of('parked', 'cpuMs'),
			altRounds: of('polling', 'cpuMs'),
			lowerIsBetter: true,
		});
		scenario.detail(
			'Parked, the execution is saved as waiting and survives restarts; n8n runs the node again only when AgentCall delivers one of the call\'s events. Polling keeps the execution running (one worker, or one slot of the main process) for the whole call.',
		);
		await scenario.finish();
	});
});
