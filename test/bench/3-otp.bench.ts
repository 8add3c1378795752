/* eslint-disable @n8n/community-nodes/no-restricted-globals -- benchmark code runs in Node: a timer bounds each trial */
import type { IConnections, INode, IRun } from 'n8n-workflow';

import { agentCallNode, BASE, BASE_VERSION, byId, errorOf, httpNode, outputOf, runsOf, useBenchSuite } from './lib/engine';
import { fmt, median, progress, Scenario, sleep } from './lib/measure';

/**
 * 3. OTP: from the SMS arriving at the sandbox to the code in a node's output, and the requests it
 * took. AgentCall > SMS > Wait for OTP (one long-poll) vs the loop a user builds from n8n's own
 * nodes: HTTP Request GET inbox -> IF "no code yet" -> Wait 5 s -> back to the HTTP Request. The
 * real Wait node runs: under 65 s it sleeps in-process, as in n8n.
 */

const POLL_SECONDS = 5;
/** When the SMS arrives after the workflow starts: spread over one poll interval, so the loop's phase is sampled evenly. */
const ARRIVALS_MS = [500, 1500, 2500, 3500, 4500];
const OTP_TEXT = (code: string) => `Your Acme verification code is ${code}. It expires in 10 minutes.`;

interface Sample {
	latencyMs: number;
	requests: number;
	otp: string;
}

