import { provision, waitFor, useSandboxWithReceiver } from './helpers';

const ctx = useSandboxWithReceiver();

const EXTERNAL = '+12125550142';
type Call = { id: string; status: string; duration: number | null; peerCallId: string | null; [k: string]: unknown };

async function getCall(id: string): Promise<Call> {
	return (await ctx.t.api.get(`/v1/calls/${id}`)).data;
}
async function waitStatus(id: string, status: string): Promise<Call> {
	return waitFor(async () => {
		const c = await getCall(id);
		return c.status === status ? c : null;
	}, 5000, `call ${id} ${status}`);
}
async function hook(events: string[]) {
	await ctx.t.api.post('/v1/webhooks', { url: ctx.rx.url, events });
}
const statusesOf = (callId: string) => ctx.rx.events('call.status').filter((e) => e.json.data.callId === callId).map((e) => e.json.data.status);

describe('initiate and the clock', () => {
	test('initiated -> ringing -> in-progress -> completed with webhooks and duration', async () => {
		const n = await provision(ctx.t.api);
		await hook(['call.status', 'call.ringing']);
		const r = await ctx.t.api.post('/v1/calls/initiate', { from: n.number, to: EXTERNAL });
		expect(r.status).toBe(200);
		expect(r.data).toMatchObject({ status: 'initiated', direction: 'outbound', mode: 'voice', from: n.number, to: EXTERNAL, numberId: n.id, record: false, recordingUrl: null, duration: null, peerCallId: null });
		const done = await waitStatus(r.data.id, 'completed');
		expect(done.duration).toBe(5);
		expect(done.answeredAt).toEqual(expect.any(String));
		expect(done.endedAt).toEqual(expect.any(String));
		await waitFor(() => statusesOf(r.data.id).length === 3, 3000, 'three call.status');
		expect(statusesOf(r.data.id)).toEqual(['ringing', 'in-progress', 'completed']);
		const last = ctx.rx.events('call.status').pop()!.json.data;
		expect(last).toMatchObject({ callId: r.data.id, status: 'completed', direction: 'outbound', from: n.number, to: EXTERNAL, duration: 5, peerCallId: null });
		expect(ctx.rx.events('call.ringing')[0].json.data).toEqual({ callId: r.data.id, from: n.number, to: EXTERNAL, direction: 'outbound' });
	});

	test('validation and minimal reply', async () => {
		const n = await provision(ctx.t.api);
		const bad = await ctx.t.api.post('/v1/calls/initiate', { from: n.id, to: 'nope', record: 'yes' });
		expect(bad.status).toBe(422);
		expect(bad.data.error.details.map((d: { field: string }) => d.field)).toEqual(['to', 'record']);
		expect((await ctx.t.api.post('/v1/calls/initiate', { from: 'missing', to: EXTERNAL })).status).toBe(404);
		ctx.t.sb.setConfig({ callReply: 'minimal' });
		const r = await ctx.t.api.post('/v1/calls/initiate', { from: n.id, to: EXTERNAL });
		expect(r.data).toEqual({ id: expect.any(String), status: 'initiated' });
	});

	test.each([
		['busy', ['ringing', 'busy']],
		['no_answer', ['ringing', 'no_answer']],
		['failed', ['failed']],
	])('per-to outcome %s', async (outcome, expected) => {
		const n = await provision(ctx.t.api);
		await hook(['call.status']);
		ctx.t.sb.setCallOutcome({ to: EXTERNAL, outcome: outcome as 'busy' });
		const r = await ctx.t.api.post('/v1/calls/initiate', { from: n.id, to: EXTERNAL });
		const c = await waitStatus(r.data.id, outcome);
		expect(c.duration).toBe(0);
		expect(c.answeredAt).toBeNull();
		await waitFor(() => statusesOf(r.data.id).length === expected.length, 3000, 'statuses');
		expect(statusesOf(r.data.id)).toEqual(expected);
	});

	test('per-call outcome and talk time; "answered" vocabulary', async () => {
		const n = await provision(ctx.t.api);
		ctx.t.sb.setConfig({ timeScale: 1000 });
		const a = (await ctx.t.api.post('/v1/calls/initiate', { from: n.id, to: EXTERNAL })).data;
		const b = (await ctx.t.api.post('/v1/calls/initiate', { from: n.id, to: EXTERNAL })).data;
		ctx.t.sb.setConfig({ timeScale: 0.01, inProgressStatus: 'answered' });
		ctx.t.sb.setCallOutcome({ callId: a.id, outcome: 'no_answer' });
		ctx.t.sb.setCallOutcome({ callId: b.id, outcome: 'completed', durationSecs: 42 });
		await waitStatus(a.id, 'no_answer');
		await waitStatus(b.id, 'answered');
		expect((await waitStatus(b.id, 'completed')).duration).toBe(42);
	});

	test('advanceCall: next status, a given status, invalid moves', async () => {
		const n = await provision(ctx.t.api);
		ctx.t.sb.setConfig({ timeScale: 1000 });
		const c = (await ctx.t.api.post('/v1/calls/initiate', { from: n.id, to: EXTERNAL })).data;
		expect(ctx.t.sb.advanceCall(c.id).status).toBe('ringing');
		expect(ctx.t.sb.advanceCall(c.id).status).toBe('in-progress');
		expect(() => ctx.t.sb.advanceCall(c.id, 'busy')).toThrow(/cannot move from in-progress to busy/);
		expect(() => ctx.t.sb.advanceCall(c.id, 'ringing')).toThrow(/cannot move/);
		const done = ctx.t.sb.advanceCall(c.id, 'completed');
		expect(done).toMatchObject({ status: 'completed', duration: 5 });
		expect(() => ctx.t.sb.advanceCall(c.id)).toThrow(/already ended/);
		const d = (await ctx.t.api.post('/v1/calls/initiate', { from: n.id, to: EXTERNAL })).data;
		expect(ctx.t.sb.completeCall(d.id)).toMatchObject({ status: 'completed', duration: 5 });
		const e = (await ctx.t.api.post('/v1/calls/initiate', { from: n.id, to: EXTERNAL })).data;
		expect(ctx.t.sb.advanceCall(e.id, 'busy')).toMatchObject({ status: 'busy', duration: 0 });
	});
});

