import type { IDataObject } from 'n8n-workflow';

import { Engine, NODE_TYPE } from '../harness/engine';
import { useEngineSuite } from '../harness/setup';
import { triggerNode, WebhookHost } from '../harness/triggers';
import { client, hmacHeader, provision } from '../sandbox/helpers';

/**
 * The AgentCall Trigger's duplicate check under concurrency: many different events reaching n8n
 * at the same moment, then redelivered as AgentCall does after a slow or failed answer. Requests go
 * over real HTTP into the harness's webhook server, which gives each request its own copy of the
 * static data and saves it afterwards, awaiting like n8n's database (test/harness/triggers.ts).
 */

const EVENTS = 50;
const EXTERNAL = '+12125550199';

describe('AgentCall Trigger: one execution per event under concurrent deliveries', () => {
	const suite = useEngineSuite();
	const hosts: WebhookHost[] = [];
	afterEach(async () => {
		await Promise.all(hosts.splice(0).map(async (host) => await host.close()));
	});

	async function activeHost(parameters: IDataObject, engine: Engine = suite.engine, from?: WebhookHost) {
		const node = from?.node ?? triggerNode(NODE_TYPE.webhookTrigger, { events: ['sms.inbound'], ...parameters });
		const host = new WebhookHost(engine, node, false, from?.store);
		hosts.push(host);
		await host.listen();
		if (!from) await host.activate();
		return host;
	}

	/** Signed sms.inbound deliveries for distinct messages; every other one names its number only by phone. */
	function smsEvents(h: WebhookHost, line: { id: string; number: string }, count: number, tag: string) {
		const secret = String(h.nodeState.secret);
		return Array.from({ length: count }, (_, index) => {
			const data: IDataObject = { id: `msg_${tag}_${index}`, from: EXTERNAL, to: line.number, body: `message ${index}` };
			if (index % 2 === 0) data.numberId = line.id;
			const raw = JSON.stringify({ event: 'sms.inbound', timestamp: '2026-06-10T12:00:00.000Z', data });
			return { raw, signature: hmacHeader(secret, raw) };
		});
	}

	/** All at once, over HTTP: the harness server runs them concurrently. */
	async function postAll(url: string, deliveries: Array<{ raw: string; signature: string }>) {
		const statuses = await Promise.all(
			deliveries.map(async ({ raw, signature }) => {
				const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-agentcall-signature': signature }, body: raw });
				await res.arrayBuffer();
				return res.status;
			}),
		);
		return statuses;
	}

	const bodies = (h: WebhookHost) => h.executions().map((item) => String(item.body));

	it(`starts ${EVENTS} executions for ${EVENTS} different events arriving at once and then redelivered at once`, async () => {
		const line = await provision(client(suite.sandbox.url, suite.sandbox.apiKey));
		// Filtering by number ID makes half the deliveries look the number up (an awaited request)
		// before the duplicate check.
		const h = await activeHost({ options: { numberIds: [line.id] } });
		const events = smsEvents(h, line, EVENTS, 'burst');
		expect(await postAll(h.url, events)).toEqual(events.map(() => 200));
		expect(await postAll(h.url, events)).toEqual(events.map(() => 200));
		expect(h.received).toHaveLength(2 * EVENTS);
		expect(bodies(h).sort()).toEqual(events.map((_, index) => `message ${index}`).sort());
	});

	it('starts one execution when identical copies of each event arrive in the same instant', async () => {
		const line = await provision(client(suite.sandbox.url, suite.sandbox.apiKey));
		const h = await activeHost({});
		const events = smsEvents(h, line, EVENTS, 'twins');
		await postAll(h.url, events.flatMap((event) => [event, event, event]));
		expect(h.received).toHaveLength(3 * EVENTS);
		expect(bodies(h)).toHaveLength(EVENTS);
		expect(new Set(bodies(h)).size).toBe(EVENTS);
	});

	it('still knows the events after a restart of n8n, from the static data saved with the answers', async () => {
		const line = await provision(client(suite.sandbox.url, suite.sandbox.apiKey));
		const before = await activeHost({});
		const events = smsEvents(before, line, EVENTS, 'restart');
		await postAll(before.url, events);
		expect(bodies(before)).toHaveLength(EVENTS);
		await before.close();

		const restarted = await Engine.create({ credentials: suite.credentials, separateProcess: true });
		const after = await activeHost({}, restarted, before);
		await postAll(after.url, events);
		expect(after.received.map((r) => r.status)).toEqual(events.map(() => 200));
		expect(bodies(after)).toEqual([]);
	});

	it('forgets an event only after 500 newer ones, in memory as in static data', async () => {
		const line = await provision(client(suite.sandbox.url, suite.sandbox.apiKey));
		const h = await activeHost({});
		const events = smsEvents(h, line, 510, 'bound');
		const signed = (event: { raw: string; signature: string }) => ({ 'content-type': 'application/json', 'x-agentcall-signature': event.signature });
		for (const event of events) await h.deliver(event.raw, signed(event));
		expect(String(h.nodeState.recent).split(',')).toHaveLength(500);
		const again = [await h.deliver(events[10].raw, signed(events[10])), await h.deliver(events[9].raw, signed(events[9]))];
		expect(again.map((delivery) => delivery.items.map((item) => item.body))).toEqual([[], ['message 9']]);
	});

	// What remains: two n8n processes serving one workflow (queue mode with webhook processors, or
	// multi-main) share only the static data. A redelivery that arrives after the first process
	// saved its answer is recognised; two copies in the same instant, one per process, both run.
	it('between two n8n processes: recognises a later redelivery; copies in the same instant both run', async () => {
		const line = await provision(client(suite.sandbox.url, suite.sandbox.apiKey));
		const main = await activeHost({});
		const other = await activeHost({}, await Engine.create({ credentials: suite.credentials, separateProcess: true }), main);
		const [first, second] = smsEvents(main, line, 2, 'processes');

		await postAll(main.url, [first]);
		await postAll(other.url, [first]);
		expect([bodies(main), bodies(other)]).toEqual([['message 0'], []]);

		await Promise.all([postAll(main.url, [second]), postAll(other.url, [second])]);
		expect([bodies(main), bodies(other)]).toEqual([
			['message 0', 'message 1'],
			['message 1'],
		]);
	});
});
