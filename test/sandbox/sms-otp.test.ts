import { boot, provision, sleep, waitFor, useSandboxWithReceiver } from './helpers';

const ctx = useSandboxWithReceiver();

const EXTERNAL = '+12125550199';

describe('send', () => {
	test('from a number id or its E.164; full message reply', async () => {
		const n = await provision(ctx.t.api);
		const r = await ctx.t.api.post('/v1/sms/send', { from: n.id, to: EXTERNAL, body: 'Hello there' });
		expect(r.status).toBe(200);
		expect(r.data).toEqual({
			id: expect.any(String),
			numberId: n.id,
			direction: 'outbound',
			from: n.number,
			to: EXTERNAL,
			body: 'Hello there',
			otp: null,
			status: 'sent',
			createdAt: expect.any(String),
		});
		const byE164 = await ctx.t.api.post('/v1/sms/send', { from: n.number, to: EXTERNAL, body: 'x' });
		expect(byE164.data.numberId).toBe(n.id);
		expect((await ctx.t.api.get(`/v1/sms/${r.data.id}`)).data).toEqual(r.data);
	});

	test('body 1..1600 chars, to E.164, from must be an account number', async () => {
		const n = await provision(ctx.t.api);
		expect((await ctx.t.api.post('/v1/sms/send', { from: n.id, to: EXTERNAL, body: 'x'.repeat(1600) })).status).toBe(200);
		const long = await ctx.t.api.post('/v1/sms/send', { from: n.id, to: EXTERNAL, body: 'x'.repeat(1601) });
		expect(long.status).toBe(422);
		expect(long.data.error.details).toEqual([{ field: 'body', message: 'must be at most 1600 characters' }]);
		const bad = await ctx.t.api.post('/v1/sms/send', { from: n.id, to: '4155550100', body: 7 });
		expect(bad.data.error.details.map((d: { field: string }) => d.field)).toEqual(['to', 'body']);
		const unknown = await ctx.t.api.post('/v1/sms/send', { from: '+19995550000', to: EXTERNAL, body: 'x' });
		expect(unknown.status).toBe(404);
		expect(unknown.data.error.message).toBe("Number '+19995550000' not found");
	});

	test('minimal send reply by config', async () => {
		const n = await provision(ctx.t.api);
		ctx.t.sb.setConfig({ smsSendReply: 'minimal', createStatus: 201 });
		const r = await ctx.t.api.post('/v1/sms/send', { from: n.id, to: EXTERNAL, body: 'x' });
		expect(r.status).toBe(201);
		expect(r.data).toEqual({ id: expect.any(String), status: 'sent' });
	});

	test('to another account number: delivered as inbound SMS (demo loop) with webhooks', async () => {
		const a = await provision(ctx.t.api);
		const b = await provision(ctx.t.api);
		await ctx.t.api.post('/v1/webhooks', { url: ctx.rx.url, events: ['sms.inbound', 'sms.otp'] });
		await ctx.t.api.post('/v1/sms/send', { from: a.id, to: b.number, body: 'Your verification code is 482913.' });
		const inbox = await ctx.t.api.get(`/v1/sms/inbox/${b.id}`);
		expect(inbox.data.messages).toHaveLength(1);
		const m = inbox.data.messages[0];
		expect(m).toMatchObject({ numberId: b.id, direction: 'inbound', from: a.number, to: b.number, otp: '482913', status: 'received' });
		expect(m.receivedAt).toBe(m.createdAt);
		await waitFor(() => ctx.rx.received.length === 2, 3000, 'two deliveries');
		expect(ctx.rx.events('sms.inbound')[0].json.data).toEqual(m);
		expect(ctx.rx.events('sms.otp')[0].json.data).toEqual({ ...m, otp: '482913' });
		expect((await ctx.t.api.get(`/v1/sms/inbox/${a.id}`)).data.messages).toEqual([]);
	});

	test('smsMode ai: inbound SMS gets an automatic reply and sms.ai_reply', async () => {
		const n = await provision(ctx.t.api, { type: 'local', label: 'Bakery' });
		ctx.t.sb.configureInbound(n.id, { mode: 'ai', smsMode: 'ai' });
		await ctx.t.api.post('/v1/webhooks', { url: ctx.rx.url, events: ['sms.ai_reply'] });
		ctx.t.sb.injectSms({ to: n.number, from: EXTERNAL, body: 'Are you open on Sunday?' });
		const ev = await waitFor(() => ctx.rx.events('sms.ai_reply')[0], 3000, 'sms.ai_reply');
		expect(ev.json.data).toMatchObject({ numberId: n.id, message: { direction: 'outbound', from: n.number, to: EXTERNAL, status: 'sent' } });
		expect((ev.json.data.message as { body: string }).body).toContain('Bakery');
	});
});

