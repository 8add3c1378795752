import { boot, provision, type Booted } from './helpers';

let t: Booted;
beforeAll(async () => {
	t = await boot();
});
afterAll(() => t.sb.close());
beforeEach(() => t.sb.reset());

const SECRET_A = 'example-ctx-secret-1';
const SECRET_B = 'example-act-secret-2';
const TOOL = { name: 'check_calendar', description: 'Free slots on a day', parameters: { type: 'object', properties: { day: { type: 'string' } } } };

function full(over: Record<string, unknown> = {}) {
	return {
		mode: 'ai',
		systemPrompt: 'You are the receptionist of Acme Dental.',
		voice: 'sage',
		language: 'en',
		firstMessage: 'Acme Dental, how can I help?',
		maxDurationSecs: 300,
		notify: { emailTo: 'owner@acme.test', smsTo: '+14155559999', businessName: 'Acme Dental' },
		contextWebhook: { url: 'http://127.0.0.1:9/context', signingSecret: SECRET_A, timeoutMs: 500 },
		tools: [TOOL],
		actionWebhook: { url: 'http://127.0.0.1:9/tools', signingSecret: SECRET_B },
		allowedSenders: ['+14155550001'],
		...over,
	};
}

const path = (id: string) => `/v1/numbers/${id}/inbound-config`;
const storedSecret = (id: string, block: string) => (t.sb.inboundConfig(id)?.[block] as { signingSecret?: string } | null | undefined)?.signingSecret;

