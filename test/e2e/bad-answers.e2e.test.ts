/**
 * Answers that are not what AgentCall promises, in a real n8n: a web page or JSON cut short at the
 * Base URL fails the credential Test button; a web page, JSON without a list, or a dropped
 * connection fails the execution with a message that says what came back (never a string item,
 * never an empty success); a read is retried once after a dropped connection, a send never is; a
 * poll trigger whose activation poll gets a web page reports it as the activation error.
 */
import type { Fault, Sandbox } from '../sandbox';
import { createAgentCallCredential, executionError, prepareExample, runAgentCallNode, sandboxApi, startTestSandbox, waitFor } from './agentcall';
import { getN8n, nodeOutput } from './helpers';

interface Credential {
	id: string;
	name: string;
}

const WEB_PAGE = 'AgentCall answered with a web page instead of its JSON';
const MAYBE_DONE = ' - the request may or may not have been carried out';

let sandbox: Sandbox;
let credential: Credential;
let line: { id: string; number: string };

const byId = (value: string) => ({ __rl: true, mode: 'id', value });
const fault = (definition: Fault) => sandbox.addFault({ times: 1, ...definition });
const statuses = (route: string) => sandbox.requestLog().filter((entry) => entry.route === route).map((entry) => entry.status);

/** Manual → AgentCall with these parameters (and node settings), run once; the finished execution. */
async function runAgentCall(name: string, parameters: Record<string, unknown>, node: Record<string, unknown> = {}) {
	const { client } = await getN8n();
	return runAgentCallNode(client, { name, credential, parameters, node });
}

beforeAll(async () => {
	sandbox = await startTestSandbox();
	line = await sandboxApi(sandbox, 'POST', '/v1/numbers/provision', { type: 'local', label: 'Bad answers line' });
	const { client } = await getN8n();
	credential = await createAgentCallCredential(client, { name: 'bad answers', apiKey: sandbox.apiKey, baseUrl: sandbox.url });
});

beforeEach(() => {
	sandbox.clearFaults();
	sandbox.clearRequestLog();
});

afterAll(async () => {
	await sandbox?.close();
});

