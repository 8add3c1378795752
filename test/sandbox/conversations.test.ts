import { boot, provision, type Booted } from './helpers';

let t: Booted;
beforeAll(async () => {
	t = await boot();
});
afterAll(() => t.sb.close());
beforeEach(() => t.sb.reset());

const ALICE = '+14155550001';
const BOB = '+14155550002';

async function threads(query = '') {
	const r = await t.api.get(`/v1/sms-conversations${query}`);
	expect(r.status).toBe(200);
	return r.data as { data: Array<{ id: string; numberId: string; contactPhone: string } & Record<string, unknown>>; nextCursor: string | null };
}

describe('sms-conversations', () => {
	test('one thread per (number, contact) from inbound and outbound messages; newest activity first', async () => {
		const a = await provision(t.api);
		const b = await provision(t.api);
		t.sb.injectSms({ to: a.id, from: ALICE, body: 'Hi from Alice' });
		await t.api.post('/v1/sms/send', { from: a.id, to: ALICE, body: 'Hello Alice' });
		t.sb.injectSms({ to: a.id, from: BOB, body: 'Bob here' });
		t.sb.injectSms({ to: b.id, from: ALICE, body: 'Alice to B' });
		const all = await threads();
		expect(all.data.map((c) => [c.numberId, c.contactPhone])).toEqual([
			[b.id, ALICE],
			[a.id, BOB],
			[a.id, ALICE],
		]);
		expect(all.data[2]).toMatchObject({ number: a.number, messageCount: 2, optedOut: false, lastMessage: { direction: 'outbound', body: 'Hello Alice' } });
		// new activity moves a thread to the top
		t.sb.injectSms({ to: a.id, from: ALICE, body: 'again' });
		expect((await threads()).data[0]).toMatchObject({ numberId: a.id, contactPhone: ALICE, messageCount: 3 });
		expect((await threads(`?numberId=${b.id}`)).data).toHaveLength(1);
		expect((await t.api.get('/v1/sms-conversations?numberId=missing')).status).toBe(404);
	});

	test('cursor paging by default (nextCursor), none or the global setting by config', async () => {
		const n = await provision(t.api);
		for (let i = 0; i < 5; i++) t.sb.injectSms({ to: n.id, from: `+1415555010${i}`, body: `m${i}` });
		const p1 = await threads('?limit=2');
		expect(p1.data.map((c) => c.contactPhone)).toEqual(['+14155550104', '+14155550103']);
		const p2 = await threads(`?limit=2&cursor=${p1.nextCursor}`);
		expect(p2.data.map((c) => c.contactPhone)).toEqual(['+14155550102', '+14155550101']);
		const p3 = await threads(`?limit=2&cursor=${p2.nextCursor}`);
		expect(p3.data.map((c) => c.contactPhone)).toEqual(['+14155550100']);
		expect(p3.nextCursor).toBeNull();
		t.sb.setConfig({ conversationPagination: 'none' });
		const flat = await threads('?limit=2');
		expect(flat.data).toHaveLength(2);
		expect('nextCursor' in flat).toBe(false);
		t.sb.setConfig({ conversationPagination: 'global', pagination: 'cursor', cursorField: 'next_cursor', listWrappers: { conversations: 'conversations' } });
		const snake = (await t.api.get('/v1/sms-conversations?limit=4')).data;
		expect(snake.conversations).toHaveLength(4);
		expect(typeof snake.next_cursor).toBe('string');
	});

	test('GET one: thread + the last 50 messages oldest first', async () => {
		const n = await provision(t.api);
		for (let i = 1; i <= 53; i++) {
			if (i % 2) t.sb.injectSms({ to: n.id, from: ALICE, body: `in ${i}` });
			else await t.api.post('/v1/sms/send', { from: n.id, to: ALICE, body: `out ${i}` });
		}
		const id = (await threads()).data[0].id;
		const r = await t.api.get(`/v1/sms-conversations/${id}`);
		expect(r.status).toBe(200);
		expect(r.data).toMatchObject({ id, numberId: n.id, contactPhone: ALICE, messageCount: 53 });
		expect(r.data.messages).toHaveLength(50);
		expect(r.data.messages[0]).toEqual({ id: expect.any(String), direction: 'outbound', from: n.number, to: ALICE, body: 'out 4', status: 'sent', createdAt: expect.any(String) });
		expect(r.data.messages.map((m: { body: string }) => m.body).slice(0, 3)).toEqual(['out 4', 'in 5', 'out 6']);
		expect(r.data.messages[49]).toMatchObject({ direction: 'inbound', body: 'in 53' });
		const miss = await t.api.get('/v1/sms-conversations/nope');
		expect([miss.status, miss.data.error.code]).toEqual([404, 'sms_conversation_not_found']);
	});

	test('reply: a real SMS (thread, demo loop, usage); same idempotencyKey → same answer, no second SMS', async () => {
		const a = await provision(t.api);
		const b = await provision(t.api);
		t.sb.injectSms({ to: a.id, from: b.number, body: 'Are you open today?' });
		const conv = (await threads(`?numberId=${a.id}`)).data[0];
		const r1 = await t.api.post(`/v1/sms-conversations/${conv.id}/reply`, { body: 'Yes, until 6 pm.', idempotencyKey: 'k-1' });
		expect(r1.status).toBe(200);
		expect(r1.data).toEqual({ status: 'sent', messageId: expect.any(String), conversationId: conv.id, createdAt: expect.any(String) });
		const r2 = await t.api.post(`/v1/sms-conversations/${conv.id}/reply`, { body: 'Yes, until 6 pm.', idempotencyKey: 'k-1' });
		expect(r2.data).toEqual(r1.data);
		expect(r2.headers['x-agentcall-idempotency-replayed']).toBe('true');
		const msg = (await t.api.get(`/v1/sms/${r1.data.messageId}`)).data;
		expect(msg).toMatchObject({ direction: 'outbound', from: a.number, to: b.number, body: 'Yes, until 6 pm.' });
		const inboxB = (await t.api.get(`/v1/sms/inbox/${b.id}`)).data.messages;
		expect(inboxB.filter((m: { body: string }) => m.body === 'Yes, until 6 pm.')).toHaveLength(1);
		expect(t.sb.usage().breakdown.sms.sent).toBe(1);
		const thread = (await t.api.get(`/v1/sms-conversations/${conv.id}`)).data;
		expect(thread.messages.map((m: { direction: string }) => m.direction)).toEqual(['inbound', 'outbound']);
		// another key sends again
		await t.api.post(`/v1/sms-conversations/${conv.id}/reply`, { body: 'See you!', idempotencyKey: 'k-2' });
		expect(t.sb.usage().breakdown.sms.sent).toBe(2);
		const bad = await t.api.post(`/v1/sms-conversations/${conv.id}/reply`, { body: '' });
		expect(bad.status).toBe(422);
		expect((await t.api.post('/v1/sms-conversations/nope/reply', { body: 'x' })).data.error.code).toBe('sms_conversation_not_found');
	});

	test('STOP / UNSUBSCRIBE opt out (403 recipient_opted_out, no AI auto-reply); START opts back in', async () => {
		const n = await provision(t.api);
		t.sb.configureInbound(n.id, { mode: 'ai', smsMode: 'ai' });
		t.sb.injectSms({ to: n.id, from: ALICE, body: 'hello' });
		t.sb.injectSms({ to: n.id, from: ALICE, body: ' Stop ' });
		const conv = (await threads()).data[0];
		expect(conv).toMatchObject({ optedOut: true, optedOutAt: expect.any(String) });
		const sentBefore = t.sb.usage().breakdown.sms.sent;
		expect(sentBefore).toBe(1); // the auto-reply to "hello" only
		const r = await t.api.post(`/v1/sms-conversations/${conv.id}/reply`, { body: 'Sorry to see you go' });
		expect([r.status, r.data.error.code]).toEqual([403, 'recipient_opted_out']);
		t.sb.injectSms({ to: n.id, from: ALICE, body: 'still there?' });
		expect(t.sb.usage().breakdown.sms.sent).toBe(sentBefore);
		t.sb.injectSms({ to: n.id, from: ALICE, body: 'START' });
		expect((await t.api.post(`/v1/sms-conversations/${conv.id}/reply`, { body: 'Welcome back' })).status).toBe(200);
		t.sb.injectSms({ to: n.id, from: BOB, body: 'UNSUBSCRIBE' });
		const bob = (await threads()).data.find((c) => c.contactPhone === BOB)!;
		expect((await t.api.post(`/v1/sms-conversations/${bob.id}/reply`, { body: 'x' })).status).toBe(403);
	});

	test('a released number\'s threads disappear', async () => {
		const n = await provision(t.api);
		t.sb.injectSms({ to: n.id, from: ALICE, body: 'hi' });
		const id = (await threads()).data[0].id;
		await t.api.delete(`/v1/numbers/${n.id}`);
		expect((await threads()).data).toEqual([]);
		expect((await t.api.get(`/v1/sms-conversations/${id}`)).status).toBe(404);
	});
});
