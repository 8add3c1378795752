/* eslint-disable @n8n/community-nodes/no-restricted-imports -- benchmark code runs in Node: a local HTTP server serves the long transcript */
import * as http from 'http';
import type { AddressInfo } from 'net';
import type { IDataObject } from 'n8n-workflow';

import { OPEN_GUARDRAILS } from '../harness/credentials';
import { NODE_TYPE } from '../harness/engine';
import { byId, useBenchSuite } from './lib/engine';
import { fmt, progress, Scenario } from './lib/measure';

/**
 * 7. Tool output size: what an AI Agent's model reads per operation. n8n hands a tool's output to
 * the model as `JSON.stringify(items.map((item) => item.json))`; the alternative is the raw API
 * answer, which is what the HTTP Request node outputs (and a model would read) for the same data.
 * AgentCall is measured as the tool variant with its defaults (Simplify on) and with Simplify off.
 * Sizes are exact and the same on every run, so there is one round.
 */

const CALLEE = '+14155550199';
const PROMPT = 'You are calling to confirm the dental appointment on Tuesday at 3 pm. Ask whether the time still works and note any questions.';
const INBOX_TEXTS = [
	'Your Acme verification code is 482913. It expires in 10 minutes.',
	'Hi! Your table for 4 at Luigi\'s is confirmed for Friday at 7:30 pm. Reply C to cancel.',
	'Your package 1Z999AA10123456784 is out for delivery today between 2 and 6 pm.',
	'G-771204 is your Google verification code.',
	'Reminder: dentist appointment tomorrow at 3 pm with Dr. Patel. Reply YES to confirm.',
];
/** One line of speech every 4 s: a 5-minute call. */
const LONG_CALL_SECONDS = 300;
const LINE_EVERY_SECONDS = 4;

const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value), 'utf8');
/** A rough token count for English JSON: characters / 4 (OpenAI's rule of thumb), not a tokenizer. */
const tokens = (size: number) => Math.round(size / 4);

interface Measured {
	operation: string;
	raw: number;
	simple: number;
	full: number;
	rawNote: string;
}

