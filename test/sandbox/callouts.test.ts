import { hasValidSignature } from '../../nodes/AgentCall/shared/signature';
import { boot, client, provision, Responder, waitFor, type Answer, type Booted, type Received } from './helpers';

let t: Booted;
let hook: Responder;
let answer: (r: Received, n: number) => Answer;
beforeAll(async () => {
	t = await boot();
	hook = new Responder((r, n) => answer(r, n));
	await hook.start();
});
afterAll(async () => {
	await t.sb.close();
	await hook.close();
});
beforeEach(() => {
	t.sb.reset();
	hook.received.length = 0;
	answer = () => ({ body: {} });
});

const CALLER = '+14155550123';
const CTX_SECRET = 'example-context-secret-1';
const ACT_SECRET = 'example-action-secret-2';
const AGENT_SECRET = 'example-agent-secret-3';
const TOOLS = [{ name: 'check_calendar', description: 'Free slots' }, { name: 'book_slot' }];

async function receptionist(over: Record<string, unknown> = {}) {
	const n = await provision(t.api);
	const r = await t.api.post(`/v1/numbers/${n.id}/inbound-config`, {
		mode: 'ai',
		systemPrompt: 'You are the receptionist of Acme Dental. Book appointments.',
		contextWebhook: { url: `${hook.url}/context`, signingSecret: CTX_SECRET, timeoutMs: 300 },
		tools: TOOLS,
		actionWebhook: { url: `${hook.url}/tools`, signingSecret: ACT_SECRET },
		...over,
	});
	expect(r.status).toBe(200);
	return n;
}

async function transcriptText(callId: string) {
	const r = await t.api.get(`/v1/calls/${callId}/transcript`);
	expect(r.status).toBe(200);
	return (r.data.transcript as Array<{ role: string; text: string }>).map((e) => `${e.role}: ${e.text}`);
}