describe('inbox and message shape', () => {
	test('inbox lists inbound only, newest first, limit, otpOnly', async () => {
		const n = await provision(ctx.t.api);
		ctx.t.sb.injectSms({ to: n.id, from: EXTERNAL, body: 'hello' });
		ctx.t.sb.injectSms({ to: n.number, from: EXTERNAL, body: 'code 1234' });
		ctx.t.sb.injectSms({ to: n.id, from: EXTERNAL, body: 'bye' });
		await ctx.t.api.post('/v1/sms/send', { from: n.id, to: EXTERNAL, body: 'outbound 9999' });
		const all = await ctx.t.api.get(`/v1/sms/inbox/${n.id}`);
		expect(all.data.messages.map((m: { body: string }) => m.body)).toEqual(['bye', 'code 1234', 'hello']);
		expect((await ctx.t.api.get(`/v1/sms/inbox/${n.id}?limit=1`)).data.messages.map((m: { body: string }) => m.body)).toEqual(['bye']);
		const otp = await ctx.t.api.get(`/v1/sms/inbox/${n.id}?otpOnly=true`);
		expect(otp.data.messages.map((m: { otp: string }) => m.otp)).toEqual(['1234']);
		expect((await ctx.t.api.get('/v1/sms/inbox/nope')).status).toBe(404);
	});

	test('timestamp and otp field variants', async () => {
		const n = await provision(ctx.t.api);
		const m = ctx.t.sb.injectSms({ to: n.id, from: EXTERNAL, body: 'code 5678' });
		ctx.t.sb.setConfig({ messageTimestamps: 'receivedAt', messageOtpField: false, listWrappers: { inbox: 'data' } });
		const a = (await ctx.t.api.get(`/v1/sms/${m.id}`)).data;
		expect(a.receivedAt).toEqual(expect.any(String));
		expect('createdAt' in a || 'otp' in a).toBe(false);
		ctx.t.sb.setConfig({ messageTimestamps: 'createdAt' });
		const b = (await ctx.t.api.get(`/v1/sms/inbox/${n.id}`)).data.data[0];
		expect(Object.keys(b).sort()).toEqual(['body', 'createdAt', 'direction', 'from', 'id', 'numberId', 'status', 'to']);
	});

	test('OTP extraction: first standalone 4-8 digit group; configurable regex', async () => {
		const n = await provision(ctx.t.api);
		const cases: Array<[string, string | null]> = [
			['Your code is 482913', '482913'],
			['Order 123456789 confirmed, PIN 4821', '4821'],
			['Call 12-34 now', null],
			['G-739201 is your Google verification code', '739201'],
			['abc', null],
		];
		for (const [body, otp] of cases) expect(ctx.t.sb.injectSms({ to: n.id, from: EXTERNAL, body }).otp).toBe(otp);
		ctx.t.sb.setConfig({ otpRegex: 'code:\\s*([A-Z0-9]{6})' });
		expect(ctx.t.sb.injectSms({ to: n.id, from: EXTERNAL, body: 'ref 1234 code: AB12CD' }).otp).toBe('AB12CD');
	});
});