describe('hangup, list, legs', () => {
	test('hangup completes with elapsed duration; idempotent; 409 by config', async () => {
		const n = await provision(ctx.t.api);
		ctx.t.sb.setConfig({ timeScale: 1000 });
		const c = (await ctx.t.api.post('/v1/calls/initiate', { from: n.id, to: EXTERNAL })).data;
		ctx.t.sb.advanceCall(c.id, 'in-progress');
		const h = await ctx.t.api.post(`/v1/calls/${c.id}/hangup`);
		expect(h.status).toBe(200);
		expect(h.data).toMatchObject({ id: c.id, status: 'completed', duration: 0 });
		const again = await ctx.t.api.post(`/v1/calls/${c.id}/hangup`);
		expect(again.status).toBe(200);
		expect(again.data.status).toBe('completed');
		ctx.t.sb.setConfig({ hangupEnded: '409' });
		const conflict = await ctx.t.api.post(`/v1/calls/${c.id}/hangup`);
		expect(conflict.status).toBe(409);
		expect(conflict.data.error.code).toBe('call_already_ended');
		expect((await ctx.t.api.post('/v1/calls/nope/hangup')).status).toBe(404);
	});

	test('list is { data } newest first with limit', async () => {
		const n = await provision(ctx.t.api);
		const ids: string[] = [];
		for (let i = 0; i < 3; i++) ids.push((await ctx.t.api.post('/v1/calls/initiate', { from: n.id, to: EXTERNAL })).data.id);
		const l = await ctx.t.api.get('/v1/calls');
		expect(Object.keys(l.data)).toEqual(['data']);
		expect(l.data.data.map((c: Call) => c.id)).toEqual([...ids].reverse());
		expect((await ctx.t.api.get('/v1/calls?limit=2')).data.data).toHaveLength(2);
		ctx.t.sb.setConfig({ listWrappers: { calls: 'calls' } });
		expect((await ctx.t.api.get('/v1/calls')).data.calls).toHaveLength(3);
	});

	test('a call between two account numbers has two legs linked by peerCallId and fires call.inbound', async () => {
		const a = await provision(ctx.t.api);
		const b = await provision(ctx.t.api);
		await hook(['call.inbound', 'call.status']);
		const out = (await ctx.t.api.post('/v1/calls/initiate', { from: a.id, to: b.number })).data;
		expect(out.peerCallId).toEqual(expect.any(String));
		const inbound = await getCall(out.peerCallId);
		expect(inbound).toMatchObject({ direction: 'inbound', from: a.number, to: b.number, numberId: b.id, peerCallId: out.id });
		await waitStatus(out.id, 'completed');
		expect((await getCall(inbound.id)).status).toBe('completed');
		const ev = await waitFor(() => ctx.rx.events('call.inbound')[0], 3000, 'call.inbound');
		expect(ev.json.data).toEqual({ callId: inbound.id, from: a.number, to: b.number, numberId: b.id, peerCallId: out.id });
		await waitFor(() => statusesOf(inbound.id).length === 3, 3000, 'inbound leg statuses');
	});

	test('injectCall: an inbound call from outside', async () => {
		const n = await provision(ctx.t.api);
		await hook(['call.inbound']);
		const c = ctx.t.sb.injectCall({ to: n.number, from: EXTERNAL });
		expect(c).toMatchObject({ direction: 'inbound', status: 'ringing', from: EXTERNAL, to: n.number, numberId: n.id });
		const ev = await waitFor(() => ctx.rx.events('call.inbound')[0], 3000, 'call.inbound');
		expect(ev.json.data).toMatchObject({ callId: c.id, from: EXTERNAL, to: n.number, numberId: n.id });
		await waitStatus(c.id, 'completed');
	});
});

