import type { AxiosInstance } from 'axios';
import { boot, client, provision, Receiver, waitFor, type Booted } from './helpers';

let t: Booted;
let ctl: AxiosInstance;
beforeAll(async () => {
	t = await boot();
	ctl = client(t.sb.controlUrl);
});
afterAll(() => t.sb.close());
beforeEach(() => t.sb.reset());

const EXTERNAL = '+12125550155';

test('index, config get/patch with validation, reset', async () => {
	const idx = await ctl.get('');
	expect(idx.data.routes).toEqual(expect.arrayContaining(['POST /_sandbox/reset', 'PATCH /_sandbox/config', 'POST /_sandbox/sms/inbound']));
	expect((await ctl.get('/config')).data.timeScale).toBe(0.01);
	const p = await ctl.patch('/config', { otpTimeoutReply: '204', listWrappers: { calls: 'bare' } });
	expect(p.status).toBe(200);
	expect(p.data).toMatchObject({ otpTimeoutReply: '204', listWrappers: { calls: 'bare', numbers: 'numbers' } });
	expect(Array.isArray((await t.api.get('/v1/calls')).data)).toBe(true);
	const bad = await ctl.patch('/config', { otpTimeoutReply: 'never', nope: true });
	expect(bad.status).toBe(422);
	expect(bad.data.error.code).toBe('invalid_config');
	expect(bad.data.error.details.map((d: { field: string }) => d.field)).toEqual(['otpTimeoutReply', 'nope']);
	await provision(t.api);
	expect((await ctl.post('/reset', { keepConfig: true })).data).toEqual({ reset: true, keepConfig: true });
	expect(t.sb.config.otpTimeoutReply).toBe('204');
	expect((await ctl.get('/state')).data.numbers).toEqual([]);
	await ctl.post('/reset');
	expect(t.sb.config.otpTimeoutReply).toBe('null');
	expect((await ctl.get('/nope')).status).toBe(404);
});

test('inject SMS over HTTP wakes an OTP long-poll', async () => {
	const n = await provision(t.api);
	const pending = t.api.get(`/v1/sms/otp/${n.id}?timeout=10000`);
	await waitFor(() => t.sb.waitingOtpRequests === 1, 3000, 'park');
	const inj = await ctl.post('/sms/inbound', { to: n.number, from: EXTERNAL, body: 'Code 864209' });
	expect(inj.status).toBe(200);
	expect(inj.data).toMatchObject({ direction: 'inbound', numberId: n.id, otp: '864209' });
	expect((await pending).data.otp).toBe('864209');
	const plain = await ctl.post('/sms/inbound', { to: n.id, from: EXTERNAL, body: 'no code' });
	expect(plain.data.otp).toBeNull();
	const bad = await ctl.post('/sms/inbound', { to: n.id, from: 'x', body: '' });
	expect(bad.status).toBe(422);
	expect((await ctl.post('/sms/inbound', { to: '+19995550000', from: EXTERNAL, body: 'x' })).status).toBe(404);
});

test('call outcome, per-to outcome, advance, complete, inbound call', async () => {
	const n = await provision(t.api);
	t.sb.setConfig({ timeScale: 1000 });
	const c = (await t.api.post('/v1/calls/initiate', { from: n.id, to: EXTERNAL })).data;
	expect((await ctl.post(`/calls/${c.id}/outcome`, { outcome: 'busy' })).data.status).toBe('initiated');
	expect((await ctl.post(`/calls/${c.id}/advance`)).data.status).toBe('ringing');
	expect((await ctl.post(`/calls/${c.id}/advance`)).data.status).toBe('busy');
	expect((await ctl.post(`/calls/${c.id}/advance`)).status).toBe(409);
	expect((await ctl.post('/calls/nope/advance')).status).toBe(404);
	expect((await ctl.post(`/calls/${c.id}/outcome`, { outcome: 'exploded' })).status).toBe(422);
	const per = await ctl.post('/outcomes', { to: EXTERNAL, outcome: 'failed' });
	expect(per.data).toEqual({ to: EXTERNAL, outcome: 'failed', durationSecs: null });
	expect((await ctl.get('/state')).data.outcomes).toEqual({ [EXTERNAL]: { outcome: 'failed' } });
	const f = (await t.api.post('/v1/calls/initiate', { from: n.id, to: EXTERNAL })).data;
	expect((await ctl.post(`/calls/${f.id}/advance`)).data.status).toBe('failed');
	await ctl.post('/outcomes', { to: EXTERNAL, outcome: null });
	const g = (await t.api.post('/v1/calls/initiate', { from: n.id, to: EXTERNAL })).data;
	expect((await ctl.post(`/calls/${g.id}/advance`, { status: 'in-progress' })).data.status).toBe('in-progress');
	expect((await ctl.post(`/calls/${g.id}/complete`)).data).toMatchObject({ status: 'completed', duration: 5 });
	const inbound = await ctl.post('/calls/inbound', { to: n.id, from: EXTERNAL });
	expect(inbound.data).toMatchObject({ direction: 'inbound', status: 'ringing', numberId: n.id });
});