describe('inbound-config', () => {
	test('unset: config null (or absent by setting); the number summary says not configured', async () => {
		const n = await provision(t.api);
		const r = await t.api.get(path(n.id));
		expect(r.status).toBe(200);
		expect(r.data).toEqual({ numberId: n.id, number: n.number, config: null, voiceMode: 'managed', hasByokKey: false, byokOpenaiApiKeyPreview: null, premiumVoice: null });
		t.sb.setConfig({ inboundConfigUnset: 'absent' });
		expect('config' in (await t.api.get(path(n.id))).data).toBe(false);
		expect((await t.api.get(path('missing'))).status).toBe(404);
	});

	test('POST stores everything with defaults; GET redacts secrets inside each block', async () => {
		const n = await provision(t.api);
		const r = await t.api.post(path(n.id), full());
		expect(r.status).toBe(200);
		const g = await t.api.get(path(n.id));
		expect(g.data.config).toEqual({
			...full(),
			record: false,
			contextSource: 'webhook',
			liveTranscript: false,
			smsMode: 'off',
			smsSystemPrompt: null,
			contextWebhook: { url: 'http://127.0.0.1:9/context', timeoutMs: 500, hasSigningSecret: true },
			actionWebhook: { url: 'http://127.0.0.1:9/tools', hasSigningSecret: true },
			agentWebhook: null,
		});
		expect(JSON.stringify(g.data)).not.toContain(SECRET_A);
		expect(JSON.stringify(r.data)).not.toContain(SECRET_B);
		const num = (await t.api.get(`/v1/numbers/${n.id}`)).data;
		expect(num.inbound).toMatchObject({ configured: true, mode: 'ai', voice: 'sage', language: 'en', smsMode: 'off' });
		// the other nesting: flags next to the blocks
		t.sb.setConfig({ inboundSecretNesting: 'flat' });
		const flat = (await t.api.get(path(n.id))).data.config;
		expect(flat.contextWebhook).toEqual({ url: 'http://127.0.0.1:9/context', timeoutMs: 500 });
		expect(flat.contextWebhookHasSigningSecret).toBe(true);
		expect(flat.agentWebhookHasSigningSecret).toBeUndefined();
		// a read config posted back is accepted in either nesting and changes nothing
		expect((await t.api.post(path(n.id), flat)).status).toBe(200);
		t.sb.setConfig({ inboundSecretNesting: 'inside' });
		expect((await t.api.post(path(n.id), g.data.config)).status).toBe(200);
		expect((await t.api.get(path(n.id))).data.config).toEqual(g.data.config);
		expect(storedSecret(n.id, 'contextWebhook')).toBe(SECRET_A);
	});

	test('replace semantics: omitted fields are wiped (tools, webhooks, notify) and defaults return', async () => {
		const n = await provision(t.api);
		await t.api.post(path(n.id), full());
		const r = await t.api.post(path(n.id), { mode: 'ai', systemPrompt: 'Only this.' });
		expect(r.status).toBe(200);
		expect(r.data.config).toMatchObject({ systemPrompt: 'Only this.', voice: 'shimmer', language: 'auto', maxDurationSecs: 600, notify: null, tools: [], allowedSenders: null, contextWebhook: null, actionWebhook: null, contextSource: 'none' });
		// a block that was removed lost its secret: re-adding it without one is refused
		const again = await t.api.post(path(n.id), { mode: 'ai', systemPrompt: 'x', contextWebhook: { url: 'http://127.0.0.1:9/c' } });
		expect(again.status).toBe(422);
		expect(again.data.error.details).toEqual([{ field: 'contextWebhook.signingSecret', message: expect.stringMatching(/^is required \(no stored secret/) }]);
	});

	test('a block without signingSecret keeps its stored secret (also when its URL changes)', async () => {
		const n = await provision(t.api);
		await t.api.post(path(n.id), full());
		const r = await t.api.post(path(n.id), full({ contextWebhook: { url: 'http://127.0.0.1:9/new-context' }, actionWebhook: { url: 'http://127.0.0.1:9/tools', signingSecret: 'example-new-secret-3' } }));
		expect(r.status).toBe(200);
		expect(r.data.config.contextWebhook).toEqual({ url: 'http://127.0.0.1:9/new-context', timeoutMs: 800, hasSigningSecret: true });
		expect(storedSecret(n.id, 'contextWebhook')).toBe(SECRET_A);
		expect(storedSecret(n.id, 'actionWebhook')).toBe('example-new-secret-3');
	});

	test('validation of every field, all problems at once', async () => {
		const n = await provision(t.api);
		const bad = {
			mode: 'human',
			voice: 'robot',
			language: 'xx',
			maxDurationSecs: 5,
			record: 'yes',
			notify: { emailTo: 'nope', smsTo: '555', pager: 1 },
			contextWebhook: { url: 'ftp://x', signingSecret: 'short', timeoutMs: 1501 },
			contextSource: 'crm',
			liveTranscript: 1,
			smsMode: 'chat',
			tools: Array.from({ length: 9 }, (_, i) => ({ name: i === 8 ? 'bad name' : `t${i % 8}` })),
			actionWebhook: { url: 'http://127.0.0.1:9/a', signingSecret: 'long-enough-secret!' },
			allowedSenders: [...Array.from({ length: 20 }, (_, i) => `+1415555${String(1000 + i)}`), '0415'],
			colour: 'blue',
		};
		const r = await t.api.post(path(n.id), bad);
		expect(r.status).toBe(422);
		const fields = (r.data.error.details as Array<{ field: string }>).map((d) => d.field).sort();
		expect(fields).toEqual(
			[
				'colour',
				'mode',
				'systemPrompt',
				'voice',
				'language',
				'maxDurationSecs',
				'record',
				'liveTranscript',
				'contextSource',
				'smsMode',
				'notify.pager',
				'notify.emailTo',
				'notify.smsTo',
				'tools',
				'tools[8].name',
				'allowedSenders',
				'allowedSenders[20]',
				'contextWebhook.url',
				'contextWebhook.signingSecret',
				'contextWebhook.timeoutMs',
			].sort(),
		);
		expect((await t.api.get(path(n.id))).data.config).toBeNull();
		const cases: Array<[Record<string, unknown>, string]> = [
			[{ ...full(), actionWebhook: undefined }, 'actionWebhook'],
			[{ mode: 'ai', systemPrompt: 'x', smsMode: 'relay' }, 'agentWebhook'],
			[{ mode: 'ai', systemPrompt: 'x', contextSource: 'merge' }, 'contextWebhook'],
			[{ ...full(), tools: [TOOL, TOOL] }, 'tools[1].name'],
			[{ ...full(), contextWebhook: { url: 'http://127.0.0.1:9/c', signingSecret: SECRET_A, timeoutMs: 0 } }, 'contextWebhook.timeoutMs'],
		];
		for (const [body, field] of cases) {
			const x = await t.api.post(path(n.id), body);
			expect([x.status, x.data.error.details.map((d: { field: string }) => d.field)]).toEqual([422, [field]]);
		}
		// limits are inclusive
		const edge = full({ maxDurationSecs: 3600, tools: Array.from({ length: 8 }, (_, i) => ({ name: `tool_${i}` })), allowedSenders: Array.from({ length: 20 }, (_, i) => `+1415555${1000 + i}`), contextWebhook: { url: 'https://x.test/c', signingSecret: SECRET_A, timeoutMs: 1500 } });
		expect((await t.api.post(path(n.id), edge)).status).toBe(200);
		expect((await t.api.post(path(n.id), full({ maxDurationSecs: 10 }))).status).toBe(200);
	});

	test('plan gates: record needs Pro with a card; AI SMS and relay need Pro', async () => {
		const n = await provision(t.api);
		t.sb.setPlan('free');
		const rec = await t.api.post(path(n.id), { mode: 'ai', systemPrompt: 'x', record: true });
		expect([rec.status, rec.data.error.code]).toEqual([403, 'plan_limit_recording']);
		const sms = await t.api.post(path(n.id), { mode: 'ai', systemPrompt: 'x', smsMode: 'ai' });
		expect([sms.status, sms.data.error.code]).toEqual([403, 'plan_limit_sms_ai']);
		const relay = await t.api.post(path(n.id), { mode: 'ai', systemPrompt: 'x', smsMode: 'relay', agentWebhook: { url: 'http://127.0.0.1:9/r', signingSecret: SECRET_A } });
		expect([relay.status, relay.data.error.code]).toEqual([403, 'plan_limit_sms_relay']);
		expect((await t.api.post(path(n.id), { mode: 'ai', systemPrompt: 'x' })).status).toBe(200); // voice AI itself: Free trial
		t.sb.setPlan('pro_no_card');
		expect((await t.api.post(path(n.id), { mode: 'ai', systemPrompt: 'x', record: true })).status).toBe(402);
		t.sb.setPlan('pro');
		expect((await t.api.post(path(n.id), { mode: 'ai', systemPrompt: 'x', record: true, smsMode: 'ai' })).status).toBe(200);
	});

	test('DELETE disables inbound AI (204, idempotent); a later GET shows null', async () => {
		const n = await provision(t.api);
		await t.api.post(path(n.id), full());
		expect((await t.api.delete(path(n.id))).status).toBe(204);
		expect((await t.api.delete(path(n.id))).status).toBe(204);
		expect((await t.api.get(path(n.id))).data.config).toBeNull();
		expect((await t.api.get(`/v1/numbers/${n.id}`)).data.inbound.configured).toBe(false);
		t.sb.setConfig({ deleteReply: '200' });
		expect((await t.api.delete(path(n.id))).data).toEqual({ numberId: n.id, number: n.number, deleted: true });
	});
});

describe('PATCH /v1/numbers/:id with inbound config', () => {
	test('voice/language need inbound AI (400); PATCH keeps the rest of the config and its secrets', async () => {
		const n = await provision(t.api);
		const no = await t.api.patch(`/v1/numbers/${n.id}`, { voice: 'ash' });
		expect([no.status, no.data.error.code]).toEqual([400, 'inbound_ai_not_configured']);
		await t.api.post(path(n.id), full());
		const before = (await t.api.get(path(n.id))).data.config;
		const p = await t.api.patch(`/v1/numbers/${n.id}`, { voice: 'ash', language: 'es', label: 'Front desk' });
		expect(p.status).toBe(200);
		expect(p.data).toMatchObject({ id: n.id, label: 'Front desk', inbound: { configured: true, voice: 'ash', language: 'es', systemPrompt: before.systemPrompt } });
		const after = (await t.api.get(path(n.id))).data.config;
		expect(after).toEqual({ ...before, voice: 'ash', language: 'es' });
		expect(storedSecret(n.id, 'actionWebhook')).toBe(SECRET_B);
		expect((await t.api.patch(`/v1/numbers/${n.id}`, { label: null })).data.inbound.voice).toBe('ash');
	});
});

describe('outbound-defaults', () => {
	const od = (id: string) => `/v1/numbers/${id}/outbound-defaults`;
	const TO = '+14155557777';

	test('GET null, POST replaces, DELETE removes; feeds useSavedAgent (per-call values win)', async () => {
		const n = await provision(t.api);
		const none = await t.api.get(od(n.id));
		expect([none.status, none.data]).toEqual([200, null]);
		const blob = { systemPrompt: 'You confirm appointments.', voice: 'coral', maxDurationSecs: 90, firstMessage: 'Hi, quick confirmation call.' };
		const s = await t.api.post(od(n.id), blob);
		expect([s.status, s.data]).toEqual([200, blob]);
		expect((await t.api.get(od(n.id))).data).toEqual(blob);
		const call = await t.api.post('/v1/calls/ai', { from: n.id, to: TO, useSavedAgent: true, voice: 'verse' });
		expect(call.status).toBe(200);
		expect(call.data).toMatchObject({ voice: 'verse', maxDurationSecs: 90 });
		// replace: a second POST without maxDurationSecs drops it
		await t.api.post(od(n.id), { systemPrompt: 'Second agent.' });
		expect((await t.api.get(od(n.id))).data).toEqual({ systemPrompt: 'Second agent.' });
		expect((await t.api.post('/v1/calls/ai', { from: n.id, to: TO, useSavedAgent: true })).data).toMatchObject({ voice: 'shimmer', maxDurationSecs: 600 });
		expect((await t.api.delete(od(n.id))).status).toBe(204);
		expect((await t.api.get(od(n.id))).data).toBeNull();
		const gone = await t.api.post('/v1/calls/ai', { from: n.id, to: TO, useSavedAgent: true });
		expect([gone.status, gone.data.error.code]).toEqual([400, 'no_saved_agent']);
	});

	test('templateId fills the prompt; saved record applies and is gated; validation; Free 403', async () => {
		const n = await provision(t.api);
		const bad = await t.api.post(od(n.id), { voice: 'robot', maxDurationSecs: 4000, templateId: 'nope', extra: 1 });
		expect(bad.status).toBe(422);
		expect(bad.data.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['extra', 'maxDurationSecs', 'templateId', 'voice']);
		expect((await t.api.post(od(n.id), {})).status).toBe(422);
		await t.api.post(od(n.id), { templateId: 'outbound-callback-confirmation', record: true });
		const c = await t.api.post('/v1/calls/ai', { from: n.id, to: TO, useSavedAgent: true });
		expect(c.data).toMatchObject({ voice: 'coral', record: true });
		expect((await t.api.get(`/v1/numbers/${n.id}`)).data.outbound).toMatchObject({ configured: true, templateId: 'outbound-callback-confirmation', systemPrompt: expect.stringContaining('confirm a callback') });
		t.sb.setPlan('free');
		const free = await t.api.post(od(n.id), { systemPrompt: 'x' });
		expect([free.status, free.data.error.code]).toEqual([403, 'plan_limit_outbound_defaults']);
		t.sb.setPlan('pro_no_card');
		expect((await t.api.post(od(n.id), { systemPrompt: 'x', record: true })).status).toBe(402);
	});

	test('the control route still sets defaults for useSavedAgent', async () => {
		const n = await provision(t.api);
		t.sb.setOutboundDefaults(n.id, { systemPrompt: 'Control agent.', voice: 'ash' });
		expect((await t.api.get(od(n.id))).data).toEqual({ systemPrompt: 'Control agent.', voice: 'ash' });
	});
});
