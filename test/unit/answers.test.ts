import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { answerProblem, checkAnswer } from '../../nodes/AgentCall/shared/answers';
import { agentCallNetworkError, noteUncertainEffect } from '../../nodes/AgentCall/shared/errors';

const node: INode = { id: '1', name: 'AgentCall', type: 'n8n-nodes-agentcall.agentCall', typeVersion: 1, position: [0, 0], parameters: {} };
const ok = (body: unknown, statusCode = 200, contentType = 'application/json') => ({ statusCode, body, headers: { 'content-type': contentType } });

describe('which answers are what an operation expects', () => {
	it('a list is an array or an array under a known wrapper, empty or not; nothing else', () => {
		for (const body of [[], [{ id: 'a' }], { data: [] }, { numbers: [{ id: 'a' }] }, { messages: [] }, { results: [], nextCursor: 'x' }]) {
			expect(answerProblem(ok(body), 'list')).toBeUndefined();
		}
		for (const body of [{}, { status: 'ok' }, { data: null }, { data: {} }, null, 'null']) {
			expect(answerProblem(ok(body), 'list')).toBe(typeof body === 'string' ? 'notJson' : 'notList');
		}
		expect(answerProblem(ok('', 204), 'list')).toBe('empty');
	});

	it('an object is a JSON object; an empty body only with 202 or 204; null only where it means "nothing"', () => {
		expect(answerProblem(ok({ id: 'a' }), 'object')).toBeUndefined();
		expect(answerProblem(ok([{ id: 'a' }]), 'object')).toBe('notObject');
		expect(answerProblem(ok(''), 'object')).toBe('empty');
		expect(answerProblem(ok(undefined, 201), 'object')).toBe('empty');
		expect(answerProblem(ok('', 204), 'object')).toBeUndefined();
		expect(answerProblem(ok(' ', 202), 'object')).toBeUndefined();
		expect(answerProblem(ok(null), 'object')).toBe('notObject');
		expect(answerProblem(ok(null), 'objectOrNull')).toBeUndefined();
	});

	it('text is a web page when its type or first character says so', () => {
		expect(answerProblem(ok('\n  <html><body>Hi</body></html>', 200, 'text/plain'), 'object')).toBe('html');
		expect(answerProblem(ok('Maintenance', 200, 'text/html'), 'object')).toBe('html');
		expect(answerProblem(ok('{"id":"a"', 200), 'object')).toBe('notJson');
	});

	it('leaves statuses from 400 up to the error mapper', () => {
		expect(() => checkAnswer(node, ok('<html>', 502, 'text/html'), 'object')).not.toThrow();
		expect(() => checkAnswer(node, ok('<html>'), 'object')).toThrow('AgentCall answered with a web page instead of its JSON');
	});

	it('an empty 200 says so, without first characters', () => {
		let message = '';
		try {
			checkAnswer(node, ok('', 200, 'text/plain'), 'object');
		} catch (error) {
			message = `${(error as Error).message} | ${(error as { description: string }).description}`;
		}
		expect(message).toMatch(/^AgentCall answered with an empty body \| The answer had HTTP status 200, content type text\/plain\. Check that the Base URL/);
	});
});

/** n8n 1.x's own text for ECONNRESET, which replaces the original "socket hang up". */
const N8N_1_RESET_MESSAGE = 'The connection to the server was closed unexpectedly, perhaps it is offline. You can retry the request immediately or wait and retry later.';

describe('the note on requests that may have had their effect', () => {
	const reset = () => agentCallNetworkError(node, Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));

	it('is added for a broken connection on a request that changes something, once', () => {
		const error = noteUncertainEffect(noteUncertainEffect(reset(), { method: 'POST', body: { to: '+1' } }), { method: 'POST' });
		expect(error.message).toBe('The connection to AgentCall broke before its answer arrived - the request may or may not have been carried out');
		expect(error.description?.match(/may or may not have carried out/g)).toHaveLength(1);
	});

	it('points at the idempotency key when the request carried one', () => {
		const error = noteUncertainEffect(reset(), { method: 'POST', body: { idempotencyKey: 'k' } });
		expect(error.description).toMatch(/^AgentCall may or may not have placed this call\. Running the node again is safe/);
	});

	it("reads the code from n8n 1.x's wrapped error, which keeps it only as httpCode", () => {
		// what n8n 1.123's httpRequestWithAuthentication throws for a dropped connection: no code, no cause
		const wrapped = new NodeApiError(node, { message: N8N_1_RESET_MESSAGE } as JsonObject, { message: N8N_1_RESET_MESSAGE, httpCode: 'ECONNRESET' });
		expect(wrapped.httpCode).toBe('ECONNRESET');
		const error = agentCallNetworkError(node, wrapped);
		expect(error.context.interrupted).toBe(true);
		expect(noteUncertainEffect(error, { method: 'POST' }).message).toBe(
			'The connection to AgentCall broke before its answer arrived - the request may or may not have been carried out',
		);
		// an HTTP status in httpCode is not a connection error code
		const refused = agentCallNetworkError(node, { message: 'connect failed', httpCode: '404' });
		expect([refused.context.interrupted, refused.context.code]).toEqual([false, null]);
	});

	it('is not added for reads, nor for a connection that never opened', () => {
		expect(noteUncertainEffect(reset(), { method: 'GET' }).message).toBe('The connection to AgentCall broke before its answer arrived');
		const refused = agentCallNetworkError(node, Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
		expect(noteUncertainEffect(refused, { method: 'POST' }).message).toBe('Could not reach AgentCall');
	});
});
