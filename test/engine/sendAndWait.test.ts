import type { IDataObject } from 'n8n-workflow';

import { NODE_TYPE } from '../harness/engine';
import { useEngineSuite } from '../harness/setup';

/**
 * SMS › Send and Wait for Reply and AI Call › Start (park) through n8n-core's engine, up to the
 * park: what is checked before any request, what reaches AgentCall and in which order, what the
 * execution keeps, and the clean-up of webhooks left by earlier waits. The resume itself is n8n's
 * server (its resume URL): test/e2e/send-and-wait.e2e.test.ts drives it in a real n8n.
 */

const byId = (id: string) => ({ __rl: true, mode: 'id', value: id });
const PERSON = '+12125550101';
const WAITING_BASE = 'http://127.0.0.1:5678/webhook-waiting/';

describe('SMS › Send and Wait for Reply (engine, up to the park)', () => {
	const suite = useEngineSuite();
	let number: { id: string; number: string };

	const ask = (params: IDataObject = {}, options: { continueOnFail?: boolean; items?: IDataObject[] } = {}) =>
		suite.engine.runNode(
			{
				resource: 'sms',
				operation: 'sendAndWaitForReply',
				smsFrom: byId(number.id),
				smsTo: PERSON,
				message: 'Refund $40? Reply YES or NO',
				...params,
			},
			{ ...options, type: NODE_TYPE.wait },
		);
	const requests = () => suite.sandbox.requestLog().map((entry) => `${entry.method} ${entry.path} ${entry.status}`);
	const hooks = () => suite.sandbox.snapshot().webhooks;

	beforeEach(async () => {
		number = (await suite.engine.runNode({ resource: 'phoneNumber', operation: 'provision', type: 'local' })).json()[0] as typeof number;
		suite.sandbox.clearRequestLog();
	});

	it('refuses to run as an AI Agent tool, before any request', async () => {
		const result = await suite.engine.runNode(
			{ resource: 'sms', operation: 'sendAndWaitForReply', smsFrom: byId(number.id), smsTo: PERSON, message: 'Refund $40? Reply YES or NO' },
			{ type: `${NODE_TYPE.wait}Tool` },
		);
		expect(result.error?.message).toBe('AgentCall Wait cannot run as an AI Agent tool: a tool call cannot wait hours for a person');
		expect(requests()).toEqual([]);
		expect(result.run.waitTill).toBeUndefined();
	});

	it('registers its webhook at the resume URL first, then texts, then parks with its state and the input items', async () => {
		const before = Date.now();
		const result = await ask({ replyWaitAmount: 2, replyWaitUnit: 'hours' }, { items: [{ order: 'A-1' }, { order: 'A-2' }] });
		expect(result.error).toBeUndefined();
		expect(requests()).toEqual(['GET /v1/webhooks 200', 'POST /v1/webhooks 200', 'POST /v1/sms/send 200']);
		const [hook] = hooks();
		expect(hook.events).toEqual(['sms.inbound']);
		const url = new URL(hook.url);
		// n8n's resume URL for this execution, with the node's ID as the waiting webhook's path.
		expect(hook.url.startsWith(`${WAITING_BASE}exec-`)).toBe(true);
		expect(url.pathname).toMatch(/^\/webhook-waiting\/exec-[^/]+\/[0-9a-f-]{36}$/);
		expect(url.searchParams.get('signature')).toEqual(expect.any(String));
		const until = Number(url.searchParams.get('agentcallWaitUntil')) * 1000;
		expect(until).toBeGreaterThanOrEqual(before + 2 * 3_600_000 - 1000);
		expect(until).toBeLessThanOrEqual(Date.now() + 2 * 3_600_000 + 1000);
		// Parked: n8n's waitTill is the limit; the state is one custom data key, the secret with it.
		expect(result.run.waitTill?.getTime()).toBeGreaterThanOrEqual(before + 2 * 3_600_000);
		const state = JSON.parse(String(result.run.data.resultData.metadata?.agentcallWait)) as unknown[];
		expect(state).toEqual(['smsReply', hook.id, suite.sandbox.webhookSecret(hook.id), PERSON, [number.id, number.number]]);
		// The SMS: first item only.
		const sent = suite.sandbox.snapshot().messages.filter((message) => message.direction === 'outbound');
		expect(sent.map((message) => [message.to, message.body])).toEqual([[PERSON, 'Refund $40? Reply YES or NO']]);
		expect(result.serialized()).not.toContain(suite.sandbox.apiKey);
	});

	it('No Limit parks until n8n\'s "indefinitely" and marks the webhook 0', async () => {
		const result = await ask({ replyWaitLimit: 'none' });
		expect(result.run.waitTill?.getUTCFullYear()).toBe(3000);
		expect(new URL(hooks()[0].url).searchParams.get('agentcallWaitUntil')).toBe('0');
	});

	it.each([
		['a bad To', { smsTo: '555' }, '"To" is not valid'],
		['an empty message', { message: '  ' }, '"Message" is empty'],
		['a date in the past', { replyWaitLimit: 'atDateTime', replyWaitUntil: '2020-01-01T00:00:00Z' }, '"Max Date and Time" is not valid'],
		['no approve or decline words', { approveWords: ' , ', declineWords: '' }, '"Approve Words" and "Decline Words" are empty'],
	])('refuses %s before any request', async (_label, params, message) => {
		const result = await ask(params);
		expect(result.error?.message).toContain(message);
		expect(requests()).toEqual([]);
		expect(result.run.waitTill).toBeUndefined();
	});

	it('goes through the credential\'s guardrails: a premium-rate number is refused before any request', async () => {
		suite.engine.useCredentials({ apiKey: suite.sandbox.apiKey, baseUrl: suite.sandbox.url });
		try {
			const result = await ask({ smsTo: '+19005550100' });
			expect(result.error?.message).toContain("Refused by the AgentCall credential's guardrails");
			expect(requests()).toEqual([]);
		} finally {
			suite.engine.useCredentials(suite.credentials);
		}
	});

	it('a failed send removes the webhook again; Continue On Fail gives an error item and does not park', async () => {
		suite.sandbox.setFaults([{ method: 'POST', path: '/v1/sms/send', status: 422, code: 'validation_error', message: 'bad to' }]);
		const failed = await ask();
		expect(failed.error?.message).toBeDefined();
		expect(hooks()).toEqual([]);
		const continued = await ask({}, { continueOnFail: true });
		expect(continued.run.waitTill).toBeUndefined();
		expect(continued.json()).toEqual([{ error: expect.any(String) }]);
		expect(hooks()).toEqual([]);
	});

	it('removes webhooks of earlier waits whose limit passed long ago, and nothing else', async () => {
		const api = async (body: IDataObject) =>
			(await (await fetch(`${suite.sandbox.url}/v1/webhooks`, {
				method: 'POST',
				headers: { authorization: `Bearer ${suite.sandbox.apiKey}`, 'content-type': 'application/json' },
				body: JSON.stringify(body),
			})).json()) as { id: string };
		const longAgo = Math.floor((Date.now() - 3_600_000) / 1000);
		const soon = Math.floor((Date.now() + 3_600_000) / 1000);
		const expired = await api({ url: `https://n8n.other.example/webhook-waiting/9/x?signature=s&agentcallWaitUntil=${longAgo}`, events: ['sms.inbound'] });
		const current = await api({ url: `https://n8n.other.example/webhook-waiting/8/x?signature=s&agentcallWaitUntil=${soon}`, events: ['sms.inbound'] });
		const foreign = await api({ url: 'https://crm.example/hooks/agentcall', events: ['sms.inbound'] });
		await ask();
		const left = hooks().map((hook) => hook.id);
		expect(left).not.toContain(expired.id);
		expect(left).toEqual(expect.arrayContaining([current.id, foreign.id]));
		expect(left).toHaveLength(3);
	});
});
