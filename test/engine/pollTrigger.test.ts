import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { NODE_TYPE } from '../harness/engine';
import { useEngineSuite } from '../harness/setup';
import { locator, nodeLogger, nodeState, pollOnce, restart, triggerNode } from '../harness/triggers';
import { client, provision, sleep } from '../sandbox/helpers';

const SENDER = '+12125550199';

describe('AgentCall SMS Trigger (polling)', () => {
	const suite = useEngineSuite();
	const api = () => client(suite.sandbox.url, suite.sandbox.apiKey);

	const number = async () => await provision(api());
	const inject = (to: string, bodies: string[], from = SENDER) => bodies.map((body) => suite.sandbox.injectSms({ to, from, body }));
	const seq = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);
	const inboxRequests = () => suite.sandbox.requestLog().filter((entry) => entry.path.startsWith('/v1/sms/inbox/'));

	function setup(parameters: INodeParameters) {
		return suite.engine.workflow([triggerNode(NODE_TYPE.pollTrigger, parameters)], {}, { active: true, staticData: {} });
	}
	async function poll(workflow: ReturnType<typeof setup>, options: { mode?: 'trigger' | 'manual'; budgetMs?: number } = {}) {
		const result = await pollOnce(suite.engine, workflow, 'Trigger', options);
		return result === null ? null : result[0].map((item) => item.json);
	}
	const bodies = (items: IDataObject[] | null) => (items ?? []).map((item) => item.body);

	it('loads as a polling trigger with its codex, and its subtitle names what it watches', () => {
		const { description } = suite.engine.nodeTypes.getByNameAndVersion(NODE_TYPE.pollTrigger, 1);
		expect(description).toMatchObject({ displayName: 'AgentCall SMS Trigger', group: ['trigger'], inputs: [], polling: true });
		expect(description.usableAsTool).toBeUndefined();
		expect(description.codex).toMatchObject({ categories: ['Communication'] });
		const workflow = setup({ watch: 'numbers', numberIds: [] });
		const node = workflow.getNode('Trigger')!;
		expect(workflow.expression.getSimpleParameterValue(node, description.subtitle!, 'internal', {})).toBe('Several numbers');
	});

	it('records a baseline, then emits each new message once, oldest first, in the stable shape', async () => {
		const n = await number();
		inject(n.id, ['old 1', 'old 2']);
		const workflow = setup({ watch: 'number', numberId: locator(n.id) });

		expect(await poll(workflow)).toBeNull();
		const sent = inject(n.id, ['new 1', 'new 2', 'new 3']);
		const items = await poll(workflow);
		expect(bodies(items)).toEqual(['new 1', 'new 2', 'new 3']);
		expect(items![0]).toEqual(
			expect.objectContaining({ id: sent[0].id, numberId: n.id, from: SENDER, to: n.number, body: 'new 1', otp: null, receivedAt: sent[0].receivedAt }),
		);
		expect(await poll(workflow)).toBeNull();
	});

	it('makes one request per watched number on an idle poll and keeps its state bounded', async () => {
		suite.sandbox.setConfig({ listLimitMax: 1000 });
		const n = await number();
		const workflow = setup({ watch: 'number', numberId: locator(n.id) });
		await poll(workflow);
		inject(n.id, seq('m', 150));
		expect(bodies(await poll(workflow))).toEqual(seq('m', 150));
		suite.sandbox.clearRequestLog();
		expect(await poll(workflow)).toBeNull();
		expect(inboxRequests()).toHaveLength(1);
		expect(inboxRequests()[0].query).toMatchObject({ limit: '100' });
		const state = nodeState(workflow);
		expect((state.numbers as Array<{ seen: unknown[] }>)[0].seen.length).toBeLessThanOrEqual(100);
	});

	it('pages back through a burst of 3 pages with the cursor, without loss or duplicates', async () => {
		suite.sandbox.setConfig({ pagination: 'cursor' });
		const n = await number();
		inject(n.id, ['before']);
		const workflow = setup({ watch: 'number', numberId: locator(n.id) });
		await poll(workflow);
		inject(n.id, seq('b', 300));
		suite.sandbox.clearRequestLog();
		expect(bodies(await poll(workflow))).toEqual(seq('b', 300));
		expect(inboxRequests().map((entry) => Boolean(entry.query.cursor))).toEqual([false, true, true, true]);
		expect(await poll(workflow)).toBeNull();
	});

	it('follows the cursor when the API serves shorter pages than asked for', async () => {
		suite.sandbox.setConfig({ pagination: 'cursor', listLimitMax: 10 });
		const n = await number();
		const workflow = setup({ watch: 'number', numberId: locator(n.id) });
		await poll(workflow);
		inject(n.id, seq('c', 30));
		expect(bodies(await poll(workflow))).toEqual(seq('c', 30));
		expect(await poll(workflow)).toBeNull();
	});

	it('without a cursor, re-reads a burst with one wider page when the API allows it', async () => {
		suite.sandbox.setConfig({ listLimitMax: 1000 });
		const n = await number();
		inject(n.id, ['before']);
		const workflow = setup({ watch: 'number', numberId: locator(n.id) });
		await poll(workflow);
		inject(n.id, seq('w', 300));
		suite.sandbox.clearRequestLog();
		expect(bodies(await poll(workflow))).toEqual(seq('w', 300));
		expect(inboxRequests().map((entry) => entry.query.limit)).toEqual(['100', '1000']);
	});

	it.each([
		['clamps', 'clamp'],
		['rejects', 'reject'],
	])('without a cursor and when the API %s wider pages, emits the newest page, warns, and never repeats', async (_label, overMax) => {
		suite.sandbox.setConfig({ listLimitOverMax: overMax as 'clamp' | 'reject' });
		const n = await number();
		inject(n.id, ['before']);
		const workflow = setup({ watch: 'number', numberId: locator(n.id) });
		await poll(workflow);
		inject(n.id, seq('x', 300));
		const warn = jest.spyOn(nodeLogger(suite.engine, workflow), 'warn').mockImplementation(() => undefined);
		const items = await poll(workflow);
		expect(bodies(items)).toEqual(seq('x', 300).slice(200));
		expect(warn).toHaveBeenCalledWith(expect.stringContaining(`more messages arrived on number ${n.id}`), { numberId: n.id });
		warn.mockRestore();
		expect(await poll(workflow)).toBeNull();
		inject(n.id, ['after']);
		expect(bodies(await poll(workflow))).toEqual(['after']);
	});

	it('survives a restart from the saved state: nothing old again, new ones once', async () => {
		const n = await number();
		inject(n.id, ['a']);
		const first = setup({ watch: 'number', numberId: locator(n.id) });
		await poll(first);
		inject(n.id, ['b']);
		expect(bodies(await poll(first))).toEqual(['b']);

		const second = restart(suite.engine, first);
		expect(await poll(second)).toBeNull();
		inject(n.id, ['c']);
		expect(bodies(await poll(second))).toEqual(['c']);
		expect(await poll(second)).toBeNull();
	});

	it('Fetch Test Event returns the newest message and leaves the state alone', async () => {
		const n = await number();
		const workflow = setup({ watch: 'number', numberId: locator(n.id, 'Support line') });
		await expect(poll(workflow, { mode: 'manual' })).rejects.toThrow('No messages yet on Support line');

		inject(n.id, ['one']);
		await poll(workflow);
		inject(n.id, ['two', 'three']);
		const before = JSON.stringify(nodeState(workflow));
		expect(bodies(await poll(workflow, { mode: 'manual' }))).toEqual(['three']);
		expect(JSON.stringify(nodeState(workflow))).toBe(before);
		expect(bodies(await poll(workflow))).toEqual(['two', 'three']);
	});

	it('OTP Only asks the API for codes and emits only messages with one', async () => {
		const n = await number();
		const workflow = setup({ watch: 'number', numberId: locator(n.id), options: { otpOnly: true } });
		await poll(workflow);
		inject(n.id, ['hello there', 'Your code is 482913', 'bye']);
		suite.sandbox.clearRequestLog();
		const items = await poll(workflow);
		expect(items).toEqual([expect.objectContaining({ body: 'Your code is 482913', otp: '482913' })]);
		expect(inboxRequests()[0].query).toMatchObject({ otpOnly: 'true' });
		// Switching OTP Only off starts a new baseline: the skipped messages do not flood in.
		workflow.getNode('Trigger')!.parameters.options = {};
		expect(await poll(workflow)).toBeNull();
		inject(n.id, ['plain text']);
		expect(bodies(await poll(workflow))).toEqual(['plain text']);
	});

	it('filters by sender: exact numbers in any format, or a part of the number', async () => {
		const n = await number();
		const exact = setup({ watch: 'number', numberId: locator(n.id), options: { senders: '(628) 555-0101, +1 212 555 0100' } });
		const partial = setup({ watch: 'number', numberId: locator(n.id), options: { senders: '0199', senderMatch: 'contains' } });
		await poll(exact);
		await poll(partial);
		inject(n.id, ['from 0101'], '+16285550101');
		inject(n.id, ['from 0199'], SENDER);
		inject(n.id, ['from 0100'], '+12125550100');
		expect(bodies(await poll(exact))).toEqual(['from 0101', 'from 0100']);
		expect(bodies(await poll(partial))).toEqual(['from 0199']);
		expect(await poll(exact)).toBeNull();
	});

	it('watches several numbers and merges their messages in arrival order', async () => {
		const a = await number();
		const b = await number();
		const workflow = setup({ watch: 'numbers', numberIds: [a.id, b.id] });
		await poll(workflow);
		inject(a.id, ['a1']);
		await sleep(3);
		inject(b.id, ['b1']);
		await sleep(3);
		inject(a.id, ['a2']);
		suite.sandbox.clearRequestLog();
		const items = await poll(workflow);
		expect(items!.map((item) => [item.body, item.numberId])).toEqual([
			['a1', a.id],
			['b1', b.id],
			['a2', a.id],
		]);
		expect(inboxRequests()).toHaveLength(2);
	});

	it('watches all numbers, reuses the number list, and reports everything on a number added later', async () => {
		const a = await number();
		inject(a.id, ['old']);
		const workflow = setup({ watch: 'all' });
		expect(await poll(workflow)).toBeNull();
		inject(a.id, ['a new']);
		suite.sandbox.clearRequestLog();
		expect(bodies(await poll(workflow))).toEqual(['a new']);
		expect(suite.sandbox.requestLog().map((entry) => entry.path)).toEqual([`/v1/sms/inbox/${a.id}`]);

		const c = await number();
		inject(c.id, ['c first', 'c second']);
		const later = restart(suite.engine, workflow, (staticData) => {
			(staticData['node:Trigger'] as IDataObject).listedAt = 0;
		});
		expect(bodies(await poll(later))).toEqual(['c first', 'c second']);
		suite.sandbox.clearRequestLog();
		expect(await poll(later)).toBeNull();
		expect(suite.sandbox.requestLog().map((entry) => entry.path).sort()).toEqual([`/v1/sms/inbox/${a.id}`, `/v1/sms/inbox/${c.id}`].sort());
	});

	it.each([
		['data wrapper', { listWrappers: { inbox: 'data' } }],
		['bare array', { listWrappers: { inbox: 'bare' } }],
		['createdAt only', { messageTimestamps: 'createdAt' }],
		['receivedAt only, no otp field', { messageTimestamps: 'receivedAt', messageOtpField: false }],
		['oldest first', { listOrder: 'oldest' }],
	])('reads the inbox in every shape the API may use (%s)', async (_label, config) => {
		suite.sandbox.setConfig(config as Record<string, unknown>);
		const n = await number();
		inject(n.id, ['old']);
		const workflow = setup({ watch: 'number', numberId: locator(n.id) });
		await poll(workflow);
		for (const body of ['s1', 's2', 's3']) {
			inject(n.id, [body]);
			await sleep(2);
		}
		const items = await poll(workflow);
		expect(bodies(items)).toEqual(['s1', 's2', 's3']);
		expect(items![0]).toEqual(expect.objectContaining({ numberId: n.id, otp: null, receivedAt: expect.stringMatching(/^\d{4}-/) }));
		expect(await poll(workflow)).toBeNull();
	});

	it('oldest-first lists with a cursor: resumes where it stopped, also when the poll budget runs out', async () => {
		suite.sandbox.setConfig({ listOrder: 'oldest', pagination: 'cursor', listLimitMax: 10 });
		const n = await number();
		// The order is read from the timestamps, so the history before activation needs distinct ones.
		for (const body of seq('o', 25)) {
			inject(n.id, [body]);
			await sleep(2);
		}
		const workflow = setup({ watch: 'number', numberId: locator(n.id) });
		// A baseline cut short by the budget goes on recording at the next polls, reporting nothing.
		const pending = () => (nodeState(workflow).numbers as Array<{ pending?: boolean }>)[0].pending === true;
		expect(await poll(workflow, { budgetMs: 0 })).toBeNull();
		expect(pending()).toBe(true);
		for (let i = 0; i < 5 && pending(); i++) expect(await poll(workflow, { budgetMs: 0 })).toBeNull();
		expect(pending()).toBe(false);
		inject(n.id, seq('n', 25));
		const first = bodies(await poll(workflow, { budgetMs: 0 }));
		expect(first.length).toBeGreaterThan(0);
		const rest: unknown[] = [];
		for (let i = 0; i < 10 && rest.length + first.length < 25; i++) rest.push(...bodies(await poll(workflow, { budgetMs: 0 })));
		expect([...first, ...rest]).toEqual(seq('n', 25));
		suite.sandbox.clearRequestLog();
		expect(await poll(workflow)).toBeNull();
		expect(inboxRequests()).toHaveLength(1);
	});

	it('stops paging when the poll budget is spent, emits what it read, and moves on', async () => {
		suite.sandbox.setConfig({ pagination: 'cursor', listLimitMax: 10 });
		const n = await number();
		inject(n.id, ['before']);
		const workflow = setup({ watch: 'number', numberId: locator(n.id) });
		await poll(workflow);
		inject(n.id, seq('t', 30));
		suite.sandbox.clearRequestLog();
		const warn = jest.spyOn(nodeLogger(suite.engine, workflow), 'warn').mockImplementation(() => undefined);
		expect(bodies(await poll(workflow, { budgetMs: 0 }))).toEqual(seq('t', 30).slice(20));
		expect(inboxRequests()).toHaveLength(1);
		expect(warn).toHaveBeenCalledWith(expect.stringContaining('the oldest of them were skipped'), { numberId: n.id });
		warn.mockRestore();
		expect(await poll(workflow)).toBeNull();
	});

	it('names a missing number in a clear error', async () => {
		const workflow = setup({ watch: 'number', numberId: locator('gone-number') });
		await expect(poll(workflow)).rejects.toThrow('The phone number "gone-number" was not found in your AgentCall account');
		expect(nodeState(workflow)).toEqual({});
	});
});
