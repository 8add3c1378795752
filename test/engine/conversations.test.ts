import type { IDataObject } from 'n8n-workflow';

import { OPEN_GUARDRAILS } from '../harness/credentials';
import { useEngineSuite } from '../harness/setup';

/** SMS > Get Many Conversations, Get Conversation and Reply in Conversation against the sandbox. */

const ALICE = '+14155550101';
const BOB = '+14155550102';
const LONDON = '+447700900123';

describe('AgentCall node: SMS conversations', () => {
	const suite = useEngineSuite();
	let number: { id: string; number: string };

	beforeEach(async () => {
		number = (await suite.engine.runNode({ resource: 'phoneNumber', operation: 'provision', type: 'local' })).json()[0] as typeof number;
		suite.sandbox.injectSms({ to: number.id, from: ALICE, body: 'Is Tuesday free?' });
		suite.sandbox.injectSms({ to: number.id, from: BOB, body: 'Hello' });
		suite.sandbox.clearRequestLog();
	});

	const conversationWith = async (phone: string): Promise<string> => {
		const all = await suite.engine.runNode({ resource: 'sms', operation: 'getConversations', returnAll: true });
		return String(all.json().find((thread) => thread.contactPhone === phone)?.id);
	};
	const reply = async (conversationId: string, extra: IDataObject = {}, options = {}) =>
		await suite.engine.runNode({ resource: 'sms', operation: 'replyToConversation', conversationId, replyMessage: 'Yes, 3 pm works.', ...extra }, options);
	const replies = () => suite.sandbox.requestLog().filter((entry) => entry.route === 'POST /v1/sms-conversations/:id/reply');
	const sentTo = (phone: string) => suite.sandbox.snapshot().messages.filter((message) => message.direction === 'outbound' && message.to === phone);

	describe('Get Many Conversations', () => {
		it('follows the cursor with Return All, caps at Limit and filters by number', async () => {
			for (let i = 0; i < 3; i++) suite.sandbox.injectSms({ to: number.id, from: `+1415555020${i}`, body: `Hi ${i}` });
			suite.sandbox.clearRequestLog();
			suite.sandbox.setConfig({ listLimitMax: 2 });
			const all = await suite.engine.runNode({ resource: 'sms', operation: 'getConversations', returnAll: true, filters: { numberId: number.id } });
			expect(all.json()).toHaveLength(5);
			expect(new Set(all.json().map((thread) => thread.id)).size).toBe(5);
			const listReads = suite.sandbox.requestLog();
			expect(listReads.length).toBe(3);
			expect(listReads[1].query).toMatchObject({ numberId: number.id, cursor: expect.any(String) });

			const some = await suite.engine.runNode({ resource: 'sms', operation: 'getConversations', limit: 3 });
			expect(some.json()).toHaveLength(3);
		});
	});

	it('Get Conversation returns the thread with its messages; a wrong ID is named', async () => {
		const id = await conversationWith(ALICE);
		const got = await suite.engine.runNode({ resource: 'sms', operation: 'getConversation', conversationId: id });
		expect(got.json()[0]).toMatchObject({ id, contactPhone: ALICE, messages: [expect.objectContaining({ direction: 'inbound', body: 'Is Tuesday free?' })] });

		const missing = await suite.engine.runNode({ resource: 'sms', operation: 'getConversation', conversationId: 'conv-missing' }, { continueOnFail: true });
		expect(missing.json()[0].error).toMatch(/The SMS conversation "conv-missing" was not found/);
	});

	describe('Reply in Conversation', () => {
		it('texts the contact, reading the conversation first to check the recipient', async () => {
			const id = await conversationWith(ALICE);
			suite.sandbox.clearRequestLog();
			const result = await reply(id);
			expect(result.error).toBeUndefined();
			expect(result.json()[0]).toMatchObject({ conversationId: id, to: ALICE, body: 'Yes, 3 pm works.', status: 'sent' });
			expect(suite.sandbox.requestLog().map((entry) => entry.route)).toEqual(['GET /v1/sms-conversations/:id', 'POST /v1/sms-conversations/:id/reply']);
			expect(replies()[0].body).toEqual({ body: 'Yes, 3 pm works.', idempotencyKey: expect.stringMatching(/^n8n-/) });
			expect(sentTo(ALICE).map((message) => message.body)).toEqual(['Yes, 3 pm works.']);
		});

		it('never texts twice when Retry On Fail repeats an item whose answer was lost', async () => {
			const id = await conversationWith(ALICE);
			suite.sandbox.addFault({ method: 'POST', path: '/v1/sms-conversations/:id/reply', reset: 'after', times: 1 });
			const result = await reply(id, {}, { settings: { retryOnFail: true, maxTries: 2, waitBetweenTries: 10 } });
			expect(result.error).toBeUndefined();
			expect(replies()).toHaveLength(2);
			expect((replies()[0].body as IDataObject).idempotencyKey).toBe((replies()[1].body as IDataObject).idempotencyKey);
			expect(sentTo(ALICE)).toHaveLength(1);
		});

		it('gives every item its own key, and uses the key the user sets', async () => {
			const id = await conversationWith(ALICE);
			await reply(id, { replyMessage: '={{ $json.text }}' }, { items: [{ text: 'One' }, { text: 'Two' }] });
			expect(sentTo(ALICE).map((message) => message.body)).toEqual(['One', 'Two']);
			suite.sandbox.clearRequestLog();
			await reply(id, { options: { idempotencyKey: 'ticket-7' } }, { items: [{}, {}] });
			expect(replies().map((entry) => (entry.body as IDataObject).idempotencyKey)).toEqual(['ticket-7', 'ticket-7']);
			expect(sentTo(ALICE)).toHaveLength(3);
		});

		it('says clearly that a contact who replied STOP cannot be texted, per item', async () => {
			const alice = await conversationWith(ALICE);
			const bob = await conversationWith(BOB);
			suite.sandbox.injectSms({ to: number.id, from: ALICE, body: 'STOP' });
			const result = await reply('={{ $json.id }}', {}, { items: [{ id: alice }, { id: bob }], continueOnFail: true });
			const [stopped, sent] = result.json();
			expect(stopped.error).toMatch(/The recipient has opted out of messages from this number \(they replied STOP\)/);
			expect(sent).toMatchObject({ to: BOB, status: 'sent' });
		});

		it("checks the contact against the credential's guardrails before replying", async () => {
			suite.sandbox.injectSms({ to: number.id, from: LONDON, body: 'Hi from London' });
			const london = await conversationWith(LONDON);
			suite.engine.useCredentials({ ...suite.credentials, ...OPEN_GUARDRAILS, allowedDestinations: '+1' });
			suite.sandbox.clearRequestLog();
			const result = await reply(london);
			expect(result.error?.message).toMatch(/Refused by the AgentCall credential's guardrails - nothing was sent: \+447700900123 is outside the allowed destinations/);
			expect(replies()).toHaveLength(0);
		});

		it.each([
			[{ replyMessage: '  ' }, /"Reply Message" is empty/],
			[{ replyMessage: 'x'.repeat(1601) }, /"Reply Message" is too long: 1601 characters/],
			[{ conversationId: 'a/b' }, /"Conversation ID" is not valid: "a\/b"/],
			[{ options: { idempotencyKey: 'k'.repeat(201) } }, /"Idempotency Key" has 201 characters/],
		])('rejects bad input %# before any request', async (extra, message) => {
			const result = await reply('conv-1', extra);
			expect(result.error?.message).toMatch(message);
			expect(suite.sandbox.requestLog()).toHaveLength(0);
		});
	});
});
