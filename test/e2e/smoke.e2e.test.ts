/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: reads n8n's log */
import axios from 'axios';
import * as fs from 'fs';

import { bootErrors, getN8n, nodeOutput, restartN8n } from './helpers';

interface NamedType {
	name: string;
}
interface LoadedType extends NamedType {
	iconUrl?: unknown;
	codex?: { categories?: string[] };
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

	it('loads every node of package.json, the tool variants and the credential, with icons and codex, and logs no error about the package', async () => {
		const { client, baseUrl, state } = await getN8n();
		const types = ((await client.nodeTypes()) as LoadedType[]).filter((t) => t.name.startsWith(`${PACKAGE}.`));
		const names = [...new Set(types.map((t) => t.name.slice(PACKAGE.length + 1)))].sort();
		// one type per node file of package.json, plus n8n's tool variant of each node offered as a tool
		expect(names).toEqual(['agentCall', 'agentCallAgentTrigger', 'agentCallPollTrigger', 'agentCallTool', 'agentCallTrigger', 'agentCallWait', 'agentCallWaitTool']);
		const icons = new Set<string>();
		for (const type of types) {
			// our codex (.node.json) for the nodes; n8n files the tool variants it makes under AI
			const category = type.name.endsWith('Tool') ? 'AI' : 'Communication';
			expect({ type: type.name, categories: type.codex?.categories }).toEqual({ type: type.name, categories: expect.arrayContaining([category]) });
			const iconUrl = type.iconUrl as { light?: string; dark?: string } | string | undefined;
			const urls = typeof iconUrl === 'string' ? [iconUrl] : [iconUrl?.light, iconUrl?.dark];
			expect({ type: type.name, urls }).toEqual({ type: type.name, urls: urls.map(() => expect.stringMatching(/^icons\/.+\.svg$/)) });
			for (const url of urls) icons.add(String(url));
		}
		for (const url of icons) {
			const res = await axios.get(`${baseUrl}/${url}`, { responseType: 'text', validateStatus: () => true });
			expect({ url, status: res.status, svg: /<svg[\s>]/.test(String(res.data)) }).toEqual({ url, status: 200, svg: true });
		}
		expect(icons.size).toBe(2); // light and dark
		const credential = ((await client.credentialTypes()) as Array<NamedType & { icon?: unknown }>).find((t) => t.name === 'agentCallApi');
		expect(credential).toBeDefined();
		// n8n logs a package that fails to load and goes on without it (helpers.js bootErrors)
		expect(bootErrors(fs.readFileSync(state.n8n.logFile, 'utf8'))).toEqual([]);
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
