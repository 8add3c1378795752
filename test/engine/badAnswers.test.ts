import type { IDataObject } from 'n8n-workflow';

import { useEngineSuite } from '../harness/setup';
import type { Fault } from '../sandbox';

/**
 * Answers that are not what AgentCall promises — a web page, plain text, JSON cut short, JSON of
 * another shape, a dropped connection — through the real engine against the sandbox's faults.
 * None of them may become a string item or an empty success.
 */

const byId = (value: string) => ({ __rl: true, mode: 'id', value });
const OUTSIDE = '+12125550199';

describe('AgentCall node: answers that are not AgentCall JSON', () => {
	const suite = useEngineSuite({ sandboxConfig: { timeScale: 0.01 } });
	let number: { id: string; number: string };

	const fault = (definition: Fault) => suite.sandbox.addFault({ times: 1, ...definition });
	const log = (route: string) => suite.sandbox.requestLog().filter((entry) => entry.route === route);
	const getNumber = () => suite.engine.runNode({ resource: 'phoneNumber', operation: 'get', numberId: byId(number.id) });
	const listNumbers = () => suite.engine.runNode({ resource: 'phoneNumber', operation: 'getAll', returnAll: true });

	beforeEach(async () => {
		const created = await suite.engine.runNode({ resource: 'phoneNumber', operation: 'provision', type: 'local' });
		number = created.json()[0] as typeof number;
		suite.sandbox.clearRequestLog();
	});

	describe('a 2xx that is not the JSON the operation expects', () => {
		it('Get: a web page is an error naming status, content type, first characters and the Base URL', async () => {
			fault({ method: 'GET', path: '/v1/numbers/:id', reply: 'html' });
			const result = await getNumber();
			expect(result.error?.message).toBe('AgentCall answered with a web page instead of its JSON');
			expect(result.error?.description).toContain('HTTP status 200, content type text/html; charset=utf-8 and starts with: <!DOCTYPE html> <html lang="en">');
			expect(result.error?.description).toContain('Base URL in the AgentCall credential');
			expect(result.taskData?.data).toBeUndefined();
		});

		it('Get: plain text and JSON cut short are errors too', async () => {
			fault({ method: 'GET', path: '/v1/numbers/:id', reply: 'text', message: 'Service is up' });
			const text = await getNumber();
			expect(text.error?.message).toBe('AgentCall answered with something that is not valid JSON');
			expect(text.error?.description).toContain('content type text/plain; charset=utf-8 and starts with: Service is up.');

			fault({ method: 'GET', path: '/v1/numbers/:id', reply: 'truncated' });
			const cut = await getNumber();
			expect(cut.error?.message).toBe('AgentCall answered with something that is not valid JSON');
			expect(cut.error?.description).toMatch(/content type application\/json; charset=utf-8 and starts with: \{"id":"/);
		});

		it('Get Many: JSON that holds no list is an error, not an empty success', async () => {
			fault({ method: 'GET', path: '/v1/numbers', reply: 'object' });
			const result = await listNumbers();
			expect(result.error?.message).toBe('AgentCall answered with JSON that holds no list');
			expect(result.error?.description).toContain('starts with: {"status":"ok","service":"gateway"}');

			fault({ method: 'GET', path: '/v1/numbers', reply: 'html' });
			expect((await listNumbers()).error?.message).toBe('AgentCall answered with a web page instead of its JSON');
		});

		it('Get Many: an empty list from the API is still an empty success, in any wrapper', async () => {
			for (const webhooks of ['data', 'bare'] as const) {
				suite.sandbox.setConfig({ listWrappers: { ...suite.sandbox.config.listWrappers, webhooks } });
				const result = await suite.engine.runNode({ resource: 'webhook', operation: 'getAll', returnAll: true });
				expect(result.error).toBeUndefined();
				expect(result.items()).toEqual([]);
			}
		});

		it('keeps going per item with Continue On Fail: an error item, never a string item', async () => {
			fault({ method: 'GET', path: '/v1/numbers/:id', reply: 'html' });
			const result = await suite.engine.runNode(
				{ resource: 'phoneNumber', operation: 'get', numberId: byId('={{ $json.id }}') },
				{ items: [{ id: number.id }, { id: number.id }], continueOnFail: true },
			);
			const [first, second] = result.items();
			expect(first.json).toMatchObject({ error: 'AgentCall answered with a web page instead of its JSON' });
			expect(second.json).toMatchObject({ id: number.id, number: number.number });
			for (const item of result.items()) expect(typeof item.json).toBe('object');
		});

		it('blanks anything that looks like an API key in the first characters', async () => {
			fault({ method: 'GET', path: '/v1/numbers/:id', reply: 'text', message: `Proxy saw Authorization: Bearer ${suite.sandbox.apiKey}` });
			const result = await getNumber();
			expect(result.error?.description).toContain('Proxy saw Authorization: Bearer ***');
			expect(JSON.stringify(result.error)).not.toContain(suite.sandbox.apiKey);
		});

		it('Send SMS: a garbled answer says the message may or may not have been sent', async () => {
			fault({ method: 'POST', path: '/v1/sms/send', reply: 'truncated' });
			const result = await suite.engine.runNode({ resource: 'sms', operation: 'send', smsFrom: byId(number.id), smsTo: OUTSIDE, message: 'Hello' });
			expect(result.error?.message).toBe('AgentCall answered with something that is not valid JSON - the request may or may not have been carried out');
			expect(result.error?.description).toMatch(/^AgentCall may or may not have carried out this request .* before running the node again/);
			expect(log('POST /v1/sms/send')).toHaveLength(1);
			expect(suite.sandbox.snapshot().messages).toHaveLength(1);
		});
	});

	describe('a dropped connection', () => {
		it('retries a read once after a short pause, and succeeds', async () => {
			fault({ method: 'GET', path: '/v1/numbers/:id', reset: 'before' });
			const result = await getNumber();
			expect(result.error).toBeUndefined();
			expect(result.json()).toEqual([expect.objectContaining({ id: number.id })]);
			expect(log('GET /v1/numbers/:id').map((entry) => entry.status)).toEqual([0, 200]);
		});

		it('fails a read that breaks twice, after exactly two attempts', async () => {
			fault({ method: 'GET', path: '/v1/numbers', reset: 'before', times: 2 });
			const result = await listNumbers();
			expect(result.error?.message).toBe('The connection to AgentCall broke before its answer arrived');
			expect(log('GET /v1/numbers').map((entry) => entry.status)).toEqual([0, 0]);
		});

		it('never repeats a send: the error says the action may or may not have happened', async () => {
			fault({ method: 'POST', path: '/v1/sms/send', reset: 'after' });
			const result = await suite.engine.runNode({ resource: 'sms', operation: 'send', smsFrom: byId(number.id), smsTo: OUTSIDE, message: 'Hello' });
			expect(result.error?.message).toBe(
				'The connection to AgentCall broke before its answer arrived - the request may or may not have been carried out',
			);
			expect(result.error?.description).toContain('Check in AgentCall, for example with a Get or Get Many operation, before running the node again');
			expect(log('POST /v1/sms/send')).toHaveLength(1);
			expect(suite.sandbox.snapshot().messages).toHaveLength(1);
		});

		it('never repeats a provision that broke before AgentCall acted either', async () => {
			fault({ method: 'POST', path: '/v1/numbers/provision', reset: 'before' });
			const result = await suite.engine.runNode({ resource: 'phoneNumber', operation: 'provision', type: 'local' });
			expect(result.error?.message).toMatch(/may or may not have been carried out$/);
			expect(log('POST /v1/numbers/provision')).toHaveLength(1);
			expect(suite.sandbox.snapshot().numbers).toHaveLength(1);
		});

		it('AI Call > Start points at the idempotency key that makes running it again safe', async () => {
			fault({ method: 'POST', path: '/v1/calls/ai', reset: 'after' });
			const params: IDataObject = { resource: 'aiCall', operation: 'start', aiCallFrom: byId(number.id), aiCallTo: OUTSIDE, systemPrompt: 'Confirm the order.' };
			const result = await suite.engine.runNode(params, { settings: { retryOnFail: true, maxTries: 2, waitBetweenTries: 10 } });
			// Retry On Fail sent the same key again: AgentCall answered with the one call it placed.
			expect(result.error).toBeUndefined();
			expect(result.json()[0]).toMatchObject({ idempotencyReplayed: true });
			expect(suite.sandbox.snapshot().calls).toHaveLength(1);

			fault({ method: 'POST', path: '/v1/calls/ai', reset: 'after' });
			const failed = await suite.engine.runNode(params);
			expect(failed.error?.message).toMatch(/broke before its answer arrived - the request may or may not have been carried out$/);
			expect(failed.error?.description).toMatch(/^AgentCall may or may not have placed this call\. Running the node again is safe: it sends the same idempotency key/);
		});
	});

	describe('code operations', () => {
		it('Wait for OTP: a web page is an error, not "no code"', async () => {
			fault({ method: 'GET', path: '/v1/sms/otp/:numberId', reply: 'html' });
			const result = await suite.engine.runNode({ resource: 'sms', operation: 'waitForOtp', smsNumberId: byId(number.id), timeout: 5 });
			expect(result.error?.message).toBe('AgentCall answered with a web page instead of its JSON');
		});

		it('Wait for OTP: a long-poll cut off is asked again once, and the code still arrives', async () => {
			suite.sandbox.injectSms({ to: number.id, from: OUTSIDE, body: 'Your code is 482913' });
			fault({ method: 'GET', path: '/v1/sms/otp/:numberId', reset: 'before' });
			const result = await suite.engine.runNode({ resource: 'sms', operation: 'waitForOtp', smsNumberId: byId(number.id), timeout: 5 });
			expect(result.error).toBeUndefined();
			expect(result.json()[0]).toMatchObject({ otp: '482913', timedOut: false });
			expect(log('GET /v1/sms/otp/:numberId').map((entry) => entry.status)).toEqual([0, 200]);
		});

		it("Get Recording: a web page instead of the recording's link is an error", async () => {
			fault({ method: 'GET', path: '/v1/calls/:id/recording', reply: 'html' });
			const result = await suite.engine.runNode({ resource: 'call', operation: 'getRecording', callId: 'call_1' });
			expect(result.error?.message).toBe('AgentCall answered with a web page instead of its JSON');
		});

		it('Wait for Completion: garbage while checking the call is an error, not a finished call', async () => {
			fault({ method: 'GET', path: '/v1/calls/:id', reply: 'text', times: 10 });
			const result = await suite.engine.runNode({
				resource: 'aiCall',
				operation: 'start',
				aiCallFrom: byId(number.id),
				aiCallTo: OUTSIDE,
				systemPrompt: 'Confirm the order.',
				waitForCompletion: true,
				maxWaitMinutes: 1,
				options: { pollIntervalSeconds: 1 },
			});
			expect(result.error?.message).toBe('AgentCall answered with something that is not valid JSON');
			expect(log('GET /v1/calls/:id')).toHaveLength(1);
		});

		it('Hang Up: a web page says the hang-up may or may not have happened', async () => {
			fault({ method: 'POST', path: '/v1/calls/:id/hangup', reply: 'html' });
			const result = await suite.engine.runNode({ resource: 'call', operation: 'hangUp', callId: 'call_1' });
			expect(result.error?.message).toBe('AgentCall answered with a web page instead of its JSON - the request may or may not have been carried out');
		});
	});

	describe('credential Test button', () => {
		it('fails with a Base URL message when a web page answers 200', async () => {
			fault({ method: 'GET', path: '/v1/numbers', reply: 'html' });
			expect(await suite.engine.testCredential(suite.credentials)).toEqual({
				status: 'Error',
				message: expect.stringMatching(/^The Base URL answered with a web page, not with AgentCall's JSON\. Use https:\/\/api\.agentcall\.co/),
			});
		});

		it('fails when the answer is JSON cut short', async () => {
			fault({ method: 'GET', path: '/v1/numbers', reply: 'truncated' });
			expect(await suite.engine.testCredential(suite.credentials)).toEqual({
				status: 'Error',
				message: expect.stringMatching(/^The Base URL answered with JSON that was cut short/),
			});
		});

		it('passes for every list shape AgentCall may use, empty or not', async () => {
			for (const numbers of ['numbers', 'data', 'bare'] as const) {
				suite.sandbox.setConfig({ listWrappers: { ...suite.sandbox.config.listWrappers, numbers } });
				expect(await suite.engine.testCredential(suite.credentials)).toEqual({ status: 'OK', message: 'Connection successful!' });
			}
		});
	});
});
