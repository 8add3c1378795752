import type { AxiosInstance } from 'axios';
import { boot, client, provision, waitFor, type Booted } from './helpers';

/** Contacts, memory, briefs and reports (§13.6) in the sandbox, over HTTP. */

let t: Booted;
let ctl: AxiosInstance;
beforeAll(async () => {
	t = await boot();
	ctl = client(t.sb.controlUrl);
});
afterAll(() => t.sb.close());
beforeEach(() => t.sb.reset());

const CALLER = '+12125550155';
const byPhone = (phone: string) => t.api.get(`/v1/contacts/by-phone/${encodeURIComponent(phone)}`);

describe('contacts', () => {
	test('are made and counted by real traffic: inbound texts and calls, outbound AI calls', async () => {
		const n = await provision(t.api);
		expect((await byPhone(CALLER)).status).toBe(404);
		expect((await byPhone(CALLER)).data.error.code).toBe('contact_not_found');
		t.sb.injectSms({ to: n.id, from: CALLER, body: 'hello' });
		t.sb.injectCall({ to: n.number, from: CALLER });
		const c = await byPhone(CALLER);
		expect(c.data).toMatchObject({ phone: CALLER, numberId: n.id, callCount: 1, smsCount: 1, tags: [], verified: false, blockedAt: null });

		await t.api.post('/v1/calls/ai', { from: n.id, to: '+14155550199', systemPrompt: 'You are confirming an appointment.' });
		await waitFor(() => t.sb.memorySnapshot().reports.length > 0, 10000, 'the report of the AI call');
		const callee = (await byPhone('+14155550199')).data;
		expect(callee.callCount).toBe(1);
		const { reports, candidates } = t.sb.memorySnapshot();
		expect(reports[0]).toMatchObject({ contactId: callee.id, intent: 'scheduling', callId: expect.any(String) });
		expect(candidates.length).toBeGreaterThan(0);
		expect(candidates.every((x) => x.status === 'proposed' && x.contactId === callee.id)).toBe(true);
		expect((await byPhone('4155550199')).status).toBe(422);
	});

	test('page with a cursor whatever the pagination setting; wrappers follow memoryListWrapper', async () => {
		const n = await provision(t.api);
		for (let i = 0; i < 5; i++) t.sb.injectSms({ to: n.id, from: `+1212555${1000 + i}`, body: 'x' });
		const seen: string[] = [];
		let cursor: string | null | undefined;
		do {
			const page = await t.api.get('/v1/contacts', { params: { limit: 2, ...(cursor ? { cursor } : {}) } });
			seen.push(...page.data.data.map((c: { phone: string }) => c.phone));
			cursor = page.data.nextCursor;
		} while (cursor);
		expect(seen).toHaveLength(5);
		expect(new Set(seen).size).toBe(5);
		t.sb.setConfig({ memoryListWrapper: 'named' });
		expect((await t.api.get('/v1/contacts')).data.contacts).toHaveLength(5);
		t.sb.setConfig({ memoryListWrapper: 'bare' });
		const bare = await t.api.get('/v1/contacts?limit=2');
		expect(bare.data).toHaveLength(2);
		expect(bare.headers['x-next-cursor']).toEqual(expect.any(String));
		expect((await ctl.patch('/config', { memoryListWrapper: 'wrapped' })).status).toBe(422);
	});

	test('PATCH sets the documented fields and rejects anything else', async () => {
		const { contact } = t.sb.seedReport({ phone: CALLER });
		const ok = await t.api.patch(`/v1/contacts/${contact.id}`, { displayName: 'Ana', tags: ['vip'], ownerNotes: null, verified: true, blockedAt: '2026-01-01T00:00:00Z' });
		expect(ok.data).toMatchObject({ displayName: 'Ana', tags: ['vip'], verified: true, blockedAt: '2026-01-01T00:00:00Z' });
		const bad = await t.api.patch(`/v1/contacts/${contact.id}`, { phone: '+1', tags: 'vip', blockedAt: 'soon' });
		expect(bad.status).toBe(422);
		expect(bad.data.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['blockedAt', 'phone', 'tags']);
		expect((await t.api.patch(`/v1/contacts/${contact.id}`, {})).status).toBe(422);
	});

	test('next-call context comes in both documented shapes', async () => {
		const seeded = t.sb.seedReport({ phone: CALLER });
		await t.api.post(`/v1/memory/candidates/${seeded.candidates[0].id}/approve`, {});
		const block = (await t.api.get(`/v1/contacts/${seeded.contact.id}/next-call-context`)).data;
		expect(block).toEqual({ contactId: seeded.contact.id, phone: CALLER, numberId: null, contextBlock: expect.stringContaining(seeded.candidates[0].text), contextBlockChars: block.contextBlock.length, isEmpty: false });
		t.sb.setConfig({ nextCallContextShape: 'brief' });
		const brief = (await t.api.get(`/v1/contacts/${seeded.contact.id}/next-call-context`)).data;
		expect(brief).toEqual({ contactId: seeded.contact.id, brief: block.contextBlock, updatedAt: expect.any(String) });
	});

	test('DELETE forgets the contact: memory, candidates, briefs and timeline go, reports are redacted', async () => {
		const seeded = t.sb.seedReport({ phone: CALLER });
		await t.api.post(`/v1/memory/candidates/${seeded.candidates[0].id}/approve`, {});
		expect((await t.api.delete(`/v1/contacts/${seeded.contact.id}`)).status).toBe(204);
		const after = t.sb.memorySnapshot();
		expect([after.contacts, after.memories, after.candidates, after.briefs, after.timeline]).toEqual([[], [], [], [], []]);
		expect(after.reports).toEqual([expect.objectContaining({ id: seeded.report.id, contactId: seeded.contact.id, redacted: true, summary: null, facts: [], briefWorthy: false })]);
		expect((await t.api.get(`/v1/contacts/${seeded.contact.id}`)).status).toBe(404);
		// A new contact with a new ID when the number is seen again.
		const again = t.sb.seedReport({ phone: CALLER });
		expect(again.contact.id).not.toBe(seeded.contact.id);
	});
});

