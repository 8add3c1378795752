import { randomBytes } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

import { useEngineSuite } from '../harness/setup';

/**
 * Phone Number > Update and Get / Set / Remove Inbound AI through n8n-core's engine against the
 * sandbox, which implements AgentCall's replace-everything POST, redacted GET and kept secrets.
 */

const byId = (id: string) => ({ __rl: true, mode: 'id', value: id });
// Made up per run: what a trigger would generate.
const CONTEXT_SECRET = randomBytes(16).toString('hex');
const ACTION_SECRET = randomBytes(16).toString('hex');

/** What an AgentCall trigger would have wired in: two webhook blocks with secrets and a tool. */
const WIRED = {
	systemPrompt: 'You are the receptionist of Bright Dental.',
	voice: 'sage',
	language: 'en',
	firstMessage: 'Bright Dental, how can I help?',
	contextSource: 'webhook',
	contextWebhook: { url: 'https://n8n.example/webhook/ctx', signingSecret: CONTEXT_SECRET, timeoutMs: 900 },
	actionWebhook: { url: 'https://n8n.example/webhook/act', signingSecret: ACTION_SECRET },
	tools: [{ name: 'check_calendar', description: 'Free slots on a day', parameters: { type: 'object', properties: { day: { type: 'string' } } } }],
	notify: { emailTo: 'desk@brightdental.example', agencyName: 'Agency One' },
};

