/* eslint-disable @n8n/community-nodes/no-restricted-imports -- a local HTTP server in front of the recording links records the headers of the audio download */
import * as http from 'http';
import type { AddressInfo } from 'net';
import type { IDataObject } from 'n8n-workflow';

import { useEngineSuite } from '../harness/setup';

const byId = (value: string) => ({ __rl: true, mode: 'id', value });
const byPhone = (value: string) => ({ __rl: true, mode: 'phoneNumber', value });

/** Serves the sandbox's signed recording links through a local server that records each request. */
class RecordingLinkProxy {
	readonly requests: Array<{ url: string; headers: http.IncomingHttpHeaders }> = [];

	failWith: number | undefined;

	private server?: http.Server;

	constructor(private readonly upstream: () => string) {}

	async start(): Promise<string> {
		this.server = http.createServer((req, res) => {
			this.requests.push({ url: req.url ?? '', headers: req.headers });
			void this.forward(req.url ?? '/', res);
		});
		await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve()));
		return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
	}

	private async forward(url: string, res: http.ServerResponse): Promise<void> {
		if (this.failWith) {
			res.writeHead(this.failWith, { 'content-type': 'text/plain' }).end('denied');
			return;
		}
		const upstream = await fetch(this.upstream() + url);
		const body = Buffer.from(await upstream.arrayBuffer());
		res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/octet-stream' }).end(body);
	}

	async stop(): Promise<void> {
		await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
	}
}