test('request log, deliveries, settle, webhooks with secrets', async () => {
	const rx = new Receiver((k) => (k === 1 ? 500 : 200));
	await rx.start();
	try {
		const n = await provision(t.api);
		const w = (await t.api.post('/v1/webhooks', { url: rx.url, events: ['sms.inbound'] })).data;
		await ctl.post('/sms/inbound', { to: n.id, from: EXTERNAL, body: 'hello' });
		expect((await ctl.post('/deliveries/settle?timeoutMs=3000')).data).toEqual({ settled: true });
		const d = await ctl.get('/deliveries', { params: { event: 'sms.inbound' } });
		expect(d.data.data.map((x: { attempt: number; status: number }) => [x.attempt, x.status])).toEqual([
			[1, 500],
			[2, 200],
		]);
		expect((await ctl.get('/deliveries', { params: { event: 'call.status' } })).data.data).toEqual([]);
		await ctl.delete('/deliveries');
		expect((await ctl.get('/deliveries')).data.data).toEqual([]);
		const hooks = (await ctl.get('/webhooks')).data.data;
		expect(hooks).toEqual([{ id: w.id, url: rx.url, events: ['sms.inbound'], secret: w.secret, previousSecret: null }]);
		const log = (await ctl.get('/requests')).data.data;
		expect(log.map((e: { method: string; path: string }) => `${e.method} ${e.path}`)).toEqual(['POST /v1/numbers/provision', 'POST /v1/webhooks']);
		await ctl.delete('/requests');
		expect((await ctl.get('/requests')).data.data).toEqual([]);
	} finally {
		await rx.close();
	}
});

test('faults, limits, plan, inbound config, outbound defaults, usage', async () => {
	const put = await ctl.put('/faults', [{ path: '/v1/numbers', status: 503 }]);
	expect(put.data.data).toEqual([{ path: '/v1/numbers', status: 503 }]);
	expect((await t.api.get('/v1/numbers')).status).toBe(503);
	expect((await ctl.post('/faults', { path: '/v1/calls', slowMs: 1 })).data.data).toHaveLength(2);
	expect((await ctl.get('/faults')).data.data).toHaveLength(2);
	expect((await ctl.post('/faults', { path: 'bad' })).status).toBe(422);
	expect((await ctl.delete('/faults')).data.data).toEqual([]);
	expect((await t.api.get('/v1/numbers')).status).toBe(200);
	expect((await ctl.put('/limits', { global: 1, windowMs: 60000 })).data).toMatchObject({ global: 1, windowMs: 60000 });
	await t.api.get('/v1/numbers');
	expect((await t.api.get('/v1/numbers')).status).toBe(429);
	await ctl.put('/limits', { global: 100 });
	expect((await ctl.put('/plan', { plan: 'free' })).data).toEqual({ plan: 'free' });
	expect((await ctl.put('/plan', { plan: 'gold' })).status).toBe(422);
	await ctl.put('/plan', { plan: 'pro' });
	const n = await provision(t.api);
	const inb = await ctl.post(`/numbers/${n.id}/inbound`, { mode: 'ai', voice: 'verse', smsMode: 'ai' });
	expect(inb.data.inbound).toMatchObject({ configured: true, mode: 'ai', voice: 'verse', smsMode: 'ai' });
	const out = await ctl.post(`/numbers/${n.id}/outbound-defaults`, { systemPrompt: 'You are calling to confirm.', voice: 'ash' });
	expect(out.data.outbound).toMatchObject({ configured: true, voice: 'ash' });
	expect((await ctl.post(`/numbers/${n.id}/outbound-defaults`, { voice: 'nope' })).status).toBe(422);
	expect((await ctl.get('/usage')).data.breakdown.numbers).toEqual({ count: 1, cost: 2 });
});

test('an account number with inbound AI answers calls with a transcript', async () => {
	const a = await provision(t.api);
	const b = await provision(t.api);
	await ctl.post(`/numbers/${b.id}/inbound`, { mode: 'ai', systemPrompt: 'You are the receptionist for a plumbing company; ask about the leak.' });
	t.sb.setConfig({ timeScale: 1000 });
	const c = (await t.api.post('/v1/calls/initiate', { from: a.id, to: b.number })).data;
	await ctl.post(`/calls/${c.id}/complete`);
	const leg = (await t.api.get(`/v1/calls/${c.peerCallId}`)).data;
	expect(leg.mode).toBe('ai');
	const tr = (await t.api.get(`/v1/calls/${leg.id}/transcript`)).data;
	expect(tr.transcript[0].role).toBe('ai');
	expect(tr.summary.intent).toBe('service_request');
	const outTr = (await t.api.get(`/v1/calls/${c.id}/transcript`)).data;
	expect(outTr.transcript[0].role).toBe('human');
	const inj = t.sb.injectCall({ to: b.id, from: '+13105550100' });
	expect(inj.mode).toBe('ai');
});
