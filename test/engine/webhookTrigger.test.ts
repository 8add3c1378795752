import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { NODE_TYPE } from '../harness/engine';
import { useEngineSuite } from '../harness/setup';
import { triggerNode, WebhookHost } from '../harness/triggers';
import { client, hmacHeader, provision, waitFor } from '../sandbox/helpers';

const EXTERNAL = '+12125550199';

describe('AgentCall Trigger (webhooks)', () => {
	const suite = useEngineSuite({ sandboxConfig: { deliveryBackoffScale: 0.001, timeScale: 0.01 } });
	const api = () => client(suite.sandbox.url, suite.sandbox.apiKey);
	const hosts: WebhookHost[] = [];
	const spies: jest.SpyInstance[] = [];

	afterEach(async () => {
		spies.splice(0).forEach((spy) => spy.mockRestore());
		await Promise.all(hosts.splice(0).map(async (host) => await host.close()));
	});

	function host(parameters: INodeParameters, isTest = false) {
		const created = new WebhookHost(suite.engine, triggerNode(NODE_TYPE.webhookTrigger, parameters), isTest);
		hosts.push(created);
		return created;
	}
	const webhooks = () => suite.sandbox.snapshot().webhooks as Array<{ id: string; url: string; events: string[] }>;
	const secretOf = (h: WebhookHost) => String(h.nodeState.secret);
	const envelope = (event: string, data: IDataObject, timestamp = '2026-06-10T12:00:00.000Z') => JSON.stringify({ event, timestamp, data });
	const signedWith = (secret: string, raw: string) => ({ 'Content-Type': 'application/json', 'X-AgentCall-Signature': hmacHeader(secret, raw) });
	async function deliverSigned(h: WebhookHost, raw: string) {
		return await h.deliver(raw, signedWith(secretOf(h), raw));
	}
	function warnings(h: WebhookHost) {
		const spy = jest.spyOn(h.logger(), 'warn').mockImplementation(() => undefined);
		spies.push(spy);
		return () => spy.mock.calls.map((call) => String(call[0]));
	}

	it('loads as a webhook trigger with its codex and answers AgentCall with an empty 200', () => {
		const { description } = suite.engine.nodeTypes.getByNameAndVersion(NODE_TYPE.webhookTrigger, 1);
		expect(description).toMatchObject({ displayName: 'AgentCall Trigger', group: ['trigger'], inputs: [] });
		expect(description.usableAsTool).toBeUndefined();
		expect(description.codex).toMatchObject({ categories: ['Communication'] });
		expect(description.webhooks).toEqual([{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', responseData: 'noData', path: 'webhook' }]);
		const events = description.properties.find((property) => property.name === 'events');
		expect(events?.options).toHaveLength(11);
	});

	describe('registration', () => {
		it('registers on activation, finds itself again, and unregisters on deactivation', async () => {
			const h = host({ events: ['sms.inbound', 'call.status'] });
			expect(await h.activate()).toEqual({ existed: false });
			const [registered] = webhooks();
			expect(webhooks()).toEqual([{ id: registered.id, url: h.url, events: ['sms.inbound', 'call.status'], secret: expect.any(String), previousSecret: null }]);
			expect(h.nodeState).toMatchObject({ webhookId: registered.id, secret: suite.sandbox.webhookSecret(registered.id), url: h.url });

			expect(await h.activate()).toEqual({ existed: true });
			expect(webhooks().map((w) => w.id)).toEqual([registered.id]);

			expect(await h.deactivate()).toBe(true);
			expect(webhooks()).toEqual([]);
			expect(h.nodeState.webhookId).toBeUndefined();
			expect(h.nodeState.secret).toBeUndefined();
		});

		it('registers again when the webhook was deleted in AgentCall', async () => {
			const h = host({ events: ['sms.inbound'] });
			await h.activate();
			const first = String(h.nodeState.webhookId);
			await api().delete(`/v1/webhooks/${first}`);
			expect(await h.activate()).toEqual({ existed: false });
			expect(webhooks()).toHaveLength(1);
			expect(webhooks()[0].id).not.toBe(first);
			expect(h.nodeState.webhookId).toBe(webhooks()[0].id);
		});

		it('replaces the registration when the events change, leaving no orphan', async () => {
			const h = host({ events: ['sms.inbound'] });
			await h.activate();
			h.node.parameters.events = ['sms.otp', 'call.transcript'];
			expect(await h.activate()).toEqual({ existed: false });
			expect(webhooks()).toEqual([expect.objectContaining({ url: h.url, events: ['sms.otp', 'call.transcript'] })]);
			await h.deactivate();
			expect(webhooks()).toEqual([]);
		});

		it('treats a registration already deleted in AgentCall as deleted', async () => {
			const h = host({ events: ['sms.inbound'] });
			await h.activate();
			await api().delete(`/v1/webhooks/${String(h.nodeState.webhookId)}`);
			expect(await h.deactivate()).toBe(true);
			expect(h.nodeState.webhookId).toBeUndefined();
		});

		it('removes a registration for its URL whose secret it lost, then registers afresh', async () => {
			const h = host({ events: ['sms.inbound'] });
			await h.activate();
			const orphan = String(h.nodeState.webhookId);
			h.staticData = {};
			expect(await h.activate()).toEqual({ existed: false });
			expect(webhooks()).toHaveLength(1);
			expect(webhooks()[0].id).not.toBe(orphan);
		});

		it('"Listen for test event" registers the webhook-test URL and removes only that one', async () => {
			const production = host({ events: ['sms.inbound'] });
			const listening = new WebhookHost(suite.engine, production.node, true);
			hosts.push(listening);
			await production.activate();
			await listening.activate();
			expect(listening.url).toContain('/webhook-test/');
			expect(webhooks().map((w) => w.url).sort()).toEqual([production.url, listening.url].sort());
			await listening.deactivate();
			expect(webhooks().map((w) => w.url)).toEqual([production.url]);
		});
	});

	describe('deliveries', () => {
		it('accepts a real signed delivery from AgentCall and outputs one flat item', async () => {
			const h = host({ events: ['sms.inbound'] });
			await h.listen();
			await h.activate();
			const n = await provision(api());
			const message = suite.sandbox.injectSms({ to: n.id, from: EXTERNAL, body: 'Hi from the sandbox' });
			expect(await suite.sandbox.settled()).toBe(true);
			expect(h.executions()).toEqual([
				{
					...message,
					event: 'sms.inbound',
					timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
					otp: null,
					receivedAt: message.receivedAt,
				},
			]);
			expect(suite.sandbox.deliveries().map((d) => [d.attempt, d.status])).toEqual([[1, 200]]);
		});

		it('rejects missing, malformed, forged and foreign signatures with 401 and starts nothing', async () => {
			const h = host({ events: ['sms.inbound'] });
			await h.activate();
			const read = warnings(h);
			const raw = envelope('sms.inbound', { id: 'm1', body: 'hi' });
			const attempts = [
				{ 'Content-Type': 'application/json' },
				{ 'X-AgentCall-Signature': 'sha256=not-hex' },
				{ 'X-AgentCall-Signature': hmacHeader(secretOf(h), envelope('sms.inbound', { id: 'm1', body: 'changed' })) },
				signedWith('an-old-example-secret-that-is-not-ours', raw),
			];
			for (const headers of attempts) {
				const delivery = await h.deliver(raw, headers);
				expect(delivery).toMatchObject({ status: 401, items: [], result: { noWebhookResponse: true } });
				expect(delivery.response.body).toBe('Invalid or missing X-AgentCall-Signature');
			}
			expect(read()).toEqual([
				expect.stringContaining('header is missing'),
				expect.stringContaining('not of the form sha256='),
				expect.stringContaining('rotated outside n8n'),
				expect.stringContaining('rotated outside n8n'),
			]);
			expect(read().join('\n')).not.toContain(secretOf(h));
			const accepted = await deliverSigned(h, raw);
			expect(accepted.items).toHaveLength(1);
			// Answered by the node itself, before the run starts, so n8n saves the dedupe memory first.
			expect(accepted.result.noWebhookResponse).toBe(true);
			expect(accepted.response).toMatchObject({ statusCode: 200, ended: true });
		});

		it('takes a bare-hex signature only with Allow Unprefixed Signature, and says so', async () => {
			const h = host({ events: ['sms.inbound'] });
			await h.activate();
			const read = warnings(h);
			const raw = envelope('sms.inbound', { id: 'm1' });
			const bare = { 'X-AgentCall-Signature': hmacHeader(secretOf(h), raw).slice('sha256='.length) };
			expect((await h.deliver(raw, bare)).status).toBe(401);
			expect(read()[0]).toContain('Allow Unprefixed Signature');
			h.node.parameters.options = { allowUnprefixedSignature: true };
			expect((await h.deliver(raw, bare)).items).toHaveLength(1);
		});

		it('answers 200 without starting anything for events that were not chosen', async () => {
			const h = host({ events: ['call.transcript'] });
			await h.activate();
			const delivery = await deliverSigned(h, envelope('sms.inbound', { id: 'm1' }));
			expect(delivery).toMatchObject({ status: 200, items: [], result: {} });
		});

		it.each([
			['identical bytes', false],
			['a re-stamped timestamp', true],
		])('starts one execution for an event AgentCall delivers again (%s)', async (_label, restamp) => {
			suite.sandbox.setConfig({ deliveryRestamp: restamp });
			const h = host({ events: ['sms.inbound'] });
			await h.listen();
			await h.activate();
			h.failNext = 1; // the first answer is lost: AgentCall retries what n8n already ran
			const n = await provision(api());
			suite.sandbox.injectSms({ to: n.id, from: EXTERNAL, body: 'once only' });
			expect(await suite.sandbox.settled()).toBe(true);
			expect(suite.sandbox.deliveries().map((d) => [d.attempt, d.status])).toEqual([
				[1, 500],
				[2, 200],
			]);
			expect(h.received[0].raw.equals(h.received[1].raw)).toBe(!restamp);
			expect(h.executions().map((item) => item.body)).toEqual(['once only']);
		});

		it('recognises repeats by natural ids and keeps its duplicate list bounded', async () => {
			const h = host({ events: ['call.status', 'transcript.partial', 'number.released', 'sms.ai_reply'] });
			await h.activate();
			const started = async (raw: string) => (await deliverSigned(h, raw)).items.length;
			expect(await started(envelope('call.status', { callId: 'c1', status: 'ringing' }))).toBe(1);
			expect(await started(envelope('call.status', { callId: 'c1', status: 'in-progress' }))).toBe(1);
			expect(await started(envelope('call.status', { callId: 'c1', status: 'in_progress' }, '2026-06-10T12:00:09.000Z'))).toBe(0);
			expect(await started(envelope('transcript.partial', { callId: 'c1', sequence: 1, text: 'Hi' }))).toBe(1);
			expect(await started(envelope('transcript.partial', { callId: 'c1', sequence: 2, text: 'Hello' }))).toBe(1);
			expect(await started(envelope('transcript.partial', { callId: 'c1', sequence: 2, text: 'Hello' }, '2026-06-10T12:01:00.000Z'))).toBe(0);
			expect(await started(envelope('sms.ai_reply', { numberId: 'n1', message: { id: 'r1' } }))).toBe(1);
			expect(await started(envelope('sms.ai_reply', { numberId: 'n1', message: { id: 'r1' } }, '2026-06-10T13:00:00.000Z'))).toBe(0);
			expect(await started(envelope('number.released', { numberId: 'n1', number: '+14155550100' }))).toBe(1);
			expect(await started(envelope('number.released', { numberId: 'n1', number: '+14155550100' }))).toBe(0);
			for (let i = 0; i < 510; i++) await started(envelope('transcript.partial', { callId: 'c2', sequence: i }));
			expect(String(h.nodeState.recent).split(',')).toHaveLength(500);
		});

		it('rejects deliveries signed after a rotation outside n8n, with a hint, until re-activation', async () => {
			const h = host({ events: ['sms.inbound'] });
			await h.listen();
			await h.activate();
			const read = warnings(h);
			const oldSecret = secretOf(h);
			const rotated = await api().post(`/v1/webhooks/${String(h.nodeState.webhookId)}/rotate`);
			const n = await provision(api());
			suite.sandbox.injectSms({ to: n.id, from: EXTERNAL, body: 'after rotation' });
			expect(await suite.sandbox.settled()).toBe(true);
			expect(h.executions()).toEqual([]);
			expect(new Set(suite.sandbox.deliveries().map((d) => d.status))).toEqual(new Set([401]));
			expect(read().some((line) => line.includes('deactivate and re-activate the workflow'))).toBe(true);
			expect(read().join('\n')).not.toContain(oldSecret);
			expect(read().join('\n')).not.toContain(String(rotated.data.secret));

			await h.deactivate();
			await h.activate();
			suite.sandbox.injectSms({ to: n.id, from: EXTERNAL, body: 'after re-activation' });
			expect(await suite.sandbox.settled()).toBe(true);
			expect(h.executions().map((item) => item.body)).toEqual(['after re-activation']);
			expect(webhooks()).toHaveLength(1);
		});

		it('accepts older deliveries with the fields at the root', async () => {
			suite.sandbox.setConfig({ webhookBody: 'root' });
			const h = host({ events: ['sms.inbound'] });
			await h.listen();
			await h.activate();
			const n = await provision(api());
			const message = suite.sandbox.injectSms({ to: n.id, from: EXTERNAL, body: 'root level' });
			expect(await suite.sandbox.settled()).toBe(true);
			expect(JSON.parse(h.received[0].raw.toString()).data).toBeUndefined();
			expect(h.executions()).toEqual([expect.objectContaining({ event: 'sms.inbound', id: message.id, body: 'root level', numberId: n.id })]);
		});

		it('only starts for events about the chosen numbers, by number ID or by phone number', async () => {
			const a = await provision(api());
			const b = await provision(api());
			const h = host({ events: ['sms.inbound', 'call.ringing'], options: { numberIds: [a.id] } });
			await h.listen();
			await h.activate();
			suite.sandbox.injectSms({ to: a.id, from: EXTERNAL, body: 'to a' });
			suite.sandbox.injectSms({ to: b.id, from: EXTERNAL, body: 'to b' });
			// call.ringing carries no number ID, only from/to: matched through the number's E.164.
			await api().post('/v1/calls/initiate', { from: b.id, to: EXTERNAL });
			await api().post('/v1/calls/initiate', { from: a.id, to: EXTERNAL });
			await waitFor(() => suite.sandbox.deliveries({ event: 'call.ringing' }).length === 2, 5000, 'ringing deliveries');
			expect(await suite.sandbox.settled()).toBe(true);
			expect(h.executions().map((item) => [item.event, item.body ?? item.from])).toEqual([
				['sms.inbound', 'to a'],
				['call.ringing', a.number],
			]);
			expect(h.received).toHaveLength(4);
			expect(h.received.every((r) => r.status === 200)).toBe(true);
		});
	});
});
