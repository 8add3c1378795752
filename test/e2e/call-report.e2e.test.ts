/**
 * The "Call report to CRM" example in a real n8n: activation registers a webhook for
 * call.report.ready; each answered AI call's report becomes one CRM row with the caller's approved
 * memory, and a brief-worthy, high-urgency call also an alert naming its open brief.
 */
import type { Sandbox, SandboxWebhook } from '../sandbox';
import { createAgentCallCredential, prepareExample, sandboxApi, startTestSandbox, waitFor, waitForExecutions } from './agentcall';
import { getN8n, nodeOutput } from './helpers';

let sandbox: Sandbox;
let line: { id: string; number: string };
let workflowId: string;
let webhookUrl: string;

const CALLER = '+12125550123';

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

/** The finished executions of the workflow, newest first, with their data. */
async function executionsWithData(count: number) {
	const { client } = await getN8n();
	const listed = await waitForExecutions(client, workflowId, count, { timeoutMs: 60000 });
	return Promise.all(listed.slice(0, count).map((execution: { id: string }) => client.getExecution(execution.id)));
}

describe('Call report to CRM example in a real n8n', () => {
	it("registers for call.report.ready; a routine call's report becomes a CRM row with no alert", async () => {
		const { client } = await getN8n();
		await client.activate(workflowId);
		const [hook] = await waitFor(() => (registrations().length ? registrations() : false), { what: 'the webhook registration' });
		expect(hook.events).toEqual(['call.report.ready']);

		const routine = await sandboxApi(sandbox, 'POST', '/v1/calls/ai', {
			from: line.id,
			to: CALLER,
			systemPrompt: 'You are Max from Rapid Plumbing. Ask whether they have a question about last month.',
		});
		const [run] = await executionsWithData(1);
		expect(run.status).toBe('success');
		const report = await sandboxApi(sandbox, 'GET', `/v1/calls/${routine.id}/report`);
		const [event] = nodeOutput(run, 'Report ready');
		expect(event).toMatchObject({ event: 'call.report.ready', callId: routine.id, contactId: report.contactId, ready: true, ...report.report });
		// Nothing approved yet: the caller has no memory.
		expect(nodeOutput(run, 'CRM record')).toEqual([
			{
				callId: routine.id,
				contactId: report.contactId,
				loggedAt: event.timestamp,
				summary: report.report.summary,
				intent: report.report.intent,
				urgency: 'low',
				spam: false,
				nextAction: report.report.nextAction,
				tasks: report.report.tasks.map((task: { description: string }) => task.description).join('; '),
				commitments: report.report.commitments.map((c: { owner: string; task: string }) => `${c.owner}: ${c.task}`).join('; '),
				facts: report.report.facts.map((fact: { text: string }) => fact.text).join('; '),
				ownerBrief: report.report.ownerBrief,
				briefWorthy: false,
				memory: [],
			},
		]);
		expect(nodeOutput(run, 'Open urgent briefs')).toBeUndefined();
		expect(nodeOutput(run, 'Urgent alert')).toBeUndefined();
	});

	it("an urgent call of the same caller: the CRM row carries the caller's approved memory, and the alert names the call's open brief", async () => {
		// The owner approves what AgentCall proposed to remember from the first call.
		const contactId = (await sandboxApi(sandbox, 'GET', `/v1/contacts/by-phone/${encodeURIComponent(CALLER)}`)).id;
		const proposed = (await sandboxApi(sandbox, 'GET', `/v1/memory/candidates?contactId=${contactId}&status=proposed`)).data as Array<{ id: string; text: string }>;
		expect(proposed.length).toBeGreaterThan(0);
		for (const candidate of proposed) await sandboxApi(sandbox, 'POST', `/v1/memory/candidates/${candidate.id}/approve`, {});

		const urgent = await sandboxApi(sandbox, 'POST', '/v1/calls/ai', {
			from: line.id,
			to: CALLER,
			systemPrompt: 'You are Max from Rapid Plumbing. The customer has an URGENT leak repair; book a visit today.',
		});
		const [run] = await executionsWithData(2);
		expect(run.status).toBe('success');
		const [row] = nodeOutput(run, 'CRM record');
		expect(row).toMatchObject({ callId: urgent.id, contactId, urgency: 'high', briefWorthy: true });
		expect([...(row.memory as string[])].sort()).toEqual(proposed.map((candidate) => candidate.text).sort());

		const briefs = (await sandboxApi(sandbox, 'GET', '/v1/briefs?status=open&urgency=high')).data as Array<{ id: string; callId: string }>;
		const brief = briefs.find((candidate) => candidate.callId === urgent.id);
		expect(brief).toBeDefined();
		expect(nodeOutput(run, 'Urgent alert')).toEqual([
			{
				alert: `URGENT call ${urgent.id}: ${row.ownerBrief} Next: ${row.nextAction}`,
				callId: urgent.id,
				contactId,
				briefId: brief!.id,
				openUrgentBriefs: briefs.length,
			},
		]);
	});
});
