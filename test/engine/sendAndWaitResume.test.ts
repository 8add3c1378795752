import type { IDataObject } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { NODE_TYPE } from '../harness/engine';
import { useEngineSuite } from '../harness/setup';
import { WaitingHost } from '../harness/waiting';

/**
 * The whole life of a parked wait in the engine: the node parks, the sandbox delivers signed
 * events over HTTP to a stand-in for n8n's waiting-webhook endpoint (harness/waiting.ts), which
 * runs the node's webhook() with the parked execution's data. Only the awaited event resumes.
 */

const byId = (id: string) => ({ __rl: true, mode: 'id', value: id });
const PERSON = '+12125550111';
const STRANGER = '+12125550112';

async function until(probe: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
	const end = Date.now() + timeoutMs;
	while (!probe()) {
		if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
		await sleep(20);
	}
}

describe('Parked waits resumed by AgentCall deliveries (engine)', () => {
	const suite = useEngineSuite();
	let host: WaitingHost;
	let number: { id: string; number: string };

	beforeAll(async () => {
		host = new WaitingHost(suite.engine);
		await host.listen();
	});
	afterAll(async () => await host.close());

	beforeEach(async () => {
		suite.sandbox.setConfig({ deliveryBackoffScale: 0.01 });
		number = (await suite.engine.runNode({ resource: 'phoneNumber', operation: 'provision', type: 'local' })).json()[0] as typeof number;
	});

	const ask = async (params: IDataObject = {}) => {
		const result = await suite.engine.runNode(
			{ resource: 'sms', operation: 'sendAndWaitForReply', smsFrom: byId(number.id), smsTo: PERSON, message: 'Refund $40? Reply YES or NO', ...params },
			{ additionalData: host.additionalData, type: NODE_TYPE.wait },
		);
		return host.park(result);
	};
	const texted = (to: string) =>
		suite.sandbox
			.snapshot()
			.messages.filter((message) => message.direction === 'outbound' && message.to === to)
			.map((message) => message.body);

	it('the scripted person\'s YES resumes it; a stranger, a forgery and a second reply do not; the webhook is gone after', async () => {
		const executionId = await ask();
		const [hook] = suite.sandbox.snapshot().webhooks;

		suite.sandbox.injectSms({ to: number.id, from: STRANGER, body: 'YES' });
		await until(() => host.answers.length === 1, 'the stranger\'s delivery');
		expect(host.answers[0]).toEqual({ executionId, status: 200, resumed: false });

		const forged = await fetch(hook.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ event: 'sms.inbound', data: { from: PERSON, to: number.number, body: 'YES' } }) });
		expect(forged.status).toBe(401);
		const wrongToken = await fetch(hook.url.replace(/signature=[^&]+/, 'signature=nope'), { method: 'POST', body: '{}' });
		expect(wrongToken.status).toBe(401);
		expect(host.isWaiting(executionId)).toBe(true);

		// The person answers 50 ms after a text reaches them: the next text to them.
		suite.sandbox.scriptRecipient({ phone: PERSON, reply: 'Yes, go ahead.', afterMs: 50 });
		await fetch(`${suite.sandbox.url}/v1/sms/send`, {
			method: 'POST',
			headers: { authorization: `Bearer ${suite.sandbox.apiKey}`, 'content-type': 'application/json' },
			body: JSON.stringify({ from: number.id, to: PERSON, body: 'Reminder: refund $40? Reply YES or NO' }),
		});
		await until(() => host.resumed.has(executionId), 'the resume');
		expect(host.resumed.get(executionId)!.items).toEqual([
			expect.objectContaining({ replied: true, timedOut: false, approved: true, replyText: 'Yes, go ahead.', from: PERSON, to: number.number, waitingNode: 'AgentCall' }),
		]);
		expect(suite.sandbox.snapshot().webhooks).toEqual([]);
		// The stranger's text and the answer were delivered (the log is written once answered) ...
		await until(() => suite.sandbox.deliveries().length === 2, 'the delivery log');
		suite.sandbox.injectSms({ to: number.id, from: PERSON, body: 'NO' });
		await sleep(200);
		// ... and a second answer has nowhere to go.
		expect(suite.sandbox.deliveries()).toHaveLength(2);
	});

	it('an unrecognised answer gets "Please reply YES or NO." and the wait goes on; the decline then resumes', async () => {
		const executionId = await ask();
		suite.sandbox.injectSms({ to: number.id, from: PERSON, body: 'hmm, which order?' });
		await until(() => texted(PERSON).length === 2, 'the second question');
		expect(texted(PERSON)[1]).toBe('Please reply YES or NO.');
		expect(host.isWaiting(executionId)).toBe(true);
		suite.sandbox.injectSms({ to: number.id, from: PERSON, body: 'NO!' });
		await until(() => host.resumed.has(executionId), 'the resume');
		expect(host.resumed.get(executionId)!.items[0]).toMatchObject({ approved: false, replyText: 'NO!' });
	});

	it('Count as a Reply resumes with approved null; Free Text has no "approved"', async () => {
		const counted = await ask({ onOtherAnswer: 'countAsReply' });
		suite.sandbox.injectSms({ to: number.id, from: PERSON, body: 'call me' });
		await until(() => host.resumed.has(counted), 'the counted reply');
		expect(host.resumed.get(counted)!.items[0]).toMatchObject({ replied: true, approved: null, replyText: 'call me' });
		expect(texted(PERSON)).toHaveLength(1);

		const free = await ask({ replyType: 'freeText' });
		suite.sandbox.injectSms({ to: number.id, from: PERSON, body: 'Tuesday works' });
		await until(() => host.resumed.has(free), 'the free text reply');
		const [item] = host.resumed.get(free)!.items;
		expect(item).toMatchObject({ replied: true, replyText: 'Tuesday works' });
		expect(item).not.toHaveProperty('approved');
	});

	it('two waits on one number for different people: each resumes with its own person\'s answer only', async () => {
		const first = await ask({ smsTo: PERSON });
		const second = await ask({ smsTo: STRANGER });
		suite.sandbox.injectSms({ to: number.id, from: STRANGER, body: 'no' });
		await until(() => host.resumed.has(second), 'the second wait');
		expect(host.isWaiting(first)).toBe(true);
		suite.sandbox.injectSms({ to: number.id, from: PERSON, body: 'yes' });
		await until(() => host.resumed.has(first), 'the first wait');
		expect(host.resumed.get(first)!.items[0]).toMatchObject({ from: PERSON, approved: true });
		expect(host.resumed.get(second)!.items[0]).toMatchObject({ from: STRANGER, approved: false });
		expect(suite.sandbox.snapshot().webhooks).toEqual([]);
	});

	it('AI Call › Start (park) resumes on the call\'s end with the transcript, reading call and transcript once', async () => {
		suite.sandbox.setConfig({ timeScale: 0.05 });
		suite.sandbox.setCallOutcome({ to: PERSON, outcome: 'completed', durationSecs: 60 });
		suite.sandbox.clearRequestLog();
		const result = await suite.engine.runNode(
			{
				resource: 'aiCall',
				operation: 'startAndWait',
				aiCallFrom: byId(number.id),
				aiCallTo: PERSON,
				systemPrompt: 'Confirm the appointment.',
				maxWaitMinutes: 10,
			},
			{ additionalData: host.additionalData, type: NODE_TYPE.wait },
		);
		const executionId = host.park(result);
		// Registered for the call's events before dialling; the state names the call; parked until Max Wait.
		expect(suite.sandbox.requestLog().map((entry) => `${entry.method} ${entry.path}`)).toEqual(['GET /v1/webhooks', 'POST /v1/webhooks', 'POST /v1/calls/ai']);
		const [hook] = suite.sandbox.snapshot().webhooks;
		expect(hook.events).toEqual(['call.status', 'call.transcript']);
		const state = JSON.parse(String(result.run.data.resultData.metadata?.agentcallWait)) as unknown[];
		expect(state.slice(0, 4)).toEqual(['aiCall', hook.id, suite.sandbox.webhookSecret(hook.id), suite.sandbox.snapshot().calls[0].id]);
		expect(result.run.waitTill!.getTime() - Date.now()).toBeGreaterThan(9 * 60_000);
		await until(() => host.resumed.has(executionId), 'the end of the call', 20_000);
		const [item] = host.resumed.get(executionId)!.items;
		expect(item).toMatchObject({ status: 'completed', transcriptAvailable: true, timedOut: false, to: PERSON });
		expect(String(item.transcriptText)).toMatch(/^AI: /);
		const calls = suite.sandbox.requestLog().filter((entry) => entry.method === 'GET' && entry.path.startsWith('/v1/calls/'));
		expect(calls.map((entry) => entry.path.replace(/\/v1\/calls\/[^/]+/, ':call'))).toEqual([':call', ':call/transcript']);
		// Earlier events of the call (ringing, in progress) were answered and did not resume it.
		expect(host.answers.filter((answer) => answer.executionId === executionId && !answer.resumed).length).toBeGreaterThan(0);
		expect(suite.sandbox.snapshot().webhooks).toEqual([]);
	});
});