/** Serves `body` for every GET: the long transcript, in the shape the sandbox answers with. */
async function serveJson(body: unknown): Promise<{ url: string; close: () => Promise<void> }> {
	const server = http.createServer((_request, response) => {
		response.writeHead(200, { 'content-type': 'application/json' });
		response.end(JSON.stringify(body));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return { url: `http://127.0.0.1:${port}`, close: async () => await new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('7. Tool output size', () => {
	const suite = useBenchSuite();

	const api = async (method: 'get' | 'post', url: string, data?: IDataObject): Promise<IDataObject> => {
		const response = await suite.sandbox.api.request({ method, url, data });
		if (response.status >= 300) throw new Error(`${method} ${url}: ${response.status} ${JSON.stringify(response.data)}`);
		return response.data as IDataObject;
	};
	const complete = async (callId: string) => await suite.sandbox.control.post(`/_sandbox/calls/${callId}/complete`);

	/** The tool variant's output (defaults: Simplify on) and the plain node's with Simplify off. */
	async function nodeOutputs(parameters: IDataObject): Promise<{ simple: IDataObject[]; full: IDataObject[] }> {
		const asTool = await suite.engine.runNode(parameters, { type: NODE_TYPE.tool });
		const full = await suite.engine.runNode({ ...parameters, simple: false });
		for (const run of [asTool, full]) if (run.error) throw new Error(`${JSON.stringify(parameters)}: ${run.error.message}`);
		return { simple: asTool.json(), full: full.json() };
	}

	it('raw API answer vs tool output, Simplify on and off', async () => {
		const scenario = await new Scenario(
			'7',
			'Tool output size: what an AI Agent reads per operation',
			'the raw API answer for the same data, which is what the HTTP Request node outputs; sizes are of the JSON n8n gives the model (`JSON.stringify` of the output items), tokens ≈ characters / 4 (a rule of thumb, not a tokenizer)',
			suite.sandbox,
		).begin();
		await suite.sandbox.reset({ timeScale: 0.01 });
		const number = await suite.sandbox.provision();
		for (const type of ['local', 'mobile', 'tollfree', 'local']) await api('post', '/v1/numbers/provision', { type, label: `Support line (${type})` });

		for (let index = 0; index < 20; index++) await suite.sandbox.injectSms(number.id, INBOX_TEXTS[index % INBOX_TEXTS.length]);

		// 20 calls: 12 plain, 8 AI (the AI-call limit is 10 a minute), all ended.
		const aiCallIds: string[] = [];
		for (let index = 0; index < 20; index++) {
			const ai = index % 5 < 2;
			const call = ai
				? await api('post', '/v1/calls/ai', { from: number.id, to: CALLEE, systemPrompt: PROMPT, metadata: { crmId: `C-${1000 + index}` } })
				: await api('post', '/v1/calls/initiate', { from: number.id, to: CALLEE });
			await complete(String(call.id));
			if (ai) aiCallIds.push(String(call.id));
		}

		const measured: Measured[] = [];
		const measure = async (operation: string, raw: unknown, parameters: IDataObject, rawNote: string) => {
			const { simple, full } = await nodeOutputs(parameters);
			measured.push({ operation, raw: bytes(raw), simple: bytes(simple), full: bytes(full), rawNote });
			progress(`7 ${operation}: raw ${bytes(raw)} B, simplified ${bytes(simple)} B, full ${bytes(full)} B`);
		};

		await measure(
			'SMS > Get Inbox (20 messages)',
			await api('get', `/v1/sms/inbox/${number.id}?limit=50`),
			{ resource: 'sms', operation: 'getInbox', smsNumberId: byId(number.id), returnAll: true },
			'GET /v1/sms/inbox/:numberId',
		);
		await measure('Call > Get Many (20 calls, 8 of them AI)', await api('get', '/v1/calls?limit=50'), { resource: 'call', operation: 'getAll', returnAll: true }, 'GET /v1/calls');
		await measure('Phone Number > Get Many (5 numbers)', await api('get', '/v1/numbers?limit=50'), { resource: 'phoneNumber', operation: 'getAll', returnAll: true }, 'GET /v1/numbers');

		const transcript = await api('get', `/v1/calls/${aiCallIds[0]}/transcript`);
		const lines = Array.isArray(transcript.transcript) ? (transcript.transcript as IDataObject[]) : [];
		await measure(
			`AI Call > Get Transcript (sandbox call, ${lines.length} lines)`,
			transcript,
			{ resource: 'aiCall', operation: 'getTranscript', aiCallId: aiCallIds[0] },
			'GET /v1/calls/:id/transcript',
		);

		// A 5-minute call: the sandbox's lines again and again, one every 4 s, in the sandbox's answer.
		const started = Date.parse(String(lines[0]?.timestamp ?? new Date().toISOString()));
		const longLines = Array.from({ length: LONG_CALL_SECONDS / LINE_EVERY_SECONDS }, (_, index) => ({
			...lines[index % lines.length],
			timestamp: new Date(started + index * LINE_EVERY_SECONDS * 1000).toISOString(),
		}));
		const long = { ...transcript, transcript: longLines, duration: LONG_CALL_SECONDS };
		const server = await serveJson(long);
		try {
			suite.engine.useCredentials({ apiKey: suite.sandbox.apiKey, baseUrl: server.url, ...OPEN_GUARDRAILS });
			await measure(
				`AI Call > Get Transcript (5-minute call, ${longLines.length} lines)`,
				long,
				{ resource: 'aiCall', operation: 'getTranscript', aiCallId: aiCallIds[0] },
				"the sandbox's answer with its lines repeated to 5 minutes, served locally",
			);
		} finally {
			suite.engine.useCredentials({ apiKey: suite.sandbox.apiKey, baseUrl: suite.sandbox.url, ...OPEN_GUARDRAILS });
			await server.close();
		}

		const startParameters = {
			resource: 'aiCall',
			operation: 'start',
			aiCallFrom: byId(number.id),
			aiCallTo: CALLEE,
			systemPrompt: PROMPT,
			waitForCompletion: true,
			maxWaitMinutes: 1,
			additionalFields: { idempotencyKey: 'bench-7-start' },
			options: { pollIntervalSeconds: 1 },
		};
		const { simple, full } = await nodeOutputs(startParameters);
		const callId = String(simple[0]?.callId);
		progress(`7 Start with Wait for Completion: simplified ${bytes(simple)} B, full ${bytes(full)} B`);
		const raw = [await api('get', `/v1/calls/${callId}`), await api('get', `/v1/calls/${callId}/transcript`)];
		measured.push({
			operation: 'AI Call > Start, Wait for Completion (sandbox call)',
			raw: bytes(raw),
			simple: bytes(simple),
			full: bytes(full),
			rawNote: 'GET /v1/calls/:id and GET /v1/calls/:id/transcript, the two answers a workflow would combine',
		});

		for (const entry of measured) {
			const note = `≈ ${tokens(entry.simple)} tokens vs ${tokens(entry.raw)} raw; raw: ${entry.rawNote}`;
			scenario.row({ measure: `${entry.operation}: Simplify on (the tool's default)`, unit: 'B', ours: entry.simple, alt: entry.raw, lowerIsBetter: true, note });
			scenario.row({
				measure: `${entry.operation}: Simplify off`,
				unit: 'B',
				ours: entry.full,
				alt: entry.raw,
				lowerIsBetter: true,
				note: `≈ ${tokens(entry.full)} tokens vs ${tokens(entry.raw)} raw`,
			});
		}
		const total = (key: 'raw' | 'simple' | 'full') => measured.reduce((sum, entry) => sum + entry[key], 0);
		scenario.detail(
			`All operations above together: raw ${total('raw')} B (≈ ${tokens(total('raw'))} tokens), simplified ${total('simple')} B (≈ ${tokens(total('simple'))} tokens, ${fmt((100 * total('simple')) / total('raw'), 0)} % of raw), Simplify off ${total('full')} B (${fmt((100 * total('full')) / total('raw'), 0)} % of raw).`,
		);
		scenario.detail(
			'Simplify off stays within a few per cent of the raw answer: it keeps everything AgentCall sent, in the stable shapes (README, Output shapes). Simplify on drops what an agent does not act on: the messages\' direction, status and second timestamp; the calls\' metadata, recording and AI settings; the numbers\' inbound and outbound agent settings; a timestamp and the JSON around each line of a transcript.',
		);
		scenario.detail('Sandbox data: 20 received SMS (5 kinds of text, 2 with a code), 20 ended calls (12 plain, 8 AI with a CRM ID in their metadata), 5 numbers of 3 types; sizes are exact, one round.');
		await scenario.finish();
		expect(measured.every((entry) => entry.simple < entry.raw)).toBe(true);
	});
});
