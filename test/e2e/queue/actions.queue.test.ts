/**
 * The action node in n8n queue mode (Postgres, Redis, main, two workers, webhook processor):
 * the suite's scenarios run on the workers, and what they produce reads back through main.
 */
import type { Sandbox } from '../../sandbox';
import { createAgentCallCredential, EXAMPLES, executionError, prepareExample, sandboxApi, startTestSandbox } from '../agentcall';
import { nodeOutput } from '../helpers';
import { getQueue, workerOf } from './topology';

interface Credential {
	id: string;
	name: string;
}

let sandbox: Sandbox;
let credential: Credential;
let clinicLine: { id: string; number: string };

beforeAll(async () => {
	sandbox = await startTestSandbox();
	clinicLine = await sandboxApi(sandbox, 'POST', '/v1/numbers/provision', { type: 'local', label: 'Clinic line' });
	const { client } = getQueue();
	credential = await createAgentCallCredential(client, { name: 'queue actions sandbox', apiKey: sandbox.apiKey, baseUrl: sandbox.url });
});

afterAll(async () => {
	await sandbox?.close();
});

async function runExample(key: keyof typeof EXAMPLES) {
	const { client } = getQueue();
	const workflow = await client.createWorkflow(prepareExample(key, { credential, sandboxUrl: sandbox.url }));
	const executionId = await client.runWorkflow(workflow.id, EXAMPLES[key].trigger);
	const execution = await client.waitForExecution(executionId, { timeoutMs: 120000 });
	return { workflow, execution, executionId };
}

describe('the action node in queue mode', () => {
	it('OTP QA runs on a worker: the texted code arrives in Wait for OTP, the check passes, the number is released', async () => {
		const { execution, executionId } = await runExample('otpQa');
		expect(executionError(execution)).toBeUndefined();
		expect(execution.status).toBe('success');
		expect(workerOf(executionId)).toMatch(/^worker\d$/);

		const [provisioned] = nodeOutput(execution, 'Provision test number');
		const [made] = nodeOutput(execution, 'Code your app will send');
		const [otp] = nodeOutput(execution, 'Wait for OTP');
		expect(otp.otp).toBe(made.expectedCode);
		expect(otp.timedOut).not.toBe(true);
		expect(nodeOutput(execution, 'QA passed')).toEqual([
			{ result: 'passed', otp: made.expectedCode, testNumber: provisioned.number, numberReleased: true },
		]);
		expect(sandbox.snapshot().numbers.find((n) => n.id === provisioned.id)?.status).toBe('released');
	});

	it('AI appointment call with Wait for Completion runs on a worker and ends with the summary and transcript', async () => {
		const { execution, executionId } = await runExample('aiAppointmentCall');
		expect(executionError(execution)).toBeUndefined();
		expect(execution.status).toBe('success');
		expect(workerOf(executionId)).toMatch(/^worker\d$/);

		const [call] = nodeOutput(execution, 'Book the appointment');
		expect(call.status).toBe('completed');
		expect(call.timedOut).toBe(false);
		expect(call.from).toBe(clinicLine.number);
		const [summary] = nodeOutput(execution, 'Summary');
		expect(summary.intent).toBe('scheduling');
		expect(summary.transcript.split('\n')[0]).toBe('AI: Hi, this is Ava from Bright Smile Dental. Am I speaking with Jordan Lee?');
		expect(sandbox.snapshot().calls.find((c) => c.id === call.callId)?.status).toBe('completed');
	});
});
