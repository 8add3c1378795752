import { provision, waitFor, useSandboxWithReceiver } from './helpers';

const ctx = useSandboxWithReceiver();

const TO = '+12125550177';
const PROMPT = 'You are calling to book a dental cleaning appointment for next week. Be brief.';
const ai = (body: Record<string, unknown>) => ctx.t.api.post('/v1/calls/ai', body);
const frozen = () => ctx.t.sb.setConfig({ timeScale: 1000 });

describe('POST /v1/calls/ai', () => {
	test('creates an AI call with documented defaults and echoes metadata', async () => {
		const n = await provision(ctx.t.api);
		const r = await ai({ from: n.id, to: TO, systemPrompt: PROMPT, metadata: { crmId: 'c-42' } });
		expect(r.status).toBe(200);
		expect(r.data).toMatchObject({ status: 'initiated', mode: 'ai', direction: 'outbound', from: n.number, to: TO, voice: 'shimmer', language: 'auto', maxDurationSecs: 600, liveTranscript: false, metadata: { crmId: 'c-42' } });
		expect((await ctx.t.api.get(`/v1/calls/${r.data.id}`)).data.metadata).toEqual({ crmId: 'c-42' });
		ctx.t.sb.setConfig({ callReply: 'minimal' });
		const m = await ai({ from: n.id, to: TO, metadata: { a: 'b' } });
		expect(m.data).toEqual({ id: expect.any(String), status: 'initiated', metadata: { a: 'b' } });
	});

	test('field rules: voice, language, maxDurationSecs, booleans, idempotencyKey (422)', async () => {
		const n = await provision(ctx.t.api);
		const r = await ai({ from: n.id, to: TO, voice: 'nova', language: 'xx', maxDurationSecs: 9, record: 'yes', idempotencyKey: '' });
		expect(r.status).toBe(422);
		expect(r.data.error.details).toEqual([
			{ field: 'voice', message: 'must be one of: alloy, ash, ballad, cedar, coral, echo, marin, sage, shimmer, verse' },
			{ field: 'language', message: 'must be one of: auto, en, es, fr, de, it, pt, nl, ja, ko, zh, hi, ar' },
			{ field: 'maxDurationSecs', message: 'must be between 10 and 3600' },
			{ field: 'record', message: 'must be a boolean' },
			{ field: 'idempotencyKey', message: 'must not be empty' },
		]);
		expect((await ai({ from: n.id, to: TO, maxDurationSecs: 3601 })).status).toBe(422);
		expect((await ai({ from: n.id, to: TO, maxDurationSecs: 60.5 })).data.error.details).toEqual([{ field: 'maxDurationSecs', message: 'must be an integer' }]);
		expect((await ai({ from: n.id, to: TO, idempotencyKey: 'k'.repeat(201) })).status).toBe(422);
		expect((await ai({ from: n.id, to: TO, maxDurationSecs: 10, voice: 'marin', language: 'es', idempotencyKey: 'k'.repeat(200) })).status).toBe(200);
	});

	test('metadata limits give 400', async () => {
		const n = await provision(ctx.t.api);
		const many = Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`k${i}`, 'v']));
		const cases: Array<[unknown, string]> = [
			[many, 'must have at most 24 keys (got 25)'],
			[{ ['k'.repeat(65)]: 'v' }, 'key must be 1-64 characters'],
			[{ k: 'v'.repeat(513) }, 'value must be at most 512 characters'],
			[{ k: 5 }, 'value must be a string'],
			[Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`k${i}`, 'v'.repeat(500)])), 'must serialise to at most 2048 bytes'],
			[['a'], 'must be an object of string values'],
		];
		for (const [metadata, message] of cases) {
			const r = await ai({ from: n.id, to: TO, metadata });
			expect(r.status).toBe(400);
			expect(r.data.error.code).toBe('validation_error');
			expect(r.data.error.details[0].message).toContain(message);
		}
		const ok = Object.fromEntries(Array.from({ length: 24 }, (_, i) => [`k${i}`, 'v'.repeat(20)]));
		expect((await ai({ from: n.id, to: TO, metadata: ok })).status).toBe(200);
	});

	test('idempotencyKey per from number: replay returns the original response + header', async () => {
		const a = await provision(ctx.t.api);
		const b = await provision(ctx.t.api);
		const first = await ai({ from: a.id, to: TO, idempotencyKey: 'order-1' });
		expect(first.headers['x-agentcall-idempotency-replayed']).toBeUndefined();
		await waitFor(async () => (await ctx.t.api.get(`/v1/calls/${first.data.id}`)).data.status === 'completed', 5000, 'completed');
		const replay = await ai({ from: a.number, to: TO, idempotencyKey: 'order-1' });
		expect(replay.status).toBe(200);
		expect(replay.headers['x-agentcall-idempotency-replayed']).toBe('true');
		expect(replay.data).toEqual(first.data);
		const other = await ai({ from: b.id, to: TO, idempotencyKey: 'order-1' });
		expect(other.data.id).not.toBe(first.data.id);
		expect(other.headers['x-agentcall-idempotency-replayed']).toBeUndefined();
		expect((await ctx.t.api.get('/v1/calls')).data.data).toHaveLength(2);
	});

	test('useSavedAgent: 400 no_saved_agent, else fills omitted fields (per-call wins)', async () => {
		const n = await provision(ctx.t.api);
		const none = await ai({ from: n.id, to: TO, useSavedAgent: true });
		expect(none.status).toBe(400);
		expect(none.data.error.code).toBe('no_saved_agent');
		ctx.t.sb.setOutboundDefaults(n.id, { systemPrompt: PROMPT, voice: 'sage', maxDurationSecs: 120 });
		const r = await ai({ from: n.id, to: TO, useSavedAgent: true, voice: 'coral' });
		expect(r.data).toMatchObject({ voice: 'coral', maxDurationSecs: 120 });
	});

	test('US/Canada only: 400 carrier_not_supported', async () => {
		const n = await provision(ctx.t.api);
		const r = await ai({ from: n.id, to: '+442071838750' });
		expect(r.status).toBe(400);
		expect(r.data.error.code).toBe('carrier_not_supported');
	});

	test('plan gates: Free 403 plan_limit_voice_ai, Pro without card 402 payment_method_required', async () => {
		const n = await provision(ctx.t.api);
		ctx.t.sb.setPlan('free');
		const f = await ai({ from: n.id, to: TO });
		expect(f.status).toBe(403);
		expect(f.data.error).toEqual({ code: 'plan_limit_voice_ai', message: expect.any(String), upgradeUrl: 'https://www.agentcall.co/pricing' });
		ctx.t.sb.setPlan('pro_no_card');
		const p = await ai({ from: n.id, to: TO });
		expect(p.status).toBe(402);
		expect(p.data.error).toEqual({ code: 'payment_method_required', message: expect.any(String), setupUrl: expect.stringMatching(/^https:\/\//) });
		ctx.t.sb.setConfig({ errorLinks: 'top' });
		const top = await ai({ from: n.id, to: TO });
		expect(top.data).toEqual({ error: { code: 'payment_method_required', message: expect.any(String) }, setupUrl: expect.any(String) });
	});

	test('10/min route limit with Retry-After; 503 voice_ai_unavailable via the fault switch', async () => {
		const n = await provision(ctx.t.api);
		frozen();
		for (let i = 0; i < 10; i++) expect((await ai({ from: n.id, to: TO })).status).toBe(200);
		const limited = await ai({ from: n.id, to: TO });
		expect(limited.status).toBe(429);
		expect(limited.data.error.code).toBe('rate_limited');
		expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
		expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
		expect((await ctx.t.api.get('/v1/calls')).status).toBe(200);
		ctx.t.sb.setLimits({ aiCalls: 10 });
		ctx.t.sb.addFault({ method: 'POST', path: '/v1/calls/ai', status: 503, times: 1 });
		const down = await ai({ from: n.id, to: TO });
		expect(down.status).toBe(503);
		expect(down.data.error.code).toBe('voice_ai_unavailable');
		expect((await ai({ from: n.id, to: TO })).status).toBe(200);
	});
});

describe('transcript, report, live events', () => {
	test('full lifecycle events in order with metadata; transcript + summary; report 202 -> 200', async () => {
		const n = await provision(ctx.t.api);
		await ctx.t.api.post('/v1/webhooks', { url: ctx.rx.url, events: ['call.status', 'transcript.partial', 'call.transcript', 'call.report.ready', 'call.recording'] });
		ctx.t.sb.setConfig({ timeScale: 0.02 });
		const r = await ai({ from: n.id, to: TO, systemPrompt: PROMPT, firstMessage: 'Hi, this is Ava from Bright Dental.', liveTranscript: true, record: true, metadata: { ticket: 'T-1' } });
		const id = r.data.id as string;
		const before = await ctx.t.api.get(`/v1/calls/${id}/transcript`);
		expect(before.status).toBe(404);
		expect(before.data.error.code).toBe('transcript_not_available');
		expect((await ctx.t.api.get(`/v1/calls/${id}/report`)).status).toBe(202);
		const ready = await waitFor(() => ctx.rx.events('call.report.ready')[0], 5000, 'call.report.ready');
		const order = ctx.rx.received.map((e) => e.json.event).filter((e) => e !== 'call.status' && e !== 'transcript.partial');
		expect(order).toEqual(['call.recording', 'call.transcript', 'call.report.ready']);
		const partials = ctx.rx.events('transcript.partial').map((e) => e.json.data as { sequence: number; role: string; text: string; callId: string });
		expect(partials.map((p) => p.sequence)).toEqual(partials.map((_, i) => i + 1));
		expect(partials.length).toBeGreaterThanOrEqual(6);
		expect(partials[0]).toMatchObject({ callId: id, role: 'ai', text: 'Hi, this is Ava from Bright Dental.' });
		const tr = await ctx.t.api.get(`/v1/calls/${id}/transcript`);
		expect(tr.status).toBe(200);
		expect(tr.data).toMatchObject({ callId: id, duration: 5, metadata: { ticket: 'T-1' } });
		expect(tr.data.transcript.map((e: { text: string }) => e.text)).toEqual(partials.map((p) => p.text));
		for (const e of tr.data.transcript) {
			expect(['ai', 'human']).toContain(e.role);
			expect(new Date(e.timestamp).toISOString()).toBe(e.timestamp);
		}
		expect(tr.data.transcript[2].text).toBe('I am calling to book a dental cleaning appointment for next week.');
		const s = tr.data.summary;
		expect(s).toEqual({ summary: expect.any(String), callerName: expect.any(String), intent: 'scheduling', urgency: 'medium', callbackBy: expect.any(String), spam: false });
		const te = ctx.rx.events('call.transcript')[0].json.data;
		expect(te).toMatchObject({ callId: id, duration: 5, summary: s, metadata: { ticket: 'T-1' }, numberId: n.id });
		expect(te.transcript).toEqual(tr.data.transcript);
		expect(ready.json.data).toMatchObject({ callId: id, contactId: expect.any(String), metadata: { ticket: 'T-1' } });
		const rep = await ctx.t.api.get(`/v1/calls/${id}/report`);
		expect(rep.status).toBe(200);
		expect(Object.keys(rep.data.report).sort()).toEqual(
			['briefWorthy', 'commitments', 'decisions', 'entities', 'facts', 'intent', 'nextAction', 'nextCallContext', 'ownerBrief', 'preferences', 'risks', 'spam', 'summary', 'tasks', 'unresolved', 'urgency'].sort(),
		);
		expect(rep.data.report.summary).toBe(s.summary);
		const statusEv = ctx.rx.events('call.status').filter((e) => e.json.data.status === 'completed')[0];
		expect(statusEv.json.data).toMatchObject({ metadata: { ticket: 'T-1' }, duration: 5, recordingUrl: expect.any(String) });
	});

	test('transcript shapes and variants; report payload alias; 202 for a not-ready transcript', async () => {
		const n = await provision(ctx.t.api);
		frozen();
		const c = (await ai({ from: n.id, to: TO, systemPrompt: 'You are calling about an URGENT leak repair.' })).data;
		ctx.t.sb.setConfig({ transcriptNotReady: '202' });
		const pending = await ctx.t.api.get(`/v1/calls/${c.id}/transcript`);
		expect(pending.status).toBe(202);
		expect(pending.data).toEqual({ status: 'pending', callStatus: 'initiated' });
		ctx.t.sb.setConfig({ timeScale: 0.01 });
		ctx.t.sb.completeCall(c.id);
		ctx.t.sb.setConfig({ transcriptShape: 'documented', aiRole: 'assistant' });
		const doc = await ctx.t.api.get(`/v1/calls/${c.id}/transcript`);
		expect(Object.keys(doc.data).sort()).toEqual(['duration', 'entries', 'summary']);
		expect(typeof doc.data.summary).toBe('string');
		expect(doc.data.entries[0].role).toBe('assistant');
		expect(doc.data.entries[1].role).toBe('human');
		ctx.t.sb.setConfig({ transcriptShape: 'live' });
		const live = await ctx.t.api.get(`/v1/calls/${c.id}/transcript`);
		expect(live.data.summary).toMatchObject({ intent: 'service_request', urgency: 'high' });
		await waitFor(async () => (await ctx.t.api.get(`/v1/calls/${c.id}/report`)).status === 200, 5000, 'report');
		ctx.t.sb.setConfig({ reportField: 'both' });
		const both = await ctx.t.api.get(`/v1/calls/${c.id}/report`);
		expect(both.data.payload).toEqual(both.data.report);
		ctx.t.sb.setConfig({ reportField: 'payload' });
		expect((await ctx.t.api.get(`/v1/calls/${c.id}/report`)).data.report).toBeUndefined();
	});

	test('report stays 202 while extracting; plain and unconnected calls have no transcript/report', async () => {
		const n = await provision(ctx.t.api);
		ctx.t.sb.setConfig({ reportDelayMs: 10_000_000 });
		const c = (await ai({ from: n.id, to: TO, systemPrompt: PROMPT })).data;
		ctx.t.sb.completeCall(c.id);
		expect((await ctx.t.api.get(`/v1/calls/${c.id}/transcript`)).status).toBe(200);
		const rep = await ctx.t.api.get(`/v1/calls/${c.id}/report`);
		expect(rep.status).toBe(202);
		expect(rep.data).toEqual({ status: 'extracting' });
		const plain = (await ctx.t.api.post('/v1/calls/initiate', { from: n.id, to: TO })).data;
		ctx.t.sb.completeCall(plain.id);
		expect((await ctx.t.api.get(`/v1/calls/${plain.id}/transcript`)).data.error.code).toBe('transcript_not_available');
		expect((await ctx.t.api.get(`/v1/calls/${plain.id}/report`)).data.error.code).toBe('report_not_available');
		frozen();
		const busy = (await ai({ from: n.id, to: TO })).data;
		ctx.t.sb.advanceCall(busy.id, 'busy');
		expect((await ctx.t.api.get(`/v1/calls/${busy.id}/transcript`)).status).toBe(404);
		expect((await ctx.t.api.get(`/v1/calls/${busy.id}/report`)).status).toBe(404);
	});

	test('hang-up mid-call truncates the transcript; maxDurationSecs caps the duration; spam summary', async () => {
		const n = await provision(ctx.t.api);
		frozen();
		const c = (await ai({ from: n.id, to: TO, systemPrompt: PROMPT })).data;
		ctx.t.sb.advanceCall(c.id, 'in-progress');
		await ctx.t.api.post(`/v1/calls/${c.id}/hangup`);
		const tr = (await ctx.t.api.get(`/v1/calls/${c.id}/transcript`)).data;
		expect(tr.transcript).toHaveLength(1);
		expect(tr.summary.callbackBy).toBeNull();
		const capped = (await ai({ from: n.id, to: TO, maxDurationSecs: 10 })).data;
		ctx.t.sb.setCallOutcome({ callId: capped.id, outcome: 'completed', durationSecs: 300 });
		expect(ctx.t.sb.completeCall(capped.id)).toMatchObject({ status: 'completed', duration: 10 });
		const spam = (await ai({ from: n.id, to: TO, systemPrompt: 'You are calling about their extended warranty.' })).data;
		ctx.t.sb.completeCall(spam.id);
		const ss = (await ctx.t.api.get(`/v1/calls/${spam.id}/transcript`)).data.summary;
		expect(ss).toMatchObject({ intent: 'spam', spam: true, callerName: null, urgency: 'low' });
	});

	test('AI call to an account number: inbound leg gets metadata and the transcript with swapped roles', async () => {
		const a = await provision(ctx.t.api);
		const b = await provision(ctx.t.api);
		frozen();
		const c = (await ai({ from: a.id, to: b.number, systemPrompt: PROMPT, metadata: { k: 'v' } })).data;
		ctx.t.sb.completeCall(c.id);
		const leg = (await ctx.t.api.get(`/v1/calls/${c.peerCallId}`)).data;
		expect(leg).toMatchObject({ direction: 'inbound', metadata: { k: 'v' }, peerCallId: c.id, status: 'completed' });
		const out = (await ctx.t.api.get(`/v1/calls/${c.id}/transcript`)).data.transcript;
		const inn = (await ctx.t.api.get(`/v1/calls/${leg.id}/transcript`)).data.transcript;
		expect(inn.map((e: { text: string }) => e.text)).toEqual(out.map((e: { text: string }) => e.text));
		expect(inn[0].role).toBe('human');
		expect(out[0].role).toBe('ai');
	});
});
