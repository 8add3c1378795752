import type { IDataObject } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { useEngineSuite } from '../harness/setup';

const byId = (id: string) => ({ __rl: true, mode: 'id', value: id });
const byPhone = (value: string) => ({ __rl: true, mode: 'phoneNumber', value });
const OUTSIDE = '+12125550199';
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/;

describe('AgentCall node: SMS', () => {
	const suite = useEngineSuite();
	let number: { id: string; number: string };

	const log = (path: string) => suite.sandbox.requestLog().filter((entry) => entry.path.startsWith(path));
	const send = (params: IDataObject, options: { items?: IDataObject[]; continueOnFail?: boolean } = {}) =>
		suite.engine.runNode({ resource: 'sms', operation: 'send', smsFrom: byId(number.id), message: 'Hello', ...params }, options);

	beforeEach(async () => {
		const created = await suite.engine.runNode({ resource: 'phoneNumber', operation: 'provision', type: 'local' });
		number = created.json()[0] as { id: string; number: string };
		suite.sandbox.clearRequestLog();
	});

	describe('Send', () => {
		it('sends from a number ID and outputs the message', async () => {
			const result = await send({ smsTo: '+14155551234', message: 'Your table is booked for 7 pm.' });
			expect(result.error).toBeUndefined();
			expect(result.json()).toEqual([
				expect.objectContaining({
					id: expect.any(String),
					numberId: number.id,
					direction: 'outbound',
					from: number.number,
					to: '+14155551234',
					body: 'Your table is booked for 7 pm.',
					otp: null,
					status: 'sent',
					receivedAt: expect.stringMatching(ISO),
				}),
			]);
			expect(log('/v1/sms/send').map((entry) => entry.body)).toEqual([
				{ from: number.id, to: '+14155551234', body: 'Your table is booked for 7 pm.' },
			]);
		});

		it.each([
			['+1 (415) 555-1234', {}, '+14155551234'],
			['415.555.1234', {}, '+14155551234'],
			['0044 20 7946 0958', {}, '+442079460958'],
			['020 7946 0958', { defaultCountry: 'GB' }, '+442079460958'],
		])('normalises To "%s" to E.164 before sending', async (to, options, expected) => {
			const result = await send({ smsTo: to, options });
			expect(result.json()[0].to).toBe(expected);
			expect(log('/v1/sms/send')[0].body).toMatchObject({ to: expected });
		});

		it('sends from a phone number typed in any format, as E.164', async () => {
			const national = number.number.slice(2);
			const typed = `(${national.slice(0, 3)}) ${national.slice(3, 6)}-${national.slice(6)}`;
			const result = await send({ smsFrom: byPhone(typed), smsTo: OUTSIDE });
			expect(log('/v1/sms/send')[0].body).toMatchObject({ from: number.number });
			expect(result.json()[0]).toMatchObject({ numberId: number.id, from: number.number });
		});

		it('completes a minimal reply with what was sent', async () => {
			suite.sandbox.setConfig({ smsSendReply: 'minimal', createStatus: 201 });
			const result = await send({ smsTo: '415 555 1234', message: 'Short reply test' });
			expect(result.json()).toEqual([
				expect.objectContaining({
					id: expect.any(String),
					status: 'sent',
					numberId: number.id,
					direction: 'outbound',
					to: '+14155551234',
					body: 'Short reply test',
					otp: null,
				}),
			]);
		});

		it.each([
			['12', /^"To" is not valid: "12" - a US or Canadian number has 10 digits/],
			['+1 555 ABC', /^"To" is not valid: "\+1 555 ABC" - it contains letters/],
		])('rejects To "%s" naming field, value and item, before any request', async (to, message) => {
			const result = await send({ smsTo: to });
			expect(result.error?.message).toMatch(message);
			expect(result.error?.description).toMatch(/international format/);
			expect(result.error?.context.itemIndex).toBe(0);
			expect(suite.sandbox.requestLog()).toHaveLength(0);
		});

		it('with Continue On Fail, sends the other items and reports the bad one in its place', async () => {
			const result = await send(
				{ smsTo: '={{ $json.to }}' },
				{ items: [{ to: '+14155551234' }, { to: '12' }, { to: '4155550100' }], continueOnFail: true },
			);
			const [first, second, third] = result.items();
			expect(first.json).toMatchObject({ to: '+14155551234', status: 'sent' });
			expect(second.json.error).toMatch(/"To" is not valid: "12"/);
			expect(second.pairedItem).toEqual({ item: 1 });
			expect(third.json).toMatchObject({ to: '+14155550100', status: 'sent' });
			expect(log('/v1/sms/send').map((entry) => (entry.body as IDataObject).to).sort()).toEqual(['+14155550100', '+14155551234']);
		});

		it('rejects a message over 1600 characters before sending, showing the count', async () => {
			const result = await send({ smsTo: OUTSIDE, message: 'x'.repeat(1601) });
			expect(result.error?.message).toBe('"Message" is too long: 1601 characters - an SMS can have at most 1600');
			expect(result.error?.description).toMatch(/Shorten the text by 1 character,/);
			expect(suite.sandbox.requestLog()).toHaveLength(0);

			const emoji = await send({ smsTo: OUTSIDE, message: '\u{1F600}'.repeat(1601) });
			expect(emoji.error?.message).toMatch(/too long: 1601 characters/);

			const longest = await send({ smsTo: OUTSIDE, message: 'x'.repeat(1600) });
			expect(longest.json()[0].body).toHaveLength(1600);
		});

		it('rejects an empty message before sending', async () => {
			const result = await send({ smsTo: OUTSIDE, message: '   ' });
			expect(result.error?.message).toMatch(/^"Message" is empty/);
			expect(suite.sandbox.requestLog()).toHaveLength(0);
		});

		it('names an unknown From number in a 404', async () => {
			const result = await send({ smsFrom: byId('missing-number'), smsTo: OUTSIDE });
			expect(result.error?.message).toBe('The phone number "missing-number" was not found in your AgentCall account');
		});

		it('waits out a 429 and sends every message', async () => {
			suite.sandbox.setLimits({ windowMs: 1000, global: 3 });
			const items = Array.from({ length: 6 }, (_, index) => ({ text: `Message ${index}` }));
			const result = await send({ smsTo: OUTSIDE, message: '={{ $json.text }}' }, { items });
			expect(result.error).toBeUndefined();
			expect(result.json().map((message) => message.body)).toEqual(items.map((item) => item.text));
			const statuses = log('/v1/sms/send').map((entry) => entry.status);
			expect(statuses.filter((status) => status === 429).length).toBeGreaterThan(0);
			expect(statuses.filter((status) => status === 200)).toHaveLength(6);
		});

		it('explains the Free plan SMS limit (403) with the upgrade link', async () => {
			suite.sandbox.setPlan('free');
			const items = Array.from({ length: 11 }, (_, index) => ({ text: `Message ${index}` }));
			const result = await send({ smsTo: OUTSIDE, message: '={{ $json.text }}' }, { items, continueOnFail: true });
			const errors = result.json().filter((item) => item.error !== undefined);
			expect(result.json().filter((item) => item.status === 'sent')).toHaveLength(10);
			expect(errors.map((item) => item.error)).toEqual(['Your AgentCall plan does not allow this (plan_limit_sms)']);

			const stopped = await send({ smsTo: OUTSIDE });
			expect(stopped.error?.description).toMatch(/The Free plan includes 10 SMS per month.*Upgrade here: https:\/\/www\.agentcall\.co\/pricing/);
		});

		it('explains a 503 and a 422 from AgentCall', async () => {
			suite.sandbox.setFaults([{ path: '/v1/sms/send', status: 503, times: 1 }]);
			const unavailable = await send({ smsTo: OUTSIDE });
			expect(unavailable.error?.message).toMatch(/^AgentCall is temporarily unavailable/);
			expect(unavailable.error?.description).toMatch(/Try again in a few minutes/);

			suite.sandbox.setFaults([
				{ path: '/v1/sms/send', status: 422, code: 'validation_error', message: 'to: this destination cannot receive SMS', times: 1 },
			]);
			const rejected = await send({ smsTo: OUTSIDE });
			expect(rejected.error?.message).toBe('AgentCall rejected the input - to: this destination cannot receive SMS');
		});

		it('sends the items of one run at once, and outputs them in item order', async () => {
			// With the budget announced in headers the rate-limit gate lets all four go (without it an
			// unproven documented budget goes one at a time, on purpose: README, Rate limits).
			suite.sandbox.setConfig({ rateLimitHeaders: true });
			expect((await send({ smsTo: OUTSIDE })).error).toBeUndefined();
			suite.sandbox.clearRequestLog();
			// Each send takes 1.5 s: one after another, four would arrive 4.5 s apart at least.
			suite.sandbox.setFaults([{ method: 'POST', path: '/v1/sms/send', slowMs: 1500, times: 4 }]);
			const items = ['+14155550101', '+14155550102', '+14155550103', '+14155550104'].map((to) => ({ to }));
			const result = await send({ smsTo: '={{ $json.to }}' }, { items });
			expect(result.json().map((item) => item.to)).toEqual(items.map((item) => item.to));
			const arrivals = log('/v1/sms/send').map((entry) => Date.parse(entry.time));
			expect(arrivals).toHaveLength(4);
			expect(Math.max(...arrivals) - Math.min(...arrivals)).toBeLessThan(1500);
		});

		it('never shows the API key in outputs or errors', async () => {
			const ok = await send({ smsTo: OUTSIDE });
			expect(ok.serialized()).not.toContain(suite.sandbox.apiKey);
			suite.engine.useCredentials({ ...suite.credentials, apiKey: 'ac_live_secret_that_must_not_leak' });
			const failed = await send({ smsTo: OUTSIDE });
			expect(failed.error?.message).toMatch(/AgentCall rejected the API key/);
			expect(failed.serialized()).not.toContain('ac_live_secret_that_must_not_leak');
		});
	});

	describe('Get Inbox', () => {
		const bodies = ['Hello there', 'Your Acme code is 482913', 'See you at the shop', 'Use 771204 to sign in'];

		beforeEach(async () => {
			for (const body of bodies) {
				suite.sandbox.injectSms({ to: number.id, from: OUTSIDE, body });
				await sleep(5);
			}
			suite.sandbox.clearRequestLog();
		});

		const inbox = (params: IDataObject = {}) =>
			suite.engine.runNode({ resource: 'sms', operation: 'getInbox', smsNumberId: byId(number.id), simple: false, ...params });

		describe.each(['messages', 'data', 'bare'])('with the list under %s', (wrapper) => {
			it.each(['both', 'createdAt', 'receivedAt'])('outputs every message, newest first (timestamps: %s)', async (timestamps) => {
				suite.sandbox.setConfig({ listWrappers: { inbox: wrapper as 'messages' }, messageTimestamps: timestamps as 'both' });
				const result = await inbox({ returnAll: true });
				expect(result.json().map((message) => message.body)).toEqual([...bodies].reverse());
				for (const message of result.json()) {
					expect(message).toMatchObject({ numberId: number.id, direction: 'inbound', from: OUTSIDE, to: number.number });
					expect(message.receivedAt).toMatch(ISO);
				}
				expect(result.json().map((message) => message.otp)).toEqual(['771204', null, '482913', null]);
			});
		});

		it('with OTP Only, asks for and outputs only messages with a code', async () => {
			const result = await inbox({ returnAll: true, filters: { otpOnly: true } });
			expect(result.json().map((message) => message.otp)).toEqual(['771204', '482913']);
			expect(log('/v1/sms/inbox/')[0].query).toMatchObject({ otpOnly: 'true' });
		});

		it('caps results at Limit, sent as the limit query', async () => {
			const result = await inbox({ limit: 2 });
			expect(result.json().map((message) => message.body)).toEqual(['Use 771204 to sign in', 'See you at the shop']);
			expect(log('/v1/sms/inbox/')[0].query).toEqual({ limit: '2' });
		});

		it('puts the newest message first even when the API lists oldest first', async () => {
			suite.sandbox.setConfig({ listOrder: 'oldest' });
			const result = await inbox({ returnAll: true });
			expect(result.json().map((message) => message.body)).toEqual([...bodies].reverse());
		});

		it('follows cursors with Return All when the API pages', async () => {
			suite.sandbox.setConfig({ pagination: 'cursor', listLimitMax: 3 });
			const result = await inbox({ returnAll: true });
			expect(result.json()).toHaveLength(4);
			expect(log('/v1/sms/inbox/')).toHaveLength(2);
		});

		it('names an unknown number in a 404', async () => {
			const result = await inbox({ smsNumberId: byId('missing-number') });
			expect(result.error?.message).toBe('The phone number "missing-number" was not found in your AgentCall account');
		});
	});

	describe('Get Message', () => {
		it('gets a sent message and a received one by ID', async () => {
			const sent = (await send({ smsTo: OUTSIDE, message: 'Ping' })).json()[0];
			const got = await suite.engine.runNode({ resource: 'sms', operation: 'getMessage', messageId: ` ${sent.id as string} ` });
			expect(got.json()).toEqual([sent]);

			suite.sandbox.setConfig({ messageTimestamps: 'createdAt' });
			const received = suite.sandbox.injectSms({ to: number.number, from: OUTSIDE, body: 'Code 123456' });
			const message = await suite.engine.runNode({ resource: 'sms', operation: 'getMessage', messageId: received.id as string });
			expect(message.json()[0]).toMatchObject({
				id: received.id,
				direction: 'inbound',
				otp: '123456',
				receivedAt: received.createdAt,
			});
		});

		it('names an unknown message in a 404 and rejects an unusable ID before any request', async () => {
			const missing = await suite.engine.runNode({ resource: 'sms', operation: 'getMessage', messageId: 'missing-message' });
			expect(missing.error?.message).toBe('The message "missing-message" was not found in your AgentCall account');

			suite.sandbox.clearRequestLog();
			const bad = await suite.engine.runNode({ resource: 'sms', operation: 'getMessage', messageId: 'a/b' });
			expect(bad.error?.message).toMatch(/^"Message ID" is not valid: "a\/b"/);
			expect(suite.sandbox.requestLog()).toHaveLength(0);
		});
	});
});
