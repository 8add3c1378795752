import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { NODE_TYPE } from '../harness/engine';
import { useEngineSuite } from '../harness/setup';
import { triggerNode, WebhookHost } from '../harness/triggers';
import { hmacHeader } from '../sandbox/helpers';

const byId = (value: string) => ({ __rl: true, mode: 'id', value });
const CALLEE = '+12125550142';
const PROMPT = 'You are Ava from Bright Dental. Confirm the appointment on Tuesday at 3 pm.';

/** The report's fields as §13.4 lists them: every item of Get Report and of the trigger has each one. */
const REPORT_FIELDS = [
	'summary', 'intent', 'urgency', 'spam', 'briefWorthy', 'entities', 'facts', 'preferences', 'decisions',
	'commitments', 'tasks', 'risks', 'unresolved', 'nextAction', 'nextCallContext', 'ownerBrief',
];

describe('AgentCall node: Call > Get Report, and the call.report.ready item', () => {
	// Time scale 0.01: a call ends ~80 ms after it starts; reportDelayMs is scaled too.
	const suite = useEngineSuite({ sandboxConfig: { timeScale: 0.01 } });
	let number: { id: string; number: string };

	const reportRequests = () =>
		suite.sandbox.requestLog().filter((entry) => entry.route === 'GET /v1/calls/:id/report').map((entry) => entry.status);

	/** An AI call, ended at once; its report becomes ready `reportDelayMs` (scaled) later. */
	async function endedAiCall(): Promise<string> {
		const started = await suite.engine.runNode({ resource: 'aiCall', operation: 'start', aiCallFrom: byId(number.id), aiCallTo: CALLEE, systemPrompt: PROMPT });
		expect(started.error).toBeUndefined();
		const id = started.json()[0].id as string;
		suite.sandbox.completeCall(id);
		suite.sandbox.clearRequestLog();
		return id;
	}

	const getReport = async (parameters: IDataObject, options: { items?: IDataObject[]; continueOnFail?: boolean } = {}) =>
		await suite.engine.runNode({ resource: 'call', operation: 'getReport', ...parameters }, options);

	beforeEach(async () => {
		number = (await suite.engine.runNode({ resource: 'phoneNumber', operation: 'provision', type: 'local' })).json()[0] as typeof number;
	});

	it('waits while AgentCall answers 202, then outputs the report as one flat item', async () => {
		// Ready 3 s after the call ends: the first request sees 202, a later one 200.
		suite.sandbox.setConfig({ reportDelayMs: 300_000 });
		const id = await endedAiCall();
		const result = await getReport({ callId: id, reportMaxWait: 30 });
		expect(result.error).toBeUndefined();
		const [item] = result.json();
		const statuses = reportRequests();
		expect(statuses[0]).toBe(202);
		expect(statuses[statuses.length - 1]).toBe(200);
		expect(item).toMatchObject({ callId: id, contactId: expect.any(String), ready: true, intent: 'scheduling', spam: false });
		for (const field of REPORT_FIELDS) expect(item).toHaveProperty(field);
		expect(item.facts).toEqual(expect.arrayContaining([expect.objectContaining({ text: expect.any(String) })]));
		expect(item).not.toHaveProperty('report');
		expect(item).not.toHaveProperty('status');
	});

	it.each(['payload', 'both'] as const)('reads the report from the deprecated "payload" alias too (reportField %s)', async (reportField) => {
		suite.sandbox.setConfig({ reportDelayMs: 0 });
		const id = await endedAiCall();
		const reference = (await getReport({ callId: id })).json()[0];
		suite.sandbox.setConfig({ reportField });
		const [item] = (await getReport({ callId: id })).json();
		expect(item).toEqual(reference);
		expect(item).not.toHaveProperty('payload');
		expect(typeof item.summary).toBe('string');
	});

	it('outputs a "ready": false item at once with Wait for Report off', async () => {
		suite.sandbox.setConfig({ reportDelayMs: 10_000_000 });
		const id = await endedAiCall();
		const result = await getReport({ callId: id, waitForReport: false });
		expect(result.error).toBeUndefined();
		expect(result.json()).toEqual([{ callId: id, ready: false, status: 'extracting', waitedSeconds: expect.any(Number) }]);
		expect(reportRequests()).toEqual([202]);
	});

	it('stops waiting at Max Wait with a "ready": false item, not an error', async () => {
		suite.sandbox.setConfig({ reportDelayMs: 10_000_000 });
		const id = await endedAiCall();
		const started = Date.now();
		const result = await getReport({ callId: id, reportMaxWait: 1 });
		expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
		expect(result.json()).toEqual([{ callId: id, ready: false, status: 'extracting', waitedSeconds: expect.any(Number) }]);
		expect(result.json()[0].waitedSeconds).toBeGreaterThanOrEqual(1);
		expect(reportRequests().every((status) => status === 202)).toBe(true);
	});

	it.each([
		[{ reportMaxWait: 0 }, '"Max Wait" is not valid'],
		[{ reportMaxWait: 301 }, '"Max Wait" is not valid'],
		[{ reportMaxWait: 'soon' }, '"Max Wait" is not valid'],
		[{ callId: 'abc/def' }, '"Call ID" is not valid'],
		[{ callId: '  ' }, '"Call ID" is not valid'],
	])('rejects bad input %j before any request', async (parameters, message) => {
		suite.sandbox.clearRequestLog();
		const result = await getReport({ callId: 'cmq7frsx3005dpe01xdmdleaj', ...parameters });
		expect(result.error?.message).toContain(message);
		expect(suite.sandbox.requestLog()).toEqual([]);
	});

	it('maps "no report" and "no such call", and with Continue On Fail goes on with the next item', async () => {
		suite.sandbox.setConfig({ reportDelayMs: 0 });
		const aiCall = await endedAiCall();
		const plain = await suite.engine.runNode({ resource: 'call', operation: 'make', callFrom: byId(number.id), callTo: CALLEE });
		const plainId = plain.json()[0].id as string;
		const result = await getReport(
			{ callId: '={{ $json.id }}' },
			{ items: [{ id: plainId }, { id: 'cmq7frsx3005dpe01xdmdleaj' }, { id: aiCall }], continueOnFail: true },
		);
		const items = result.items();
		expect(items).toHaveLength(3);
		expect(items[0].json.error).toBe(`The call "${plainId}" has no report`);
		expect(items[1].json.error).toBe('The call "cmq7frsx3005dpe01xdmdleaj" was not found in your AgentCall account');
		expect(items[2].json).toMatchObject({ callId: aiCall, ready: true });
		expect(result.serialized()).not.toContain(suite.sandbox.apiKey);
	});

	it('the AgentCall Trigger outputs call.report.ready in the same flat shape as Get Report', async () => {
		suite.sandbox.setConfig({ reportDelayMs: 0 });
		const host = new WebhookHost(suite.engine, triggerNode(NODE_TYPE.webhookTrigger, { events: ['call.report.ready'] } as INodeParameters));
		try {
			await host.listen();
			await host.activate();
			const id = await endedAiCall();
			const fromApi = (await getReport({ callId: id })).json()[0];
			expect(await suite.sandbox.settled()).toBe(true);
			const [item] = host.executions();
			expect(item).toEqual({ event: 'call.report.ready', timestamp: expect.any(String), ...fromApi });

			// An older delivery with the report under "payload" and the fields at the root reads the same.
			const secret = String(host.nodeState.secret);
			const raw = JSON.stringify({ event: 'call.report.ready', callId: 'call-old', contactId: 'ct-1', payload: { summary: 'Old shape', urgency: 'high' } });
			const delivery = await host.deliver(raw, { 'Content-Type': 'application/json', 'X-AgentCall-Signature': hmacHeader(secret, raw) });
			const [old] = delivery.items;
			expect(old).toMatchObject({ event: 'call.report.ready', callId: 'call-old', contactId: 'ct-1', ready: true, summary: 'Old shape', urgency: 'high', facts: [], nextAction: null });
			expect(old).not.toHaveProperty('payload');
		} finally {
			await host.close();
		}
	});
});