describe('recording', () => {
	test('recorded call: 404 until completed, then a signed URL served without auth', async () => {
		const n = await provision(ctx.t.api);
		await hook(['call.recording']);
		ctx.t.sb.setConfig({ timeScale: 1000 });
		const c = (await ctx.t.api.post('/v1/calls/initiate', { from: n.id, to: EXTERNAL, record: true })).data;
		expect(c.record).toBe(true);
		const early = await ctx.t.api.get(`/v1/calls/${c.id}/recording`);
		expect(early.status).toBe(404);
		expect(early.data.error.code).toBe('recording_not_available');
		ctx.t.sb.completeCall(c.id);
		const r = await ctx.t.api.get(`/v1/calls/${c.id}/recording`);
		expect(r.status).toBe(200);
		expect(r.data).toMatchObject({ callId: c.id, recordingUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/recordings\//), duration: 5 });
		const ttl = Date.parse(r.data.expiresAt) - Date.now();
		expect(ttl).toBeGreaterThan(3500 * 1000);
		expect(ttl).toBeLessThanOrEqual(3600 * 1000);
		const audio = await ctx.t.anon.get(r.data.recordingUrl, { responseType: 'arraybuffer' });
		expect(audio.status).toBe(200);
		expect(audio.headers['content-type']).toBe('audio/wav');
		const buf = Buffer.from(audio.data);
		expect(buf.subarray(0, 4).toString()).toBe('RIFF');
		expect(buf.subarray(8, 12).toString()).toBe('WAVE');
		expect(buf.readUInt32LE(40)).toBe(buf.length - 44);
		const forged = await ctx.t.anon.get(r.data.recordingUrl.replace(/token=(\w)/, (_: string, first: string) => `token=${first === '0' ? '1' : '0'}`));
		expect(forged.status).toBe(403);
		const call = await getCall(c.id);
		expect(call.recordingUrl).toEqual(expect.stringContaining('/recordings/'));
		const ev = await waitFor(() => ctx.rx.events('call.recording')[0], 3000, 'call.recording');
		expect(ev.json.data).toMatchObject({ callId: c.id, recordingUrl: expect.stringContaining('/recordings/'), duration: 5 });
	});

	test('no recording for unrecorded calls; URL field name by config', async () => {
		const n = await provision(ctx.t.api);
		ctx.t.sb.setConfig({ timeScale: 1000 });
		const plain = (await ctx.t.api.post('/v1/calls/initiate', { from: n.id, to: EXTERNAL })).data;
		ctx.t.sb.completeCall(plain.id);
		expect((await ctx.t.api.get(`/v1/calls/${plain.id}/recording`)).data.error.code).toBe('recording_not_available');
		const rec = (await ctx.t.api.post('/v1/calls/initiate', { from: n.id, to: EXTERNAL, record: true })).data;
		ctx.t.sb.completeCall(rec.id);
		ctx.t.sb.setConfig({ recordingUrlField: 'signedUrl' });
		const r = await ctx.t.api.get(`/v1/calls/${rec.id}/recording`);
		expect(r.data.signedUrl).toEqual(expect.any(String));
		expect(r.data.recordingUrl).toBeUndefined();
		expect((await ctx.t.api.get('/v1/calls/nope/recording')).data.error.code).toBe('not_found');
	});
});
