/**
 * The "Call report to CRM" example in a real n8n: activation registers a webhook for
 * call.report.ready; each answered AI call's report becomes one CRM row, and a brief-worthy,
 * high-urgency call also an alert.
 */
import type { Sandbox, SandboxWebhook } from '../sandbox';
import { createAgentCallCredential, prepareExample, sandboxApi, startTestSandbox, waitFor, waitForExecutions } from './agentcall';
import { getN8n, nodeOutput } from './helpers';

let sandbox: Sandbox;
let line: { id: string; number: string };
let workflowId: string;
let webhookUrl: string;

const registrations = (): SandboxWebhook[] => sandbox.snapshot().webhooks.filter((hook) => hook.url === webhookUrl);

beforeAll(async () => {
	sandbox = await startTestSandbox();
	line = await sandboxApi(sandbox, 'POST', '/v1/numbers/provision', { type: 'local', label: 'Service line' });
	const { client, webhookUrl: base } = await getN8n();
	const credential = await createAgentCallCredential(client, { name: 'call report sandbox', apiKey: sandbox.apiKey, baseUrl: sandbox.url });
	const workflow = await client.createWorkflow(prepareExample('callReportToCrm', { credential, freshWebhookIds: true }));
	workflowId = workflow.id;
	const trigger = workflow.nodes.find((node: { name: string }) => node.name === 'Report ready');
	webhookUrl = `${base}webhook/${trigger.webhookId}/webhook`;
});

afterAll(async () => {
	const { client } = await getN8n();
	await client.deactivate(workflowId).catch(() => undefined);
	await sandbox?.close();
});

describe('Call report to CRM example in a real n8n', () => {
	it('registers for call.report.ready, writes a CRM row per report and alerts only on urgent briefs', async () => {
		const { client } = await getN8n();
		await client.activate(workflowId);
		const [hook] = await waitFor(() => (registrations().length ? registrations() : false), { what: 'the webhook registration' });
		expect(hook.events).toEqual(['call.report.ready']);

		const urgent = await sandboxApi(sandbox, 'POST', '/v1/calls/ai', {
			from: line.id,
			to: '+12125550123',
			systemPrompt: 'You are Max from Rapid Plumbing. The customer has an URGENT leak repair; book a visit today.',
		});
		const routine = await sandboxApi(sandbox, 'POST', '/v1/calls/ai', {
			from: line.id,
			to: '+12125550124',
			systemPrompt: 'You are Max from Rapid Plumbing. Ask whether they have a question about last month.',
		});
		const executions = await waitForExecutions(client, workflowId, 2, { timeoutMs: 60000 });
		const full = await Promise.all(executions.slice(0, 2).map((execution: { id: string }) => client.getExecution(execution.id)));
		expect(full.map((execution) => execution.status)).toEqual(['success', 'success']);
		const byCall = new Map(full.map((execution) => [nodeOutput(execution, 'Report ready')[0].callId as string, execution]));

		const urgentRun = byCall.get(urgent.id)!;
		const report = (await sandboxApi(sandbox, 'GET', `/v1/calls/${urgent.id}/report`)).report;
		const [event] = nodeOutput(urgentRun, 'Report ready');
		expect(event).toMatchObject({ event: 'call.report.ready', callId: urgent.id, contactId: expect.any(String), ready: true, ...report });
		const [row] = nodeOutput(urgentRun, 'CRM record');
		expect(row).toEqual({
			callId: urgent.id,
			contactId: event.contactId,
			loggedAt: event.timestamp,
			summary: report.summary,
			intent: report.intent,
			urgency: 'high',
			spam: false,
			nextAction: report.nextAction,
			tasks: report.tasks.map((task: { description: string }) => task.description).join('; '),
			commitments: report.commitments.map((c: { owner: string; task: string }) => `${c.owner}: ${c.task}`).join('; '),
			facts: report.facts.map((fact: { text: string }) => fact.text).join('; '),
			ownerBrief: report.ownerBrief,
			briefWorthy: true,
		});
		expect(nodeOutput(urgentRun, 'Urgent alert')).toEqual([
			{ alert: `URGENT call ${urgent.id}: ${report.ownerBrief} Next: ${report.nextAction}`, callId: urgent.id, contactId: event.contactId },
		]);

		const routineRun = byCall.get(routine.id)!;
		expect(nodeOutput(routineRun, 'CRM record')).toEqual([expect.objectContaining({ callId: routine.id, urgency: 'low', briefWorthy: false })]);
		expect(nodeOutput(routineRun, 'Urgent alert')).toBeUndefined();
	});
});
