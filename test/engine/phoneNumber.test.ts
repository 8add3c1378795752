import { useEngineSuite } from '../harness/setup';

const locator = (id: string) => ({ __rl: true, mode: 'id', value: id });

describe('AgentCall node: Phone Number', () => {
	const suite = useEngineSuite();

	it('provisions a number with type, country and label in the body', async () => {
		const result = await suite.engine.runNode({
			resource: 'phoneNumber',
			operation: 'provision',
			type: 'tollfree',
			additionalFields: { country: 'CA', label: 'QA line' },
		});
		expect(result.error).toBeUndefined();
		const [number] = result.json();
		expect(number).toMatchObject({ type: 'tollfree', label: 'QA line' });
		expect(number.number).toMatch(/^\+1\d{10}$/);
		expect(suite.sandbox.snapshot().numbers.map((n: { id: string }) => n.id)).toEqual([number.id]);
	});

	it('gets one number and releases it, answering with what happened', async () => {
		const created = await suite.engine.runNode({ resource: 'phoneNumber', operation: 'provision', type: 'local' });
		const id = created.json()[0].id as string;

		const got = await suite.engine.runNode({ resource: 'phoneNumber', operation: 'get', numberId: locator(id) });
		expect(got.json()).toEqual([expect.objectContaining({ id, type: 'local' })]);

		const released = await suite.engine.runNode({ resource: 'phoneNumber', operation: 'release', numberId: locator(id) });
		expect(released.json()).toEqual([{ id, released: true }]);
		expect(suite.sandbox.snapshot().numbers).toEqual([expect.objectContaining({ id, status: 'released' })]);
	});

	it('names the number in a 404 and keeps going per item with Continue On Fail', async () => {
		const created = await suite.engine.runNode({ resource: 'phoneNumber', operation: 'provision', type: 'local' });
		const id = created.json()[0].id as string;
		const result = await suite.engine.runNode(
			{ resource: 'phoneNumber', operation: 'get', numberId: locator('={{ $json.id }}') },
			{ items: [{ id: 'missing-number' }, { id }], continueOnFail: true },
		);
		const [first, second] = result.items();
		expect(first.json.error).toMatch(/The phone number "missing-number" was not found in your AgentCall account/);
		expect(second.json).toMatchObject({ id });
	});

	it('rejects an unusable ID before any request is sent', async () => {
		const result = await suite.engine.runNode({ resource: 'phoneNumber', operation: 'get', numberId: locator('a/b') });
		expect(result.error?.message).toMatch(/"Phone Number" is not valid: "a\/b"/);
		expect(suite.sandbox.requestLog()).toHaveLength(0);
	});

	describe('Get Many', () => {
		beforeEach(async () => {
			for (let i = 0; i < 5; i++) {
				await suite.engine.runNode({ resource: 'phoneNumber', operation: 'provision', type: i % 2 ? 'mobile' : 'local' });
			}
			suite.sandbox.clearRequestLog();
		});

		it('caps results at Limit and sends the filters', async () => {
			const result = await suite.engine.runNode({
				resource: 'phoneNumber',
				operation: 'getAll',
				limit: 2,
				filters: { type: 'local' },
			});
			expect(result.json()).toHaveLength(2);
			expect(result.json().every((n) => n.type === 'local')).toBe(true);
			expect(suite.sandbox.requestLog()[0].query).toMatchObject({ limit: '2', type: 'local' });
		});

		it('follows cursors with Return All when the API pages', async () => {
			suite.sandbox.setConfig({ pagination: 'cursor', listLimitDefault: 2, listLimitMax: 2 });
			const result = await suite.engine.runNode({ resource: 'phoneNumber', operation: 'getAll', returnAll: true });
			const ids = result.json().map((n) => n.id);
			expect(ids).toHaveLength(5);
			expect(new Set(ids).size).toBe(5);
			expect(suite.sandbox.requestLog().length).toBe(3);
		});

		it.each(['data', 'numbers', 'bare'] as const)('reads the list whichever wrapper the API uses (%s)', async (wrapper) => {
			suite.sandbox.setConfig({ listWrappers: { numbers: wrapper } });
			const result = await suite.engine.runNode({ resource: 'phoneNumber', operation: 'getAll', returnAll: true });
			expect(result.json()).toHaveLength(5);
		});
	});

	it('lists numbers for the picker as "Label (+E.164)", filtered as the user types', async () => {
		await suite.engine.runNode({ resource: 'phoneNumber', operation: 'provision', type: 'local', additionalFields: { label: 'Support line' } });
		await suite.engine.runNode({ resource: 'phoneNumber', operation: 'provision', type: 'mobile' });
		const all = await suite.engine.listSearch('searchPhoneNumbers');
		expect(all.results).toHaveLength(2);
		const labelled = all.results.find((result) => result.name.startsWith('Support line'));
		expect(labelled?.name).toMatch(/^Support line \(\+1\d{10}\)$/);
		expect(await suite.engine.listSearch('searchPhoneNumbers', 'support')).toEqual({ results: [labelled] });
		const digits = String(labelled?.name.match(/\+1(\d{10})/)?.[1]);
		const typed = `(${digits.slice(0, 3)}) ${digits.slice(3, 6)}-${digits.slice(6)}`;
		expect((await suite.engine.listSearch('searchPhoneNumbers', typed)).results).toEqual([labelled]);
	});

	it('never shows the API key in outputs or errors', async () => {
		suite.engine.useCredentials({ ...suite.credentials, apiKey: 'ac_live_secret_that_must_not_leak' });
		const result = await suite.engine.runNode({ resource: 'phoneNumber', operation: 'getAll', limit: 5 }, { continueOnFail: true });
		expect(result.json()[0].error).toMatch(/AgentCall rejected the API key/);
		expect(result.serialized()).not.toContain('ac_live_secret_that_must_not_leak');
	});
});