describe('simulated inbound AI call', () => {
	test('context used, tool calls answered, everything signed with the block secret and written into the transcript', async () => {
		const n = await receptionist();
		answer = (r) => {
			const body = r.json as unknown as { tool?: string; arguments: { day?: string } };
			if (!('tool' in body)) return { body: { contextBlock: 'Caller is Dana Smith, a patient since 2021.' } };
			if (body.tool === 'check_calendar') return { body: { result: `Free on ${body.arguments.day}: 3 pm` } };
			return { body: { result: 'Booked' } };
		};
		const out = await t.sb.simulateInboundCall(n.id, {
			from: CALLER,
			toolCalls: [
				{ tool: 'book_slot', arguments: { day: 'Tuesday', time: '15:00' }, atSecond: 3 },
				{ tool: 'check_calendar', arguments: { day: 'Tuesday' }, atSecond: 1 },
			],
		});
		expect(out).toMatchObject({ numberId: n.id, from: CALLER, status: 'completed', context: { outcome: 'used', contextBlock: 'Caller is Dana Smith, a patient since 2021.', status: 200 } });
		expect(out.toolCalls.map((x) => [x.tool, x.outcome, x.result])).toEqual([
			['check_calendar', 'ok', 'Free on Tuesday: 3 pm'],
			['book_slot', 'ok', 'Booked'],
		]);
		// what AgentCall sent
		const [ctx, tool1, tool2] = hook.received;
		expect(ctx.json).toEqual({ caller: CALLER, numberId: n.id, callId: out.callId, timestamp: expect.stringMatching(/Z$/) });
		expect(tool1.json).toEqual({ tool: 'check_calendar', arguments: { day: 'Tuesday' }, context: { channel: 'voice', callId: out.callId, numberId: n.id, contact: { phone: CALLER } } });
		expect(tool2.json).toMatchObject({ tool: 'book_slot', arguments: { day: 'Tuesday', time: '15:00' } });
		expect(hasValidSignature(ctx.raw, ctx.headers['x-agentcall-signature'], CTX_SECRET)).toBe(true);
		expect(hasValidSignature(ctx.raw, ctx.headers['x-agentcall-signature'], ACT_SECRET)).toBe(false);
		for (const r of [tool1, tool2]) expect(hasValidSignature(r.raw, r.headers['x-agentcall-signature'], ACT_SECRET)).toBe(true);
		// what the call shows
		const call = (await t.api.get(`/v1/calls/${out.callId}`)).data;
		expect(call).toMatchObject({ direction: 'inbound', mode: 'ai', from: CALLER, to: n.number, status: 'completed', numberId: n.id });
		const lines = await transcriptText(out.callId);
		expect(lines[0]).toBe('system: Caller context: Caller is Dana Smith, a patient since 2021.');
		expect(lines).toContain('tool: check_calendar({"day":"Tuesday"}) → result: Free on Tuesday: 3 pm');
		expect(lines).toContain('tool: book_slot({"day":"Tuesday","time":"15:00"}) → result: Booked');
		expect(lines.filter((l) => l.startsWith('ai: ') || l.startsWith('human: ')).length).toBeGreaterThan(4);
		// the log: one entry per call-out with what was sent and what came back
		const log = t.sb.callouts({ numberId: n.id });
		expect(log.map((e) => [e.kind, e.status, e.ok])).toEqual([
			['context', 200, true],
			['tool', 200, true],
			['tool', 200, true],
		]);
		expect(log[0]).toMatchObject({ callId: out.callId, url: `${hook.url}/context`, body: ctx.raw.toString('utf8'), responseBody: expect.stringContaining('Dana'), latencyMs: expect.any(Number) });
		expect(log[0].headers['X-AgentCall-Signature']).toBe(ctx.headers['x-agentcall-signature']);
		expect(t.sb.callouts({ kind: 'tool', callId: out.callId })).toHaveLength(2);
		expect(t.sb.usage().breakdown.voiceAi.minutes).toBeGreaterThan(0);
	});

	test('context too slow: the call goes on without it (fail-open) within the timeout; failures and empty answers too', async () => {
		const n = await receptionist();
		answer = (r) => ('tool' in (r.json as object) ? { body: { result: 'ok' } } : { body: { contextBlock: 'late' }, delayMs: 3000 });
		const out = await t.sb.simulateInboundCall(n.id, { from: CALLER, toolCalls: [{ tool: 'check_calendar' }] });
		expect(out.context).toMatchObject({ outcome: 'timeout', contextBlock: null, error: 'timeout after 300 ms', status: null });
		expect(out.context.latencyMs).toBeLessThan(2500);
		expect(out.toolCalls[0]).toMatchObject({ outcome: 'ok', result: 'ok' });
		expect(out.status).toBe('completed');
		expect((await transcriptText(out.callId))[0]).toBe('system: No context (timeout after 300 ms)');

		answer = (r) => ('tool' in (r.json as object) ? { body: {} } : { status: 500, body: { contextBlock: 'ignored' } });
		const failed = await t.sb.simulateInboundCall(n.id, { from: CALLER });
		expect(failed.context).toMatchObject({ outcome: 'failed', error: 'failed: HTTP 500' });
		expect((await transcriptText(failed.callId))[0]).toBe('system: No context (failed: HTTP 500)');

		answer = () => ({ body: { contextBlock: '' } });
		expect((await t.sb.simulateInboundCall(n.id, { from: CALLER })).context.outcome).toBe('empty');
		answer = () => ({ body: 'not json' });
		expect((await t.sb.simulateInboundCall(n.id, { from: CALLER })).context).toMatchObject({ outcome: 'failed', error: 'failed: reply has no string contextBlock' });
	});

	test('no context webhook (or contextSource none): no context call-out', async () => {
		const n = await receptionist({ contextWebhook: undefined });
		const out = await t.sb.simulateInboundCall(n.id, { from: CALLER, toolCalls: [{ tool: 'check_calendar', arguments: { day: 'Monday' } }] });
		expect(out.context.outcome).toBe('skipped');
		expect(hook.received.map((r) => r.json)).toEqual([expect.objectContaining({ tool: 'check_calendar' })]);
		expect((await transcriptText(out.callId)).some((l) => l.startsWith('system:'))).toBe(false);
	});

	test('tool budget: a slow tool counts as failed, the next one still runs; undeclared tools are refused without a request', async () => {
		t.sb.setConfig({ calloutToolTimeoutMs: 250 });
		const n = await receptionist({ contextWebhook: undefined });
		answer = (r) => {
			const b = r.json as unknown as { tool: string };
			if (b.tool === 'check_calendar') return { body: { result: 'too late' }, delayMs: 3000 };
			return { body: { answer: 'wrong field' } };
		};
		const out = await t.sb.simulateInboundCall(n.id, {
			from: CALLER,
			toolCalls: [{ tool: 'check_calendar' }, { tool: 'delete_everything', arguments: { really: true } }, { tool: 'book_slot' }],
		});
		expect(out.toolCalls.map((x) => [x.tool, x.outcome, x.error])).toEqual([
			['check_calendar', 'timeout', 'timeout after 250 ms'],
			['delete_everything', 'refused', 'refused: tool not declared on this number'],
			['book_slot', 'failed', 'failed: reply has no result'],
		]);
		expect(out.toolCalls[0].latencyMs).toBeLessThan(2500);
		expect(hook.received.map((r) => (r.json as unknown as { tool: string }).tool)).toEqual(['check_calendar', 'book_slot']);
		const lines = await transcriptText(out.callId);
		expect(lines).toContain('tool: delete_everything({"really":true}) → refused: tool not declared on this number');
		expect(lines).toContain('tool: check_calendar({}) → timeout after 250 ms');
		// per simulation, the budget can be lowered further (never above 8 s)
		t.sb.setConfig({ calloutToolTimeoutMs: 8000 });
		const quick = await t.sb.simulateInboundCall(n.id, { from: CALLER, toolTimeoutMs: 100, toolCalls: [{ tool: 'check_calendar' }] });
		expect(quick.toolCalls[0].error).toBe('timeout after 100 ms');
		await expect(t.sb.simulateInboundCall(n.id, { from: CALLER, toolTimeoutMs: 9000 })).rejects.toMatchObject({ code: 'validation_error' });
	});

	test('control API: awaits by default, wait:false answers at once; no inbound AI → 409; call-out log over HTTP', async () => {
		const ctl = client(t.sb.controlUrl);
		const plain = await provision(t.api);
		const none = await ctl.post(`/numbers/${plain.id}/inbound-call`, { from: CALLER });
		expect([none.status, none.data.error.code]).toEqual([409, 'inbound_ai_not_configured']);
		expect((await ctl.post(`/numbers/${plain.id}/inbound-call`, { from: '555' })).status).toBe(422);
		const n = await receptionist();
		answer = (r) => ('tool' in (r.json as object) ? { body: { result: 'Tuesday 3 pm' } } : { body: { contextBlock: 'VIP' } });
		const done = await ctl.post(`/numbers/${n.id}/inbound-call`, { from: CALLER, toolCalls: [{ tool: 'check_calendar' }] });
		expect(done.status).toBe(200);
		expect(done.data).toMatchObject({ status: 'completed', context: { outcome: 'used' }, toolCalls: [{ outcome: 'ok', result: 'Tuesday 3 pm' }] });
		const bg = await ctl.post(`/numbers/${n.id}/inbound-call`, { from: CALLER, wait: false, toolCalls: [{ tool: 'book_slot', atSecond: 50 }] });
		expect(bg.data).toEqual({ callId: expect.any(String), numberId: n.id, status: 'running' });
		const fin = await waitFor(async () => {
			const s = (await ctl.get(`/calls/${bg.data.callId}/simulation`)).data;
			return s.status === 'completed' && s;
		}, 10000, 'background simulation');
		expect(fin.toolCalls).toEqual([expect.objectContaining({ tool: 'book_slot', outcome: 'ok' })]);
		const log = (await ctl.get(`/callouts?numberId=${n.id}&kind=context`)).data.data;
		expect(log).toHaveLength(2);
		expect((await ctl.delete('/callouts')).status).toBe(200);
		expect(t.sb.callouts()).toEqual([]);
	});
});

