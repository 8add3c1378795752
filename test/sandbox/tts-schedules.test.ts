/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions -- test code: runs the `file` command on the audio the sandbox returns */
import { execFileSync } from 'child_process';
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import type { Booted } from './helpers';
import { boot, provision } from './helpers';

const CONTACT = '+14155551234';
const FUTURE = '2031-01-15T14:30:00.000Z';

/** What `file` says about some bytes, or undefined where `file` is not installed. */
function fileType(data: Buffer): string | undefined {
	const path = join(mkdtempSync(join(tmpdir(), 'tts-')), 'audio');
	writeFileSync(path, data);
	try {
		return execFileSync('file', ['-b', path], { encoding: 'utf8' }).trim();
	} catch {
		return undefined;
	}
}

describe('sandbox: POST /v1/tts', () => {
	let t: Booted;
	beforeAll(async () => {
		t = await boot();
	});
	afterAll(async () => await t.sb.close());
	beforeEach(() => t.sb.reset());

	const speak = async (body: unknown) => await t.api.post('/v1/tts', body, { responseType: 'arraybuffer' });
	const json = (data: ArrayBuffer) => JSON.parse(Buffer.from(data).toString('utf8'));

	it('answers MP3 frames by default and WAV on request, with the characters header', async () => {
		const mp3 = await speak({ text: 'Hello 👋 there' });
		expect(mp3.status).toBe(200);
		expect(mp3.headers['content-type']).toBe('audio/mpeg');
		expect(mp3.headers['x-agentcall-tts-characters']).toBe('13');
		const mp3Bytes = Buffer.from(mp3.data);
		// Every 417 bytes a frame header: sync 0xFFFB, 128 kbit/s at 44.1 kHz, mono.
		expect(mp3Bytes.length % 417).toBe(0);
		for (let at = 0; at < mp3Bytes.length; at += 417) expect([...mp3Bytes.subarray(at, at + 4)]).toEqual([0xff, 0xfb, 0x90, 0xc4]);
		const wav = await speak({ text: 'Hello', format: 'wav', voice: 'sage', language: 'en' });
		expect(wav.headers['content-type']).toBe('audio/wav');
		const wavBytes = Buffer.from(wav.data);
		expect(wavBytes.toString('latin1', 0, 4)).toBe('RIFF');
		expect(wavBytes.readUInt32LE(40)).toBe(wavBytes.length - 44);
		const described = [fileType(mp3Bytes), fileType(wavBytes)];
		if (described[0] !== undefined) {
			expect(described[0]).toMatch(/MPEG ADTS, layer III/);
			expect(described[1]).toMatch(/WAVE audio/);
		}
	});

	it.each([
		[{}, 'text is required'],
		[{ text: '' }, 'text must not be empty'],
		[{ text: 'x'.repeat(4097) }, 'text must be at most 4096 characters'],
		[{ text: 'Hi', format: 'ogg' }, 'format must be one of'],
		[{ text: 'Hi', voice: 'robot' }, 'voice must be one of'],
	])('validates %j with 422', async (body, message) => {
		const reply = await speak(body);
		expect(reply.status).toBe(422);
		expect(json(reply.data).error.message).toContain(message);
	});

	it('counts code points: 4096 emoji pass', async () => {
		const reply = await speak({ text: '👋'.repeat(4096) });
		expect(reply.status).toBe(200);
		expect(reply.headers['x-agentcall-tts-characters']).toBe('4096');
	});

	it('is Pro only: 403 on Free, 402 without a card', async () => {
		t.sb.setPlan('free');
		const free = await speak({ text: 'Hi' });
		expect([free.status, json(free.data).error.code]).toEqual([403, 'plan_limit_tts']);
		t.sb.setPlan('pro_no_card');
		const noCard = await speak({ text: 'Hi' });
		expect([noCard.status, json(noCard.data).error.code]).toEqual([402, 'payment_method_required']);
	});
});

