import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { useEngineSuite } from '../harness/setup';
import { triggerNode, WebhookHost } from '../harness/triggers';
import { client, hmacHeader, sleep } from '../sandbox/helpers';

/**
 * The Phone Agent Trigger through n8n-core's hook and webhook contexts against the sandbox:
 * wiring into a number's inbound AI config and unwiring exactly what it added, signature checks,
 * and the item each kind starts the workflow with. Answers in time are proven in real n8n
 * (test/e2e/agent-trigger.e2e.test.ts); here the response n8n would write is written by hand.
 */

const TYPE = 'n8n-nodes-agentcall.agentCallAgentTrigger';
const CALLER = '+13105550177';

const CHECK_CALENDAR = {
	name: 'check_calendar',
	description: 'Finds free slots on a day',
	parameters: { parameter: [{ name: 'date', type: 'string', description: 'YYYY-MM-DD', required: true }] },
};
const BOOK_SLOT = {
	name: 'book_slot',
	description: 'Books a slot',
	parameters: {
		parameter: [
			{ name: 'time', type: 'string', description: 'HH:MM', required: true },
			{ name: 'guests', type: 'integer', description: '', required: false },
		],
	},
};

/** A signing secret other systems gave the number (built, so no literal looks like a real secret). */
const keyOf = (tag: string) => `${tag}-0123456789abcdef`;

/** Another system's setup on the number, with secrets of its own that must survive. */
const OTHERS = {
	mode: 'ai',
	systemPrompt: 'You are Ava, the receptionist of Bright Smile Dental.',
	voice: 'coral',
	language: 'en',
	firstMessage: 'Bright Smile Dental, this is Ava.',
	notify: { emailTo: 'owner@brightsmile.example' },
	allowedSenders: ['+12125550100'],
	contextWebhook: { url: 'https://crm.example/context', signingSecret: keyOf('crm-context'), timeoutMs: 900 },
	agentWebhook: { url: 'https://sms.example/relay', signingSecret: keyOf('sms-relay') },
	smsMode: 'relay',
};