describe('OTP long-poll', () => {
	const otpUrl = (id: string, timeout?: number) => `/v1/sms/otp/${id}${timeout === undefined ? '' : `?timeout=${timeout}`}`;

	test('answers within ~100 ms of an SMS arriving mid-wait', async () => {
		const n = await provision(ctx.t.api);
		const started = Date.now();
		const pending = ctx.t.api.get(otpUrl(n.id, 20000));
		await waitFor(() => ctx.t.sb.waitingOtpRequests === 1, 3000, 'the long-poll to park');
		await sleep(100);
		const injectedAt = Date.now();
		ctx.t.sb.injectSms({ to: n.id, from: EXTERNAL, body: 'Your code: 246810' });
		const r = await pending;
		const answeredAfter = Date.now() - injectedAt;
		expect(r.status).toBe(200);
		expect(r.data.otp).toBe('246810');
		expect(r.data.message).toMatchObject({ numberId: n.id, body: 'Your code: 246810', otp: '246810' });
		expect(answeredAfter).toBeLessThan(150);
		expect(injectedAt - started).toBeGreaterThanOrEqual(100);
		expect(ctx.t.sb.waitingOtpRequests).toBe(0);
	});

	test('window "recent": an unreturned recent code answers at once, only once', async () => {
		const n = await provision(ctx.t.api);
		ctx.t.sb.injectSms({ to: n.id, from: EXTERNAL, body: 'code 1111' });
		ctx.t.sb.injectSms({ to: n.id, from: EXTERNAL, body: 'code 2222' });
		const first = await ctx.t.api.get(otpUrl(n.id, 0));
		expect(first.data.otp).toBe('2222');
		const again = await ctx.t.api.get(otpUrl(n.id, 50));
		expect(again.status).toBe(200);
		expect(again.data).toEqual({ otp: null, message: null });
		ctx.t.sb.setConfig({ otpRecentWindowMs: 20 });
		ctx.t.sb.injectSms({ to: n.id, from: EXTERNAL, body: 'code 3333' });
		await sleep(60);
		expect((await ctx.t.api.get(otpUrl(n.id, 0))).data.otp).toBeNull();
	});

	test('window "after_request" ignores earlier codes; "newest" repeats the newest', async () => {
		const n = await provision(ctx.t.api);
		ctx.t.sb.injectSms({ to: n.id, from: EXTERNAL, body: 'code 1111' });
		ctx.t.sb.setConfig({ otpWindow: 'after_request' });
		expect((await ctx.t.api.get(otpUrl(n.id, 30))).data.otp).toBeNull();
		ctx.t.sb.setConfig({ otpWindow: 'newest' });
		expect((await ctx.t.api.get(otpUrl(n.id, 0))).data.otp).toBe('1111');
		expect((await ctx.t.api.get(otpUrl(n.id, 0))).data.otp).toBe('1111');
	});

	test('timeout reply variants: null (default), 204, 408, 404', async () => {
		const n = await provision(ctx.t.api);
		expect((await ctx.t.api.get(otpUrl(n.id, 10))).data).toEqual({ otp: null, message: null });
		ctx.t.sb.setConfig({ otpTimeoutReply: '204' });
		const e = await ctx.t.api.get(otpUrl(n.id, 10));
		expect(e.status).toBe(204);
		expect(e.data).toBe('');
		ctx.t.sb.setConfig({ otpTimeoutReply: '408' });
		const to = await ctx.t.api.get(otpUrl(n.id, 10));
		expect(to.status).toBe(408);
		expect(to.data.error).toEqual({ code: 'otp_timeout', message: 'No OTP code arrived within 10 ms' });
		ctx.t.sb.setConfig({ otpTimeoutReply: '404' });
		const nf = await ctx.t.api.get(otpUrl(n.id, 10));
		expect(nf.status).toBe(404);
		expect(nf.data.error.code).toBe('not_found');
		expect(nf.data.error.message).toMatch(/OTP/);
	});

	test('timeout: default when omitted, clamp or reject above the max, validation', async () => {
		const n = await provision(ctx.t.api);
		ctx.t.sb.setConfig({ otpDefaultTimeoutMs: 80, otpMaxTimeoutMs: 150 });
		let s = Date.now();
		expect((await ctx.t.api.get(otpUrl(n.id))).data.otp).toBeNull();
		expect(Date.now() - s).toBeGreaterThanOrEqual(70);
		s = Date.now();
		await ctx.t.api.get(otpUrl(n.id, 600000));
		const clamped = Date.now() - s;
		expect(clamped).toBeGreaterThanOrEqual(140);
		expect(clamped).toBeLessThan(3000);
		ctx.t.sb.setConfig({ otpTimeoutOverMax: 'reject' });
		const rej = await ctx.t.api.get(otpUrl(n.id, 600000));
		expect(rej.status).toBe(422);
		expect(rej.data.error.details).toEqual([{ field: 'timeout', message: 'must be at most 150' }]);
		expect((await ctx.t.api.get(`/v1/sms/otp/${n.id}?timeout=abc`)).status).toBe(422);
		expect((await ctx.t.api.get(otpUrl('missing', 10))).status).toBe(404);
	});

	test('a client that gives up is removed from the waiters', async () => {
		const n = await provision(ctx.t.api);
		const ctrl = new AbortController();
		const p = ctx.t.api.get(otpUrl(n.id, 20000), { signal: ctrl.signal }).catch((e: Error) => e);
		await waitFor(() => ctx.t.sb.waitingOtpRequests === 1, 3000, 'park');
		ctrl.abort();
		await p;
		await waitFor(() => ctx.t.sb.waitingOtpRequests === 0, 3000, 'waiter removed');
	});

	test('close() ends pending long-polls', async () => {
		const other = await boot();
		const n = await provision(other.api);
		const p = other.api.get(otpUrl(n.id, 30000)).then((r) => r.status, () => 'aborted');
		await waitFor(() => other.sb.waitingOtpRequests === 1, 3000, 'park');
		const s = Date.now();
		await other.sb.close();
		expect(await p).toBe(200);
		expect(Date.now() - s).toBeLessThan(2000);
	});
});
