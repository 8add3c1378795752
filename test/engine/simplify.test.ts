import type { IDataObject } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { NODE_TYPE } from '../harness/engine';
import { useEngineSuite } from '../harness/setup';

/**
 * Simplify on the operations with large outputs: on by default, on the plain node and on the AI
 * Agent tool variant n8n builds from `usableAsTool`; off gives the full output. The expected
 * simplified items are written out field by field from the full ones.
 */

const byId = (value: string) => ({ __rl: true, mode: 'id', value });
const OUTSIDE = '+12125550199';
const CALLEE = '+14155550199';
const PROMPT = 'You are calling to confirm the dental appointment on Tuesday at 3 pm.';

interface Case {
	name: string;
	/** Makes the data, returns the operation's parameters (without `simple`). */
	setup: () => Promise<IDataObject>;
	/** The simplified item, from the full item of the same object. */
	simplified: (full: IDataObject) => IDataObject;
	/** A field only the full output has. */
	fullOnly: string;
}

describe('Simplify', () => {
	const suite = useEngineSuite({ sandboxConfig: { timeScale: 0.01 } });
	let number: { id: string; number: string };

	beforeEach(async () => {
		const created = await suite.engine.runNode({ resource: 'phoneNumber', operation: 'provision', type: 'local' });
		number = created.json()[0] as typeof number;
	});

	const run = (parameters: IDataObject, type = NODE_TYPE.action) => suite.engine.runNode(parameters, { type });
	const startAiCall = async (): Promise<string> => {
		const started = await run({ resource: 'aiCall', operation: 'start', aiCallFrom: byId(number.id), aiCallTo: CALLEE, systemPrompt: PROMPT });
		return started.json()[0].id as string;
	};
	const transcriptOf = (full: IDataObject) =>
		(full.entries as Array<{ role: string; text: string }>).map((entry) => `${entry.role === 'ai' ? 'AI' : 'Human'}: ${entry.text}`).join('\n');

	const cases: Case[] = [
		{
			name: 'Call > Get Many',
			setup: async () => {
				const id = await startAiCall();
				suite.sandbox.completeCall(id);
				const plain = await run({ resource: 'call', operation: 'make', callFrom: byId(number.id), callTo: CALLEE });
				// Ended calls, so that nothing changes between the runs compared.
				suite.sandbox.completeCall(plain.json()[0].id as string);
				return { resource: 'call', operation: 'getAll', returnAll: true };
			},
			simplified: (full) => ({
				id: full.id,
				mode: full.mode,
				direction: full.direction,
				status: full.status,
				from: full.from,
				to: full.to,
				duration: full.duration,
				createdAt: full.createdAt,
				endedAt: full.endedAt,
			}),
			fullOnly: 'metadata',
		},
		{
			name: 'SMS > Get Inbox',
			setup: async () => {
				for (const body of ['Your code is 482913', 'See you at 7', 'Reply STOP to end']) suite.sandbox.injectSms({ to: number.id, from: OUTSIDE, body });
				return { resource: 'sms', operation: 'getInbox', smsNumberId: byId(number.id), returnAll: true };
			},
			simplified: (full) => ({
				id: full.id,
				numberId: full.numberId,
				from: full.from,
				to: full.to,
				body: full.body,
				otp: full.otp,
				receivedAt: full.receivedAt,
			}),
			fullOnly: 'direction',
		},
		{
			name: 'Phone Number > Get Many',
			setup: async () => {
				await run({ resource: 'phoneNumber', operation: 'provision', type: 'tollfree' });
				return { resource: 'phoneNumber', operation: 'getAll', returnAll: true };
			},
			simplified: (full) => ({ id: full.id, number: full.number, type: full.type, country: full.country, label: full.label, status: full.status }),
			fullOnly: 'inbound',
		},
		{
			name: 'AI Call > Get Transcript',
			setup: async () => {
				const id = await startAiCall();
				suite.sandbox.completeCall(id);
				return { resource: 'aiCall', operation: 'getTranscript', aiCallId: id };
			},
			simplified: (full) => ({
				callId: full.callId,
				duration: full.duration,
				summary: full.summary,
				insights: full.insights,
				transcriptText: transcriptOf(full),
			}),
			fullOnly: 'entries',
		},
		{
			name: 'AI Call > Start with Wait for Completion',
			setup: async () => ({
				resource: 'aiCall',
				operation: 'start',
				aiCallFrom: byId(number.id),
				aiCallTo: CALLEE,
				systemPrompt: PROMPT,
				waitForCompletion: true,
				maxWaitMinutes: 1,
				// One key for the runs of a test: the later ones get the first call back, so the outputs compare.
				additionalFields: { idempotencyKey: `simplify-${Math.random().toString(36).slice(2)}` },
				options: { pollIntervalSeconds: 1 },
			}),
			simplified: (full) => ({
				callId: full.callId,
				status: full.status,
				from: full.from,
				to: full.to,
				timedOut: full.timedOut,
				transcriptAvailable: full.transcriptAvailable,
				duration: full.duration,
				summary: full.summary,
				insights: full.insights,
				transcriptText: transcriptOf(full),
			}),
			fullOnly: 'entries',
		},
	];

	describe.each(cases)('$name', ({ setup, simplified, fullOnly }) => {
		it('simplifies by default, and gives the full output with Simplify off', async () => {
			const parameters = await setup();
			const full = await run({ ...parameters, simple: false });
			expect(full.error).toBeUndefined();
			expect(full.json().length).toBeGreaterThan(0);
			for (const item of full.json()) expect(item).toHaveProperty(fullOnly);

			const simple = await run(parameters);
			expect(simple.error).toBeUndefined();
			expect(simple.json()).toEqual(full.json().map(simplified));
		});

		it('simplifies by default as an AI Agent tool (the agentCallTool type n8n builds)', async () => {
			const parameters = await setup();
			const full = await run({ ...parameters, simple: false });
			const asTool = await run(parameters, NODE_TYPE.tool);
			expect(asTool.error).toBeUndefined();
			expect(asTool.json()).toEqual(full.json().map(simplified));
		});
	});

	it('simplifies every page of a cursor-paged inbox, newest first', async () => {
		suite.sandbox.setConfig({ pagination: 'cursor', listLimitMax: 2 });
		const bodies = ['first 111111', 'second', 'third 333333', 'fourth', 'fifth'];
		for (const body of bodies) {
			suite.sandbox.injectSms({ to: number.id, from: OUTSIDE, body });
			await sleep(5);
		}
		const result = await run({ resource: 'sms', operation: 'getInbox', smsNumberId: byId(number.id), returnAll: true });
		expect(result.error).toBeUndefined();
		for (const message of result.json()) expect(Object.keys(message)).toEqual(['id', 'numberId', 'from', 'to', 'body', 'otp', 'receivedAt']);
		expect(result.json().map((message) => [message.body, message.otp])).toEqual([
			['fifth', null],
			['fourth', null],
			['third 333333', '333333'],
			['second', null],
			['first 111111', '111111'],
		]);
		expect(suite.sandbox.requestLog().filter((entry) => entry.path.startsWith('/v1/sms/inbox')).length).toBeGreaterThan(2);
	});
});