describe('AgentCall Phone Agent Trigger (engine)', () => {
	const suite = useEngineSuite();
	const hosts: WebhookHost[] = [];
	let numberId: string;

	beforeEach(async () => {
		const { data } = await client(suite.sandbox.url, suite.sandbox.apiKey).post('/v1/numbers/provision', { type: 'local', label: 'Front desk' });
		numberId = String(data.id);
	});
	afterEach(async () => {
		await Promise.all(hosts.splice(0).map(async (host) => await host.close()));
	});

	function host(parameters: INodeParameters) {
		const created = new WebhookHost(suite.engine, triggerNode(TYPE, { agentNumberId: numberId, ...parameters }));
		hosts.push(created);
		return created;
	}
	const stored = () => JSON.parse(JSON.stringify(suite.sandbox.inboundConfig(numberId))) as IDataObject;
	const configWrites = () => suite.sandbox.requestLog().filter((entry) => entry.method === 'POST' && entry.path.endsWith('/inbound-config'));
	const signed = (h: WebhookHost, body: IDataObject) => {
		const raw = JSON.stringify(body);
		return h.deliver(raw, { 'content-type': 'application/json', 'x-agentcall-signature': hmacHeader(String(h.nodeState.secret), raw) });
	};

	it('loads as a webhook trigger answering from the last node, relayed texts at once', () => {
		const { description } = suite.engine.nodeTypes.getByNameAndVersion(TYPE, 1);
		expect(description).toMatchObject({ displayName: 'AgentCall Phone Agent Trigger', group: ['trigger'], inputs: [] });
		expect(description.webhooks).toEqual([
			{ name: 'default', httpMethod: 'POST', responseMode: '={{ $parameter["kind"] === "smsRelay" ? "onReceived" : "lastNode" }}', responseData: 'firstEntryJson', path: 'webhook' },
		]);
		const kind = description.properties.find((property) => property.name === 'kind');
		expect(kind?.options?.map((option) => ('value' in option ? option.value : ''))).toEqual(['toolCall', 'callerContext', 'smsRelay']);
	});

	describe('wiring', () => {
		it('Tool Call adds its URL, a fresh secret and the declared tools, keeps everything else, and removes exactly that again', async () => {
			suite.sandbox.configureInbound(numberId, OTHERS);
			const before = stored();
			const h = host({ kind: 'toolCall', tools: { tool: [CHECK_CALENDAR, BOOK_SLOT] } });
			expect(await h.activate()).toEqual({ existed: false });

			const after = stored();
			const secret = String(h.nodeState.secret);
			expect(secret).toMatch(/^[0-9a-f]{64}$/);
			expect(after.actionWebhook).toEqual({ url: h.url, signingSecret: secret });
			expect(after.tools).toEqual([
				{
					name: 'check_calendar',
					description: 'Finds free slots on a day',
					parameters: { type: 'object', properties: { date: { type: 'string', description: 'YYYY-MM-DD' } }, required: ['date'] },
				},
				{
					name: 'book_slot',
					description: 'Books a slot',
					parameters: { type: 'object', properties: { time: { type: 'string', description: 'HH:MM' }, guests: { type: 'integer' } }, required: ['time'] },
				},
			]);
			// Everything else, the other blocks' secrets included, is as it was.
			expect({ ...after, actionWebhook: null, tools: [] }).toEqual(before);
			expect(after.contextWebhook).toEqual(OTHERS.contextWebhook);
			expect(after.agentWebhook).toEqual(OTHERS.agentWebhook);

			// Found again without a write; deactivation restores the config as it was.
			expect(await h.activate()).toEqual({ existed: true });
			expect(configWrites()).toHaveLength(1);
			expect(await h.deactivate()).toBe(true);
			expect(stored()).toEqual(before);
			expect(h.nodeState.secret).toBeUndefined();
		});

		it('Caller Context sets its block with the timeout and a source that reads it; SMS Relay switches relay on; both undo it', async () => {
			suite.sandbox.configureInbound(numberId, { mode: 'ai', systemPrompt: 'You are Ava.', smsMode: 'ai' });
			const before = stored();
			expect(before.contextSource).toBe('none');

			const context = host({ kind: 'callerContext', contextTimeoutMs: 1200 });
			await context.activate();
			expect(stored()).toMatchObject({ contextSource: 'webhook', contextWebhook: { url: context.url, signingSecret: context.nodeState.secret, timeoutMs: 1200 } });

			const relay = host({ kind: 'smsRelay' });
			await relay.activate();
			expect(stored()).toMatchObject({ smsMode: 'relay', agentWebhook: { url: relay.url, signingSecret: relay.nodeState.secret }, contextWebhook: { url: context.url } });
			expect(relay.nodeState.secret).not.toBe(context.nodeState.secret);

			await context.deactivate();
			expect(stored()).toMatchObject({ contextSource: 'none', contextWebhook: null, smsMode: 'relay', agentWebhook: { signingSecret: relay.nodeState.secret } });
			await relay.deactivate();
			expect(stored()).toEqual(before);
		});

		it('two triggers on one number activated at once both end up wired (n8n activates a workflow\'s triggers concurrently)', async () => {
			suite.sandbox.configureInbound(numberId, { mode: 'ai', systemPrompt: 'You are Ava.' });
			const tools = host({ kind: 'toolCall', tools: { tool: [CHECK_CALENDAR] } });
			const context = host({ kind: 'callerContext' });
			await Promise.all([tools.activate(), context.activate()]);
			expect(stored()).toMatchObject({ actionWebhook: { url: tools.url }, contextWebhook: { url: context.url }, tools: [{ name: 'check_calendar' }] });
			await Promise.all([tools.deactivate(), context.deactivate()]);
			expect(stored()).toMatchObject({ actionWebhook: null, contextWebhook: null, tools: [] });
		});

		it('re-wires when the declared tools change, leaving no old tool behind', async () => {
			suite.sandbox.configureInbound(numberId, OTHERS);
			const h = host({ kind: 'toolCall', tools: { tool: [CHECK_CALENDAR, BOOK_SLOT] } });
			await h.activate();
			const firstSecret = h.nodeState.secret;
			h.node.parameters.tools = { tool: [CHECK_CALENDAR] };
			expect(await h.activate()).toEqual({ existed: false });
			expect((stored().tools as IDataObject[]).map((tool) => tool.name)).toEqual(['check_calendar']);
			expect(stored().actionWebhook).toEqual({ url: h.url, signingSecret: h.nodeState.secret });
			expect(h.nodeState.secret).not.toBe(firstSecret);
		});

		it('wires again when the block was removed in AgentCall, and unwiring a number without config succeeds', async () => {
			suite.sandbox.configureInbound(numberId, OTHERS);
			const h = host({ kind: 'toolCall', tools: { tool: [CHECK_CALENDAR] } });
			await h.activate();
			suite.sandbox.configureInbound(numberId, { actionWebhook: null, tools: [] });
			expect(await h.activate()).toEqual({ existed: false });
			expect(stored()).toMatchObject({ actionWebhook: { url: h.url, signingSecret: h.nodeState.secret }, tools: [{ name: 'check_calendar' }] });
			suite.sandbox.configureInbound(numberId, { mode: null });
			expect(await h.deactivate()).toBe(true);
			expect(suite.sandbox.inboundConfig(numberId)).toBeNull();
		});

		it('refuses clearly, writing nothing: no inbound AI, another URL for the block, too many tools, a bad tool name', async () => {
			const h = host({ kind: 'toolCall', tools: { tool: [CHECK_CALENDAR] } });
			await expect(h.activate()).rejects.toThrow('This number has no inbound AI set up yet');

			suite.sandbox.configureInbound(numberId, { ...OTHERS, actionWebhook: { url: 'https://other.example/tools', signingSecret: keyOf('other-tools') }, tools: [{ name: 'lookup' }] });
			await expect(h.activate()).rejects.toThrow('This number already sends its tool calls to another URL');

			const many = Array.from({ length: 9 }, (_, index) => ({ ...CHECK_CALENDAR, name: `tool_${index}` }));
			await expect(host({ kind: 'toolCall', tools: { tool: many } }).activate()).rejects.toThrow('AgentCall takes at most 8 tools per number; 9 are declared');
			await expect(host({ kind: 'toolCall', tools: { tool: [{ ...CHECK_CALENDAR, name: 'check calendar' }] } }).activate()).rejects.toThrow(
				'Tool 1 ("check calendar") needs a name of letters, digits, _ or - (at most 64)',
			);
			expect(configWrites()).toEqual([]);
			expect(stored().actionWebhook).toEqual({ url: 'https://other.example/tools', signingSecret: keyOf('other-tools') });
		});
	});

	describe('call-outs', () => {
		beforeEach(() => suite.sandbox.configureInbound(numberId, { mode: 'ai', systemPrompt: 'You are Ava.' }));

		it('refuses forged, missing and foreign-secret signatures with 401 and starts nothing', async () => {
			const h = host({ kind: 'toolCall', tools: { tool: [CHECK_CALENDAR] } });
			await h.activate();
			const raw = JSON.stringify({ tool: 'check_calendar', arguments: { date: '2026-12-01' }, context: {} });
			for (const signature of [undefined, 'sha256=' + '0'.repeat(64), hmacHeader(OTHERS.contextWebhook.signingSecret, raw), hmacHeader(String(h.nodeState.secret), raw + ' ')]) {
				const delivery = await h.deliver(raw, { 'content-type': 'application/json', 'x-agentcall-signature': signature });
				expect(delivery.status).toBe(401);
				expect(delivery.result.workflowData).toBeUndefined();
			}
		});

		it('Tool Call starts the run with { tool, args, context } and answers { result } from the last node', async () => {
			const h = host({ kind: 'toolCall', tools: { tool: [CHECK_CALENDAR] } });
			await h.activate();
			const context = { channel: 'voice', callId: 'call_1', contact: { phone: CALLER } };
			const delivery = await signed(h, { tool: 'check_calendar', arguments: '{"date":"2026-12-01"}', context });
			expect(delivery.items).toEqual([{ tool: 'check_calendar', args: { date: '2026-12-01' }, context }]);
			// What n8n writes when the last node finishes: its first item.
			delivery.response.status(200).json({ result: 'Free at 09:00 and 11:30', other: 1 });
			expect(JSON.parse(String(delivery.response.body))).toEqual({ result: 'Free at 09:00 and 11:30' });
			// A late second write (n8n after the fallback) changes nothing.
			delivery.response.status(500).json({ message: 'Error in workflow' });
			expect(JSON.parse(String(delivery.response.body))).toEqual({ result: 'Free at 09:00 and 11:30' });
		});

		it('Caller Context starts the run with the caller\'s phone and answers empty when the run fails or is too slow', async () => {
			const h = host({ kind: 'callerContext', contextTimeoutMs: 400 });
			await h.activate();
			const failed = await signed(h, { caller: CALLER, numberId, callId: 'call_2', timestamp: '2026-12-01T09:00:00.000Z' });
			expect(failed.items).toEqual([{ callerPhone: CALLER, numberId, callId: 'call_2', timestamp: '2026-12-01T09:00:00.000Z' }]);
			failed.response.status(500).json({ message: 'Error in workflow' });
			expect(JSON.parse(String(failed.response.body))).toEqual({ contextBlock: '' });

			const slow = await signed(h, { caller: CALLER, numberId, callId: 'call_3' });
			const started = Date.now();
			while (slow.response.body === undefined && Date.now() - started < 5000) await sleep(10);
			// 400 ms less the margin kept for the network (a quarter, at most 250 ms).
			expect(Date.now() - started).toBeLessThan(1000);
			expect(JSON.parse(String(slow.response.body))).toEqual({ contextBlock: '' });
			slow.response.json({ contextBlock: 'Too late' });
			expect(JSON.parse(String(slow.response.body))).toEqual({ contextBlock: '' });
		});

		it('SMS Relay acknowledges at once and starts one run per message, however often it is pushed', async () => {
			const h = host({ kind: 'smsRelay' });
			await h.activate();
			const push = {
				message: { id: 'msg_1', from: CALLER, to: '+14155550100', body: 'Can I come at 3?', receivedAt: '2026-12-01T09:00:00.000Z' },
				conversation: { id: 'conv_1', contactPhone: CALLER },
				context: { channel: 'sms', numberId, agentId: null },
			};
			const first = await signed(h, push);
			expect(first.status).toBe(200);
			expect(first.items).toEqual([{ ...push, contact: { phone: CALLER } }]);
			const again = await signed(h, push);
			expect(again.status).toBe(200);
			expect(again.items).toEqual([]);
			const next = await signed(h, { ...push, message: { ...push.message, id: 'msg_2' } });
			expect(next.items).toHaveLength(1);
		});
	});
});
