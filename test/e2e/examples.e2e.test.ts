/**
 * The example workflows of examples/*.json, imported into a real n8n and run manually against
 * the sandbox: each produces the items a user sees in the editor.
 */
import type { Sandbox } from '../sandbox';
import { createAgentCallCredential, EXAMPLES, executionError, prepareExample, sandboxApi, startTestSandbox } from './agentcall';
import { getN8n, nodeOutput } from './helpers';

interface Credential {
	id: string;
	name: string;
}

let sandbox: Sandbox;
let credential: Credential;
let clinicLine: { id: string; number: string };

beforeAll(async () => {
	sandbox = await startTestSandbox();
	// the AI call example calls from the account's first number
	clinicLine = await sandboxApi(sandbox, 'POST', '/v1/numbers/provision', { type: 'local', label: 'Clinic line' });
	const { client } = await getN8n();
	credential = await createAgentCallCredential(client, { name: 'examples sandbox', apiKey: sandbox.apiKey, baseUrl: sandbox.url });
});

afterAll(async () => {
	await sandbox?.close();
});

async function runExample(key: keyof typeof EXAMPLES) {
	const { client } = await getN8n();
	const workflow = await client.createWorkflow(prepareExample(key, { credential, sandboxUrl: sandbox.url }));
	const executionId = await client.runWorkflow(workflow.id, EXAMPLES[key].trigger);
	const execution = await client.waitForExecution(executionId, { timeoutMs: 90000 });
	return { workflow, execution };
}

describe('example workflows run in a real n8n', () => {
	it('OTP QA: provisions a number, the texted code arrives in Wait for OTP, the check passes, the number is released', async () => {
		const { execution } = await runExample('otpQa');
		expect(executionError(execution)).toBeUndefined();
		expect(execution.status).toBe('success');

		const [provisioned] = nodeOutput(execution, 'Provision test number');
		expect(provisioned.id).toMatch(/^num_/);
		expect(provisioned.number).toMatch(/^\+1\d{10}$/);
		const [made] = nodeOutput(execution, 'Code your app will send');
		expect(made.expectedCode).toMatch(/^\d{6}$/);
		expect(made.testNumber).toBe(provisioned.number);

		const [otp] = nodeOutput(execution, 'Wait for OTP');
		expect(otp.otp).toBe(made.expectedCode);
		expect(otp.timedOut).not.toBe(true);
		expect(otp.numberId).toBe(provisioned.id);
		expect(otp.message).toEqual(
			expect.objectContaining({ from: '+12025550143', to: provisioned.number, body: expect.stringContaining(made.expectedCode) }),
		);

		expect(nodeOutput(execution, 'Release number')).toEqual([expect.objectContaining({ id: provisioned.id, released: true })]);
		expect(nodeOutput(execution, 'QA passed')).toEqual([
			{ result: 'passed', otp: made.expectedCode, testNumber: provisioned.number, numberReleased: true },
		]);
		expect(nodeOutput(execution, 'QA failed')).toBeUndefined();

		const number = sandbox.snapshot().numbers.find((n) => n.id === provisioned.id);
		expect(number?.status).toBe('released');
		expect(number?.label).toBe('OTP QA');
	});

	it('OTP QA fails the execution (after releasing the number) when the code is not the one sent', async () => {
		const { client } = await getN8n();
		const workflow = await client.createWorkflow(
			prepareExample('otpQa', {
				credential,
				sandboxUrl: sandbox.url,
				name: 'OTP QA (wrong code)',
				// the "app" texts another code than the expected one
				parameters: {
					'Your app texts the code (sandbox)': {
						method: 'POST',
						url: `${sandbox.url}/_sandbox/sms/inbound`,
						sendBody: true,
						specifyBody: 'json',
						jsonBody: "={{ JSON.stringify({ to: $json.testNumber, from: '+12025550143', body: 'Your Acme verification code is 000111' }) }}",
						options: {},
					},
				},
			}),
		);
		const execution = await client.waitForExecution(await client.runWorkflow(workflow.id, EXAMPLES.otpQa.trigger), { timeoutMs: 90000 });
		expect(execution.status).toBe('error');
		const [made] = nodeOutput(execution, 'Code your app will send');
		expect(executionError(execution)).toEqual(
			expect.objectContaining({ node: 'QA failed', message: expect.stringContaining(`expected ${made.expectedCode}, received 000111`) }),
		);
		const [provisioned] = nodeOutput(execution, 'Provision test number');
		expect(sandbox.snapshot().numbers.find((n) => n.id === provisioned.id)?.status).toBe('released');
	});

	it('AI appointment call: the AI call ends and Summary holds the outcome and the transcript', async () => {
		const { execution } = await runExample('aiAppointmentCall');
		expect(executionError(execution)).toBeUndefined();
		expect(execution.status).toBe('success');

		const [caller] = nodeOutput(execution, 'Caller number');
		const [call] = nodeOutput(execution, 'Book the appointment');
		expect(call.callId).toMatch(/^call_/);
		expect(call.status).toBe('completed');
		expect(call.timedOut).toBe(false);
		expect(call.transcriptAvailable).toBe(true);
		expect(call.to).toBe('+12125550199');
		expect(caller).toEqual(expect.objectContaining({ id: clinicLine.id, number: clinicLine.number }));
		expect(call.from).toBe(clinicLine.number);
		// Simplify is on by default: the conversation as text lines, no entries.
		expect(call.transcriptText.split('\n').length).toBeGreaterThan(2);
		expect(call).not.toHaveProperty('entries');

		const [summary] = nodeOutput(execution, 'Summary');
		expect(summary.patient).toBe('Jordan Lee');
		expect(summary.callStatus).toBe('completed');
		expect(summary.durationSeconds).toBeGreaterThan(0);
		expect(summary.intent).toBe('scheduling');
		expect(summary.summary).toEqual(expect.stringContaining('Bright Smile Dental'));
		expect(summary.transcript.split('\n')[0]).toBe('AI: Hi, this is Ava from Bright Smile Dental. Am I speaking with Jordan Lee?');
		expect(summary.transcript).toMatch(/\nHuman: /);

		// what the node sent to AgentCall: the prompt built from the Patient node
		const sent = sandbox
			.requestLog()
			.find((entry) => entry.method === 'POST' && entry.path === '/v1/calls/ai' && (entry.body as { to?: string })?.to === '+12125550199');
		const body = sent?.body as Record<string, unknown>;
		expect(body.from).toBe(caller.id);
		expect(body.systemPrompt).toEqual(expect.stringContaining('calling Jordan Lee to book an appointment for a routine check-up and cleaning'));
		expect(body.maxDurationSecs).toBe(300);
		expect(body.language).toBe('en');
	});
});
