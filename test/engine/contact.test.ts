import type { IDataObject } from 'n8n-workflow';

import { useEngineSuite } from '../harness/setup';

/** Contact operations through n8n-core's engine against the sandbox, contacts made by real traffic. */

const CALLER = '+14155550101';
const TEXTER = '+14155550102';

describe('AgentCall node: Contact', () => {
	const suite = useEngineSuite();
	let number: { id: string; number: string };

	const run = async (parameters: IDataObject, options: { items?: IDataObject[]; continueOnFail?: boolean } = {}) =>
		await suite.engine.runNode({ resource: 'contact', ...parameters }, options);
	const requests = () => suite.sandbox.requestLog().map((entry) => `${entry.method} ${entry.path}`);
	const contactOf = (phone: string) => suite.sandbox.memorySnapshot().contacts.find((contact) => contact.phone === phone) ?? {};

	beforeEach(async () => {
		number = (await suite.engine.runNode({ resource: 'phoneNumber', operation: 'provision', type: 'local' })).json()[0] as typeof number;
		suite.sandbox.injectCall({ to: number.id, from: CALLER });
		suite.sandbox.injectSms({ to: number.id, from: TEXTER, body: 'Hi, is the shop open on Saturday?' });
		suite.sandbox.injectSms({ to: number.id, from: TEXTER, body: 'Thanks!' });
		suite.sandbox.clearRequestLog();
	});

	describe('Get by Phone', () => {
		it('finds the contact a call and texts made, from a number written any way', async () => {
			const result = await run({ operation: 'getByPhone', contactPhone: '(415) 555-0102' });
			expect(result.error).toBeUndefined();
			expect(result.json()).toEqual([expect.objectContaining({ phone: TEXTER, smsCount: 2, numberId: number.id, id: contactOf(TEXTER).id })]);
			expect(requests()).toEqual([`GET /v1/contacts/by-phone/${encodeURIComponent(TEXTER)}`]);

			const caller = (await run({ operation: 'getByPhone', contactPhone: `tel:${CALLER}` })).json()[0];
			expect(caller).toMatchObject({ phone: CALLER, callCount: 1, lastSeenAt: expect.any(String) });
		});

		it('says plainly that an unknown number has no contact yet', async () => {
			const result = await run({ operation: 'getByPhone', contactPhone: '+1 212 555 0199' });
			expect(result.error?.message).toBe('No contact with the phone number +12125550199 yet');
			expect(result.error?.description).toContain('the first time a number calls or texts');
		});

		it('rejects a phone number that is not one before any request, and goes on per item with Continue On Fail', async () => {
			const bad = await run({ operation: 'getByPhone', contactPhone: 'call me' });
			expect(bad.error?.message).toMatch(/^"Phone Number" is not valid: "call me"/);
			expect(requests()).toEqual([]);

			const result = await run(
				{ operation: 'getByPhone', contactPhone: '={{ $json.phone }}' },
				{ items: [{ phone: CALLER }, { phone: '12' }, { phone: '+12125550199' }, { phone: TEXTER }], continueOnFail: true },
			);
			expect(result.json().map((item) => item.phone ?? item.error)).toEqual([
				CALLER,
				expect.stringMatching(/"Phone Number" is not valid/),
				'No contact with the phone number +12125550199 yet',
				TEXTER,
			]);
			expect(requests()).toHaveLength(3);
		});
	});

	describe('Get Many', () => {
		const addContacts = (count: number) => {
			for (let index = 0; index < count; index++) suite.sandbox.injectSms({ to: number.id, from: `+1628555${String(1000 + index)}`, body: 'hello' });
		};

		it.each([
			['under data with nextCursor', { memoryListWrapper: 'data' }],
			['under contacts with next_cursor', { memoryListWrapper: 'named', cursorField: 'next_cursor' }],
			['as a bare array with the cursor in X-Next-Cursor', { memoryListWrapper: 'bare' }],
		] as const)('follows the cursor over several pages, %s', async (_label, config) => {
			addContacts(5);
			suite.sandbox.setConfig({ listLimitMax: 3, ...config });
			suite.sandbox.clearRequestLog();
			const result = await run({ operation: 'getAll', returnAll: true });
			expect(result.error).toBeUndefined();
			const phones = result.json().map((contact) => contact.phone);
			expect(phones).toHaveLength(7);
			expect(new Set(phones)).toEqual(new Set(suite.sandbox.memorySnapshot().contacts.map((contact) => contact.phone)));
			const log = suite.sandbox.requestLog();
			expect(log.map((entry) => entry.route)).toEqual(['GET /v1/contacts', 'GET /v1/contacts', 'GET /v1/contacts']);
			expect(log[0].query.cursor).toBeUndefined();
			expect(log[1].query.cursor).toEqual(expect.any(String));
		});

		it('stops at the limit, asking only for what is still wanted', async () => {
			addContacts(5);
			suite.sandbox.setConfig({ listLimitMax: 3 });
			suite.sandbox.clearRequestLog();
			const result = await run({ operation: 'getAll', returnAll: false, limit: 4 });
			expect(result.json()).toHaveLength(4);
			expect(suite.sandbox.requestLog().map((entry) => entry.query.limit)).toEqual(['4', '1']);
		});
	});

	describe('Get, Update', () => {
		it('gets a contact by ID and updates the fields that were added', async () => {
			const { id } = contactOf(CALLER);
			expect((await run({ operation: 'get', contactId: ` ${id} ` })).json()[0]).toMatchObject({ id, phone: CALLER });

			const updated = await run({
				operation: 'update',
				contactId: id,
				contactUpdateFields: { displayName: ' Jordan Lee ', tags: 'vip, plumbing,, vip', verified: true, blocked: true, ownerNotes: 'Pays on time' },
			});
			expect(updated.error).toBeUndefined();
			expect(updated.json()[0]).toMatchObject({ id, displayName: 'Jordan Lee', tags: ['vip', 'plumbing'], verified: true, ownerNotes: 'Pays on time', blockedAt: expect.any(String) });
			const patch = suite.sandbox.requestLog().find((entry) => entry.method === 'PATCH');
			expect(patch?.body).toEqual({ displayName: 'Jordan Lee', tags: ['vip', 'plumbing'], verified: true, blockedAt: expect.any(String), ownerNotes: 'Pays on time' });

			const unblocked = await run({ operation: 'update', contactId: id, contactUpdateFields: { blocked: false, displayName: '' } });
			expect(unblocked.json()[0]).toMatchObject({ blockedAt: null, displayName: null, tags: ['vip', 'plumbing'] });
		});

		it('rejects an update with nothing to change and IDs that are not IDs before any request', async () => {
			const { id } = contactOf(CALLER);
			const nothing = await run({ operation: 'update', contactId: id, contactUpdateFields: {} });
			expect(nothing.error?.message).toBe('Nothing to update - add at least one field under "Update Fields"');
			const slash = await run({ operation: 'get', contactId: 'a/b' });
			expect(slash.error?.message).toMatch(/^"Contact ID" is not valid: "a\/b"/);
			const empty = await run({ operation: 'getNextCallContext', contactId: '  ' });
			expect(empty.error?.message).toMatch(/^"Contact ID" is not valid/);
			expect(requests()).toEqual([]);
		});

		it('names the missing contact, and maps AgentCall\'s validation errors', async () => {
			const missing = await run({ operation: 'get', contactId: 'gone' });
			expect(missing.error?.message).toBe('The contact "gone" was not found in your AgentCall account');
			const { id } = contactOf(CALLER);
			const tooLong = await run({ operation: 'update', contactId: id, contactUpdateFields: { displayName: 'x'.repeat(201) } });
			expect(tooLong.error?.message).toBe('AgentCall rejected the input - displayName: must be at most 200 characters');
		});
	});

	describe('Delete (right to be forgotten)', () => {
		it('wipes memory, candidates and briefs, redacts reports and keeps the calls', async () => {
			const seeded = suite.sandbox.seedReport({ phone: CALLER, numberId: number.id });
			const other = suite.sandbox.seedReport({ phone: TEXTER });
			await suite.engine.runNode({ resource: 'memory', operation: 'approve', candidateId: seeded.candidates[0].id });
			const callsBefore = suite.sandbox.snapshot().calls.length;

			const result = await run({ operation: 'delete', contactId: seeded.contact.id });
			expect(result.json()).toEqual([{ id: seeded.contact.id, deleted: true }]);
			const after = suite.sandbox.memorySnapshot();
			const mine = (record: { contactId?: unknown }) => record.contactId === seeded.contact.id;
			expect(after.contacts.map((contact) => contact.phone)).toEqual([TEXTER]);
			expect([...after.memories, ...after.candidates, ...after.briefs].filter(mine)).toEqual([]);
			expect(after.reports.filter(mine)).toEqual([expect.objectContaining({ redacted: true, summary: null, facts: [] })]);
			expect(after.reports.find((report) => report.contactId === other.contact.id)).toMatchObject({ redacted: false });
			expect(suite.sandbox.snapshot().calls).toHaveLength(callsBefore);

			const again = await run({ operation: 'getByPhone', contactPhone: CALLER });
			expect(again.error?.message).toBe(`No contact with the phone number ${CALLER} yet`);
		});

		it('confirms from a 200 reply too, and shows a warning in the editor', async () => {
			suite.sandbox.setConfig({ deleteReply: '200' });
			const { id } = contactOf(TEXTER);
			expect((await run({ operation: 'delete', contactId: id })).json()[0]).toMatchObject({ id, deleted: true });
			const notice = suite.engine.nodeTypes
				.getByNameAndVersion('n8n-nodes-agentcall.agentCall', 1)
				.description.properties.find((property) => property.name === 'contactDeleteNotice');
			expect(notice).toMatchObject({ type: 'notice', displayOptions: { show: { resource: ['contact'], operation: ['delete'] } } });
			expect(notice?.displayName).toMatch(/cannot be undone/);
		});
	});

	describe('Get Next-Call Context', () => {
		it.each(['block', 'brief'] as const)('gives one item shape whichever documented shape AgentCall answers (%s)', async (shape) => {
			suite.sandbox.setConfig({ nextCallContextShape: shape });
			const seeded = suite.sandbox.seedReport({ phone: CALLER, report: { facts: ['Owns a golden retriever'], preferences: [], commitments: [] } });
			await suite.engine.runNode({ resource: 'memory', operation: 'approve', candidateId: seeded.candidates[0].id });

			const known = (await run({ operation: 'getNextCallContext', contactId: seeded.contact.id })).json()[0];
			expect(known).toMatchObject({ contactId: seeded.contact.id, isEmpty: false, contextBlock: expect.stringContaining('Owns a golden retriever') });
			expect(known.contextBlockChars).toBe((known.contextBlock as string).length);

			const { id } = contactOf(TEXTER);
			const unknown = (await run({ operation: 'getNextCallContext', contactId: id })).json()[0];
			expect(unknown).toMatchObject({ contactId: id, contextBlock: '', contextBlockChars: 0, isEmpty: true });
		});
	});
});
