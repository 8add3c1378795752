import type { INode } from 'n8n-workflow';

import { agentCallApiError, agentCallNetworkError, readErrorBody, readRetryAfterSeconds } from '../../nodes/AgentCall/shared/errors';
import { nextRateLimitDelayMs, RATE_LIMIT_RETRY } from '../../nodes/AgentCall/shared/rateLimit';

const node: INode = { id: '1', name: 'AgentCall', type: 'n8n-nodes-agentcall.agentCall', typeVersion: 1, position: [0, 0], parameters: {} };

describe('the one AgentCall error mapper', () => {
	it('reads every error body shape the API has used', () => {
		expect(readErrorBody({ error: { code: 'not_found', message: 'No such call' } })).toMatchObject({ code: 'not_found', message: 'No such call' });
		expect(readErrorBody({ error: 'Plain text error' })).toMatchObject({ message: 'Plain text error' });
		expect(readErrorBody({ message: 'Top level', code: 'x', setupUrl: 'https://pay' })).toMatchObject({ message: 'Top level', code: 'x', setupUrl: 'https://pay' });
		expect(readErrorBody('{"error":{"code":"rate_limited"}}')).toMatchObject({ code: 'rate_limited' });
		expect(readErrorBody('<html>Bad gateway</html>')).toMatchObject({ message: '<html>Bad gateway</html>' });
	});

	it.each([
		[401, {}, /rejected the API key/, /ac_live_/],
		[402, { error: { code: 'payment_method_required', setupUrl: 'https://checkout.example/s' } }, /payment method/, /https:\/\/checkout\.example\/s/],
		[403, { error: { code: 'plan_limit_voice_ai', upgradeUrl: 'https://up.example' } }, /plan does not allow this \(plan_limit_voice_ai\)/, /https:\/\/up\.example/],
		[403, { error: { code: 'recipient_opted_out' } }, /opted out/, /STOP|opted out/],
		[404, { error: { code: 'not_found' } }, /The call "c1" was not found/, /Check the ID/],
		[404, { error: { code: 'recording_not_available' } }, /no recording/, /Record enabled/],
		[409, { error: { message: 'Already ended' } }, /conflict/, /Already ended/],
		[422, { error: { code: 'validation_error', details: [{ field: 'to', message: 'must be E.164' }] } }, /to: must be E\.164/, /Check the fields/],
		[400, { error: { code: 'carrier_not_supported', message: 'US/CA only' } }, /rejected the input - US\/CA only/, /US and Canadian/],
		[429, {}, /rate limit/, /100 requests a minute/],
		[503, { error: { code: 'voice_ai_unavailable' } }, /temporarily unavailable/, /AI voice service/],
		[500, {}, /server error \(HTTP 500\)/, /AgentCall's side/],
	])('maps %s to an actionable message', (statusCode, body, message, description) => {
		const error = agentCallApiError(node, { statusCode, body }, { itemIndex: 2, subject: { label: 'call', id: 'c1' } });
		expect(error.message).toMatch(message);
		expect(error.description).toMatch(description);
		expect(error.httpCode).toBe(String(statusCode));
		expect(error.context.itemIndex).toBe(2);
	});

	it('keeps Retry-After for the rate-limit retry', () => {
		const error = agentCallApiError(node, { statusCode: 429, body: {}, headers: { 'retry-after': '7' } });
		expect(error.context.retryAfterSeconds).toBe(7);
		expect(readRetryAfterSeconds({})).toBeUndefined();
		expect(readRetryAfterSeconds({ 'retry-after': new Date(Date.now() + 10_000).toUTCString() })).toBeGreaterThan(8);
	});

	it('explains connection failures without echoing the request', () => {
		const error = agentCallNetworkError(node, { code: 'ECONNREFUSED', config: { headers: { Authorization: 'Bearer ac_live_x' } } });
		expect(error.message).toBe('Could not reach AgentCall');
		expect(error.description).toMatch(/ECONNREFUSED.*Check the Base URL/);
		expect(JSON.stringify(error)).not.toContain('ac_live_x');
		expect(agentCallNetworkError(node, { code: 'ECONNABORTED' }).message).toMatch(/did not answer in time/);
	});
});

describe('rate-limit retry policy', () => {
	it('honours Retry-After, backs off without it, and stops within its budget', () => {
		expect(nextRateLimitDelayMs(1, 3, 0)).toBeGreaterThanOrEqual(3000);
		expect(nextRateLimitDelayMs(1, 3, 0)).toBeLessThanOrEqual(4000);
		expect(nextRateLimitDelayMs(3, undefined, 0)).toBeGreaterThanOrEqual(4000);
		expect(nextRateLimitDelayMs(RATE_LIMIT_RETRY.maxAttempts, 1, 0)).toBeUndefined();
		expect(nextRateLimitDelayMs(1, 60, RATE_LIMIT_RETRY.maxTotalWaitMs - 1000)).toBeUndefined();
	});
});
