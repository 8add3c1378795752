import { boot, provision, Receiver, waitFor, type Booted } from './helpers';

let t: Booted;
beforeAll(async () => {
	t = await boot();
});
afterAll(() => t.sb.close());
beforeEach(() => t.sb.reset());

describe('provision', () => {
	test('creates E.164 numbers per type and country with inbound/outbound blocks', async () => {
		const r = await t.api.post('/v1/numbers/provision', { type: 'local', label: 'Support' });
		expect(r.status).toBe(200);
		expect(r.data).toMatchObject({ number: '+14155550100', type: 'local', country: 'US', label: 'Support', status: 'active', monthlyCost: 2 });
		expect(r.data.inbound).toEqual(expect.objectContaining({ configured: false, mode: null, smsMode: 'off' }));
		expect(r.data.outbound).toEqual(expect.objectContaining({ configured: false }));
		expect(r.data.createdAt).toMatch(/Z$/);
		expect((await provision(t.api)).number).toBe('+14155550101');
		expect((await provision(t.api, { type: 'local', country: 'CA' })).number).toBe('+16045550100');
		expect((await provision(t.api, { type: 'tollfree' })).number).toBe('+18885550100');
		expect((await provision(t.api, { type: 'tollfree', country: 'CA' })).number).toBe('+18885550101');
		expect((await provision(t.api, { type: 'mobile' })).number).toBe('+16285550100');
		const sim = await provision(t.api, { type: 'sim' });
		expect(sim).toMatchObject({ type: 'sim', number: '+13415550100' });
	});

	test('validates type, country and label', async () => {
		const r = await t.api.post('/v1/numbers/provision', { type: 'landline', country: 'GB', label: 5 });
		expect(r.status).toBe(422);
		expect(r.data.error.details).toEqual([
			{ field: 'type', message: 'must be one of: local, tollfree, mobile, sim' },
			{ field: 'country', message: 'must be one of: US, CA' },
			{ field: 'label', message: 'must be a string' },
		]);
		expect((await t.api.post('/v1/numbers/provision', {})).data.error.details).toEqual([{ field: 'type', message: 'is required' }]);
	});

	test('201 on create by config', async () => {
		t.sb.setConfig({ createStatus: 201 });
		expect((await t.api.post('/v1/numbers/provision', { type: 'local' })).status).toBe(201);
	});
});

describe('list', () => {
	test('{ numbers } newest first, limit, country and type filters', async () => {
		const a = await provision(t.api);
		const b = await provision(t.api, { type: 'tollfree' });
		const c = await provision(t.api, { type: 'local', country: 'CA' });
		const all = await t.api.get('/v1/numbers');
		expect(Object.keys(all.data)).toEqual(['numbers']);
		expect(all.data.numbers.map((n: { id: string }) => n.id)).toEqual([c.id, b.id, a.id]);
		expect((await t.api.get('/v1/numbers?limit=1')).data.numbers.map((n: { id: string }) => n.id)).toEqual([c.id]);
		expect((await t.api.get('/v1/numbers?country=CA')).data.numbers.map((n: { id: string }) => n.id)).toEqual([c.id]);
		expect((await t.api.get('/v1/numbers?type=local')).data.numbers.map((n: { id: string }) => n.id)).toEqual([c.id, a.id]);
		expect((await t.api.get('/v1/numbers?type=fax')).status).toBe(422);
		expect((await t.api.get('/v1/numbers?limit=0')).data.error.details).toEqual([{ field: 'limit', message: 'must be a positive integer' }]);
	});

	test('order, wrapper, limit max and cursor variants', async () => {
		const ids: string[] = [];
		for (let i = 0; i < 5; i++) ids.push((await provision(t.api)).id);
		t.sb.setConfig({ listOrder: 'oldest', listWrappers: { numbers: 'data' } });
		expect((await t.api.get('/v1/numbers')).data.data.map((n: { id: string }) => n.id)).toEqual(ids);
		t.sb.setConfig({ listWrappers: { numbers: 'bare' } });
		expect((await t.api.get('/v1/numbers')).data).toHaveLength(5);
		t.sb.setConfig({ listWrappers: { numbers: 'numbers' }, listLimitMax: 3 });
		expect((await t.api.get('/v1/numbers?limit=50')).data.numbers).toHaveLength(3);
		t.sb.setConfig({ listLimitOverMax: 'reject' });
		const rej = await t.api.get('/v1/numbers?limit=50');
		expect(rej.status).toBe(422);
		expect(rej.data.error.details).toEqual([{ field: 'limit', message: 'must be at most 3' }]);
		t.sb.setConfig({ listLimitMax: 100, listLimitDefault: 2, pagination: 'cursor', cursorField: 'next_cursor', listOrder: 'newest' });
		const seen: string[] = [];
		let cursor: string | null = null;
		let pages = 0;
		do {
			const page: { data: { numbers: Array<{ id: string }>; next_cursor: string | null } } = await t.api.get('/v1/numbers', { params: cursor ? { cursor } : {} });
			seen.push(...page.data.numbers.map((n) => n.id));
			cursor = page.data.next_cursor;
			pages += 1;
		} while (cursor && pages < 10);
		expect(pages).toBe(3);
		expect(seen).toEqual([...ids].reverse());
		expect((await t.api.get('/v1/numbers?cursor=garbage')).status).toBe(422);
	});
});

