import { boot, client, provision, sleep, type Booted } from './helpers';

let t: Booted;
beforeAll(async () => {
	t = await boot();
});
afterAll(() => t.sb.close());
beforeEach(() => t.sb.reset());

const EXTERNAL = '+12125550111';

describe('rate limit', () => {
	test('fixed window per key: 429 rate_limited + Retry-After, then open again', async () => {
		t.sb.setConfig({ apiKeys: ['ac_live_other'] });
		expect(t.sb.setLimits({ windowMs: 1000, global: 5 })).toEqual({ windowMs: 1000, global: 5, aiCalls: 10, retryAfter: true, headers: false });
		for (let i = 0; i < 5; i++) expect((await t.api.get('/v1/numbers')).status).toBe(200);
		const r = await t.api.get('/v1/numbers');
		expect(r.status).toBe(429);
		expect(r.data.error).toEqual({ code: 'rate_limited', message: expect.stringContaining('5 requests per 1 s') });
		expect(r.headers['retry-after']).toBe('1');
		expect(r.headers['x-ratelimit-limit']).toBeUndefined();
		expect((await client(t.sb.url, 'ac_live_other').get('/v1/numbers')).status).toBe(200);
		expect((await t.anon.get('/v1/calls/voices')).status).toBe(200);
		expect((await t.anon.get('/v1/numbers')).status).toBe(401);
		await sleep(1100);
		expect((await t.api.get('/v1/numbers')).status).toBe(200);
	});

	test('Retry-After can be omitted; defaults are 100/min and 10/min', async () => {
		expect(t.sb.config).toMatchObject({ rateLimitWindowMs: 60000, rateLimitGlobal: 100, rateLimitAiCalls: 10, rateLimitRetryAfter: true });
		t.sb.setLimits({ global: 1, retryAfter: false });
		await t.api.get('/v1/calls');
		const r = await t.api.get('/v1/calls');
		expect(r.status).toBe(429);
		expect(r.headers['retry-after']).toBeUndefined();
	});
	test('headers variant: X-RateLimit-Limit/Remaining/Reset on every counted answer; AI call route reports its own limit', async () => {
		t.sb.setLimits({ windowMs: 3000, global: 3, aiCalls: 1, headers: true });
		const seen = [];
		for (let i = 0; i < 4; i++) {
			const r = await t.api.get('/v1/numbers');
			seen.push([r.status, r.headers['x-ratelimit-limit'], r.headers['x-ratelimit-remaining'], r.headers['x-ratelimit-reset']]);
		}
		expect(seen).toEqual([
			[200, '3', '2', '3'],
			[200, '3', '1', '3'],
			[200, '3', '0', '3'],
			[429, '3', '0', '3'],
		]);
		expect((await t.anon.get('/v1/calls/voices')).headers['x-ratelimit-limit']).toBeUndefined();
		t.sb.setLimits({ global: 100 });
		const n = await provision(t.api);
		const ai = await t.api.post('/v1/calls/ai', { from: n.id, to: EXTERNAL, systemPrompt: 'Hi' });
		expect([ai.headers['x-ratelimit-limit'], ai.headers['x-ratelimit-remaining']]).toEqual(['1', '0']);
		const again = await t.api.post('/v1/calls/ai', { from: n.id, to: EXTERNAL, systemPrompt: 'Hi' });
		expect(again.status).toBe(429);
		expect(again.headers['retry-after']).toBe('3');
	});
});