describe('credential Test button', () => {
	it('fails with a Base URL message when a web page answers 200', async () => {
		const { client } = await getN8n();
		fault({ method: 'GET', path: '/v1/numbers', reply: 'html' });
		expect(await client.testCredential(credential.id)).toEqual({
			status: 'Error',
			message:
				"The Base URL answered with a web page, not with AgentCall's JSON. Use https://api.agentcall.co (the API, not the website) and check any proxy between n8n and AgentCall.",
		});
	});

	it('fails with a Base URL message when plain text answers 200 (a proxy\'s health page)', async () => {
		const { client } = await getN8n();
		fault({ method: 'GET', path: '/v1/numbers', reply: 'text', message: 'OK' });
		expect(await client.testCredential(credential.id)).toEqual({
			status: 'Error',
			message: expect.stringMatching(/^The Base URL answered with plain text, not with AgentCall's JSON\./),
		});
	});

	it('fails when the answer is JSON cut short, and passes again once the API answers', async () => {
		const { client } = await getN8n();
		fault({ method: 'GET', path: '/v1/numbers', reply: 'truncated' });
		expect(await client.testCredential(credential.id)).toEqual({
			status: 'Error',
			message: expect.stringMatching(/^The Base URL answered with JSON that was cut short\./),
		});
		expect(await client.testCredential(credential.id)).toEqual({ status: 'OK', message: 'Connection successful!' });
	});
});

describe('executions', () => {
	it('Phone Number > Get: a web page fails the run, saying what came back and where to look', async () => {
		fault({ method: 'GET', path: '/v1/numbers/:id', reply: 'html' });
		const execution = await runAgentCall('bad answer: get', { resource: 'phoneNumber', operation: 'get', numberId: byId(line.id) });
		expect(execution.status).toBe('error');
		const error = executionError(execution);
		expect(error).toMatchObject({ node: 'AgentCall', message: WEB_PAGE, httpCode: '200' });
		expect(error?.description).toContain('content type text/html; charset=utf-8 and starts with: <!DOCTYPE html>');
		expect(error?.description).toContain('Base URL in the AgentCall credential');
		expect(nodeOutput(execution, 'AgentCall')).toEqual([]);
	});

	it('Phone Number > Get Many: JSON that holds no list fails the run instead of an empty success', async () => {
		fault({ method: 'GET', path: '/v1/numbers', reply: 'object' });
		const execution = await runAgentCall('bad answer: get many', { resource: 'phoneNumber', operation: 'getAll', returnAll: true });
		expect(execution.status).toBe('error');
		expect(executionError(execution)?.message).toBe('AgentCall answered with JSON that holds no list');
	});

	it('On Error "Continue": the bad answer becomes an error item, an object, not a string', async () => {
		fault({ method: 'GET', path: '/v1/numbers/:id', reply: 'text' });
		const execution = await runAgentCall(
			'bad answer: continue',
			{ resource: 'phoneNumber', operation: 'get', numberId: byId(line.id) },
			{ onError: 'continueRegularOutput' },
		);
		expect(execution.status).toBe('success');
		expect(nodeOutput(execution, 'AgentCall')).toEqual([
			expect.objectContaining({ error: 'AgentCall answered with something that is not valid JSON' }),
		]);
	});

	it('a read whose connection drops is retried once and succeeds', async () => {
		fault({ method: 'GET', path: '/v1/numbers/:id', reset: 'before' });
		const execution = await runAgentCall('dropped read', { resource: 'phoneNumber', operation: 'get', numberId: byId(line.id) });
		expect(execution.status).toBe('success');
		expect(nodeOutput(execution, 'AgentCall')).toEqual([expect.objectContaining({ id: line.id })]);
		expect(statuses('GET /v1/numbers/:id')).toEqual([0, 200]);
	});

	it('a send whose connection drops is not repeated, and says it may or may not have happened', async () => {
		fault({ method: 'POST', path: '/v1/sms/send', reset: 'after' });
		const execution = await runAgentCall('dropped send', {
			resource: 'sms',
			operation: 'send',
			smsFrom: byId(line.id),
			smsTo: '+12125550199',
			message: 'Your order shipped',
			options: {},
		});
		expect(execution.status).toBe('error');
		expect(executionError(execution)?.message).toBe(`The connection to AgentCall broke before its answer arrived${MAYBE_DONE}`);
		expect(statuses('POST /v1/sms/send')).toEqual([0]);
		expect(sandbox.snapshot().messages.filter((message) => message.body === 'Your order shipped')).toHaveLength(1);
	});
});

describe('SMS Trigger', () => {
	it('a web page instead of the inbox fails the activation poll, and n8n shows our message', async () => {
		const { client } = await getN8n();
		const workflow = await client.createWorkflow(prepareExample('smsAutoReply', { credential, name: 'bad answers: trigger' }));
		// n8n 2.41 publishes an activation in the background; the editor reads its outcome (each
		// trigger's status and error) at publication-status, which older n8n (1.123, 2.0) does not
		// have: there the activation request itself fails with the error, which is also kept.
		let activationError = '';
		const activationOutcome = async () =>
			JSON.stringify([
				activationError,
				await client.request('get', `/rest/workflows/${workflow.id}/publication-status`, { expect: [200, 404] }),
				await client.request('get', `/rest/active-workflows/error/${workflow.id}`, { expect: [200, 404] }),
			]);
		sandbox.addFault({ method: 'GET', path: '/v1/sms/inbox/:numberId', reply: 'html' });
		try {
			await client.activate(workflow.id).catch((error: Error) => {
				activationError = error.message;
			});
			const outcome = await waitFor(async () => ((await activationOutcome()).includes(WEB_PAGE) ? await activationOutcome() : false), {
				what: 'the failed activation poll',
			});
			expect(outcome).toContain(WEB_PAGE);
			expect(statuses('GET /v1/sms/inbox/:numberId')[0]).toBe(200);
			expect(await client.listExecutions(workflow.id)).toEqual([]);
		} finally {
			await client.deactivate(workflow.id).catch(() => undefined);
		}
	});
});