describe('AgentCall node: Call', () => {
	const suite = useEngineSuite({ sandboxConfig: { timeScale: 0.01 } });
	let number: { id: string; number: string };

	const run = async (parameters: IDataObject, options: { items?: IDataObject[]; continueOnFail?: boolean } = {}) =>
		await suite.engine.runNode({ resource: 'call', ...parameters }, options);

	const makeCall = async (extra: IDataObject = {}) => {
		const result = await run({ operation: 'make', callFrom: byId(number.id), callTo: '+12125550142', ...extra });
		expect(result.error).toBeUndefined();
		return result.json()[0] as IDataObject & { id: string };
	};

	const callsPlaced = () => suite.sandbox.requestLog().filter((entry) => entry.route === 'POST /v1/calls/initiate' && entry.status === 200);

	beforeEach(async () => {
		const result = await suite.engine.runNode({ resource: 'phoneNumber', operation: 'provision', type: 'local' });
		number = result.json()[0] as typeof number;
		suite.sandbox.clearRequestLog();
	});

	describe('Make', () => {
		it('calls from a number picked by ID, with To normalised to E.164 and recording on', async () => {
			const call = await makeCall({ callTo: '(212) 555-0142', record: true });
			expect(call).toMatchObject({ from: number.number, to: '+12125550142', status: 'initiated', record: true });
			expect(suite.sandbox.requestLog().map((entry) => entry.body)).toEqual([{ from: number.id, to: '+12125550142', record: true }]);
		});

		it('takes From as a phone number in any format and reads To with the Default Country', async () => {
			const national = number.number.replace(/^\+1(\d{3})(\d{3})(\d{4})$/, '($1) $2-$3');
			const call = await makeCall({ callFrom: byPhone(national), callTo: '020 7946 0958', options: { defaultCountry: 'GB' } });
			expect(call).toMatchObject({ from: number.number, to: '+442079460958' });
			expect(suite.sandbox.requestLog()[0].body).toMatchObject({ from: number.number, to: '+442079460958' });
		});

		it('rejects unusable numbers per item before any request is sent', async () => {
			const result = await run(
				{ operation: 'make', callFrom: '={{ $json.from }}', callTo: '={{ $json.to }}' },
				{
					continueOnFail: true,
					items: [
						{ from: byId(number.id), to: 'call me maybe' },
						{ from: byId(number.id), to: '+1 123 456 7890' },
						{ from: byPhone('+1 555'), to: '+12125550142' },
					],
				},
			);
			expect(result.json().map((item) => item.error)).toEqual([
				expect.stringMatching(/^"To" is not valid: "call me maybe" - it contains letters/),
				expect.stringMatching(/^"To" is not valid: "\+1 123 456 7890" - a US or Canadian number/),
				expect.stringMatching(/^"From" is not valid: "\+1 555"/),
			]);
			expect(suite.sandbox.requestLog()).toHaveLength(0);
		});

		it('explains a plan limit on recording', async () => {
			suite.sandbox.setPlan('free');
			const result = await run({ operation: 'make', callFrom: byId(number.id), callTo: '+12125550142', record: true });
			expect(result.error?.message).toBe('Your AgentCall plan does not allow this (plan_limit_recording)');
			expect(result.error?.description).toMatch(/Upgrade here: https:\/\/www\.agentcall\.co\/pricing/);
		});
	});

	describe('Get and Get Many', () => {
		it('gets one call with its status', async () => {
			// A long talk time, so a loaded machine cannot see the call end between the two steps.
			suite.sandbox.setConfig({ clockCompletedMs: 3_600_000 });
			const { id } = await makeCall();
			suite.sandbox.advanceCall(id, 'in-progress');
			const result = await run({ operation: 'get', callId: ` ${id} ` });
			expect(result.json()).toEqual([expect.objectContaining({ id, status: 'in-progress', from: number.number, to: '+12125550142' })]);
		});

		it('names the call in a 404 and rejects an unusable ID before sending', async () => {
			const result = await run({ operation: 'get', callId: '={{ $json.id }}' }, { items: [{ id: 'nope' }, { id: 'a/b' }], continueOnFail: true });
			expect(result.json().map((item) => item.error)).toEqual([
				'The call "nope" was not found in your AgentCall account',
				expect.stringMatching(/^"Call ID" is not valid: "a\/b"/),
			]);
			expect(suite.sandbox.requestLog()).toHaveLength(1);
		});

		it.each(['data', 'calls', 'bare'] as const)('caps at Limit and returns all with Return All (%s wrapper)', async (wrapper) => {
			suite.sandbox.setConfig({ listWrappers: { calls: wrapper } });
			const ids = [(await makeCall()).id, (await makeCall()).id, (await makeCall()).id];
			suite.sandbox.clearRequestLog();

			const limited = await run({ operation: 'getAll', limit: 2 });
			expect(limited.json()).toHaveLength(2);
			expect(suite.sandbox.requestLog()[0].query).toMatchObject({ limit: '2' });

			const all = await run({ operation: 'getAll', returnAll: true });
			expect(all.json().map((call) => call.id).sort()).toEqual([...ids].sort());
		});
	});

	describe('Hang Up', () => {
		it('ends a call in progress', async () => {
			const { id } = await makeCall();
			suite.sandbox.advanceCall(id, 'in-progress');
			const result = await run({ operation: 'hangUp', callId: id });
			expect(result.json()).toEqual([expect.objectContaining({ id, status: 'completed' })]);
			expect(result.json()[0].alreadyEnded).toBeUndefined();
			expect(suite.sandbox.snapshot().calls).toEqual([expect.objectContaining({ id, status: 'completed' })]);
		});

		it('returns an ended call with its final status when AgentCall answers 200', async () => {
			const { id } = await makeCall();
			suite.sandbox.advanceCall(id, 'busy');
			suite.sandbox.clearRequestLog();
			const result = await run({ operation: 'hangUp', callId: id });
			expect(result.error).toBeUndefined();
			expect(result.json()).toEqual([expect.objectContaining({ id, status: 'busy' })]);
			expect(suite.sandbox.requestLog().map((entry) => `${entry.method} ${entry.status}`)).toEqual(['POST 200']);
		});

		it('returns an ended call with its final status when AgentCall answers 409', async () => {
			suite.sandbox.setConfig({ hangupEnded: '409' });
			const { id } = await makeCall();
			suite.sandbox.completeCall(id);
			suite.sandbox.clearRequestLog();
			const result = await run({ operation: 'hangUp', callId: id });
			expect(result.error).toBeUndefined();
			expect(result.json()).toEqual([expect.objectContaining({ id, status: 'completed', alreadyEnded: true })]);
			expect(suite.sandbox.requestLog().map((entry) => `${entry.method} ${entry.path} ${entry.status}`)).toEqual([
				`POST /v1/calls/${id}/hangup 409`,
				`GET /v1/calls/${id} 200`,
			]);
		});

		it('keeps going per item with Continue On Fail', async () => {
			const { id } = await makeCall();
			const result = await run({ operation: 'hangUp', callId: '={{ $json.id }}' }, { items: [{ id: 'gone' }, { id }], continueOnFail: true });
			expect(result.json()[0].error).toBe('The call "gone" was not found in your AgentCall account');
			expect(result.json()[1]).toMatchObject({ id, status: 'completed' });
			expect(result.items().map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		});
	});

	describe('Get Recording', () => {
		const proxy = new RecordingLinkProxy(() => suite.sandbox.url);
		let proxyUrl: string;
		beforeAll(async () => {
			proxyUrl = await proxy.start();
		});
		afterAll(async () => await proxy.stop());
		beforeEach(() => {
			proxy.requests.length = 0;
			proxy.failWith = undefined;
			suite.sandbox.setConfig({ publicBaseUrl: proxyUrl });
		});

		it.each(['recordingUrl', 'url', 'signedUrl'] as const)(
			'downloads the audio into binary data without the API key (link in "%s")',
			async (field) => {
				suite.sandbox.setConfig({ recordingUrlField: field });
				const { id } = await makeCall({ record: true });
				suite.sandbox.completeCall(id);
				const result = await run({ operation: 'getRecording', callId: id, binaryPropertyName: 'audio' });
				expect(result.error).toBeUndefined();

				const [item] = result.items();
				expect(item.json).toEqual({
					callId: id,
					recordingUrl: expect.stringMatching(new RegExp(`^${proxyUrl}/recordings/${id}\\.wav\\?expires=`)),
					expiresAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
					duration: expect.any(Number),
					mimeType: 'audio/wav',
					fileSize: 8044,
					fileName: `recording-${id}.wav`,
				});
				const audio = Buffer.from(item.binary!.audio.data, 'base64');
				expect(audio).toHaveLength(8044);
				expect(audio.subarray(0, 4).toString('ascii')).toBe('RIFF');
				expect(audio.subarray(8, 12).toString('ascii')).toBe('WAVE');
				expect(item.binary!.audio).toMatchObject({ mimeType: 'audio/wav', fileName: `recording-${id}.wav` });

				expect(proxy.requests).toHaveLength(1);
				expect(proxy.requests[0].headers.authorization).toBeUndefined();
				expect(JSON.stringify(proxy.requests[0].headers)).not.toContain(suite.sandbox.apiKey);
				expect(suite.sandbox.requestLog().find((entry) => entry.path === `/v1/calls/${id}/recording`)?.auth).toBe('valid');
			},
		);

		it('says so when the call has no recording', async () => {
			const { id } = await makeCall();
			suite.sandbox.completeCall(id);
			const result = await run({ operation: 'getRecording', callId: id, binaryPropertyName: 'data' }, { continueOnFail: true });
			expect(result.json()).toEqual([{ error: 'This call has no recording' }]);
			expect(result.items()[0].binary).toBeUndefined();
			expect(proxy.requests).toHaveLength(0);
		});

		it('explains a refused download of the signed link', async () => {
			const { id } = await makeCall({ record: true });
			suite.sandbox.completeCall(id);
			proxy.failWith = 403;
			const result = await run({ operation: 'getRecording', callId: id, binaryPropertyName: 'data' });
			expect(result.error?.message).toBe(`Could not download the recording of call "${id}" (HTTP 403)`);
			expect(result.error?.description).toMatch(/Run the node again to get a fresh link/);
		});
	});

	it('never shows the API key in outputs or errors', async () => {
		const { id } = await makeCall({ record: true });
		suite.sandbox.completeCall(id);
		const ok = await run({ operation: 'getRecording', callId: id, binaryPropertyName: 'data' });
		expect(ok.serialized()).not.toContain(suite.sandbox.apiKey);

		suite.engine.useCredentials({ ...suite.credentials, apiKey: 'ac_live_secret_that_must_not_leak' });
		for (const operation of ['make', 'hangUp', 'getRecording']) {
			const failed = await run({ operation, callFrom: byId(number.id), callTo: '+12125550142', callId: id, binaryPropertyName: 'data' });
			expect(failed.error?.message).toMatch(/AgentCall rejected the API key/);
			expect(failed.serialized()).not.toContain('ac_live_secret_that_must_not_leak');
		}
		expect(callsPlaced()).toHaveLength(1);
	});
});