describe('AgentCall node: Phone Number > Update and Inbound AI', () => {
	const suite = useEngineSuite();
	let numberId: string;

	beforeEach(async () => {
		numberId = (await suite.engine.runNode({ resource: 'phoneNumber', operation: 'provision', type: 'local' })).json()[0].id as string;
		suite.sandbox.clearRequestLog();
	});

	const writes = () => suite.sandbox.requestLog().filter((entry) => entry.method !== 'GET');

	describe('Set Inbound AI', () => {
		it('Update Only Given Fields changes the given fields and keeps webhooks, tools, their secrets and the rest', async () => {
			suite.sandbox.configureInbound(numberId, WIRED);
			const result = await suite.engine.runNode({
				resource: 'phoneNumber',
				operation: 'setInboundAi',
				numberId: byId(numberId),
				agentSystemPrompt: 'You are the new receptionist of Bright Dental.',
				inboundAiFields: { maxDurationSecs: 300, notifyBusinessName: 'Bright Dental', allowedSenders: '(415) 555-0101, +1 212 555 0199' },
			});
			expect(result.error).toBeUndefined();
			const stored = suite.sandbox.inboundConfig(numberId)!;
			expect(stored).toMatchObject({
				systemPrompt: 'You are the new receptionist of Bright Dental.',
				maxDurationSecs: 300,
				allowedSenders: ['+14155550101', '+12125550199'],
				voice: 'sage',
				language: 'en',
				firstMessage: 'Bright Dental, how can I help?',
				contextSource: 'webhook',
				tools: WIRED.tools,
				notify: { emailTo: 'desk@brightdental.example', agencyName: 'Agency One', businessName: 'Bright Dental' },
			});
			expect(stored.contextWebhook).toEqual({ ...WIRED.contextWebhook });
			expect(stored.actionWebhook).toEqual({ ...WIRED.actionWebhook });
			// What went out: read first, then one write that leaves secrets and read-only fields out.
			const log = suite.sandbox.requestLog();
			expect(log.map((entry) => entry.route)).toEqual([
				'GET /v1/numbers/:id/inbound-config',
				'POST /v1/numbers/:id/inbound-config',
			]);
			const sent = log[1].body as IDataObject;
			expect(JSON.stringify(sent)).not.toMatch(/signingSecret|hasSigningSecret|voiceMode|hasByokKey|premiumVoice|byokOpenaiApiKeyPreview/);
			expect(sent).not.toHaveProperty('numberId');
			expect(sent.mode).toBe('ai');
			// The output is AgentCall's answer, secrets redacted.
			expect(result.serialized()).not.toContain(CONTEXT_SECRET);
		});

		it('keeps the secrets when the sandbox reports them flat beside the blocks', async () => {
			suite.sandbox.setConfig({ inboundSecretNesting: 'flat' });
			suite.sandbox.configureInbound(numberId, WIRED);
			const result = await suite.engine.runNode({
				resource: 'phoneNumber',
				operation: 'setInboundAi',
				numberId: byId(numberId),
				inboundAiFields: { voice: 'coral' },
			});
			expect(result.error).toBeUndefined();
			const stored = suite.sandbox.inboundConfig(numberId)!;
			expect(stored).toMatchObject({ voice: 'coral', systemPrompt: WIRED.systemPrompt });
			expect(stored.actionWebhook).toEqual({ ...WIRED.actionWebhook });
			expect(JSON.stringify(suite.sandbox.requestLog()[1].body)).not.toMatch(/HasSigningSecret/);
		});

		it('Update Only Given Fields on a number without inbound AI needs a prompt, and says so before writing', async () => {
			const refused = await suite.engine.runNode({ resource: 'phoneNumber', operation: 'setInboundAi', numberId: byId(numberId), inboundAiFields: { voice: 'ash' } });
			expect(refused.error?.message).toMatch(/"System Prompt" is empty - this number has no inbound AI yet/);
			expect(writes()).toHaveLength(0);

			suite.sandbox.setConfig({ inboundConfigUnset: 'absent' });
			const created = await suite.engine.runNode({
				resource: 'phoneNumber',
				operation: 'setInboundAi',
				numberId: byId(numberId),
				agentSystemPrompt: 'Take messages.',
			});
			expect(created.error).toBeUndefined();
			expect(suite.sandbox.inboundConfig(numberId)).toMatchObject({ mode: 'ai', systemPrompt: 'Take messages.', voice: 'shimmer' });
		});

		it('an emptied Allowed Senders lifts the restriction', async () => {
			suite.sandbox.configureInbound(numberId, { systemPrompt: 'Hi', allowedSenders: ['+14155550101'] });
			await suite.engine.runNode({ resource: 'phoneNumber', operation: 'setInboundAi', numberId: byId(numberId), inboundAiFields: { allowedSenders: '' } });
			expect(suite.sandbox.inboundConfig(numberId)!.allowedSenders).toBeNull();
		});

		it('Replace Whole Configuration writes only the given fields: webhooks and tools are gone', async () => {
			suite.sandbox.configureInbound(numberId, WIRED);
			const result = await suite.engine.runNode({
				resource: 'phoneNumber',
				operation: 'setInboundAi',
				numberId: byId(numberId),
				inboundAiWriteMode: 'replace',
				agentSystemPrompt: 'Only this.',
				inboundAiFields: { notifyEmail: 'a@b.example' },
			});
			expect(result.error).toBeUndefined();
			expect(suite.sandbox.requestLog().map((entry) => entry.method)).toEqual(['POST']);
			expect(suite.sandbox.requestLog()[0].body).toEqual({ systemPrompt: 'Only this.', notify: { emailTo: 'a@b.example' }, mode: 'ai' });
			expect(suite.sandbox.inboundConfig(numberId)).toMatchObject({
				systemPrompt: 'Only this.',
				voice: 'shimmer',
				contextWebhook: null,
				actionWebhook: null,
				tools: [],
				notify: { emailTo: 'a@b.example' },
			});
		});

		it('starts from an inbound prompt template, filling its placeholders; own fields win over the template\'s', async () => {
			const result = await suite.engine.runNode({
				resource: 'phoneNumber',
				operation: 'setInboundAi',
				numberId: byId(numberId),
				inboundAiWriteMode: 'replace',
				numberPromptSource: 'template',
				numberPromptTemplateId: 'appointment-booker',
				numberTemplatePlaceholders: { values: [{ name: 'business name', value: 'Bright Dental' }, { name: '[OPENING_HOURS]', value: '9 to 5' }] },
				inboundAiFields: { voice: 'ash' },
			});
			expect(result.error).toBeUndefined();
			expect(suite.sandbox.inboundConfig(numberId)).toMatchObject({
				systemPrompt: 'You book appointments for Bright Dental during 9 to 5.',
				firstMessage: 'Hello, you have reached Bright Dental bookings.',
				voice: 'ash',
				maxDurationSecs: 600,
			});
		});

		it('lists the template placeholders left unfilled, before anything is written', async () => {
			const result = await suite.engine.runNode({
				resource: 'phoneNumber',
				operation: 'setInboundAi',
				numberId: byId(numberId),
				numberPromptSource: 'template',
				numberPromptTemplateId: 'appointment-booker',
				numberTemplatePlaceholders: { values: [{ name: 'BUSINESS_NAME', value: 'Bright Dental' }] },
			});
			expect(result.error?.message).toMatch(/The template "Appointment booker" needs a value for \[OPENING_HOURS\]/);
			expect(writes()).toHaveLength(0);

			const typo = await suite.engine.runNode({
				resource: 'phoneNumber',
				operation: 'setInboundAi',
				numberId: byId(numberId),
				numberPromptSource: 'template',
				numberPromptTemplateId: 'receptionist',
				numberTemplatePlaceholders: { values: [{ name: 'BUSINES_NAME', value: 'x' }] },
			});
			expect(typo.error?.message).toMatch(/has no placeholder \[BUSINES_NAME\]/);
			expect(typo.error?.description).toMatch(/Its placeholders are \[BUSINESS_NAME\]/);
			expect(writes()).toHaveLength(0);
		});

		it.each([
			[{ allowedSenders: '+1415555010' }, /"Allowed Senders" is not valid: "\+1415555010"/],
			[{ allowedSenders: Array.from({ length: 21 }, (_, i) => `+1415555${String(1000 + i)}`).join(',') }, /"Allowed Senders" has 21 numbers - AgentCall allows at most 20/],
			[{ notifySms: 'call me' }, /"Notify SMS" is not valid/],
			[{ notifyEmail: 'desk at example' }, /"Notify Email" is not valid/],
			[{ maxDurationSecs: 5 }, /"Max Duration \(Seconds\)" is not valid: 5/],
			[{ smsMode: 'sometimes' }, /"SMS Mode" is not valid: "sometimes"/],
		])('rejects bad input %j before any request', async (fields, message) => {
			const result = await suite.engine.runNode({
				resource: 'phoneNumber',
				operation: 'setInboundAi',
				numberId: byId(numberId),
				inboundAiWriteMode: 'replace',
				agentSystemPrompt: 'Hi',
				inboundAiFields: fields,
			});
			expect(result.error?.message).toMatch(message);
			expect(suite.sandbox.requestLog()).toHaveLength(0);
		});

		it('Replace without a prompt is refused before any request', async () => {
			const result = await suite.engine.runNode({ resource: 'phoneNumber', operation: 'setInboundAi', numberId: byId(numberId), inboundAiWriteMode: 'replace' });
			expect(result.error?.message).toMatch(/"System Prompt" is empty - Replace Whole Configuration needs instructions/);
			expect(suite.sandbox.requestLog()).toHaveLength(0);
		});

		it('maps AgentCall errors and goes on per item with Continue On Fail', async () => {
			suite.sandbox.setPlan('free');
			const result = await suite.engine.runNode(
				{
					resource: 'phoneNumber',
					operation: 'setInboundAi',
					numberId: byId('={{ $json.id }}'),
					inboundAiWriteMode: 'replace',
					agentSystemPrompt: 'Hi',
					inboundAiFields: { smsMode: '={{ $json.sms }}' },
				},
				{ items: [{ id: 'missing-number', sms: 'off' }, { id: numberId, sms: 'ai' }, { id: numberId, sms: 'off' }], continueOnFail: true },
			);
			const [missing, gated, ok] = result.json();
			expect(missing.error).toMatch(/The phone number "missing-number" was not found/);
			expect(gated.error).toMatch(/Your AgentCall plan does not allow this \(plan_limit_sms_ai\)/);
			expect(ok).toMatchObject({ numberId, config: expect.objectContaining({ smsMode: 'off' }) });
		});
	});

	it('Get Inbound AI returns the config with secrets redacted', async () => {
		suite.sandbox.configureInbound(numberId, WIRED);
		const result = await suite.engine.runNode({ resource: 'phoneNumber', operation: 'getInboundAi', numberId: byId(numberId) });
		const [item] = result.json();
		expect(item).toMatchObject({ numberId, config: { systemPrompt: WIRED.systemPrompt, actionWebhook: { hasSigningSecret: true } } });
		expect(result.serialized()).not.toContain(ACTION_SECRET);
		expect(suite.sandbox.requestLog().map((entry) => entry.path)).toEqual([`/v1/numbers/${numberId}/inbound-config`]);
	});

	it('Remove Inbound AI turns it off and says so', async () => {
		suite.sandbox.configureInbound(numberId, WIRED);
		const result = await suite.engine.runNode({ resource: 'phoneNumber', operation: 'removeInboundAi', numberId: byId(numberId) });
		expect(result.json()).toEqual([{ id: numberId, inboundAiRemoved: true }]);
		expect(suite.sandbox.inboundConfig(numberId)).toBeNull();
	});

	describe('Update', () => {
		it('patches the label, voice and language, keeping the rest of the inbound AI', async () => {
			suite.sandbox.configureInbound(numberId, WIRED);
			const result = await suite.engine.runNode({
				resource: 'phoneNumber',
				operation: 'update',
				numberId: byId(numberId),
				numberUpdateFields: { label: 'Front desk', voice: 'verse', language: 'es' },
			});
			expect(result.error).toBeUndefined();
			expect(result.json()[0]).toMatchObject({ id: numberId, label: 'Front desk', inbound: { voice: 'verse', language: 'es' } });
			expect(suite.sandbox.requestLog()[0]).toMatchObject({ method: 'PATCH', body: { label: 'Front desk', voice: 'verse', language: 'es' } });
			expect(suite.sandbox.inboundConfig(numberId)).toMatchObject({ voice: 'verse', tools: WIRED.tools, actionWebhook: WIRED.actionWebhook });
		});

		it('needs a field, and says so before any request', async () => {
			const result = await suite.engine.runNode({ resource: 'phoneNumber', operation: 'update', numberId: byId(numberId), numberUpdateFields: {} });
			expect(result.error?.message).toMatch(/Nothing to update - add a field under Update Fields/);
			expect(suite.sandbox.requestLog()).toHaveLength(0);
		});

		it('explains that voice and language need inbound AI', async () => {
			const result = await suite.engine.runNode({ resource: 'phoneNumber', operation: 'update', numberId: byId(numberId), numberUpdateFields: { voice: 'ash' } });
			expect(result.error?.message).toMatch(/This number has no inbound AI, so it has no voice or language to change/);
			expect(result.error?.description).toMatch(/Set Inbound AI/);
		});
	});
});
