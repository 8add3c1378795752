import type { IDataObject } from 'n8n-workflow';

import { useEngineSuite } from '../harness/setup';

/**
 * Phone Number > Get / Set / Remove Outbound Defaults, the saved agent AI Call > Start uses with
 * Use Saved Agent, and AI Call > Start from an outbound prompt template.
 */

const byId = (id: string) => ({ __rl: true, mode: 'id', value: id });
const CALLEE = '+14155550199';

describe('AgentCall node: outbound defaults, Use Saved Agent and prompt templates for AI calls', () => {
	const suite = useEngineSuite({ sandboxConfig: { timeScale: 0.01 } });
	let numberId: string;

	beforeEach(async () => {
		numberId = (await suite.engine.runNode({ resource: 'phoneNumber', operation: 'provision', type: 'local' })).json()[0].id as string;
		suite.sandbox.clearRequestLog();
	});

	const defaults = async (operation: string, extra: IDataObject = {}, options = {}) =>
		await suite.engine.runNode({ resource: 'phoneNumber', operation, numberId: byId(numberId), ...extra }, options);
	const startCall = async (extra: IDataObject = {}, options = {}) =>
		await suite.engine.runNode({ resource: 'aiCall', operation: 'start', aiCallFrom: byId(numberId), aiCallTo: CALLEE, ...extra }, options);
	const aiPosts = () => suite.sandbox.requestLog().filter((entry) => entry.route === 'POST /v1/calls/ai');

	it('sets, gets and removes the saved outbound agent', async () => {
		const none = await defaults('getOutboundDefaults');
		expect(none.json()).toEqual([{ numberId, hasOutboundDefaults: false }]);

		const set = await defaults('setOutboundDefaults', {
			agentSystemPrompt: 'You call to confirm appointments for Bright Dental.',
			outboundDefaultsFields: { voice: 'sage', language: 'en', maxDurationSecs: 240, firstMessage: 'Hi, Bright Dental here.' },
		});
		expect(set.error).toBeUndefined();
		const saved = { systemPrompt: 'You call to confirm appointments for Bright Dental.', voice: 'sage', language: 'en', maxDurationSecs: 240, firstMessage: 'Hi, Bright Dental here.' };
		expect(set.json()[0]).toEqual({ numberId, ...saved });

		const got = await defaults('getOutboundDefaults');
		expect(got.json()).toEqual([{ numberId, hasOutboundDefaults: true, ...saved }]);

		const removed = await defaults('removeOutboundDefaults');
		expect(removed.json()).toEqual([{ id: numberId, outboundDefaultsRemoved: true }]);
		expect((await defaults('getOutboundDefaults')).json()[0]).toEqual({ numberId, hasOutboundDefaults: false });
	});

	it('AI Call > Start with Use Saved Agent takes what it leaves empty from the saved agent', async () => {
		await defaults('setOutboundDefaults', { agentSystemPrompt: 'Saved prompt.', outboundDefaultsFields: { voice: 'sage', maxDurationSecs: 120 } });
		suite.sandbox.clearRequestLog();
		const call = await startCall({ additionalFields: { useSavedAgent: true, firstMessage: 'Per-call hello.' } });
		expect(call.error).toBeUndefined();
		expect(aiPosts()[0].body).toMatchObject({ useSavedAgent: true, firstMessage: 'Per-call hello.' });
		expect(aiPosts()[0].body).not.toHaveProperty('systemPrompt');
		// The call AgentCall placed has the saved voice and duration (its answer shows them).
		expect(call.json()[0]).toMatchObject({ voice: 'sage', maxDurationSecs: 120 });
	});

	it('Use Saved Agent without saved defaults gives a clear error per item', async () => {
		const result = await startCall({ additionalFields: { useSavedAgent: true } }, { continueOnFail: true });
		expect(result.json()[0].error).toMatch(/The From number has no saved outbound agent to use \(no_saved_agent\)/);
		expect(result.items()[0].error?.description).toMatch(/Phone Number > Set Outbound Defaults/);
	});

	it('Set Outbound Defaults needs a prompt, before any request', async () => {
		const result = await defaults('setOutboundDefaults', { outboundDefaultsFields: { voice: 'ash' } });
		expect(result.error?.message).toMatch(/"System Prompt" is empty - the saved outbound agent needs instructions/);
		expect(suite.sandbox.requestLog()).toHaveLength(0);
	});

	it('maps the plan gate and goes on per item with Continue On Fail', async () => {
		suite.sandbox.setPlan('free');
		const result = await defaults('setOutboundDefaults', { agentSystemPrompt: 'Hi' }, { continueOnFail: true, items: [{}, {}] });
		expect(result.json().map((item) => item.error)).toEqual([
			expect.stringMatching(/Your AgentCall plan does not allow this \(plan_limit_outbound_defaults\)/),
			expect.stringMatching(/plan_limit_outbound_defaults/),
		]);
	});

	it('saves an outbound template with its ID and placeholders filled', async () => {
		const result = await defaults('setOutboundDefaults', {
			numberPromptSource: 'template',
			numberPromptTemplateId: 'outbound-info-request',
			numberTemplatePlaceholders: { values: [{ name: 'BUSINESS_NAME', value: 'Bright Dental' }, { name: 'QUESTION', value: 'whether Tuesday suits' }] },
		});
		expect(result.error).toBeUndefined();
		const sent = suite.sandbox.requestLog().find((entry) => entry.method === 'POST')?.body;
		expect(sent).toEqual({
			templateId: 'outbound-info-request',
			systemPrompt: 'You are calling to ask whether Tuesday suits and note the answer.',
			firstMessage: 'Hi, I am calling from Bright Dental.',
			voice: 'shimmer',
			maxDurationSecs: 600,
		});
	});

	describe('AI Call > Start from a template', () => {
		const fromTemplate = (extra: IDataObject = {}) => ({
			promptSource: 'template',
			promptTemplateId: 'outbound-callback-confirmation',
			templatePlaceholders: { values: [{ name: 'BUSINESS_NAME', value: 'Bright Dental' }, { name: 'TOPIC', value: 'your crown' }] },
			...extra,
		});

		it("fills the template and uses its first message and voice unless the user set their own; one catalogue read per run", async () => {
			const result = await startCall(fromTemplate({ voice: '={{ $json.voice }}' }), { items: [{ voice: 'shimmer' }, { voice: 'ash' }, { voice: 'shimmer' }] });
			expect(result.error).toBeUndefined();
			const bodies = aiPosts().map((entry) => entry.body as IDataObject);
			expect(bodies).toHaveLength(3);
			expect(bodies[0]).toMatchObject({
				systemPrompt: 'You are calling to confirm a callback about your crown.',
				firstMessage: 'Hi, this is Bright Dental returning your call.',
				voice: 'coral',
				maxDurationSecs: 600,
			});
			expect(bodies[1].voice).toBe('ash');
			const catalogueReads = suite.sandbox.requestLog().filter((entry) => entry.path === '/v1/calls/prompt-templates');
			expect(catalogueReads).toHaveLength(1);
			expect(catalogueReads[0].query).toEqual({ direction: 'outbound' });
		});

		it('refuses an unfilled placeholder before any call is placed', async () => {
			const result = await startCall(fromTemplate({ templatePlaceholders: { values: [{ name: 'BUSINESS_NAME', value: 'Bright Dental' }, { name: 'TOPIC', value: ' ' }] } }));
			expect(result.error?.message).toMatch(/needs a value for \[TOPIC\]/);
			expect(aiPosts()).toHaveLength(0);
		});

		it('fails clearly, placing no call, when the template catalogue cannot be read', async () => {
			suite.sandbox.addFault({ path: '/v1/calls/prompt-templates', status: 503 });
			const result = await startCall(fromTemplate(), { continueOnFail: true });
			expect(result.json()[0].error).toMatch(/AgentCall is temporarily unavailable/);
			expect(aiPosts()).toHaveLength(0);
		});
	});
});