describe('get, patch, release', () => {
	test('get returns inbound/outbound blocks; patch label; voice needs inbound AI', async () => {
		const n = await provision(t.api, { type: 'local', label: 'old' });
		const g = await t.api.get(`/v1/numbers/${n.id}`);
		expect(g.data).toMatchObject({ id: n.id, number: n.number, label: 'old', inbound: expect.any(Object), outbound: expect.any(Object) });
		const p = await t.api.patch(`/v1/numbers/${n.id}`, { label: 'new' });
		expect(p.status).toBe(200);
		expect(p.data.label).toBe('new');
		expect((await t.api.get(`/v1/numbers/${n.id}`)).data.label).toBe('new');
		const v = await t.api.patch(`/v1/numbers/${n.id}`, { voice: 'marin' });
		expect(v.status).toBe(400);
		expect(v.data.error.code).toBe('inbound_ai_not_configured');
		t.sb.configureInbound(n.id, { mode: 'ai', systemPrompt: 'You are the receptionist.' });
		const ok = await t.api.patch(`/v1/numbers/${n.id}`, { voice: 'marin', language: 'es' });
		expect(ok.data.inbound).toMatchObject({ configured: true, voice: 'marin', language: 'es', systemPrompt: 'You are the receptionist.' });
		expect(ok.data.label).toBe('new');
		expect((await t.api.patch(`/v1/numbers/${n.id}`, { voice: 'robot' })).status).toBe(422);
		expect((await t.api.patch(`/v1/numbers/${n.id}`, {})).status).toBe(422);
		expect((await t.api.patch('/v1/numbers/missing', { label: 'x' })).status).toBe(404);
	});

	test('release: 204, later 404, number.released fired, never re-issued', async () => {
		const rx = new Receiver();
		await rx.start();
		try {
			await t.api.post('/v1/webhooks', { url: rx.url, events: ['number.released'] });
			const n = await provision(t.api);
			const d = await t.api.delete(`/v1/numbers/${n.id}`);
			expect(d.status).toBe(204);
			expect(d.data).toBe('');
			expect((await t.api.get(`/v1/numbers/${n.id}`)).status).toBe(404);
			expect((await t.api.delete(`/v1/numbers/${n.id}`)).status).toBe(404);
			expect((await t.api.get('/v1/numbers')).data.numbers).toEqual([]);
			const ev = await waitFor(() => rx.events('number.released')[0], 3000, 'number.released');
			expect(ev.json.data).toEqual({ numberId: n.id, number: n.number });
			expect((await provision(t.api)).number).not.toBe(n.number);
		} finally {
			await rx.close();
		}
	});

	test('release variants: 200 with the deleted object; released number readable', async () => {
		t.sb.setConfig({ deleteReply: '200', releasedNumber: '200' });
		const n = await provision(t.api);
		const d = await t.api.delete(`/v1/numbers/${n.id}`);
		expect(d.status).toBe(200);
		expect(d.data).toMatchObject({ id: n.id, status: 'released', deleted: true, releasedAt: expect.any(String) });
		const g = await t.api.get(`/v1/numbers/${n.id}`);
		expect(g.status).toBe(200);
		expect(g.data.status).toBe('released');
		expect((await t.api.post('/v1/sms/send', { from: n.id, to: '+14155550000', body: 'x' })).status).toBe(404);
	});
});