describe('simulated inbound SMS and the relay', () => {
	async function relayNumber(over: Record<string, unknown> = {}) {
		const n = await provision(t.api);
		const r = await t.api.post(`/v1/numbers/${n.id}/inbound-config`, {
			mode: 'ai',
			systemPrompt: 'SMS agent',
			smsMode: 'relay',
			agentWebhook: { url: `${hook.url}/relay`, signingSecret: AGENT_SECRET },
			...over,
		});
		expect(r.status).toBe(200);
		return n;
	}

	test('relay: signed body of §13.2 with X-AgentCall-Event: sms.relay, retried on non-2xx with identical bytes', async () => {
		const n = await relayNumber();
		answer = (_r, k) => (k < 3 ? { status: 503 } : { status: 200 });
		const s = t.sb.simulateInboundSms(n.id, { from: CALLER, body: 'Can I move my appointment?' });
		expect(s).toMatchObject({ agent: 'relay', reason: null, conversationId: expect.any(String), message: { direction: 'inbound', body: 'Can I move my appointment?' } });
		expect(await t.sb.settled(10000)).toBe(true);
		expect(hook.received).toHaveLength(3);
		const first = hook.received[0];
		expect(first.json).toEqual({
			message: { id: s.message.id, from: CALLER, to: n.number, body: 'Can I move my appointment?', receivedAt: expect.stringMatching(/Z$/) },
			conversation: { id: s.conversationId, contactPhone: CALLER },
			context: { channel: 'sms', numberId: n.id, agentId: expect.any(String) },
		});
		for (const r of hook.received) {
			expect(r.headers['x-agentcall-event']).toBe('sms.relay');
			expect(r.raw.equals(first.raw)).toBe(true);
			expect(hasValidSignature(r.raw, r.headers['x-agentcall-signature'], AGENT_SECRET)).toBe(true);
		}
		expect(t.sb.callouts({ kind: 'relay' }).map((e) => [e.attempt, e.status, e.ok])).toEqual([
			[1, 503, false],
			[2, 503, false],
			[3, 200, true],
		]);
		// the workflow answers through the conversation
		const reply = await t.api.post(`/v1/sms-conversations/${s.conversationId}/reply`, { body: 'Sure, which day?' });
		expect(reply.data.status).toBe('sent');
		// no AI auto-reply in relay mode
		expect(t.sb.usage().breakdown.sms.sent).toBe(1);
	});

	test('relay gives up after deliveryRetries retries', async () => {
		t.sb.setConfig({ deliveryRetries: 2 });
		const n = await relayNumber();
		answer = () => ({ status: 500 });
		t.sb.simulateInboundSms(n.id, { from: CALLER, body: 'hello' });
		expect(await t.sb.settled(10000)).toBe(true);
		expect(t.sb.callouts({ kind: 'relay' }).map((e) => e.attempt)).toEqual([1, 2, 3]);
	});

	test('allowedSenders, STOP and opted-out contacts are not relayed; the SMS is still stored', async () => {
		const n = await relayNumber({ allowedSenders: [CALLER, '+14155550999'] });
		const stranger = t.sb.simulateInboundSms(n.id, { from: '+14155550777', body: 'hi' });
		expect([stranger.agent, stranger.reason]).toEqual(['none', 'sender_not_allowed']);
		expect((await t.api.get(`/v1/sms/${stranger.message.id}`)).status).toBe(200);
		expect(t.sb.simulateInboundSms(n.id, { from: CALLER, body: 'STOP' }).reason).toBe('opt_keyword');
		expect(t.sb.simulateInboundSms(n.id, { from: CALLER, body: 'are you there?' }).reason).toBe('opted_out');
		expect(t.sb.simulateInboundSms(n.id, { from: CALLER, body: 'start' }).reason).toBe('opt_keyword');
		expect(t.sb.simulateInboundSms(n.id, { from: CALLER, body: 'back again' }).agent).toBe('relay');
		expect(await t.sb.settled(10000)).toBe(true);
		expect(hook.received.map((r) => (r.json as unknown as { message: { body: string } }).message.body)).toEqual(['back again']);
	});

	test('smsMode ai keeps the automatic reply (also for allowed senders only); control route', async () => {
		const n = await provision(t.api);
		await t.api.post(`/v1/numbers/${n.id}/inbound-config`, { mode: 'ai', systemPrompt: 'x', smsMode: 'ai', allowedSenders: [CALLER] });
		const ctl = client(t.sb.controlUrl);
		const r = await ctl.post(`/numbers/${n.id}/inbound-sms`, { from: CALLER, body: 'Open today?' });
		expect(r.data).toMatchObject({ agent: 'ai', reason: null });
		const thread = (await t.api.get(`/v1/sms-conversations/${r.data.conversationId}`)).data;
		expect(thread.messages.map((m: { direction: string }) => m.direction)).toEqual(['inbound', 'outbound']);
		expect((await ctl.post(`/numbers/${n.id}/inbound-sms`, { from: '+14155550777', body: 'x' })).data.reason).toBe('sender_not_allowed');
		expect(t.sb.usage().breakdown.sms.sent).toBe(1);
	});
});
