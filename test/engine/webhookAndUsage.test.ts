import { useEngineSuite } from '../harness/setup';

describe('AgentCall node: Webhook', () => {
	const suite = useEngineSuite();

	const register = async (url = 'https://example.com/hook', events = ['sms.inbound', 'call.status']) =>
		await suite.engine.runNode({ resource: 'webhook', operation: 'register', url, events });

	it('registers a webhook and shows its signing secret once', async () => {
		const result = await register(' https://example.com/hook ');
		const [hook] = result.json();
		expect(hook).toMatchObject({ url: 'https://example.com/hook', events: ['sms.inbound', 'call.status'] });
		expect(hook.secret).toEqual(expect.any(String));
		expect(hook.secret).toBe(suite.sandbox.webhookSecret(hook.id as string));

		const listed = await suite.engine.runNode({ resource: 'webhook', operation: 'getAll', returnAll: true });
		expect(listed.json()).toEqual([expect.objectContaining({ id: hook.id, url: 'https://example.com/hook' })]);
		expect(listed.json()[0].secret).toBeUndefined();
	});

	it('rejects a URL that is not http(s) and an empty event list before any request', async () => {
		const badUrl = await register('ftp://example.com');
		expect(badUrl.error?.message).toMatch(/"URL" is not valid: "ftp:\/\/example.com"/);
		// An empty list typed in the editor is caught by n8n itself; one from an expression reaches us.
		const noEvents = await suite.engine.runNode({ resource: 'webhook', operation: 'register', url: 'https://example.com/hook', events: '={{ [] }}' });
		expect(noEvents.error?.message).toMatch(/"Events" is empty/);
		expect(suite.sandbox.requestLog()).toHaveLength(0);
	});

	it('rotates a secret: the new one is returned and the old one is gone', async () => {
		const hook = (await register()).json()[0] as { id: string; secret: string };
		const rotated = await suite.engine.runNode({ resource: 'webhook', operation: 'rotateSecret', webhookId: hook.id });
		const [answer] = rotated.json();
		expect(answer.id).toBe(hook.id);
		expect(answer.secret).toEqual(expect.any(String));
		expect(answer.secret).not.toBe(hook.secret);
		expect(suite.sandbox.webhookSecret(hook.id as string)).toBe(answer.secret);
	});

	it('deletes a webhook and says so, and a second delete names the missing webhook', async () => {
		const hook = (await register()).json()[0] as { id: string; secret: string };
		const deleted = await suite.engine.runNode({ resource: 'webhook', operation: 'delete', webhookId: hook.id });
		expect(deleted.json()).toEqual([{ id: hook.id, deleted: true }]);
		expect(suite.sandbox.snapshot().webhooks).toHaveLength(0);

		const again = await suite.engine.runNode({ resource: 'webhook', operation: 'delete', webhookId: hook.id });
		expect(again.error?.message).toBe(`The webhook "${hook.id}" was not found in your AgentCall account`);
	});

	it('reads the deleted webhook from a 200 reply too', async () => {
		suite.sandbox.setConfig({ deleteReply: '200' });
		const hook = (await register()).json()[0] as { id: string; secret: string };
		const deleted = await suite.engine.runNode({ resource: 'webhook', operation: 'delete', webhookId: hook.id });
		expect(deleted.json()[0]).toMatchObject({ id: hook.id, deleted: true });
	});
});

describe('AgentCall node: Usage', () => {
	const suite = useEngineSuite();

	it('reports the current month by default, from real activity', async () => {
		await suite.engine.runNode({ resource: 'phoneNumber', operation: 'provision', type: 'local' });
		suite.sandbox.clearRequestLog();
		const result = await suite.engine.runNode({ resource: 'usage', operation: 'get' });
		const [usage] = result.json();
		const month = new Date().toISOString().slice(0, 7);
		expect(suite.sandbox.requestLog()[0].query).toEqual({ period: month });
		expect(usage).toMatchObject({ period: month });
		expect(usage.breakdown).toEqual(expect.objectContaining({ numbers: expect.objectContaining({ cost: 2 }) }));
		expect(usage.total).toBeGreaterThanOrEqual(2);
	});

	it('asks for the given month', async () => {
		const result = await suite.engine.runNode({ resource: 'usage', operation: 'get', period: '2026-01' });
		expect(result.json()[0]).toMatchObject({ period: '2026-01', total: 0 });
	});

	it.each(['2026-13', '26-01', 'November'])('rejects the period %p before any request', async (period) => {
		const result = await suite.engine.runNode({ resource: 'usage', operation: 'get', period });
		expect(result.error?.message).toContain(`"Period" is not valid: "${period}"`);
		expect(suite.sandbox.requestLog()).toHaveLength(0);
	});
});
