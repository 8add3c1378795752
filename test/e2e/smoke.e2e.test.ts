import { getN8n, nodeOutput, restartN8n } from './helpers';

interface NamedType {
	name: string;
}

const PACKAGE = 'n8n-nodes-agentcall';

describe('real n8n: package loads like a community install', () => {
	it('lists the AgentCall node and credential types', async () => {
		const { client } = await getN8n();
		const nodeNames = ((await client.nodeTypes()) as NamedType[]).map((t) => t.name);
		expect(nodeNames).toContain(`${PACKAGE}.agentCall`);
		const credentialNames = ((await client.credentialTypes()) as NamedType[]).map((t) => t.name);
		expect(credentialNames).toContain('agentCallApi');
	});

	it('accepts an agentCallApi credential through the public API', async () => {
		const { client } = await getN8n();
		const credential = await client.createCredential({
			name: 'smoke credential',
			type: 'agentCallApi',
			// nothing listens on port 9: the credential test must fail cleanly
			data: { apiKey: 'smoke-placeholder-value', baseUrl: 'http://127.0.0.1:9' },
		});
		expect(credential.type).toBe('agentCallApi');
		const result = await client.testCredential(credential.id);
		expect(result.status).toBe('Error');
		await client.deleteCredential(credential.id);
	});

	it('runs a workflow and reads the execution back', async () => {
		const { client } = await getN8n();
		const workflow = await client.createWorkflow({
			name: 'smoke run',
			nodes: [
				{ id: 'm', name: 'Manual', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
				{ id: 'n', name: 'NoOp', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [200, 0], parameters: {} },
			],
			connections: { Manual: { main: [[{ node: 'NoOp', type: 'main', index: 0 }]] } },
		});
		const executionId = await client.runWorkflow(workflow.id, 'Manual');
		const execution = await client.waitForExecution(executionId);
		expect(execution.status).toBe('success');
		expect(nodeOutput(execution, 'NoOp')).toEqual([{}]);
		const listed = await client.listExecutions(workflow.id);
		expect(listed.map((e: { id: string }) => String(e.id))).toContain(executionId);
		expect((await client.getWorkflow(workflow.id)).id).toBe(workflow.id);
		await client.deleteWorkflow(workflow.id);
	});

	it('keeps the package, login and API key across a restart', async () => {
		const seconds = await restartN8n();
		expect(seconds).toBeGreaterThan(0);
		const { client } = await getN8n();
		const nodeNames = ((await client.nodeTypes()) as NamedType[]).map((t) => t.name);
		expect(nodeNames).toContain(`${PACKAGE}.agentCall`);
		expect(Array.isArray(await client.listExecutions(undefined))).toBe(true);
	});
});
