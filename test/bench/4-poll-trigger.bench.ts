import type { INodeExecutionData, INodeParameters, Workflow } from 'n8n-workflow';

import { locator, pollOnce, triggerNode } from '../harness/triggers';
import { errorOf, httpNode, outputOf, useBenchSuite } from './lib/engine';
import { fmt, median, progress, Scenario, timed } from './lib/measure';

/**
 * 4. The SMS Trigger (polling): requests per idle poll per watched number, and the time to take in
 * a 500-message burst. The alternative is what a user schedules instead: a Schedule Trigger
 * running an HTTP Request node that GETs each watched inbox (one execution per tick), with the
 * HTTP Request node's own pagination for the burst.
 */

const POLL_TRIGGER = 'n8n-nodes-agentcall.agentCallPollTrigger';
const WATCHED = [1, 5, 20];
const IDLE_POLLS = 15;
/** Latency added to each inbox request for the 'slow API' idle polls. */
const LATENCY_MS = 50;
const SLOW_POLLS = 5;
/**
 * The slow-API idle poll before the trigger read several inboxes at once (commit ec501cd: one after
 * the other) and before it read them all at once within the key's budget (commit e59157c: groups
 * of 4), from the runs that BENCHMARKS.md showed then; not re-measured.
 */
const BEFORE = [
	'commit ec501cd (one inbox after the other): 1,074 ms per idle poll of 20 numbers with 50 ms added to each inbox request, against the HTTP Request node\'s 78.6 ms in the same run',
	'commit e59157c (groups of 4 inboxes at once): 288 ms against the HTTP Request node\'s 86.9 ms (3.32×)',
];
/** A budget smaller than one poll: 20 numbers against 10 requests per 2 s, Retry-After only. */
const TIGHT = { numbers: 20, limit: 10, windowMs: 2000 };
const BURST = 500;
const BURST_ROUNDS = 3;

