import type { IDataObject } from 'n8n-workflow';

import { useEngineSuite } from '../harness/setup';

const byId = (value: string) => ({ __rl: true, mode: 'id', value });

const PROMPT = 'You are calling to confirm the dental appointment on Tuesday at 3 pm.';
const CALLEE = '+14155550199';

describe('AgentCall node: AI Call', () => {
	const suite = useEngineSuite({ sandboxConfig: { timeScale: 0.01 } });
	let number: { id: string; number: string };

	const startParams = (extra: IDataObject = {}): IDataObject => ({
		resource: 'aiCall',
		operation: 'start',
		aiCallFrom: byId(number.id),
		aiCallTo: CALLEE,
		systemPrompt: PROMPT,
		...extra,
	});
	const waitParams = (extra: IDataObject = {}): IDataObject =>
		startParams({ waitForCompletion: true, maxWaitMinutes: 1, simple: false, options: { pollIntervalSeconds: 1, includeTranscriptText: true }, ...extra });

	const aiPosts = () => suite.sandbox.requestLog().filter((entry) => entry.route === 'POST /v1/calls/ai');
	const routes = () => suite.sandbox.requestLog().map((entry) => entry.route);
	const outboundCalls = () => suite.sandbox.snapshot().calls.filter((call) => call.direction === 'outbound');

	beforeEach(async () => {
		const result = await suite.engine.runNode({ resource: 'phoneNumber', operation: 'provision', type: 'local' });
		number = result.json()[0] as typeof number;
		suite.sandbox.clearRequestLog();
	});

	describe('Start', () => {
		it('sends every field, normalised, and outputs the new call', async () => {
			const result = await suite.engine.runNode(
				startParams({
					aiCallTo: '(415) 555-0199',
					voice: 'coral',
					additionalFields: {
						firstMessage: '  Hi, this is Ava from Bright Dental.  ',
						language: 'es',
						maxDurationSecs: 120,
						record: true,
						liveTranscript: true,
						metadata: { values: [{ key: 'crmId', value: 42 }, { key: '', value: '' }, { key: 'source', value: 'n8n' }] },
					},
				}),
			);
			expect(result.error).toBeUndefined();
			expect(result.json()).toEqual([expect.objectContaining({ id: expect.any(String), status: 'initiated', voice: 'coral', maxDurationSecs: 120 })]);
			expect(aiPosts().map((entry) => entry.body)).toEqual([
				{
					from: number.id,
					to: CALLEE,
					systemPrompt: PROMPT,
					voice: 'coral',
					firstMessage: 'Hi, this is Ava from Bright Dental.',
					language: 'es',
					maxDurationSecs: 120,
					record: true,
					liveTranscript: true,
					metadata: { crmId: '42', source: 'n8n' },
					idempotencyKey: expect.stringMatching(/^n8n-exec-[\w-]+-0-0-[0-9a-f]{16}$/),
				},
			]);
		});

		it('leaves prompt and voice to the saved agent with Use Saved Agent', async () => {
			suite.sandbox.setOutboundDefaults(number.id, { systemPrompt: 'Saved prompt.', voice: 'sage' });
			const result = await suite.engine.runNode(startParams({ systemPrompt: '', additionalFields: { useSavedAgent: true } }));
			expect(result.json()[0]).toMatchObject({ voice: 'sage' });
			const body = aiPosts()[0].body as IDataObject;
			expect(body).toMatchObject({ useSavedAgent: true });
			expect(body).not.toHaveProperty('voice');
			expect(body).not.toHaveProperty('systemPrompt');
		});

		describe('idempotency', () => {
			it('never dials twice when Retry On Fail repeats an item whose answer was lost', async () => {
				suite.sandbox.addFault({ method: 'POST', path: '/v1/calls/ai', brokenJson: true, times: 1 });
				const result = await suite.engine.runNode(startParams(), {
					settings: { retryOnFail: true, maxTries: 2, waitBetweenTries: 10 },
				});
				expect(result.error).toBeUndefined();
				const [call] = result.json();
				expect(call).toMatchObject({ status: 'initiated', idempotencyReplayed: true });
				const posts = aiPosts();
				expect(posts).toHaveLength(2);
				expect((posts[0].body as IDataObject).idempotencyKey).toBe((posts[1].body as IDataObject).idempotencyKey);
				expect(outboundCalls().map((c) => c.id)).toEqual([call.id]);
			});

			it('gives every item its own key, so identical items are separate calls', async () => {
				const result = await suite.engine.runNode(startParams(), { items: [{}, {}] });
				const ids = result.json().map((call) => call.id);
				expect(new Set(ids).size).toBe(2);
				const keys = aiPosts().map((entry) => (entry.body as IDataObject).idempotencyKey);
				expect(new Set(keys).size).toBe(2);
				expect(outboundCalls()).toHaveLength(2);
			});

			it('uses a key of your own across executions', async () => {
				const params = startParams({ additionalFields: { idempotencyKey: 'order-10452' } });
				const first = await suite.engine.runNode(params);
				const second = await suite.engine.runNode(params);
				expect(second.json()[0]).toMatchObject({ id: first.json()[0].id, idempotencyReplayed: true });
				expect(first.json()[0].idempotencyReplayed).toBeUndefined();
				expect(aiPosts().map((entry) => (entry.body as IDataObject).idempotencyKey)).toEqual(['order-10452', 'order-10452']);
				expect(outboundCalls()).toHaveLength(1);
			});
		});

		describe('Wait for Completion', () => {
			it('outputs the finished call with transcript, summary, insights and transcript text', async () => {
				const result = await suite.engine.runNode(
					waitParams({ additionalFields: { metadata: { values: [{ key: 'crmId', value: 'c-7' }] } } }),
				);
				expect(result.error).toBeUndefined();
				const [item] = result.json();
				expect(item).toMatchObject({
					callId: expect.any(String),
					status: 'completed',
					from: number.number,
					to: CALLEE,
					duration: 5,
					metadata: { crmId: 'c-7' },
					summary: expect.stringContaining('Intent scheduling'),
					insights: { intent: 'scheduling', urgency: 'medium', spam: false, callerName: expect.any(String), callbackBy: expect.any(String) },
					transcriptAvailable: true,
					timedOut: false,
				});
				const entries = item.entries as Array<{ role: string; text: string }>;
				expect(entries).toHaveLength(8);
				expect(entries.map((entry) => entry.role)).toEqual(['ai', 'human', 'ai', 'human', 'ai', 'human', 'ai', 'human']);
				expect(entries[2].text).toBe('I am calling to confirm the dental appointment on Tuesday at 3 pm.');
				expect(String(item.transcriptText).split('\n')[2]).toBe(`AI: ${entries[2].text}`);
				expect(String(item.transcriptText).split('\n')[1]).toMatch(/^Human: Hello, this is /);
				expect(routes().filter((route) => route === 'GET /v1/calls/:id/transcript')).toHaveLength(1);
			});

			it.each(['no_answer', 'busy'] as const)('outputs a call that ended %s as an item, not an error', async (outcome) => {
				suite.sandbox.setCallOutcome({ to: CALLEE, outcome });
				const result = await suite.engine.runNode(waitParams());
				expect(result.error).toBeUndefined();
				expect(result.json()).toEqual([
					expect.objectContaining({ status: outcome, entries: [], summary: null, insights: null, transcriptAvailable: false, timedOut: false, transcriptText: '' }),
				]);
				expect(routes()).not.toContain('GET /v1/calls/:id/transcript');
			});

			it('outputs the last status with timedOut when Max Wait passes', async () => {
				suite.sandbox.setCallOutcome({ to: CALLEE, outcome: 'completed', durationSecs: 3600 });
				const started = Date.now();
				// A Max Duration above the wait: the sandbox ends a call at its Max Duration (600 s by default,
				// 6 s at this time scale), which would race the 6 s wait.
				const result = await suite.engine.runNode(waitParams({ maxWaitMinutes: 0.1, additionalFields: { maxDurationSecs: 3600 } }));
				expect(Date.now() - started).toBeGreaterThanOrEqual(6000);
				expect(result.json()).toEqual([expect.objectContaining({ status: 'in-progress', timedOut: true, transcriptAvailable: false, entries: [] })]);
				expect(routes()).not.toContain('GET /v1/calls/:id/transcript');
			}, 15000);

			it('retries the transcript while AgentCall says it is not ready yet, through status checks that fail for a moment', async () => {
				suite.sandbox.setFaults([
					{ method: 'GET', path: '/v1/calls/:id', status: 502, times: 1 },
					{ method: 'GET', path: '/v1/calls/:id/transcript', status: 404, code: 'transcript_not_available', times: 1 },
				]);
				const result = await suite.engine.runNode(waitParams());
				expect(result.json()[0]).toMatchObject({ status: 'completed', transcriptAvailable: true });
				expect((result.json()[0].entries as unknown[]).length).toBe(8);
				expect(suite.sandbox.requestLog().filter((entry) => entry.route === 'GET /v1/calls/:id/transcript').map((e) => e.status)).toEqual([404, 200]);
			});
		});

		describe('checks before any request', () => {
			const tooMany = Array.from({ length: 25 }, (_, i) => ({ key: `k${i}`, value: 'v' }));
			const big = Array.from({ length: 5 }, (_, i) => ({ key: `k${i}`, value: 'x'.repeat(500) }));
			it.each([
				['an empty System Prompt', { systemPrompt: '  ' }, /^"System Prompt" is empty/],
				['an invalid To', { aiCallTo: '555-01' }, /^"To" is not valid: "555-01"/],
				['Max Duration below 10 s', { additionalFields: { maxDurationSecs: 5 } }, /^"Max Duration \(Seconds\)" is not valid: 5 - it must be a whole number of seconds from 10 to 3600/],
				['Max Duration above 3600 s', { additionalFields: { maxDurationSecs: 4000 } }, /^"Max Duration \(Seconds\)" is not valid: 4000/],
				['a fractional Max Duration', { additionalFields: { maxDurationSecs: 12.5 } }, /^"Max Duration \(Seconds\)" is not valid: 12\.5/],
				['25 metadata keys', { additionalFields: { metadata: { values: tooMany } } }, /^"Metadata" has 25 keys - AgentCall allows at most 24/],
				['a 65-character metadata key', { additionalFields: { metadata: { values: [{ key: 'k'.repeat(65), value: 'v' }] } } }, /^"Metadata" key "k{65}" is not valid - a key has 1 to 64 characters/],
				['a 513-character metadata value', { additionalFields: { metadata: { values: [{ key: 'note', value: 'x'.repeat(513) }] } } }, /^"Metadata" value of "note" has 513 characters - at most 512/],
				['metadata over 2 KB', { additionalFields: { metadata: { values: big } } }, /^"Metadata" is 2\d{3} bytes as JSON - AgentCall allows at most 2048/],
				['a repeated metadata key', { additionalFields: { metadata: { values: [{ key: 'a', value: '1' }, { key: 'a', value: '2' }] } } }, /^"Metadata" has the key "a" twice/],
				['a 201-character Idempotency Key', { additionalFields: { idempotencyKey: 'k'.repeat(201) } }, /^"Idempotency Key" has 201 characters - at most 200/],
				['a Max Wait of 0', { waitForCompletion: true, maxWaitMinutes: 0 }, /^"Max Wait \(Minutes\)" is not valid: 0/],
			])('rejects %s', async (_label, extra, message) => {
				const result = await suite.engine.runNode(startParams(extra as IDataObject));
				expect(result.error?.message).toMatch(message);
				expect(result.error?.description).toBeTruthy();
				expect(suite.sandbox.requestLog()).toHaveLength(0);
			});
		});

		describe('errors from AgentCall', () => {
			it.each([
				['free', 'Your AgentCall plan does not allow this (plan_limit_voice_ai)', /Upgrade here: https:\/\/www\.agentcall\.co\/pricing/],
				['pro_no_card', 'AgentCall needs a payment method on file for this (payment_method_required)', /Add a card here: https:\/\/checkout\.stripe\.com\//],
			] as const)('explains plan %s', async (plan, message, description) => {
				suite.sandbox.setPlan(plan);
				const result = await suite.engine.runNode(startParams());
				expect(result.error?.message).toBe(message);
				expect(result.error?.description).toMatch(description);
			});

			it('explains that the AI voice service is down (503)', async () => {
				suite.sandbox.setFaults([{ method: 'POST', path: '/v1/calls/ai', status: 503 }]);
				const result = await suite.engine.runNode(startParams());
				expect(result.error?.message).toBe('AgentCall is temporarily unavailable (voice_ai_unavailable)');
				expect(result.error?.description).toMatch(/The AI voice service is having trouble.*Retry On Fail/);
			});

			it('explains numbers outside the US and Canada, and a missing saved agent', async () => {
				const result = await suite.engine.runNode(startParams({ aiCallTo: '={{ $json.to }}', additionalFields: { useSavedAgent: '={{ $json.saved }}' } }), {
					items: [{ to: '+442079460958', saved: false }, { to: CALLEE, saved: true }],
					continueOnFail: true,
				});
				const errors = result.items().map((item) => item.error);
				expect(errors[0]?.description).toMatch(/AI voice works only with US and Canadian numbers/);
				expect(errors[1]?.description).toMatch(/Save them with Phone Number > Set Outbound Defaults/);
				expect(result.json().map((item) => item.error)).toEqual([
					expect.stringMatching(/^AgentCall rejected the input/),
					'The From number has no saved outbound agent to use (no_saved_agent)',
				]);
			});

			it('waits out the 10-a-minute limit on AI calls and places every call', async () => {
				suite.sandbox.setLimits({ windowMs: 1000, aiCalls: 2 });
				const result = await suite.engine.runNode(startParams(), { items: [{}, {}, {}] });
				expect(result.error).toBeUndefined();
				expect(result.json().map((call) => call.status)).toEqual(['initiated', 'initiated', 'initiated']);
				expect(aiPosts().map((entry) => entry.status)).toEqual([200, 200, 429, 200]);
				expect(outboundCalls()).toHaveLength(3);
			});

			it('keeps going per item with Continue On Fail, and never shows the API key', async () => {
				const result = await suite.engine.runNode(startParams({ aiCallTo: '={{ $json.to }}' }), {
					items: [{ to: 'not a number' }, { to: CALLEE }],
					continueOnFail: true,
				});
				expect(result.json()[0].error).toMatch(/^"To" is not valid: "not a number"/);
				expect(result.json()[1]).toMatchObject({ status: 'initiated' });
				expect(result.items().map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
				expect(result.serialized()).not.toContain(suite.sandbox.apiKey);

				suite.engine.useCredentials({ ...suite.credentials, apiKey: 'ac_live_secret_that_must_not_leak' });
				const denied = await suite.engine.runNode(waitParams());
				expect(denied.error?.message).toMatch(/AgentCall rejected the API key/);
				expect(denied.serialized()).not.toContain('ac_live_secret_that_must_not_leak');
			});
		});
	});

	describe('Get Transcript', () => {
		const startAndComplete = async () => {
			const started = await suite.engine.runNode(startParams());
			const id = started.json()[0].id as string;
			suite.sandbox.completeCall(id);
			return id;
		};

		it.each([
			['live', 'ai'],
			['documented', 'assistant'],
			['live', 'assistant'],
		] as const)('reads the %s shape with role "%s" into one shape', async (transcriptShape, aiRole) => {
			suite.sandbox.setConfig({ transcriptShape, aiRole });
			const id = await startAndComplete();
			const result = await suite.engine.runNode({ resource: 'aiCall', operation: 'getTranscript', aiCallId: id, simple: false, options: { includeTranscriptText: true } });
			expect(result.error).toBeUndefined();
			const [item] = result.json();
			expect(item).toMatchObject({ callId: id, duration: 5, summary: expect.stringContaining('Intent scheduling') });
			expect((item.entries as Array<{ role: string }>).map((entry) => entry.role).slice(0, 2)).toEqual(['ai', 'human']);
			expect(String(item.transcriptText)).toMatch(/^AI: Hi, this is an AI assistant/);
			if (transcriptShape === 'live') expect(item.insights).toMatchObject({ intent: 'scheduling', spam: false });
			else expect(item.insights).toBeNull();
		});

		it.each([
			['404', 'has no transcript yet'],
			['202', 'is not ready yet'],
		] as const)('says the transcript is not ready while the call runs (%s)', async (transcriptNotReady, text) => {
			suite.sandbox.setConfig({ transcriptNotReady });
			const started = await suite.engine.runNode(startParams());
			const id = started.json()[0].id as string;
			const result = await suite.engine.runNode({ resource: 'aiCall', operation: 'getTranscript', aiCallId: id });
			expect(result.error?.message).toContain(`call "${id}" ${text}`);
			expect(result.error?.description).toMatch(/ended/);
		});
	});
});