describe('sandbox: SMS schedules', () => {
	let t: Booted;
	let numberId: string;
	beforeAll(async () => {
		t = await boot();
	});
	afterAll(async () => await t.sb.close());
	beforeEach(async () => {
		t.sb.reset();
		numberId = (await provision(t.api)).id;
		t.sb.configureInbound(numberId, { mode: 'ai', systemPrompt: 'Front desk', smsMode: 'ai' });
	});

	const path = () => `/v1/numbers/${numberId}/schedules`;
	const once = { contactPhone: CONTACT, fireAt: FUTURE, template: 'Hi {{name}}', payload: { name: 'Ana' } };

	it('creates, lists with a status filter, and cancels', async () => {
		const created = await t.api.post(path(), { ...once, dedupeKey: 'k1' });
		expect(created.status).toBe(200);
		expect(created.data).toMatchObject({ id: expect.any(String), numberId, kind: 'reminder', status: 'pending', fireAt: FUTURE, recurrence: null, dedupeKey: 'k1' });
		const weekly = await t.api.post(path(), {
			contactPhone: CONTACT,
			recurrence: { frequency: 'weekly', hour: 9, minute: 30, dayOfWeek: 1 },
			timezone: 'America/Chicago',
			promptHint: 'Check in',
		});
		expect(weekly.data).toMatchObject({ recurrence: { frequency: 'weekly', hour: 9, minute: 30, dayOfWeek: 1 }, timezone: 'America/Chicago', fireAt: null });
		expect((await t.api.get(path())).data.data).toHaveLength(2);
		expect((await t.api.get(`${path()}?status=pending`)).data.data).toHaveLength(2);
		expect((await t.api.get(`${path()}?status=sent`)).data.data).toEqual([]);
		expect((await t.api.delete(`${path()}/${created.data.id}`)).status).toBe(204);
		expect((await t.api.get(path())).data.data.map((s: { id: string }) => s.id)).toEqual([weekly.data.id]);
		expect((await t.api.delete(`${path()}/${created.data.id}`)).status).toBe(404);
	});

	it('refuses a duplicate dedupeKey on the same number with 409', async () => {
		expect((await t.api.post(path(), { ...once, dedupeKey: 'same' })).status).toBe(200);
		const again = await t.api.post(path(), { ...once, dedupeKey: 'same' });
		expect([again.status, again.data.error.code]).toEqual([409, 'duplicate_dedupe_key']);
	});

	it.each([
		[{ contactPhone: CONTACT, template: 'Hi' }, 'exactly one of fireAt or recurrence'],
		[{ ...once, recurrence: { frequency: 'daily', hour: 9, minute: 0 } }, 'exactly one of fireAt or recurrence'],
		[{ contactPhone: CONTACT, fireAt: FUTURE }, 'exactly one of template or promptHint'],
		[{ ...once, promptHint: 'x' }, 'exactly one of template or promptHint'],
		[{ ...once, fireAt: '2020-01-01T00:00:00Z' }, 'fireAt must be in the future'],
		[{ ...once, fireAt: 'next week' }, 'fireAt must be an ISO 8601 instant'],
		[{ ...once, contactPhone: '4155551234' }, 'contactPhone must be an E.164'],
		[{ ...once, fireAt: undefined, recurrence: { frequency: 'weekly', hour: 9, minute: 0 } }, 'recurrence.dayOfWeek is required'],
		[{ ...once, fireAt: undefined, recurrence: { frequency: 'daily', hour: 24, minute: 0 } }, 'recurrence.hour must be between 0 and 23'],
		[{ ...once, fireAt: undefined, recurrence: { frequency: 'hourly', hour: 1, minute: 0 } }, 'recurrence.frequency must be one of'],
		[{ ...once, timezone: 'Mars/Olympus' }, 'timezone must be an IANA time zone'],
	])('validates %j with 422', async (body, message) => {
		const reply = await t.api.post(path(), body);
		expect(reply.status).toBe(422);
		expect(reply.data.error.message).toContain(message);
	});

	it('needs AI SMS on the number, the Pro plan, and a number of the account', async () => {
		t.sb.configureInbound(numberId, { mode: 'ai', systemPrompt: 'Front desk', smsMode: 'relay', agentWebhook: { url: 'https://example.com/relay', signingSecret: 'example-relay-secret' } });
		const noAi = await t.api.post(path(), once);
		expect([noAi.status, noAi.data.error.code]).toEqual([400, 'sms_ai_required']);
		t.sb.setPlan('free');
		const free = await t.api.post(path(), once);
		expect([free.status, free.data.error.code]).toEqual([403, 'plan_limit_schedules']);
		expect((await t.api.get('/v1/numbers/nope/schedules')).status).toBe(404);
	});
});