describe('memory candidates, memory rows and the timeline', () => {
	test('proposed → approved becomes current truth; PATCH and soft delete are on the timeline', async () => {
		const { contact, candidates } = t.sb.seedReport({ phone: CALLER, report: { facts: ['Has two dogs'], preferences: ['Texts only'], commitments: [], decisions: [] } });
		expect(candidates.map((c) => c.type)).toEqual(['fact', 'preference']);
		const approved = (await t.api.post(`/v1/memory/candidates/${candidates[0].id}/approve`, { note: 'ok' })).data;
		expect((await t.api.post(`/v1/memory/candidates/${candidates[0].id}/approve`)).status).toBe(409);
		expect((await t.api.post(`/v1/memory/candidates/${candidates[1].id}/reject`, { reason: 'wrong' })).data).toMatchObject({ status: 'rejected', reason: 'wrong', memoryId: null });

		const current = await t.api.get(`/v1/memory/current?contactId=${contact.id}`);
		expect(current.data.data).toEqual([expect.objectContaining({ id: approved.memoryId, text: 'Has two dogs', type: 'fact' })]);
		expect((await t.api.patch(`/v1/memory/${approved.memoryId}`, { text: 'Has three dogs' })).data.text).toBe('Has three dogs');
		expect((await t.api.patch(`/v1/memory/${approved.memoryId}`, { expiresAt: '2000-01-01T00:00:00Z' })).status).toBe(200);
		expect((await t.api.get(`/v1/memory/current?contactId=${contact.id}`)).data.data).toEqual([]); // expired
		expect((await t.api.patch(`/v1/memory/${approved.memoryId}`, { color: 'red' })).status).toBe(422);
		expect((await t.api.delete(`/v1/memory/${approved.memoryId}`)).status).toBe(204);
		expect((await t.api.delete(`/v1/memory/${approved.memoryId}`)).status).toBe(404);
		const timeline = (await t.api.get(`/v1/memory/${approved.memoryId}/timeline`)).data.data;
		expect(timeline.map((e: { action: string }) => e.action)).toEqual(['approved', 'updated', 'updated', 'deleted']);
		expect(timeline[1]).toMatchObject({ previousText: 'Has two dogs', text: 'Has three dogs' });

		const filtered = await t.api.get('/v1/memory/candidates', { params: { status: 'rejected', type: 'preference', contactId: contact.id } });
		expect(filtered.data.data.map((c: { id: string }) => c.id)).toEqual([candidates[1].id]);
		expect((await t.api.get('/v1/memory/candidates?status=pending')).status).toBe(422);
	});
});

describe('briefs and reports', () => {
	test('briefs move open → acknowledged → resolved and filter by status and urgency', async () => {
		const high = t.sb.seedReport({ phone: CALLER }).brief!;
		t.sb.seedReport({ phone: '+12125550166', report: { urgency: 'low' } });
		expect(t.sb.seedReport({ phone: '+12125550177', report: { briefWorthy: false } }).brief).toBeNull();
		expect((await t.api.get('/v1/briefs?status=open&urgency=high')).data.data.map((b: { id: string }) => b.id)).toEqual([high.id]);
		expect((await t.api.post(`/v1/briefs/${high.id}/ack`)).data.status).toBe('acknowledged');
		expect((await t.api.post(`/v1/briefs/${high.id}/resolve`)).data.status).toBe('resolved');
		expect((await t.api.post(`/v1/briefs/${high.id}/ack`)).status).toBe(409);
		expect((await t.api.get('/v1/briefs?status=open')).data.data).toHaveLength(1);
		expect((await t.api.get('/v1/briefs?urgency=urgent')).status).toBe(422);
	});

	test('reports filter by contactId, intent, urgency and briefWorthy; the control route seeds them', async () => {
		const seeded = await ctl.post('/memory/report', { phone: CALLER, report: { intent: 'complaint' } });
		expect(seeded.data).toMatchObject({ contact: { phone: CALLER }, report: { intent: 'complaint', briefWorthy: true }, brief: { status: 'open' } });
		await ctl.post('/memory/report', { phone: '+12125550166', report: { intent: 'spam', urgency: 'low', briefWorthy: false } });
		expect((await ctl.post('/memory/report', { phone: 'nope' })).status).toBe(422);
		const get = async (q: string) => (await t.api.get(`/v1/reports?${q}`)).data.data.map((r: { intent: string }) => r.intent);
		expect(await get('briefWorthy=false')).toEqual(['spam']);
		expect(await get(`contactId=${seeded.data.contact.id}`)).toEqual(['complaint']);
		expect(await get('urgency=high&intent=complaint')).toEqual(['complaint']);
		expect((await t.api.get('/v1/reports?briefWorthy=yes')).status).toBe(422);
		expect((await ctl.get('/memory')).data.reports).toHaveLength(2);
	});
});