describe('4. Polling trigger', () => {
	const suite = useBenchSuite();

	const inboxRequests = async () => (await suite.sandbox.requestLog()).filter((entry) => entry.path.startsWith('/v1/sms/inbox/'));
	const numberRequests = async () => (await suite.sandbox.requestLog()).filter((entry) => entry.path === '/v1/numbers');

	async function inject(numberId: string, count: number, prefix: string) {
		for (let start = 0; start < count; start += 50) {
			await Promise.all(
				Array.from({ length: Math.min(50, count - start) }, async (_, offset) => await suite.sandbox.injectSms(numberId, `${prefix} ${start + offset + 1}`)),
			);
		}
	}

	function trigger(parameters: INodeParameters): Workflow {
		return suite.engine.workflow([triggerNode(POLL_TRIGGER, parameters)], {}, { active: true, staticData: {} });
	}

	function parametersFor(ids: string[], mode: 'chosen' | 'all'): INodeParameters {
		if (mode === 'all') return { watch: 'all', options: {} };
		return ids.length === 1 ? { watch: 'number', numberId: locator(ids[0]), options: {} } : { watch: 'numbers', numberIds: ids, options: {} };
	}

	/** The alternative's tick: one HTTP Request execution GETting every watched inbox. */
	async function httpTick(ids: string[], query: Record<string, string> = { limit: '100' }, pagination?: INodeParameters) {
		const node = httpNode('Get Inboxes', {
			method: 'GET',
			url: `=${suite.sandbox.url}/v1/sms/inbox/{{ $json.id }}`,
			sendQuery: true,
			specifyQuery: 'keypair',
			queryParameters: { parameters: Object.entries(query).map(([name, value]) => ({ name, value })) },
			options: pagination ? { pagination: { pagination } } : {},
		});
		const items: INodeExecutionData[] = ids.map((id) => ({ json: { id } }));
		const run = await suite.engine.run(suite.engine.workflow([node]), 'Get Inboxes', items);
		expect(errorOf(run)).toBeUndefined();
		return outputOf(run, 'Get Inboxes');
	}

	it('idle polls and a burst', async () => {
		const scenario = await new Scenario(
			'4',
			'Polling trigger (SMS Trigger)',
			'Schedule Trigger + HTTP Request node GET /v1/sms/inbox/:id?limit=100 for each watched number (one item per number), run as one workflow execution per tick; for the burst, the HTTP Request node\'s pagination (Update a Parameter in Each Request: cursor = {{ $response.body.nextCursor }}, complete when it is empty)',
			suite.sandbox,
		).begin();
		const oursPerNumber: Record<string, number> = {};
		const oursMs: Record<string, number[]> = {};
		const httpMs: Record<string, number[]> = {};
		const httpPerNumber: Record<string, number> = {};
		const slow: Record<'ours' | 'http', number[]> = { ours: [], http: [] };
		const tight: number[] = [];
		const tightCounts = { ok: 0, refused: 0 };

		for (const mode of [...WATCHED.map((count) => ['chosen', count] as const), ['all', 20] as const]) {
			const [kind, count] = mode;
			await suite.sandbox.reset();
			const ids: string[] = [];
			for (let index = 0; index < count; index++) {
				const number = await suite.sandbox.provision();
				ids.push(number.id);
				await inject(number.id, 3, `history ${index}`);
			}
			const label = kind === 'all' ? `All Numbers (${count})` : `${count} number${count === 1 ? '' : 's'}`;
			const workflow = trigger(parametersFor(ids, kind));
			expect(await pollOnce(suite.engine, workflow)).toBeNull(); // baseline
			await suite.sandbox.clearRequestLog();
			const times: number[] = [];
			for (let poll = 0; poll < IDLE_POLLS; poll++) {
				const result = await timed(async () => await pollOnce(suite.engine, workflow));
				expect(result.value).toBeNull();
				times.push(result.wallMs);
			}
			const requests = (await inboxRequests()).length + (await numberRequests()).length;
			oursPerNumber[label] = requests / (IDLE_POLLS * count);
			oursMs[label] = times;

			await suite.sandbox.clearRequestLog();
			const httpTimes: number[] = [];
			for (let poll = 0; poll < IDLE_POLLS; poll++) {
				const result = await timed(async () => await httpTick(ids));
				expect(result.value).toHaveLength(count);
				httpTimes.push(result.wallMs);
			}
			httpPerNumber[label] = (await inboxRequests()).length / (IDLE_POLLS * count);
			httpMs[label] = httpTimes;

			if (kind === 'chosen' && count === 20) {
				// The same idle polls when every inbox request takes LATENCY_MS longer, as over the internet.
				await suite.sandbox.setFaults([{ method: 'GET', path: '/v1/sms/inbox/:numberId', slowMs: LATENCY_MS }]);
				for (let poll = 0; poll < SLOW_POLLS; poll++) {
					slow.ours.push((await timed(async () => await pollOnce(suite.engine, workflow))).wallMs);
					slow.http.push((await timed(async () => await httpTick(ids))).wallMs);
				}
				await suite.sandbox.setFaults([]);

				// The same numbers under a budget smaller than one poll, on a credential of its own (a
				// fresh budget, starting from the documented limit): what it costs, and that no poll
				// pushes the key over its limit.
				await suite.sandbox.setLimits({ windowMs: TIGHT.windowMs, global: TIGHT.limit, retryAfter: true, headers: false });
				const tightWorkflow = suite.engine.workflow(
					[{ ...triggerNode(POLL_TRIGGER, parametersFor(ids, kind)), credentials: { agentCallApi: { id: 'cred-tight', name: 'AgentCall sandbox (tight)' } } }],
					{},
					{ active: true, staticData: {} },
				);
				await suite.sandbox.clearRequestLog();
				expect(await pollOnce(suite.engine, tightWorkflow)).toBeNull(); // baseline
				for (let poll = 0; poll < 3; poll++) {
					const result = await timed(async () => await pollOnce(suite.engine, tightWorkflow));
					expect(result.value).toBeNull();
					tight.push(result.wallMs);
				}
				const log = await inboxRequests();
				tightCounts.ok = log.filter((entry) => entry.status === 200).length;
				tightCounts.refused = log.filter((entry) => entry.status === 429).length;
				await suite.sandbox.setLimits({ windowMs: 60000, global: 1_000_000_000, headers: true });
			}
			progress(`4 idle ${label}: ours ${fmt(oursPerNumber[label], 2)} req/number/poll, ${fmt(median(times), 1)} ms; HTTP ${fmt(httpPerNumber[label], 2)}, ${fmt(median(httpTimes), 1)} ms`);
		}

		// The burst: 500 messages on one watched number between two polls.
		await suite.sandbox.reset({ pagination: 'cursor' });
		const burst: Record<'ours' | 'http', Array<{ ms: number; items: number; requests: number }>> = { ours: [], http: [] };
		for (let round = 0; round < BURST_ROUNDS; round++) {
			const number = await suite.sandbox.provision();
			await inject(number.id, 2, 'before');
			const workflow = trigger(parametersFor([number.id], 'chosen'));
			expect(await pollOnce(suite.engine, workflow)).toBeNull();
			await inject(number.id, BURST, `burst ${round}`);

			await suite.sandbox.clearRequestLog();
			const ours = await timed(async () => await pollOnce(suite.engine, workflow));
			const emitted = ours.value?.[0] ?? [];
			expect(emitted).toHaveLength(BURST);
			expect(emitted[0].json.body).toBe(`burst ${round} 1`);
			burst.ours.push({ ms: ours.wallMs, items: emitted.length, requests: (await inboxRequests()).length });

			await suite.sandbox.clearRequestLog();
			const http = await timed(
				async () =>
					await httpTick([number.id], { limit: '100' }, {
						paginationMode: 'updateAParameterInEachRequest',
						parameters: { parameters: [{ type: 'qs', name: 'cursor', value: '={{ $response.body.nextCursor }}' }] },
						paginationCompleteWhen: 'other',
						completeExpression: '={{ !$response.body.nextCursor }}',
					}),
			);
			const messages = http.value.reduce((sum, page) => sum + ((page.json.messages as unknown[] | undefined)?.length ?? 0), 0);
			expect(messages).toBe(BURST + 2);
			burst.http.push({ ms: http.wallMs, items: http.value.length, requests: (await inboxRequests()).length });
			progress(`4 burst: ours ${fmt(ours.wallMs, 0)} ms, ${burst.ours[round].requests} requests; HTTP ${fmt(http.wallMs, 0)} ms, ${burst.http[round].requests} requests`);
		}

		// Without a cursor (the sandbox default, and all the API reference promises): what a burst leaves.
		await suite.sandbox.reset();
		const plain = await suite.sandbox.provision();
		await inject(plain.id, 2, 'before');
		const plainWorkflow = trigger(parametersFor([plain.id], 'chosen'));
		await pollOnce(suite.engine, plainWorkflow);
		await inject(plain.id, BURST, 'burst');
		await suite.sandbox.clearRequestLog();
		const plainEmitted = (await pollOnce(suite.engine, plainWorkflow))?.[0]?.length ?? 0;
		const plainRequests = (await inboxRequests()).map((entry) => entry.query.limit).join(', ');

		const main = '20 numbers';
		scenario.row({
			measure: `Requests per idle poll per watched number (${main})`,
			ours: oursPerNumber[main],
			alt: httpPerNumber[main],
			lowerIsBetter: true,
			unit: '',
		});
		scenario.row({
			measure: `Time per idle poll (${main})`,
			unit: 'ms',
			ours: median(oursMs[main]),
			alt: median(httpMs[main]),
			oursRounds: oursMs[main],
			altRounds: httpMs[main],
			lowerIsBetter: true,
		});
		scenario.row({
			measure: `Time per idle poll (${main}, ${LATENCY_MS} ms added to each inbox request)`,
			unit: 'ms',
			ours: median(slow.ours),
			alt: median(slow.http),
			oursRounds: slow.ours,
			altRounds: slow.http,
			lowerIsBetter: true,
			note: `both read all 20 inboxes at once: the SMS Trigger as far as the key's rate-limit budget allows (here the sandbox announces no limit worth the name in X-RateLimit headers; without them the documented 100 a minute holds all 20); ${BEFORE[1]}`,
		});
		scenario.row({
			measure: 'Workflow executions per idle poll',
			unit: '',
			ours: 0,
			alt: 1,
			lowerIsBetter: true,
			note: 'a polling trigger that finds nothing starts no execution; a Schedule Trigger starts one (saved, listed, counted) every tick',
		});
		scenario.row({
			measure: `${BURST}-message burst: one poll to all items out`,
			unit: 'ms',
			ours: median(burst.ours.map((entry) => entry.ms)),
			alt: median(burst.http.map((entry) => entry.ms)),
			oursRounds: burst.ours.map((entry) => entry.ms),
			altRounds: burst.http.map((entry) => entry.ms),
			lowerIsBetter: true,
			note: `AgentCall: ${BURST} new-message items in arrival order, already seen ones left out; HTTP Request: ${burst.http[0]?.items} page items holding the whole inbox (old messages included), still to be split and de-duplicated by further nodes`,
		});
		scenario.detail(
			`Idle requests per poll per number: ${Object.keys(oursPerNumber)
				.map((label) => `${label}: AgentCall ${fmt(oursPerNumber[label], 2)} vs HTTP Request ${fmt(httpPerNumber[label], 2)}`)
				.join('; ')} (All Numbers re-lists the account's numbers every 5 minutes, not on every poll).`,
		);
		scenario.detail(
			`Idle poll time (median ms): ${Object.keys(oursMs)
				.map((label) => `${label}: AgentCall ${fmt(median(oursMs[label]), 1)} vs HTTP Request ${fmt(median(httpMs[label]), 1)}`)
				.join('; ')}. Both read every inbox at once.`,
		);
		scenario.detail(`Before: at ${BEFORE.join('; at ')}.`);
		scenario.detail(
			`Under a budget smaller than one poll (${TIGHT.numbers} numbers, the sandbox allowing ${TIGHT.limit} requests per ${TIGHT.windowMs / 1000} s and sending only Retry-After), on a fresh credential: the baseline poll and 3 idle polls made ${tightCounts.ok + tightCounts.refused} inbox requests; the idle polls took ${tight.map((ms) => fmt(ms, 0)).join(', ')} ms, ` +
				`${tightCounts.ok} reads accepted and ${tightCounts.refused} refused with 429 (the baseline poll learns the limit from one refusal; after that each poll spreads its reads over the windows it needs). The HTTP Request node has no such budget: its 20 reads at once would get ${TIGHT.numbers - TIGHT.limit} refusals a tick.`,
		);
		scenario.detail(
			`Burst requests: AgentCall ${burst.ours.map((entry) => entry.requests).join(', ')} (cursor pages of 100, stops at the first known message); HTTP Request ${burst.http.map((entry) => entry.requests).join(', ')}.`,
		);
		scenario.detail(
			`Without a cursor (sandbox default; the API reference documents none): the same burst yields ${plainEmitted} of ${BURST} messages in one poll, from requests with limit ${plainRequests}, and a warning in the n8n log that older messages were skipped: an inbox read newest-first without a cursor cannot be read past its first page. Polling often enough that fewer than 100 messages arrive between two polls avoids it.`,
		);
		await scenario.finish();
	});
});
