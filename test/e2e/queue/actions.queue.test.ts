/**
 * The action node in n8n queue mode (Postgres, Redis, main, two workers, webhook processor):
 * the suite's scenarios run on the workers, and what they produce reads back through main.
 */
import type { Sandbox } from '../../sandbox';
import { createAgentCallCredential, EXAMPLES, executionError, prepareExample, runAgentCallNode, sandboxApi, startTestSandbox } from '../agentcall';
import { nodeOutput } from '../helpers';
import { bulkSendWorkflow, downloadBinary, report, sendStats } from './scenarios';
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

	it('bulk send under an enforced rate limit: both workers send at once, 0 failed items, nothing sent twice', async () => {
		const { client } = getQueue();
		// The guardrail's default of 20 SMS per execution would stop a bulk run first.
		const bulkCredential = await createAgentCallCredential(client, {
			name: 'queue bulk sandbox',
			apiKey: sandbox.apiKey,
			baseUrl: sandbox.url,
			guardrails: { quietHours: 'off', maxSmsPerExecution: 1000 },
		});
		// AgentCall's limit made small enough to bind: 20 requests per 2 s for the whole key.
		sandbox.setLimits({ windowMs: 2000, global: 20 });
		sandbox.clearRequestLog();
		const perRun = 60;
		const workflows = await Promise.all(
			['A', 'B'].map((tag) => client.createWorkflow(bulkSendWorkflow({ tag, count: perRun, credential: bulkCredential, numberId: clinicLine.id }))),
		);
		const ids = await Promise.all(workflows.map((workflow) => client.runWorkflow(workflow.id, 'Manual')));
		const executions = await Promise.all(ids.map((id) => client.waitForExecution(id, { timeoutMs: 180000 })));
		sandbox.setLimits({ windowMs: 60000, global: 100 });

		for (const execution of executions) {
			expect(executionError(execution)).toBeUndefined();
			expect(execution.status).toBe('success');
			const items = nodeOutput(execution, 'Send SMS');
			expect(items).toHaveLength(perRun);
			expect(items.filter((item: { id?: string }) => !String(item.id ?? '').startsWith('msg_'))).toEqual([]);
		}
		// One execution per worker, running at the same time.
		expect(ids.map((id) => workerOf(id)).sort()).toEqual(['worker1', 'worker2']);
		const [a, b] = executions.map((e) => [Date.parse(e.startedAt), Date.parse(e.stoppedAt)]);
		expect(Math.max(a[0], b[0])).toBeLessThan(Math.min(a[1], b[1]));

		const stats = sendStats(sandbox.requestLog(), { windowMs: 2000, limit: 20 });
		// Every SMS sent exactly once (a 429 is not processed, so its retry is not a second SMS).
		const bodies = sandbox.snapshot().messages.filter((m) => m.direction === 'outbound' && /^bulk [AB] /.test(m.body)).map((m) => m.body);
		expect(bodies).toHaveLength(2 * perRun);
		expect(new Set(bodies).size).toBe(2 * perRun);
		expect(stats.accepted).toBe(2 * perRun);
		report(`bulk send, 2 workers × ${perRun} SMS at 20 per 2 s: ${JSON.stringify(stats)}`);
	});

	it('Get Recording on a worker: the audio is stored in the database and main serves the same bytes', async () => {
		const { client } = getQueue();
		const call = await sandboxApi(sandbox, 'POST', '/v1/calls/initiate', { from: clinicLine.id, to: '+12125550142', record: true });
		sandbox.completeCall(call.id);
		const execution = await runAgentCallNode(client, {
			name: 'queue recording',
			credential,
			parameters: { resource: 'call', operation: 'getRecording', callId: call.id, binaryPropertyName: 'audio' },
		});
		expect(executionError(execution)).toBeUndefined();
		expect(workerOf(String(execution.id))).toMatch(/^worker\d$/);
		const item = execution.data.resultData.runData.AgentCall[0].data.main[0][0];
		expect(item.json).toMatchObject({ callId: call.id, mimeType: 'audio/wav', fileSize: 8044, fileName: `recording-${call.id}.wav` });
		// Queue mode's default binary data mode: the bytes are in Postgres, not in a worker's folder.
		expect(item.binary.audio.id).toMatch(/^database:/);
		const audio = await downloadBinary(client, item.binary.audio.id);
		expect(audio).toHaveLength(8044);
		expect(audio.subarray(0, 4).toString('ascii')).toBe('RIFF');
		expect(audio.subarray(8, 12).toString('ascii')).toBe('WAVE');
	});
});