describe('faults', () => {
	test('status faults answer with an error body before auth; times counts down', async () => {
		t.sb.setFaults([{ method: 'GET', path: '/v1/calls/:id', status: 500, times: 2 }]);
		const a = await t.anon.get('/v1/calls/abc');
		expect(a.status).toBe(500);
		expect(a.data.error).toEqual({ code: 'internal', message: 'Injected fault: 500 on GET /v1/calls/abc' });
		expect(t.sb.config.faults).toEqual([{ method: 'GET', path: '/v1/calls/:id', status: 500, times: 1 }]);
		expect((await t.api.get('/v1/calls/abc')).status).toBe(500);
		expect(t.sb.config.faults).toEqual([]);
		expect((await t.api.get('/v1/calls/abc')).status).toBe(404);
		expect((await t.api.get('/v1/calls')).status).toBe(200);
	});

	test('wildcards, custom code, any method', async () => {
		t.sb.addFault({ method: '*', path: '/v1/sms/*', status: 503, code: 'maintenance', message: 'down' });
		expect((await t.api.get('/v1/sms/inbox/x')).data).toEqual({ error: { code: 'maintenance', message: 'down' } });
		expect((await t.api.post('/v1/sms/send', {})).status).toBe(503);
		expect((await t.api.get('/v1/numbers')).status).toBe(200);
		t.sb.clearFaults();
		expect((await t.api.post('/v1/sms/send', {})).status).toBe(422);
	});

	test('slowMs delays the reply', async () => {
		t.sb.addFault({ path: '/v1/numbers', slowMs: 200, times: 1 });
		const s = Date.now();
		expect((await t.api.get('/v1/numbers')).status).toBe(200);
		expect(Date.now() - s).toBeGreaterThanOrEqual(190);
	});

	test('brokenJson garbles the reply after the handler ran', async () => {
		const n = await provision(t.api);
		t.sb.addFault({ method: 'POST', path: '/v1/sms/send', brokenJson: true, times: 1 });
		const r = await t.api.post('/v1/sms/send', { from: n.id, to: EXTERNAL, body: 'hello' }, { responseType: 'text' });
		expect(r.status).toBe(200);
		expect(r.headers['content-type']).toMatch(/application\/json/);
		expect(() => JSON.parse(r.data)).toThrow();
		expect(t.sb.snapshot().messages).toHaveLength(1);
	});

	test('fault definitions are validated', () => {
		expect(() => t.sb.setFaults([{ path: 'v1/x', status: 500 }])).toThrow(/path must be a string starting with \//);
		expect(() => t.sb.addFault({ path: '/v1/x' })).toThrow(/needs at least one of/);
		expect(() => t.sb.addFault({ path: '/v1/x', status: 200 })).toThrow(/status must be an integer 400-599/);
		expect(() => t.sb.setConfig({ faults: [{ path: '/x', status: 500, bogus: 1 } as never] })).toThrow(/unknown field/);
	});
});

describe('plans', () => {
	test('Free: 1 local number, no other types, no sim (403 plan_limit_* + upgradeUrl)', async () => {
		t.sb.setPlan('free');
		expect((await t.api.post('/v1/numbers/provision', { type: 'local' })).status).toBe(200);
		const second = await t.api.post('/v1/numbers/provision', { type: 'local' });
		expect(second.status).toBe(403);
		expect(second.data.error).toEqual({ code: 'plan_limit_numbers', message: expect.stringContaining('1 local number'), upgradeUrl: 'https://www.agentcall.co/pricing' });
		expect((await t.api.post('/v1/numbers/provision', { type: 'sim' })).data.error.code).toBe('plan_limit_sim');
		t.sb.reset({ keepConfig: true });
		expect((await t.api.post('/v1/numbers/provision', { type: 'tollfree' })).data.error.code).toBe('plan_limit_numbers');
	});

	test('Free: 10 SMS per month', async () => {
		t.sb.setPlan('free');
		const n = await provision(t.api);
		for (let i = 0; i < 10; i++) expect((await t.api.post('/v1/sms/send', { from: n.id, to: EXTERNAL, body: `m${i}` })).status).toBe(200);
		const r = await t.api.post('/v1/sms/send', { from: n.id, to: EXTERNAL, body: 'eleventh' });
		expect(r.status).toBe(403);
		expect(r.data.error.code).toBe('plan_limit_sms');
	});

	test('Free: 5 OTP extractions per month, then otp null and the OTP endpoint refuses', async () => {
		t.sb.setPlan('free');
		const n = await provision(t.api);
		for (let i = 0; i < 5; i++) expect(t.sb.injectSms({ to: n.id, from: EXTERNAL, body: `code 10${i}0` }).otp).toBe(`10${i}0`);
		expect(t.sb.injectSms({ to: n.id, from: EXTERNAL, body: 'code 7777' }).otp).toBeNull();
		const r = await t.api.get(`/v1/sms/otp/${n.id}?timeout=0`);
		expect(r.status).toBe(403);
		expect(r.data.error.code).toBe('plan_limit_otp');
	});

	test('Free: no recording, 5 voice minutes; Pro without card: 402 on recording', async () => {
		t.sb.setPlan('free');
		const n = await provision(t.api);
		const rec = await t.api.post('/v1/calls/initiate', { from: n.id, to: EXTERNAL, record: true });
		expect(rec.status).toBe(403);
		expect(rec.data.error.code).toBe('plan_limit_recording');
		t.sb.setConfig({ timeScale: 1000 });
		const c = (await t.api.post('/v1/calls/initiate', { from: n.id, to: EXTERNAL })).data;
		t.sb.setCallOutcome({ callId: c.id, outcome: 'completed', durationSecs: 290 });
		t.sb.completeCall(c.id);
		const over = await t.api.post('/v1/calls/initiate', { from: n.id, to: EXTERNAL });
		expect(over.status).toBe(403);
		expect(over.data.error.code).toBe('plan_limit_voice_minutes');
		t.sb.setPlan('pro_no_card');
		const nc = await t.api.post('/v1/calls/initiate', { from: n.id, to: EXTERNAL, record: true });
		expect(nc.status).toBe(402);
		expect(nc.data.error).toMatchObject({ code: 'payment_method_required', setupUrl: expect.any(String) });
		expect((await t.api.post('/v1/calls/initiate', { from: n.id, to: EXTERNAL })).status).toBe(200);
		expect((await t.api.post('/v1/numbers/provision', { type: 'sim' })).status).toBe(200);
	});
});

const asText = { responseType: 'text' as const, transformResponse: (data: string) => data };

describe('reply faults: a 200 that is not the route answer', () => {
	test('html: a web page, without running the handler; message replaces its text', async () => {
		const n = await provision(t.api);
		t.sb.addFault({ method: 'POST', path: '/v1/sms/send', reply: 'html', message: 'Sign in to continue', times: 1 });
		const r = await t.api.post('/v1/sms/send', { from: n.id, to: EXTERNAL, body: 'hello' }, asText);
		expect(r.status).toBe(200);
		expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
		expect(r.data).toMatch(/^<!DOCTYPE html>\n<html lang="en">.*<h1>Sign in to continue<\/h1>/s);
		expect(t.sb.snapshot().messages).toHaveLength(0);
		expect((await t.api.get('/v1/numbers')).data.numbers).toHaveLength(1);
	});

	test('text and object: plain text, or JSON that is not the answer', async () => {
		t.sb.addFault({ method: 'GET', path: '/v1/numbers', reply: 'text', times: 1 });
		const text = await t.api.get('/v1/numbers', asText);
		expect([text.status, text.headers['content-type'], text.data]).toEqual([200, 'text/plain; charset=utf-8', 'OK']);
		t.sb.addFault({ method: 'GET', path: '/v1/numbers', reply: 'object', times: 1 });
		const object = await t.api.get('/v1/numbers');
		expect([object.status, object.data]).toEqual([200, { status: 'ok', service: 'gateway' }]);
	});

	test('truncated: the handler runs, its JSON arrives cut in half with a matching length', async () => {
		const n = await provision(t.api);
		t.sb.addFault({ method: 'POST', path: '/v1/sms/send', reply: 'truncated', times: 1 });
		const r = await t.api.post('/v1/sms/send', { from: n.id, to: EXTERNAL, body: 'hello' }, asText);
		expect(r.status).toBe(200);
		expect(r.headers['content-type']).toMatch(/^application\/json/);
		expect(Number(r.headers['content-length'])).toBe(Buffer.byteLength(r.data));
		expect(r.data.startsWith('{"id":"')).toBe(true);
		expect(() => JSON.parse(r.data)).toThrow();
		expect(t.sb.snapshot().messages).toHaveLength(1);
	});
});

describe('reset faults: the connection drops with no answer', () => {
	test('before: nothing happened; the log shows status 0', async () => {
		const n = await provision(t.api);
		t.sb.clearRequestLog();
		t.sb.addFault({ method: 'POST', path: '/v1/sms/send', reset: 'before', times: 1 });
		await expect(t.api.post('/v1/sms/send', { from: n.id, to: EXTERNAL, body: 'hello' })).rejects.toMatchObject({ code: 'ECONNRESET' });
		expect(t.sb.snapshot().messages).toHaveLength(0);
		expect(t.sb.requestLog().map((entry) => [entry.route, entry.status])).toEqual([['POST /v1/sms/send', 0]]);
		expect((await t.api.post('/v1/sms/send', { from: n.id, to: EXTERNAL, body: 'hello' })).status).toBe(200);
	});

	test('after: the action happened, its answer is lost', async () => {
		const n = await provision(t.api);
		t.sb.addFault({ method: 'POST', path: '/v1/sms/send', reset: 'after', times: 1 });
		await expect(t.api.post('/v1/sms/send', { from: n.id, to: EXTERNAL, body: 'hello' })).rejects.toMatchObject({ code: 'ECONNRESET' });
		expect(t.sb.snapshot().messages).toHaveLength(1);
	});

	test('fault definitions are validated', () => {
		expect(() => t.sb.addFault({ path: '/v1/x', reply: 'xml' as never })).toThrow(/reply must be one of html, text, object, truncated/);
		expect(() => t.sb.addFault({ path: '/v1/x', reset: 'during' as never })).toThrow(/reset must be one of before, after/);
		expect(t.sb.addFault({ path: '/v1/x', reset: 'before' })).toHaveLength(1);
	});
});
