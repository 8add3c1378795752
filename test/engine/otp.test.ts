import type { IDataObject } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { useEngineSuite } from '../harness/setup';

const byId = (id: string) => ({ __rl: true, mode: 'id', value: id });
const OUTSIDE = '+12125550199';
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/;

describe('AgentCall node: SMS Wait for OTP', () => {
	const suite = useEngineSuite();
	let number: { id: string; number: string };

	const otpRequests = () => suite.sandbox.requestLog().filter((entry) => entry.path.startsWith('/v1/sms/otp/'));
	const waitForOtp = (params: IDataObject = {}, options: { items?: IDataObject[]; continueOnFail?: boolean } = {}) =>
		suite.engine.runNode({ resource: 'sms', operation: 'waitForOtp', smsNumberId: byId(number.id), ...params }, options);

	async function untilWaiting(count: number): Promise<void> {
		const end = Date.now() + 5000;
		while (suite.sandbox.waitingOtpRequests < count) {
			if (Date.now() > end) throw new Error(`expected ${count} waiting OTP request(s)`);
			await sleep(10);
		}
	}

	beforeEach(async () => {
		const created = await suite.engine.runNode({ resource: 'phoneNumber', operation: 'provision', type: 'local' });
		number = created.json()[0] as { id: string; number: string };
		suite.sandbox.clearRequestLog();
	});

	it('answers as soon as a code arrives mid-wait, with one request', async () => {
		const started = Date.now();
		const running = waitForOtp({ timeout: 60 });
		await untilWaiting(1);
		await sleep(300);
		suite.sandbox.injectSms({ to: number.id, from: OUTSIDE, body: 'Your Acme code is 482913. It expires in 10 minutes.' });
		const result = await running;

		expect(Date.now() - started).toBeLessThan(3000);
		expect(result.error).toBeUndefined();
		expect(result.json()).toEqual([
			{
				otp: '482913',
				timedOut: false,
				numberId: number.id,
				receivedAt: expect.stringMatching(ISO),
				message: expect.objectContaining({
					body: 'Your Acme code is 482913. It expires in 10 minutes.',
					from: OUTSIDE,
					numberId: number.id,
					otp: '482913',
				}),
			},
		]);
		expect(result.items()[0].pairedItem).toEqual({ item: 0 });
		expect(otpRequests()).toHaveLength(1);
		expect(otpRequests()[0].query).toEqual({ timeout: '60000' });
	});

	it('returns a code that arrived just before the node ran without waiting (AgentCall window)', async () => {
		suite.sandbox.setConfig({ messageTimestamps: 'createdAt' });
		const received = suite.sandbox.injectSms({ to: number.id, from: OUTSIDE, body: 'G-771204 is your verification code' });
		const started = Date.now();
		const result = await waitForOtp({ timeout: 30 });
		expect(Date.now() - started).toBeLessThan(2000);
		expect(result.json()[0]).toMatchObject({ otp: '771204', timedOut: false, receivedAt: received.createdAt });
	});

	describe.each(['null', '204', '408', '404'] as const)('when no code arrives (AgentCall answers the timeout with %s)', (reply) => {
		it('outputs a timedOut item, or fails clearly, after the chosen wait', async () => {
			suite.sandbox.setConfig({ otpTimeoutReply: reply });
			const [item, failed] = await Promise.all([
				waitForOtp({ timeout: 1, onTimeout: 'outputItem' }),
				waitForOtp({ timeout: 1, onTimeout: 'fail' }),
			]);

			expect(item.error).toBeUndefined();
			expect(item.json()).toEqual([
				{ otp: null, timedOut: true, message: null, numberId: number.id, receivedAt: null, waitedSeconds: expect.any(Number) },
			]);
			expect(item.json()[0].waitedSeconds).toBeGreaterThanOrEqual(0.9);
			expect(item.json()[0].waitedSeconds).toBeLessThan(5);

			expect(failed.error?.message).toBe(`No OTP code arrived at phone number "${number.id}" within 1 s`);
			expect(failed.error?.description).toMatch(/Get Inbox.*On Timeout to Output an Item/);
			expect(failed.error?.context.itemIndex).toBe(0);

			const expectedStatus = { null: 200, 204: 204, 408: 408, 404: 404 }[reply];
			expect(otpRequests().map((entry) => [entry.query.timeout, entry.status])).toEqual([
				['1000', expectedStatus],
				['1000', expectedStatus],
			]);
		});
	});

	it('reads a 404 with no text after the full wait as no code, but an immediate one as an unknown number', async () => {
		suite.sandbox.setConfig({ otpTimeoutReply: '404', errorMessage: false });
		const timedOut = await waitForOtp({ timeout: 1 });
		expect(timedOut.json()[0]).toMatchObject({ otp: null, timedOut: true });

		const missing = await waitForOtp({ timeout: 1, smsNumberId: byId('missing-number') });
		expect(missing.error?.message).toBe('The phone number "missing-number" was not found in your AgentCall account');
	});

	it('reports an unknown number as not found, not as a timeout', async () => {
		suite.sandbox.setConfig({ otpTimeoutReply: '404' });
		const result = await waitForOtp({ timeout: 5, smsNumberId: byId('missing-number') });
		expect(result.error?.message).toBe('The phone number "missing-number" was not found in your AgentCall account');
		expect(result.error).toMatchObject({ httpCode: '404' });
		expect(otpRequests()).toHaveLength(1);
	});

	it('checks Timeout and the number before any request, per item', async () => {
		const result = await waitForOtp(
			{ timeout: '={{ $json.timeout }}', smsNumberId: byId('={{ $json.id }}') },
			{
				items: [
					{ timeout: 0, id: number.id },
					{ timeout: 61, id: number.id },
					{ timeout: 5, id: 'a/b' },
					{ timeout: 5, id: '' },
				],
				continueOnFail: true,
			},
		);
		expect(result.json().map((item) => item.error)).toEqual([
			'"Timeout" is not valid: 0 - it must be a number of seconds from 1 to 60',
			'"Timeout" is not valid: 61 - it must be a number of seconds from 1 to 60',
			'"Phone Number" is not valid: "a/b" - an ID has no spaces, slashes, ? or #',
			'"Phone Number" is not valid: "" - it is empty',
		]);
		expect(result.items().map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
		expect(suite.sandbox.requestLog()).toHaveLength(0);

		const stopped = await waitForOtp({ timeout: 90 });
		expect(stopped.error?.message).toMatch(/^"Timeout" is not valid: 90/);
		expect(stopped.error?.description).toMatch(/loop back to this node when "timedOut" is true/);
	});

	it('keeps going per item with Continue On Fail', async () => {
		suite.sandbox.injectSms({ to: number.id, from: OUTSIDE, body: 'Code: 55512' });
		const result = await waitForOtp(
			{ smsNumberId: byId('={{ $json.id }}'), timeout: 5 },
			{ items: [{ id: 'missing-number' }, { id: number.id }], continueOnFail: true },
		);
		const [first, second] = result.items();
		expect(first.json.error).toBe('The phone number "missing-number" was not found in your AgentCall account');
		expect(first.pairedItem).toEqual({ item: 0 });
		expect(second.json).toMatchObject({ otp: '55512', numberId: number.id });
		expect(second.pairedItem).toEqual({ item: 1 });
	});

	it('retries a rate-limited long-poll and explains the Free plan code limit', async () => {
		suite.sandbox.setFaults([{ path: '/v1/sms/otp/:numberId', status: 429, times: 1 }]);
		suite.sandbox.injectSms({ to: number.id, from: OUTSIDE, body: 'Your code is 9081' });
		const retried = await waitForOtp({ timeout: 5 });
		expect(retried.json()[0]).toMatchObject({ otp: '9081' });
		expect(otpRequests().map((entry) => entry.status)).toEqual([429, 200]);

		suite.sandbox.setPlan('free');
		for (const code of ['1111', '2222', '3333', '4444']) {
			suite.sandbox.injectSms({ to: number.id, from: OUTSIDE, body: `Code ${code}` });
		}
		const limited = await waitForOtp({ timeout: 5 });
		expect(limited.error?.message).toBe('Your AgentCall plan does not allow this (plan_limit_otp)');
		expect(limited.error?.description).toMatch(/5 OTP extractions per month/);
	});

	it('never shows the API key in outputs or errors', async () => {
		suite.sandbox.injectSms({ to: number.id, from: OUTSIDE, body: 'Your code is 246810' });
		const ok = await waitForOtp({ timeout: 5 });
		expect(ok.json()[0].otp).toBe('246810');
		expect(ok.serialized()).not.toContain(suite.sandbox.apiKey);

		suite.engine.useCredentials({ ...suite.credentials, apiKey: 'ac_live_secret_that_must_not_leak' });
		const failed = await waitForOtp({ timeout: 5 }, { continueOnFail: true });
		expect(failed.json()[0].error).toMatch(/AgentCall rejected the API key/);
		expect(failed.serialized()).not.toContain('ac_live_secret_that_must_not_leak');
	});
});
