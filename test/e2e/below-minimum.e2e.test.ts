/* eslint-disable @n8n/community-nodes/no-restricted-imports -- reads the n8n log of the run */
import { readFileSync } from 'fs';

import { bootErrors, getN8n } from './helpers';
import { MATRIX, n8nUnderTest } from './versions';

/**
 * On a real n8n below the package's minimum (matrix.json `probe`, e.g. 1.82.3, whose n8n-workflow
 * lacks NodeConnectionTypes), installed the community way by globalSetup: n8n starts and loads the
 * package without an error, lists its nodes and credential, each node says which n8n it needs at
 * the top of its parameters, and running AgentCall ends in an execution error with that message.
 * Skipped on the supported versions (there test/unit/host.test.ts shows the notice is absent).
 */

interface NodeTypeDescription {
	name: string;
	properties: Array<{ name: string; type: string; displayName: string }>;
}

const PACKAGE = 'n8n-nodes-agentcall';
const NODES = ['agentCall', 'agentCallAgentTrigger', 'agentCallPollTrigger', 'agentCallTrigger', 'agentCallWait'].map((name) => `${PACKAGE}.${name}`);
const MESSAGE =
	'AgentCall needs n8n 1.123.0 or later: this n8n lacks NodeConnectionTypes. Update n8n to 1.123.0 or later to use this node.';

const { n8nVersion } = n8nUnderTest();
const probe = (MATRIX.versions as Record<string, { probe?: boolean }>)[n8nVersion].probe === true;
const onProbe = probe ? describe : describe.skip;

onProbe(`real n8n ${n8nVersion}, below the minimum: the package loads and says what it needs`, () => {
	it("starts n8n with the package installed, and n8n's log shows no error loading it", async () => {
		const { n8n, client } = await getN8n();
		const log = readFileSync(n8n.logFile, 'utf8');
		expect(log.slice(0, log.indexOf('Editor is now accessible'))).toContain(`Version: ${n8nVersion}`);
		expect(bootErrors(log)).toEqual([]);
		expect(await client.nodeTypes()).not.toHaveLength(0);
	});

	it('lists every node and the credential of the package, each node with the minimum-version notice on top', async () => {
		const { client } = await getN8n();
		const types = (await client.nodeTypes()) as NodeTypeDescription[];
		const ours = types.filter((type) => type.name.startsWith(`${PACKAGE}.`) && !type.name.endsWith('Tool'));
		expect(ours.map((type) => type.name).sort()).toEqual([...NODES].sort());
		for (const type of ours) {
			// n8n puts its own Poll Times parameter above a polling node's parameters
			const own = type.properties.filter((property) => property.name !== 'pollTimes');
			expect({ node: type.name, first: own[0] }).toEqual({
				node: type.name,
				first: expect.objectContaining({ name: 'hostNotice', type: 'notice', displayName: MESSAGE }),
			});
		}
		const credentials = ((await client.credentialTypes()) as Array<{ name: string }>).map((type) => type.name);
		expect(credentials).toContain('agentCallApi');
	});

	it('running an AgentCall node gives an execution error with the message', async () => {
		const { client } = await getN8n();
		// nothing listens on port 9: the node must refuse before any request
		const credential = await client.createCredential({
			name: 'below-minimum credential',
			type: 'agentCallApi',
			data: { apiKey: 'below-minimum-placeholder', baseUrl: 'http://127.0.0.1:9' },
		});
		const workflow = await client.createWorkflow({
			name: 'below-minimum run',
			nodes: [
				{ id: 'm', name: 'Manual', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
				{
					id: 'a',
					name: 'AgentCall',
					type: `${PACKAGE}.agentCall`,
					typeVersion: 1,
					position: [200, 0],
					parameters: { resource: 'phoneNumber', operation: 'list' },
					credentials: { agentCallApi: { id: credential.id, name: credential.name } },
				},
			],
			connections: { Manual: { main: [[{ node: 'AgentCall', type: 'main', index: 0 }]] } },
		});
		try {
			const execution = await client.waitForExecution(await client.runWorkflow(workflow.id, 'Manual'));
			expect(execution.status).toBe('error');
			const { error } = execution.data.resultData;
			expect({ message: error.message, node: error.node?.name }).toEqual({ message: MESSAGE, node: 'AgentCall' });
			expect(JSON.stringify(execution)).not.toContain('below-minimum-placeholder');
		} finally {
			await client.deleteWorkflow(workflow.id);
			await client.deleteCredential(credential.id);
		}
	});
});