describe('3. OTP: Wait for OTP vs a polling loop', () => {
	const suite = useBenchSuite();

	function loopWorkflow(numberId: string) {
		const nodes: INode[] = [
			httpNode('Get Inbox', { method: 'GET', url: `${suite.sandbox.url}/v1/sms/inbox/${numberId}`, options: {} }),
			{
				id: 'id-if',
				name: 'Code Arrived?',
				type: BASE.if,
				typeVersion: BASE_VERSION.if,
				position: [0, 0],
				parameters: {
					conditions: {
						options: { caseSensitive: true, leftValue: '', typeValidation: 'strict', version: 2 },
						conditions: [
							{
								id: 'otp-present',
								leftValue: '={{ $json.messages[0]?.otp }}',
								rightValue: '',
								operator: { type: 'string', operation: 'notEmpty', singleValue: true },
							},
						],
						combinator: 'and',
					},
					options: {},
				},
			},
			{
				id: 'id-wait',
				name: 'Wait 5 s',
				type: BASE.wait,
				typeVersion: BASE_VERSION.wait,
				position: [0, 0],
				parameters: { resume: 'timeInterval', amount: POLL_SECONDS, unit: 'seconds' },
				webhookId: 'wait-webhook',
			},
		];
		const connections: IConnections = {
			'Get Inbox': { main: [[{ node: 'Code Arrived?', type: 'main', index: 0 }]] },
			'Code Arrived?': { main: [[], [{ node: 'Wait 5 s', type: 'main', index: 0 }]] },
			'Wait 5 s': { main: [[{ node: 'Get Inbox', type: 'main', index: 0 }]] },
		};
		return suite.engine.workflow(nodes, connections);
	}

	/** End time of the run of `nodeName` whose output `output` carries an item. */
	function emittedAt(run: IRun, nodeName: string, output: number): { at: number; json: Record<string, unknown> } {
		const runs = runsOf(run, nodeName);
		for (let index = 0; index < runs.length; index++) {
			const items = outputOf(run, nodeName, output, index);
			if (items.length) return { at: runs[index].startTime + runs[index].executionTime, json: items[0].json };
		}
		throw new Error(`${nodeName} never emitted on output ${output}: ${errorOf(run) ?? 'no error'}`);
	}

	async function trial(side: 'ours' | 'loop', arrivalMs: number, code: string): Promise<Sample> {
		const number = await suite.sandbox.provision();
		await suite.sandbox.clearRequestLog();
		const workflow =
			side === 'ours'
				? suite.engine.workflow([agentCallNode('Wait for OTP', { resource: 'sms', operation: 'waitForOtp', smsNumberId: byId(number.id), timeout: 60 })])
				: loopWorkflow(number.id);
		const start = side === 'ours' ? 'Wait for OTP' : 'Get Inbox';
		const running = suite.engine.run(workflow, start, [{ json: {} }]);
		await sleep(arrivalMs);
		const message = await suite.sandbox.injectSms(number.id, OTP_TEXT(code));
		let timer: NodeJS.Timeout | undefined;
		const run = await Promise.race([
			running,
			new Promise<never>((_resolve, reject) => {
				timer = setTimeout(() => reject(new Error(`${side}: no code after 60 s`)), 60000);
			}),
		]).finally(() => clearTimeout(timer));
		const arrived = Date.parse(String(message.receivedAt ?? message.createdAt));
		const emitted = side === 'ours' ? emittedAt(run, 'Wait for OTP', 0) : emittedAt(run, 'Code Arrived?', 0);
		const otp = side === 'ours' ? String(emitted.json.otp) : String((emitted.json.messages as Array<{ otp: string }>)[0].otp);
		expect(otp).toBe(code);
		const requests = (await suite.sandbox.requestLog()).filter((entry) => entry.path.startsWith('/v1/sms/')).length;
		return { latencyMs: emitted.at - arrived, requests, otp };
	}

	it('delivers the code', async () => {
		const scenario = await new Scenario(
			'3',
			'OTP: SMS arrival to code in the output',
			`HTTP Request (GET /v1/sms/inbox/:id) -> IF (newest message's otp is not empty) -> Wait ${POLL_SECONDS} s (n8n's Wait node, which sleeps in-process under 65 s) -> back to HTTP Request; a fresh number per trial so the first code seen is the one sent`,
			suite.sandbox,
		).begin();
		const samples: Record<'ours' | 'loop', Sample[]> = { ours: [], loop: [] };
		for (const [index, arrivalMs] of ARRIVALS_MS.entries()) {
			for (const side of (index % 2 ? ['loop', 'ours'] : ['ours', 'loop']) as Array<'ours' | 'loop'>) {
				const sample = await trial(side, arrivalMs, String(482900 + index * 7 + (side === 'ours' ? 1 : 2)));
				samples[side].push(sample);
				progress(`3 ${side}: SMS ${arrivalMs} ms after start -> code out ${fmt(sample.latencyMs, 0)} ms later, ${sample.requests} requests`);
			}
		}
		const latency = (side: 'ours' | 'loop') => samples[side].map((sample) => sample.latencyMs);
		const requests = (side: 'ours' | 'loop') => samples[side].map((sample) => sample.requests);
		scenario.row({
			measure: 'SMS arrival to code in output',
			unit: 'ms',
			ours: median(latency('ours')),
			alt: median(latency('loop')),
			oursRounds: latency('ours'),
			altRounds: latency('loop'),
			lowerIsBetter: true,
			note: `trials with the SMS arriving ${ARRIVALS_MS.join(', ')} ms after the workflow started; the loop's delay depends on where in its ${POLL_SECONDS} s cycle the SMS lands (on average half a cycle)`,
		});
		scenario.row({
			measure: 'Requests per code',
			unit: '',
			ours: median(requests('ours')),
			alt: median(requests('loop')),
			oursRounds: requests('ours'),
			altRounds: requests('loop'),
			lowerIsBetter: true,
			note: 'the loop makes 1 + one more per 5 s of waiting (12 a minute for as long as the code takes); Wait for OTP makes one per 60 s of waiting',
		});
		scenario.detail(
			'Wait for OTP holds one GET /v1/sms/otp/:numberId?timeout=60000 open; the sandbox answers it the moment the SMS arrives. Time is measured from the message\'s receivedAt (sandbox clock) to the end of the node run that outputs the code (engine clock, same machine).',
		);
		await scenario.finish();
	});
});
