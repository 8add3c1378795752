import type { INodeProperties } from 'n8n-workflow';

import { countEvaluations } from '../bench/lib/diagnosis';
import { NODE_TYPE } from '../harness/engine';
import { useEngineSuite } from '../harness/setup';

/**
 * Parameter names and per-item work, settled before 1.0 (test/bench/NOTES.md, finding B). n8n's
 * RoutingNode evaluates a parameter's value once per property *definition* of its name, for
 * every item, and reads a routed field again per item; these tests pin what keeps that small.
 */

const byId = (id: string) => ({ __rl: true, mode: 'id', value: id });
const OUTSIDE = '+12125550199';

/**
 * n8n's conventional collection, paging and Simplify names, shared by many of n8n's own nodes, and
 * the guardrails notice, which holds no value to evaluate.
 */
const SHARED_BY_CONVENTION = ['operation', 'options', 'additionalFields', 'filters', 'returnAll', 'limit', 'simple', 'guardrailsNotice'];

describe('AgentCall node: parameter names and per-item evaluations', () => {
	const suite = useEngineSuite();
	let number: { id: string; number: string };

	beforeEach(async () => {
		number = (await suite.engine.runNode({ resource: 'phoneNumber', operation: 'provision', type: 'local' })).json()[0] as typeof number;
		suite.sandbox.clearRequestLog();
	});

	it('defines every parameter name once, apart from n8n\'s conventional collections', () => {
		const { properties } = suite.engine.nodeTypes.getByNameAndVersion(NODE_TYPE.action, 1).description;
		const seen = new Map<string, number>();
		for (const property of properties as INodeProperties[]) seen.set(property.name, (seen.get(property.name) ?? 0) + 1);
		const repeated = [...seen].filter(([name, count]) => count > 1 && !SHARED_BY_CONVENTION.includes(name)).map(([name]) => name);
		expect(repeated).toEqual([]);
		// The names the resources' From/To and IDs got (CHANGELOG, "Changed before 1.0").
		for (const name of ['smsFrom', 'smsTo', 'callFrom', 'callTo', 'aiCallFrom', 'aiCallTo', 'smsNumberId', 'numberId', 'callId', 'aiCallId', 'webhookId']) {
			expect(seen.get(name)).toBe(1);
		}
	});

	it('Send SMS evaluates the To and Message expressions a fixed, small number of times per item', async () => {
		const items = Array.from({ length: 5 }, (_, index) => ({ to: OUTSIDE, text: `Reminder ${index}` }));
		const counted = await countEvaluations(
			async () =>
				await suite.engine.runNode(
					{ resource: 'sms', operation: 'send', smsFrom: byId(number.id), smsTo: '={{ $json.to }}', message: '={{ $json.text }}' },
					{ items },
				),
		);
		expect(counted.value.error).toBeUndefined();
		expect(counted.value.json().map((item) => item.body)).toEqual(items.map((item) => item.text));
		// Per item: Send runs in code, so To and Message are each evaluated exactly once, as the
		// HTTP Request node evaluates its fields (routed, n8n-core's two passes made it 3 each).
		const perItem = counted.count / items.length;
		expect(perItem).toBe(2);
		expect(counted.byExpression.get('={{ $json.to }}')).toBe(items.length);
		expect(counted.byExpression.get('={{ $json.text }}')).toBe(items.length);
	});

	describe('Base URL from the credential', () => {
		afterEach(() => suite.engine.useCredentials(suite.credentials));

		it.each([
			['trailing slashes', '///'],
			['a trailing slash and a space', '/ '],
		])('tolerates %s on routed and code operations, sending the key as a Bearer token', async (_label, tail) => {
			suite.engine.useCredentials({ ...suite.credentials, baseUrl: suite.sandbox.url + tail });
			const routed = await suite.engine.runNode({ resource: 'sms', operation: 'send', smsFrom: byId(number.id), smsTo: OUTSIDE, message: 'Hi' });
			const code = await suite.engine.runNode({ resource: 'sms', operation: 'waitForOtp', smsNumberId: byId(number.id), timeout: 1 });
			expect(routed.error).toBeUndefined();
			expect(code.error).toBeUndefined();
			// The sandbox answers 401 without `Authorization: Bearer <key>` and 404 for a path with `//`.
			expect(suite.sandbox.requestLog().map((entry) => `${entry.method} ${entry.path} ${entry.status}`)).toEqual([
				'POST /v1/sms/send 200',
				`GET /v1/sms/otp/${number.id} 200`,
			]);
		});

		it('keeps the key out of the output and the error of a rejected request', async () => {
			suite.engine.useCredentials({ ...suite.credentials, apiKey: 'ac_live_must_not_leak' });
			const result = await suite.engine.runNode({ resource: 'sms', operation: 'send', smsFrom: byId(number.id), smsTo: OUTSIDE, message: 'Hi' });
			expect(result.error?.message).toMatch(/AgentCall rejected the API key/);
			expect(result.serialized()).not.toContain('ac_live_must_not_leak');
		});
	});
});
