import type { IDataObject } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { useEngineSuite } from '../harness/setup';

/**
 * Memory, Brief and Report operations through n8n-core's engine against the sandbox. The first
 * test starts from a real AI call whose report the sandbox turns into candidates, a brief and a
 * report row; the others seed what such a report leaves behind.
 */

const CALLEE = '+14155550199';
const OTHER = '+14155550123';

describe('AgentCall node: Memory, Brief, Report', () => {
	const suite = useEngineSuite({ sandboxConfig: { timeScale: 0.01 } });
	let number: { id: string; number: string };

	const run = async (parameters: IDataObject, options: { items?: IDataObject[]; continueOnFail?: boolean } = {}) =>
		await suite.engine.runNode(parameters, options);
	const requests = () => suite.sandbox.requestLog().map((entry) => `${entry.method} ${entry.route ?? entry.path}`);

	beforeEach(async () => {
		number = (await run({ resource: 'phoneNumber', operation: 'provision', type: 'local' })).json()[0] as typeof number;
		suite.sandbox.clearRequestLog();
	});

	it('turns a real AI call into candidates, then current memory with an audit trail', async () => {
		await run({
			resource: 'aiCall',
			operation: 'start',
			aiCallFrom: { __rl: true, mode: 'id', value: number.id },
			aiCallTo: CALLEE,
			systemPrompt: 'You are calling to book an urgent repair appointment.',
		});
		for (let waited = 0; suite.sandbox.memorySnapshot().reports.length === 0 && waited < 20000; waited += 50) {
			await sleep(50);
		}
		const contact = (await run({ resource: 'contact', operation: 'getByPhone', contactPhone: CALLEE })).json()[0];
		expect(contact).toMatchObject({ phone: CALLEE, callCount: 1 });

		const proposed = await run({ resource: 'memory', operation: 'getCandidates', returnAll: true, filters: { status: 'proposed', contactId: ` ${contact.id} ` } });
		expect(proposed.error).toBeUndefined();
		const candidates = proposed.json();
		expect(candidates.length).toBeGreaterThanOrEqual(2);
		expect(candidates.every((candidate) => candidate.contactId === contact.id && candidate.status === 'proposed')).toBe(true);
		expect(suite.sandbox.requestLog().at(-1)?.query).toMatchObject({ status: 'proposed', contactId: contact.id });

		const approved = (await run({ resource: 'memory', operation: 'approve', candidateId: candidates[0].id, candidateNote: 'Checked with the customer' })).json()[0];
		expect(approved).toMatchObject({ id: candidates[0].id, status: 'approved', memoryId: expect.any(String) });
		const rejected = (await run({ resource: 'memory', operation: 'reject', candidateId: candidates[1].id, candidateReason: 'Not true' })).json()[0];
		expect(rejected).toMatchObject({ status: 'rejected', reason: 'Not true' });
		expect(suite.sandbox.requestLog().slice(-2).map((entry) => entry.body)).toEqual([{ note: 'Checked with the customer' }, { reason: 'Not true' }]);

		const current = await run({ resource: 'memory', operation: 'getCurrent', memoryContactId: contact.id, returnAll: true });
		expect(current.json()).toEqual([expect.objectContaining({ id: approved.memoryId, text: candidates[0].text, status: 'active' })]);

		const memoryId = approved.memoryId as string;
		const updated = await run({ resource: 'memory', operation: 'update', memoryId, memoryUpdateFields: { text: ' Prefers calls after 5 pm ', expiresAt: '2030-01-31T17:00:00Z' } });
		expect(updated.json()[0]).toMatchObject({ id: memoryId, text: 'Prefers calls after 5 pm', expiresAt: '2030-01-31T17:00:00.000Z' });
		const deleted = await run({ resource: 'memory', operation: 'delete', memoryId });
		expect(deleted.json()).toEqual([{ id: memoryId, deleted: true }]);
		expect((await run({ resource: 'memory', operation: 'getCurrent', memoryContactId: contact.id, returnAll: true })).json()).toEqual([]);

		const timeline = await run({ resource: 'memory', operation: 'getTimeline', memoryId, returnAll: true });
		expect(timeline.json().map((entry) => entry.action)).toEqual(['approved', 'updated', 'deleted']);
		expect(timeline.json()[1]).toMatchObject({ previousText: candidates[0].text, text: 'Prefers calls after 5 pm' });

		const reports = await run({ resource: 'report', operation: 'getAll', returnAll: true, filters: { contactId: contact.id } });
		expect(reports.json()).toEqual([expect.objectContaining({ contactId: contact.id, urgency: 'high', briefWorthy: true })]);
		const briefs = await run({ resource: 'brief', operation: 'getAll', returnAll: true, filters: { status: 'open', urgency: 'high' } });
		expect(briefs.json()).toEqual([expect.objectContaining({ contactId: contact.id, status: 'open' })]);
	});

	describe('Memory', () => {
		it('refuses a second decision on a candidate with a mapped conflict, per item with Continue On Fail', async () => {
			const seeded = suite.sandbox.seedReport({ phone: CALLEE });
			const [first, second] = seeded.candidates;
			await run({ resource: 'memory', operation: 'approve', candidateId: first.id });
			const result = await run(
				{ resource: 'memory', operation: 'reject', candidateId: '={{ $json.id }}' },
				{ items: [{ id: first.id }, { id: 'gone' }, { id: second.id }], continueOnFail: true },
			);
			expect(result.json().map((item) => item.status ?? item.error)).toEqual([
				'AgentCall reported a conflict (candidate_already_decided)',
				'The memory candidate "gone" was not found in your AgentCall account',
				'rejected',
			]);
		});

		it('checks IDs, the contact and the update fields before any request', async () => {
			const cases: Array<[IDataObject, RegExp]> = [
				// Required fields left empty are caught by n8n itself; an empty value from an expression reaches us.
				[{ operation: 'getCurrent', memoryContactId: '={{ "" }}' }, /^"Contact ID" is not valid: "" - it is empty/],
				[{ operation: 'getTimeline', memoryId: 'a b' }, /^"Memory ID" is not valid/],
				[{ operation: 'approve', candidateId: '../x' }, /^"Candidate ID" is not valid/],
				[{ operation: 'update', memoryId: 'm1', memoryUpdateFields: {} }, /^Nothing to update/],
				[{ operation: 'update', memoryId: 'm1', memoryUpdateFields: { text: '  ' } }, /^"Text" is empty/],
				[{ operation: 'update', memoryId: 'm1', memoryUpdateFields: { expiresAt: 'next week' } }, /^"Expires At" is not valid: "next week"/],
				[{ operation: 'update', memoryId: 'm1', memoryUpdateFields: { expiresAt: '2030-01-01T00:00:00Z', removeExpiry: true } }, /not both/],
			];
			for (const [parameters, message] of cases) {
				const result = await run({ resource: 'memory', ...parameters, returnAll: true });
				expect(result.error?.message).toMatch(message);
			}
			expect(requests()).toEqual([]);
		});

		it('removes an expiry, filters candidates by type and pages them with a cursor', async () => {
			suite.sandbox.setConfig({ pagination: 'cursor', listLimitMax: 2, memoryListWrapper: 'named' });
			const seeded = suite.sandbox.seedReport({ phone: CALLEE, report: { facts: ['A', 'B', 'C'], preferences: ['D'] } });
			const facts = await run({ resource: 'memory', operation: 'getCandidates', returnAll: true, filters: { type: 'fact' } });
			expect(facts.json().map((candidate) => candidate.text).sort()).toEqual(['A', 'B', 'C']);
			expect(suite.sandbox.requestLog().filter((entry) => entry.route === 'GET /v1/memory/candidates')).toHaveLength(2);

			const approved = (await run({ resource: 'memory', operation: 'approve', candidateId: seeded.candidates[0].id })).json()[0];
			await run({ resource: 'memory', operation: 'update', memoryId: approved.memoryId, memoryUpdateFields: { expiresAt: '2030-01-01T00:00:00Z' } });
			const cleared = await run({ resource: 'memory', operation: 'update', memoryId: approved.memoryId, memoryUpdateFields: { removeExpiry: true } });
			expect(cleared.json()[0]).toMatchObject({ expiresAt: null });
			expect(suite.sandbox.requestLog().at(-1)?.body).toEqual({ expiresAt: null });
		});

		it('names a memory that is gone, and warns before Delete in the editor', async () => {
			const result = await run({ resource: 'memory', operation: 'delete', memoryId: 'nope' });
			expect(result.error?.message).toBe('The memory "nope" was not found in your AgentCall account');
			const notice = suite.engine.nodeTypes
				.getByNameAndVersion('n8n-nodes-agentcall.agentCall', 1)
				.description.properties.find((property) => property.name === 'memoryDeleteNotice');
			expect(notice).toMatchObject({ type: 'notice', displayOptions: { show: { resource: ['memory'], operation: ['delete'] } } });
		});
	});

	describe('Brief', () => {
		it('goes open, acknowledged, resolved; a resolved brief cannot be acknowledged again', async () => {
			const urgent = suite.sandbox.seedReport({ phone: CALLEE }).brief!;
			suite.sandbox.seedReport({ phone: OTHER, report: { urgency: 'medium' } });
			suite.sandbox.seedReport({ phone: OTHER, report: { briefWorthy: false } });

			const high = await run({ resource: 'brief', operation: 'getAll', returnAll: true, filters: { urgency: 'high', status: 'open' } });
			expect(high.json().map((brief) => brief.id)).toEqual([urgent.id]);

			expect((await run({ resource: 'brief', operation: 'acknowledge', briefId: urgent.id })).json()[0]).toMatchObject({ status: 'acknowledged', acknowledgedAt: expect.any(String) });
			expect((await run({ resource: 'brief', operation: 'resolve', briefId: urgent.id })).json()[0]).toMatchObject({ status: 'resolved' });
			expect((await run({ resource: 'brief', operation: 'resolve', briefId: urgent.id })).json()[0]).toMatchObject({ status: 'resolved' });
			const again = await run({ resource: 'brief', operation: 'acknowledge', briefId: urgent.id });
			expect(again.error?.message).toBe('AgentCall reported a conflict (brief_already_resolved)');

			const open = await run({ resource: 'brief', operation: 'getAll', returnAll: true, filters: { status: 'open' } });
			expect(open.json()).toEqual([expect.objectContaining({ urgency: 'medium' })]);
			const missing = await run({ resource: 'brief', operation: 'resolve', briefId: 'nope' });
			expect(missing.error?.message).toBe('The brief "nope" was not found in your AgentCall account');
		});
	});

	describe('Report', () => {
		it('filters reports by contact, intent, urgency and brief-worthiness', async () => {
			const a = suite.sandbox.seedReport({ phone: CALLEE, report: { intent: 'complaint', urgency: 'high' } });
			suite.sandbox.seedReport({ phone: OTHER, report: { intent: 'scheduling', urgency: 'low', briefWorthy: false } });
			suite.sandbox.seedReport({ phone: CALLEE, report: { intent: 'scheduling', urgency: 'medium' } });

			const ids = async (filters: IDataObject) =>
				(await run({ resource: 'report', operation: 'getAll', returnAll: true, filters })).json().map((report) => `${report.intent}/${report.urgency}`).sort();
			expect(await ids({})).toEqual(['complaint/high', 'scheduling/low', 'scheduling/medium']);
			expect(await ids({ contactId: a.contact.id })).toEqual(['complaint/high', 'scheduling/medium']);
			expect(await ids({ intent: 'scheduling' })).toEqual(['scheduling/low', 'scheduling/medium']);
			expect(await ids({ briefWorthy: false })).toEqual(['scheduling/low']);
			expect(await ids({ briefWorthy: true, urgency: 'high' })).toEqual(['complaint/high']);
			expect(suite.sandbox.requestLog().at(-1)?.query).toEqual({ briefWorthy: 'true', urgency: 'high', limit: '100' });

			const limited = await run({ resource: 'report', operation: 'getAll', returnAll: false, limit: 2 });
			expect(limited.json()).toHaveLength(2);
		});
	});
});
