// @ts-check
'use strict';

const crypto = require('crypto');
const { ApiError, notFound } = require('./errors');

/**
 * Recordings: a small WAV generated in code, short-lived signed URLs served without auth, and
 * `GET /v1/calls/:id/recording`. Voice samples of the catalogues use the same generator.
 */

/** 16-bit PCM mono WAV with a sine tone. @param {number} freq @param {number} seconds */
function makeWav(freq = 440, seconds = 0.5) {
	const rate = 8000;
	const samples = Math.round(rate * seconds);
	const buf = Buffer.alloc(44 + samples * 2);
	buf.write('RIFF', 0, 'ascii');
	buf.writeUInt32LE(36 + samples * 2, 4);
	buf.write('WAVE', 8, 'ascii');
	buf.write('fmt ', 12, 'ascii');
	buf.writeUInt32LE(16, 16); // fmt chunk size
	buf.writeUInt16LE(1, 20); // PCM
	buf.writeUInt16LE(1, 22); // mono
	buf.writeUInt32LE(rate, 24);
	buf.writeUInt32LE(rate * 2, 28); // byte rate
	buf.writeUInt16LE(2, 32); // block align
	buf.writeUInt16LE(16, 34); // bits per sample
	buf.write('data', 36, 'ascii');
	buf.writeUInt32LE(samples * 2, 40);
	for (let i = 0; i < samples; i++) {
		const fade = Math.min(1, i / 400, (samples - i) / 400);
		buf.writeInt16LE(Math.round(Math.sin((2 * Math.PI * freq * i) / rate) * 8000 * fade), 44 + i * 2);
	}
	return buf;
}

/** @param {any} core */
function createRecording(core) {
	const key = crypto.randomBytes(32);
	/** @param {string} callId @param {number} expires */
	const token = (callId, expires) => crypto.createHmac('sha256', key).update(`${callId}.${expires}`).digest('hex').slice(0, 32);

	/** A signed URL valid for `ttlSecs`. @param {string} callId @param {number} ttlSecs */
	function signedUrl(callId, ttlSecs) {
		const expires = Math.floor(Date.now() / 1000) + ttlSecs;
		return {
			url: `${core.baseUrl()}/recordings/${encodeURIComponent(callId)}.wav?expires=${expires}&token=${token(callId, expires)}`,
			expiresAt: new Date(expires * 1000).toISOString(),
		};
	}

	/** @param {any} call */
	const hasRecording = (call) => !!(call.record && call.status === 'completed' && call.answeredMs);

	const routes = [
		{
			method: 'GET',
			path: '/v1/calls/:id/recording',
			handler: (/** @type {any} */ ctx) => {
				const call = core.state.calls.get(ctx.params.id);
				if (!call) throw notFound('Call', ctx.params.id);
				if (!hasRecording(call)) {
					throw new ApiError(404, 'recording_not_available', `No recording is available for call '${call.id}'`);
				}
				const s = signedUrl(call.id, core.config.recordingUrlTtlSecs);
				return {
					status: 200,
					body: { callId: call.id, [core.config.recordingUrlField]: s.url, expiresAt: s.expiresAt, duration: call.duration, format: 'wav' },
				};
			},
		},
		{
			method: 'GET',
			path: '/recordings/:file',
			public: true,
			handler: (/** @type {any} */ ctx) => {
				const callId = String(ctx.params.file).replace(/\.wav$/, '');
				const expires = Number(ctx.query.expires);
				const given = String(ctx.query.token || '');
				const want = token(callId, expires);
				if (given.length !== want.length || !crypto.timingSafeEqual(Buffer.from(given), Buffer.from(want))) {
					throw new ApiError(403, 'invalid_signature', 'The recording URL signature is invalid');
				}
				if (!(expires * 1000 > Date.now())) throw new ApiError(403, 'url_expired', 'The recording URL has expired');
				const call = core.state.calls.get(callId);
				if (!call || !hasRecording(call)) throw new ApiError(404, 'recording_not_available', 'Recording not found');
				return { status: 200, raw: makeWav(440, 0.5), contentType: 'audio/wav' };
			},
		},
		{
			method: 'GET',
			path: '/samples/:file',
			public: true,
			handler: (/** @type {any} */ ctx) => {
				const id = String(ctx.params.file).replace(/\.wav$/, '');
				const freq = 300 + (id.split('').reduce((a, c) => a + c.charCodeAt(0), 0) % 400);
				return { status: 200, raw: makeWav(freq, 0.3), contentType: 'audio/wav' };
			},
		},
	];

	return { routes, signedUrl, hasRecording, makeWav };
}

module.exports = { createRecording, makeWav };
