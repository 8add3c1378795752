import { createHmac } from 'crypto';

import { extractList, extractNextCursor } from '../../nodes/AgentCall/shared/lists';
import { canonicalCallStatus, isFinalCallStatus, toMessage, toTranscript, transcriptAsText } from '../../nodes/AgentCall/shared/shapes';
import { hasValidSignature } from '../../nodes/AgentCall/shared/signature';

describe('stable output shapes', () => {
	it('reads lists in every wrapper and finds cursors', () => {
		for (const key of ['data', 'numbers', 'messages', 'calls']) {
			expect(extractList({ [key]: [{ id: 'a' }, { id: 'b' }] })).toHaveLength(2);
		}
		expect(extractList([{ id: 'a' }])).toHaveLength(1);
		expect(extractList({ nothing: true })).toEqual([]);
		expect(extractNextCursor({ nextCursor: 'c1' })).toBe('c1');
		expect(extractNextCursor({ next_cursor: 'c2' })).toBe('c2');
		expect(extractNextCursor({ pagination: { nextCursor: 'c3' } })).toBe('c3');
		expect(extractNextCursor({ nextCursor: null })).toBeUndefined();
	});

	it('gives messages one timestamp and an explicit otp', () => {
		expect(toMessage({ id: 'm', body: 'hi', createdAt: '2026-01-01T00:00:00Z' }, 'n1')).toMatchObject({
			id: 'm',
			numberId: 'n1',
			otp: null,
			receivedAt: '2026-01-01T00:00:00Z',
		});
		expect(toMessage({ id: 'm', otp: '123456', receivedAt: 'r', createdAt: 'c' })).toMatchObject({ otp: '123456', receivedAt: 'r' });
	});

	it('treats call statuses alike across separators and versions', () => {
		expect(canonicalCallStatus('In-Progress')).toBe('in_progress');
		expect(isFinalCallStatus('no-answer')).toBe(true);
		expect(isFinalCallStatus('no_answer')).toBe(true);
		expect(isFinalCallStatus('ringing')).toBe(false);
		expect(isFinalCallStatus('answered')).toBe(false);
	});

	it('normalises both transcript shapes to one', () => {
		const documented = toTranscript({
			entries: [{ role: 'assistant', text: 'Hello', timestamp: 't1' }, { role: 'human', text: 'Hi' }],
			summary: 'Booked for Tuesday',
			duration: 42,
		}, 'c1');
		const live = toTranscript({
			callId: 'c1',
			transcript: [{ role: 'ai', text: 'Hello', timestamp: 't1' }, { role: 'human', text: 'Hi' }],
			summary: { summary: 'Booked for Tuesday', intent: 'scheduling', urgency: 'low', callerName: null, callbackBy: null, spam: false },
			duration: 42,
		});
		for (const transcript of [documented, live]) {
			expect(transcript).toMatchObject({ callId: 'c1', duration: 42, summary: 'Booked for Tuesday' });
			expect(transcript.entries).toEqual([
				{ role: 'ai', text: 'Hello', timestamp: 't1' },
				{ role: 'human', text: 'Hi', timestamp: null },
			]);
		}
		expect(documented.insights).toBeNull();
		expect(live.insights).toMatchObject({ intent: 'scheduling', spam: false });
		expect(transcriptAsText(live.entries as never)).toBe('AI: Hello\nHuman: Hi');
	});
});

describe('the one signature verifier', () => {
	const secret = 'example-signing-secret';
	const body = Buffer.from('{"event":"sms.inbound","timestamp":"2026-01-01T00:00:00.000Z","data":{"id":"m1"}}');

	it('accepts the reference test vector', () => {
		expect(hasValidSignature(body, 'sha256=772d28ac6bf4321b262c8c01c8564f213de02307d8e17466f440a3e2ffae52ca', secret)).toBe(true);
	});

	it('rejects forged, missing, malformed and unprefixed signatures', () => {
		const hex = createHmac('sha256', secret).update(body).digest('hex');
		expect(hasValidSignature(body, `sha256=${hex}`, 'another-secret')).toBe(false);
		expect(hasValidSignature(body, undefined, secret)).toBe(false);
		expect(hasValidSignature(body, 'sha256=abc', secret)).toBe(false);
		expect(hasValidSignature(body, hex, secret)).toBe(false);
		expect(hasValidSignature(body, hex, secret, { allowBareHex: true })).toBe(true);
		expect(hasValidSignature(Buffer.from(body.toString() + ' '), `sha256=${hex}`, secret)).toBe(false);
	});
});
