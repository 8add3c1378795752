/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code runs in Node, not in n8n */
import * as http from 'http';
import type { AddressInfo } from 'net';
import { boot, hmacHeader, provision, Receiver, sleep, waitFor, type Booted } from './helpers';
import { signPayload } from './index';

let t: Booted;
beforeAll(async () => {
	t = await boot({ deliveryBackoffScale: 0.02 });
});
afterAll(() => t.sb.close());
beforeEach(() => t.sb.reset());

const EXTERNAL = '+12125550123';

async function withReceiver(respond: ConstructorParameters<typeof Receiver>[0], fn: (rx: Receiver) => Promise<void>) {
	const rx = new Receiver(respond);
	await rx.start();
	try {
		await fn(rx);
	} finally {
		await rx.close();
	}
}

describe('signature', () => {
	test('reproduces the reference test vector (§8.4)', () => {
		const body = '{"event":"sms.inbound","timestamp":"2026-01-01T00:00:00.000Z","data":{"id":"m1"}}';
		expect(Buffer.byteLength(body)).toBe(81);
		expect(signPayload('example-signing-secret', body)).toBe('sha256=772d28ac6bf4321b262c8c01c8564f213de02307d8e17466f440a3e2ffae52ca');
		expect(signPayload('example-signing-secret', Buffer.from(body))).toBe(hmacHeader('example-signing-secret', body));
	});

	test('real deliveries verify against the raw bytes with the creation secret', async () => {
		await withReceiver(undefined, async (rx) => {
			const n = await provision(t.api);
			const w = (await t.api.post('/v1/webhooks', { url: rx.url, events: ['sms.inbound', 'sms.otp'] })).data;
			const m = t.sb.injectSms({ to: n.id, from: EXTERNAL, body: 'Your code is 9137 ✓' });
			await waitFor(() => rx.received.length === 2, 3000, 'deliveries');
			for (const r of rx.received) {
				expect(r.headers['x-agentcall-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
				expect(r.headers['x-agentcall-signature']).toBe(hmacHeader(w.secret, r.raw));
				expect(r.headers['content-type']).toBe('application/json');
				expect(r.headers['x-agentcall-event']).toBeUndefined();
				expect(Object.keys(r.json)).toEqual(['event', 'timestamp', 'data']);
				expect(new Date(r.json.timestamp).toISOString()).toBe(r.json.timestamp);
			}
			expect(rx.received.map((r) => r.json.event)).toEqual(['sms.inbound', 'sms.otp']);
			expect(rx.received[0].json.data).toMatchObject({ id: m.id, otp: '9137', body: 'Your code is 9137 ✓' });
			const log = t.sb.deliveries();
			expect(log.map((d) => [d.event, d.attempt, d.status, d.ok])).toEqual([
				['sms.inbound', 1, 200, true],
				['sms.otp', 1, 200, true],
			]);
			expect(log[0]).toMatchObject({ webhookId: w.id, url: rx.url, error: null, nextRetryInMs: null, body: rx.received[0].raw.toString('utf8'), signature: rx.received[0].headers['x-agentcall-signature'] });
			expect(t.sb.deliveries({ event: 'sms.otp' })).toHaveLength(1);
			t.sb.clearDeliveries();
			expect(t.sb.deliveries()).toEqual([]);
		});
	});

	test('root-field body and X-AgentCall-Event header by config; only subscribed events', async () => {
		await withReceiver(undefined, async (rx) => {
			t.sb.setConfig({ webhookBody: 'root', eventHeader: true });
			const n = await provision(t.api);
			await t.api.post('/v1/webhooks', { url: rx.url, events: ['sms.otp'] });
			t.sb.injectSms({ to: n.id, from: EXTERNAL, body: 'no code here' });
			const m = t.sb.injectSms({ to: n.id, from: EXTERNAL, body: 'code 55555' });
			expect(await t.sb.settled(3000)).toBe(true);
			expect(rx.received).toHaveLength(1);
			expect(rx.received[0].headers['x-agentcall-event']).toBe('sms.otp');
			expect(rx.received[0].json).toMatchObject({ event: 'sms.otp', timestamp: expect.any(String), id: m.id, otp: '55555' });
			expect(rx.received[0].json.data).toBeUndefined();
		});
	});
});

describe('registration', () => {
	test('validates url and events (422)', async () => {
		const r = await t.api.post('/v1/webhooks', { url: 'ftp://example.com/x', events: ['sms.inbound', 'sms.nope'] });
		expect(r.status).toBe(422);
		expect(r.data.error.details).toEqual([
			{ field: 'url', message: 'must be an absolute http(s) URL' },
			{ field: 'events[1]', message: expect.stringContaining('unknown event "sms.nope"') },
		]);
		const e = await t.api.post('/v1/webhooks', { url: 'https://example.com/x', events: [] });
		expect(e.data.error.details).toEqual([{ field: 'events', message: 'must be a non-empty array of event names' }]);
		const missing = await t.api.post('/v1/webhooks', {});
		expect(missing.data.error.details.map((d: { field: string }) => d.field)).toEqual(['url', 'events']);
		expect((await t.api.post('/v1/webhooks', { url: 'not a url', events: ['call.status'] })).status).toBe(422);
	});

	test('secret only at creation; list { data } without secrets; extras and duplicates by config', async () => {
		const c = await t.api.post('/v1/webhooks', { url: 'https://example.com/hook', events: ['call.status', 'call.transcript'] });
		expect(c.status).toBe(200);
		expect(c.data).toEqual({ id: expect.any(String), url: 'https://example.com/hook', events: ['call.status', 'call.transcript'], secret: expect.any(String) });
		expect(c.data.secret.length).toBeGreaterThanOrEqual(32);
		const dup = await t.api.post('/v1/webhooks', { url: 'https://example.com/hook', events: ['call.status'] });
		expect(dup.status).toBe(200);
		const l = await t.api.get('/v1/webhooks');
		expect(l.data).toEqual({
			data: [
				{ id: dup.data.id, url: 'https://example.com/hook', events: ['call.status'] },
				{ id: c.data.id, url: 'https://example.com/hook', events: ['call.status', 'call.transcript'] },
			],
		});
		t.sb.setConfig({ webhookDuplicates: 'reject', webhookExtraFields: true });
		const rej = await t.api.post('/v1/webhooks', { url: 'https://example.com/hook', events: ['call.status'] });
		expect(rej.status).toBe(409);
		expect(rej.data.error.code).toBe('webhook_exists');
		expect((await t.api.get('/v1/webhooks')).data.data[0]).toEqual(expect.objectContaining({ active: true, createdAt: expect.any(String) }));
	});

	test('delete: 204 then 404; 200 with the deleted object by config', async () => {
		const a = (await t.api.post('/v1/webhooks', { url: 'https://example.com/a', events: ['sms.inbound'] })).data;
		const d = await t.api.delete(`/v1/webhooks/${a.id}`);
		expect(d.status).toBe(204);
		expect((await t.api.delete(`/v1/webhooks/${a.id}`)).status).toBe(404);
		expect((await t.api.get('/v1/webhooks')).data.data).toEqual([]);
		t.sb.setConfig({ deleteReply: '200' });
		const b = (await t.api.post('/v1/webhooks', { url: 'https://example.com/b', events: ['sms.inbound'] })).data;
		const d2 = await t.api.delete(`/v1/webhooks/${b.id}`);
		expect(d2.data).toEqual({ id: b.id, url: 'https://example.com/b', events: ['sms.inbound'], deleted: true });
	});
});

describe('rotate', () => {
	test('new secret signs at once; the old one no longer', async () => {
		await withReceiver(undefined, async (rx) => {
			const n = await provision(t.api);
			const w = (await t.api.post('/v1/webhooks', { url: rx.url, events: ['sms.inbound'] })).data;
			const r = await t.api.post(`/v1/webhooks/${w.id}/rotate`);
			expect(r.status).toBe(200);
			expect(r.data).toEqual({ id: w.id, url: rx.url, events: ['sms.inbound'], secret: expect.any(String) });
			expect(r.data.secret).not.toBe(w.secret);
			expect(t.sb.webhookSecret(w.id)).toBe(r.data.secret);
			t.sb.injectSms({ to: n.id, from: EXTERNAL, body: 'hi' });
			const got = await waitFor(() => rx.received[0], 3000, 'delivery');
			expect(got.headers['x-agentcall-signature']).toBe(hmacHeader(r.data.secret, got.raw));
			expect(got.headers['x-agentcall-signature']).not.toBe(hmacHeader(w.secret, got.raw));
			expect((await t.api.post('/v1/webhooks/nope/rotate')).status).toBe(404);
		});
	});

	test('grace period keeps signing with the old secret until it ends', async () => {
		await withReceiver(undefined, async (rx) => {
			t.sb.setConfig({ rotateGraceMs: 150 });
			const n = await provision(t.api);
			const w = (await t.api.post('/v1/webhooks', { url: rx.url, events: ['sms.inbound'] })).data;
			const rotated = (await t.api.post(`/v1/webhooks/${w.id}/rotate`)).data;
			t.sb.injectSms({ to: n.id, from: EXTERNAL, body: 'during grace' });
			const first = await waitFor(() => rx.received[0], 3000, 'first');
			expect(first.headers['x-agentcall-signature']).toBe(hmacHeader(w.secret, first.raw));
			await sleep(200);
			t.sb.injectSms({ to: n.id, from: EXTERNAL, body: 'after grace' });
			const second = await waitFor(() => rx.received[1], 3000, 'second');
			expect(second.headers['x-agentcall-signature']).toBe(hmacHeader(rotated.secret, second.raw));
		});
	});
});

describe('retries', () => {
	test('fails twice then succeeds: 3 attempts, identical bytes, backoff 1 s, 2 s (scaled)', async () => {
		await withReceiver((n) => (n <= 2 ? 500 : 200), async (rx) => {
			const num = await provision(t.api);
			await t.api.post('/v1/webhooks', { url: rx.url, events: ['sms.inbound'] });
			t.sb.injectSms({ to: num.id, from: EXTERNAL, body: 'retry me' });
			expect(await t.sb.settled(5000)).toBe(true);
			expect(rx.received).toHaveLength(3);
			expect(new Set(rx.received.map((r) => r.raw.toString('utf8'))).size).toBe(1);
			expect(new Set(rx.received.map((r) => r.headers['x-agentcall-signature'])).size).toBe(1);
			expect(rx.received[1].at - rx.received[0].at).toBeGreaterThanOrEqual(15);
			expect(rx.received[2].at - rx.received[1].at).toBeGreaterThanOrEqual(35);
			const log = t.sb.deliveries();
			expect(log.map((d) => [d.attempt, d.status, d.ok, d.nextRetryInMs])).toEqual([
				[1, 500, false, 20],
				[2, 500, false, 40],
				[3, 200, true, null],
			]);
			expect(new Set(log.map((d) => d.deliveryId)).size).toBe(1);
			expect(new Set(log.map((d) => d.id)).size).toBe(3);
		});
	});

	test('gives up after deliveryRetries; re-stamps each attempt when configured', async () => {
		await withReceiver(() => 503, async (rx) => {
			t.sb.setConfig({ deliveryRetries: 2, deliveryRestamp: true });
			const num = await provision(t.api);
			await t.api.post('/v1/webhooks', { url: rx.url, events: ['sms.inbound'] });
			t.sb.injectSms({ to: num.id, from: EXTERNAL, body: 'x' });
			expect(await t.sb.settled(5000)).toBe(true);
			expect(rx.received).toHaveLength(3);
			const stamps = rx.received.map((r) => r.json.timestamp);
			expect(new Set(stamps).size).toBe(3);
			expect(new Set(rx.received.map((r) => r.json.data.id)).size).toBe(1);
			expect(t.sb.deliveries().map((d) => d.nextRetryInMs)).toEqual([20, 40, null]);
		});
	});

	test('timeouts and refused connections count as failures; 5 retries by default', async () => {
		const silent = http.createServer(() => undefined);
		await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
		const port = (silent.address() as AddressInfo).port;
		try {
			t.sb.setConfig({ deliveryTimeoutMs: 50, deliveryBackoffScale: 0.001 });
			const num = await provision(t.api);
			await t.api.post('/v1/webhooks', { url: `http://127.0.0.1:${port}/slow`, events: ['sms.inbound'] });
			await t.api.post('/v1/webhooks', { url: 'http://127.0.0.1:1/refused', events: ['sms.inbound'] });
			t.sb.injectSms({ to: num.id, from: EXTERNAL, body: 'x' });
			expect(await t.sb.settled(8000)).toBe(true);
			const slow = t.sb.deliveries().filter((d) => d.url.endsWith('/slow'));
			const refused = t.sb.deliveries().filter((d) => d.url.endsWith('/refused'));
			expect(slow.map((d) => d.attempt)).toEqual([1, 2, 3, 4, 5, 6]);
			expect(slow.every((d) => d.error === 'timeout' && d.status === null)).toBe(true);
			expect(refused).toHaveLength(6);
			expect(refused[0].error).toBe('ECONNREFUSED');
		} finally {
			silent.closeAllConnections();
			await new Promise<void>((resolve) => silent.close(() => resolve()));
		}
	});

	test('deleting a webhook stops its pending retries', async () => {
		await withReceiver(() => 500, async (rx) => {
			t.sb.setConfig({ deliveryBackoffScale: 1 });
			const num = await provision(t.api);
			const w = (await t.api.post('/v1/webhooks', { url: rx.url, events: ['sms.inbound'] })).data;
			t.sb.injectSms({ to: num.id, from: EXTERNAL, body: 'x' });
			await waitFor(() => t.sb.deliveries().length === 1, 3000, 'first attempt');
			await t.api.delete(`/v1/webhooks/${w.id}`);
			expect(await t.sb.settled(500)).toBe(true);
			expect(rx.received).toHaveLength(1);
		});
	});
});
