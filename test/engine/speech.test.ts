import type { IDataObject } from 'n8n-workflow';

import { useEngineSuite } from '../harness/setup';

/** MPEG-1 Layer III frame header: sync, version, layer (see test/sandbox/tts.js). */
function isMp3(data: Buffer): boolean {
	return data.length > 417 && data[0] === 0xff && (data[1] & 0xfe) === 0xfa && data[417] === 0xff;
}

function isWav(data: Buffer): boolean {
	return data.toString('latin1', 0, 4) === 'RIFF' && data.toString('latin1', 8, 12) === 'WAVE';
}

describe('AgentCall node: Speech > Generate', () => {
	const suite = useEngineSuite();

	const generate = async (parameters: IDataObject, options: { items?: IDataObject[]; continueOnFail?: boolean } = {}) =>
		await suite.engine.runNode({ resource: 'speech', operation: 'generate', ...parameters }, options);

	const ttsRequests = () => suite.sandbox.requestLog().filter((entry) => entry.route === 'POST /v1/tts');

	it('puts MP3 audio into the "data" binary field by default', async () => {
		const text = 'Hello, this is Bright Dental. Your appointment is confirmed.';
		const result = await generate({ speechText: text });
		expect(result.error).toBeUndefined();
		const [item] = result.items();
		const audio = Buffer.from(item.binary!.data.data, 'base64');
		expect(isMp3(audio)).toBe(true);
		expect(item.binary!.data).toMatchObject({ mimeType: 'audio/mpeg', fileName: 'speech.mp3', fileExtension: 'mp3' });
		expect(item.json).toEqual({ fileName: 'speech.mp3', mimeType: 'audio/mpeg', fileSize: audio.length, format: 'mp3', voice: 'shimmer', characters: text.length });
		expect(ttsRequests().map((entry) => entry.body)).toEqual([{ text, voice: 'shimmer', format: 'mp3' }]);
	});

	it('writes WAV with voice, language, field and file name as chosen; characters counted as AgentCall counts them', async () => {
		const text = 'Hola 👋 mañana a las tres.';
		const result = await generate({
			speechText: text,
			speechVoice: 'sage',
			speechFormat: 'wav',
			speechBinaryPropertyName: 'greeting',
			options: { fileName: 'reminder', language: 'es' },
		});
		expect(result.error).toBeUndefined();
		const [item] = result.items();
		const audio = Buffer.from(item.binary!.greeting.data, 'base64');
		expect(isWav(audio)).toBe(true);
		expect(item.binary!.greeting).toMatchObject({ mimeType: 'audio/wav', fileName: 'reminder.wav' });
		// Code points: the emoji is one character, as AgentCall counts it in x-agentcall-tts-characters.
		expect(item.json).toMatchObject({ fileName: 'reminder.wav', format: 'wav', voice: 'sage', characters: Array.from(text).length });
		expect(ttsRequests().map((entry) => entry.body)).toEqual([{ text, voice: 'sage', format: 'wav', language: 'es' }]);
	});

	it.each([
		[{ speechText: '   ' }, '"Text" is empty'],
		[{ speechText: 'x'.repeat(4097) }, '"Text" is too long: 4097 characters'],
		[{ speechText: 'Hi', speechBinaryPropertyName: ' ' }, '"Put Output File in Field" is empty'],
	])('rejects %# before any request', async (parameters, message) => {
		const result = await generate(parameters);
		expect(result.error?.message).toContain(message);
		expect(ttsRequests()).toEqual([]);
	});

	it('accepts exactly 4096 characters, counting an emoji as one', async () => {
		const result = await generate({ speechText: '👋'.repeat(4096) });
		expect(result.error).toBeUndefined();
		expect(result.json()[0].characters).toBe(4096);
	});

	it.each([
		['object', 'content type application/json'],
		['html', 'content type text/html'],
		['text', 'content type text/plain'],
	] as const)('fails with what came back when a 2xx is not audio (%s)', async (reply, described) => {
		suite.sandbox.addFault({ method: 'POST', path: '/v1/tts', reply, times: 1 });
		const result = await generate({ speechText: 'Hi' });
		expect(result.error?.message).toBe('AgentCall answered with something that is not audio');
		expect(result.error?.description).toContain(described);
	});

	it('maps plan errors, and with Continue On Fail goes on with the next item', async () => {
		suite.sandbox.setPlan('free');
		const free = await generate({ speechText: 'Hi' });
		expect(free.error?.message).toBe('Your AgentCall plan does not allow this (plan_limit_tts)');
		suite.sandbox.setPlan('pro');
		const result = await generate({ speechText: '={{ $json.text }}' }, { items: [{ text: '' }, { text: 'Second item' }], continueOnFail: true });
		const items = result.items();
		expect(items[0].json.error).toContain('"Text" is empty');
		expect(items[1].binary!.data.mimeType).toBe('audio/mpeg');
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(free.serialized() + result.serialized()).not.toContain(suite.sandbox.apiKey);
	});
});
