// @ts-check
'use strict';

const { planLimit, paymentRequired } = require('./errors');
const { Checker, requireObjectBody } = require('./validate');
const { VOICES, LANGUAGES } = require('./catalog');
const { makeWav } = require('./recording');

/**
 * `POST /v1/tts` (§3): text → real audio bytes, `audio/mpeg` (default) or `audio/wav`, with the
 * documented `x-agentcall-tts-characters` header. Pro only (Free → 403 `plan_limit_tts`, Pro
 * without a card → 402, as it is billed per use). Text: 1–4096 characters (code points).
 */

const MAX_CHARACTERS = 4096;

/** Bytes of one MPEG-1 Layer III frame at 128 kbit/s, 44.1 kHz, no padding: 144 × 128000 / 44100. */
const MP3_FRAME_BYTES = 417;

/**
 * A stream of valid MPEG-1 Layer III frames (mono, 128 kbit/s, 44.1 kHz). Each frame holds no
 * coded audio (zero side information), which decoders play as silence; `file` reports
 * "MPEG ADTS, layer III, v1, 128 kbps, 44.1 kHz, Monaural".
 * @param {number} frames about 26 ms each
 */
function makeMp3(frames) {
	const buf = Buffer.alloc(frames * MP3_FRAME_BYTES);
	for (let i = 0; i < frames; i++) {
		const at = i * MP3_FRAME_BYTES;
		buf[at] = 0xff; // frame sync
		buf[at + 1] = 0xfb; // sync, MPEG-1, Layer III, no CRC
		buf[at + 2] = 0x90; // bitrate index 9 (128 kbit/s), 44.1 kHz, no padding
		buf[at + 3] = 0xc4; // mono, original
	}
	return buf;
}

/** Seconds of speech for a text: about 15 characters a second, at least half a second. @param {number} chars */
const secondsFor = (chars) => Math.min(30, Math.max(0.5, chars / 15));

/** @param {any} core */
function createTts(core) {
	function checkPlan() {
		if (core.config.plan === 'free') {
			throw planLimit('plan_limit_tts', 'Text to speech is available on Pro only. Upgrade to Pro to lift this limit.', core.config.upgradeUrl);
		}
		if (core.config.plan === 'pro_no_card') {
			throw paymentRequired('Text to speech needs a payment method on file. Add a card to continue.', core.config.setupUrl);
		}
	}

	/** @param {any} ctx */
	function speak(ctx) {
		checkPlan();
		requireObjectBody(ctx.body);
		const c = new Checker(ctx.body);
		c.string('text', { required: true, min: 1 });
		c.oneOf('voice', VOICES);
		c.oneOf('format', ['mp3', 'wav']);
		c.oneOf('language', LANGUAGES);
		const text = ctx.body.text;
		const chars = typeof text === 'string' ? Array.from(text).length : 0;
		if (chars > MAX_CHARACTERS) c.fail('text', `must be at most ${MAX_CHARACTERS} characters (got ${chars})`);
		c.throwIfAny();
		const seconds = secondsFor(chars);
		const wav = ctx.body.format === 'wav';
		const raw = wav ? makeWav(220 + (VOICES.indexOf(ctx.body.voice || 'shimmer') + 1) * 20, seconds) : makeMp3(Math.ceil(seconds / 0.026));
		return {
			status: 200,
			raw,
			contentType: wav ? 'audio/wav' : 'audio/mpeg',
			headers: { 'x-agentcall-tts-characters': String(chars) },
		};
	}

	return { routes: [{ method: 'POST', path: '/v1/tts', handler: speak }] };
}

module.exports = { createTts, makeMp3, MAX_CHARACTERS };
