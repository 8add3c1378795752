import { boot, provision, type Booted } from './helpers';

let t: Booted;
beforeAll(async () => {
	t = await boot({ timeScale: 1000 });
});
afterAll(() => t.sb.close());
beforeEach(() => t.sb.reset());

const EXTERNAL = '+12125550188';
const thisMonth = () => new Date().toISOString().slice(0, 7);

async function callFor(body: Record<string, unknown>, seconds: number, path = '/v1/calls/initiate') {
	const c = (await t.api.post(path, body)).data;
	t.sb.setCallOutcome({ callId: c.id, outcome: 'completed', durationSecs: seconds });
	return t.sb.completeCall(c.id);
}

test('usage is computed from the month activity at the documented prices', async () => {
	const a = await provision(t.api);
	const b = await provision(t.api);
	await provision(t.api, { type: 'tollfree' });
	const d = await provision(t.api);
	await t.api.delete(`/v1/numbers/${d.id}`);
	for (let i = 0; i < 3; i++) await t.api.post('/v1/sms/send', { from: a.id, to: EXTERNAL, body: `hi ${i}` });
	await t.api.post('/v1/sms/send', { from: a.id, to: b.number, body: 'loop' });
	t.sb.injectSms({ to: a.id, from: EXTERNAL, body: 'in 1' });
	t.sb.injectSms({ to: b.id, from: EXTERNAL, body: 'in 2' });
	expect(await callFor({ from: a.id, to: EXTERNAL, record: true }, 61)).toMatchObject({ duration: 61 });
	const inbound = t.sb.injectCall({ to: b.number, from: EXTERNAL });
	t.sb.setCallOutcome({ callId: inbound.id, outcome: 'completed', durationSecs: 30 });
	t.sb.completeCall(inbound.id);
	await callFor({ from: a.id, to: EXTERNAL, systemPrompt: 'You are calling to confirm an order.' }, 125, '/v1/calls/ai');
	t.sb.setCallOutcome({ to: EXTERNAL, outcome: 'busy' });
	const busy = (await t.api.post('/v1/calls/initiate', { from: a.id, to: EXTERNAL })).data;
	t.sb.advanceCall(busy.id, 'busy');

	const r = await t.api.get(`/v1/usage?period=${thisMonth()}`);
	expect(r.status).toBe(200);
	expect(r.data).toEqual({
		period: thisMonth(),
		currency: 'USD',
		breakdown: {
			numbers: { count: 4, cost: 8.5 },
			sms: { count: 7, sent: 4, received: 3, cost: 0.084 },
			voice: { minutes: 3, outboundMinutes: 2, inboundMinutes: 1, cost: 0.085 },
			voiceAi: { minutes: 3, cost: 1.2 },
			recording: { minutes: 2, cost: 0.02 },
		},
		total: 9.889,
	});
	expect((await t.api.get('/v1/usage')).data).toEqual(r.data);
	expect(t.sb.usage()).toEqual(r.data);
});

test('other months are empty; period is validated', async () => {
	await provision(t.api);
	const old = await t.api.get('/v1/usage?period=2020-01');
	expect(old.data).toEqual({
		period: '2020-01',
		currency: 'USD',
		breakdown: {
			numbers: { count: 0, cost: 0 },
			sms: { count: 0, sent: 0, received: 0, cost: 0 },
			voice: { minutes: 0, outboundMinutes: 0, inboundMinutes: 0, cost: 0 },
			voiceAi: { minutes: 0, cost: 0 },
			recording: { minutes: 0, cost: 0 },
		},
		total: 0,
	});
	for (const p of ['2026-13', '202601', 'abc', '2026-1']) {
		const r = await t.api.get(`/v1/usage?period=${p}`);
		expect(r.status).toBe(422);
		expect(r.data.error.details).toEqual([{ field: 'period', message: 'must be a month in the form YYYY-MM' }]);
	}
});
