/* eslint-disable @n8n/community-nodes/no-restricted-imports, @typescript-eslint/no-require-imports -- requires the built package from the repository in an isolated module registry */
import { readFileSync } from 'fs';
import { join } from 'path';
import type { INode, INodeType } from 'n8n-workflow';

import { Engine, NODE_TYPE, REPO_ROOT, loadPackage } from '../harness/engine';
import type { LoadedPackage } from '../harness/engine';
import { useEngineSuite } from '../harness/setup';
import { WebhookHost, pollOnce, triggerNode } from '../harness/triggers';

/**
 * The built nodes on an n8n older than the minimum: the package's own `n8n-workflow` import is the
 * real module minus NodeConnectionTypes (absent before n8n-workflow 1.83, n8n 1.85), as n8n hands
 * it to a community package. Each node must still construct, say which n8n it needs at the top of
 * its parameters, and refuse to run through n8n-core's real engine with that message, before any
 * request. On the real module nothing changes.
 */

const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
	name: string;
	engines: Record<string, string>;
	n8n: { nodes: string[]; credentials: string[] };
};
const realWorkflow = jest.requireActual<Record<string, unknown>>('n8n-workflow');

const MESSAGE =
	'AgentCall needs n8n 1.123.0 or later: this n8n lacks NodeConnectionTypes. Update n8n to 1.123.0 or later to use this node.';

interface Built {
	nodes: INodeType[];
	credentials: unknown[];
	host: { MINIMUM_N8N_VERSION: string; missingHostExports: string[] };
}

/** Requires the built files in a fresh module registry whose n8n-workflow lacks `without`. */
function loadBuilt(without: string[] = []): Built {
	let built: Built | undefined;
	jest.isolateModules(() => {
		if (without.length) {
			// the real module's own classes, so n8n-core's engine (outside this registry) recognises the errors
			jest.doMock('n8n-workflow', () => Object.fromEntries(Object.entries(realWorkflow).filter(([name]) => !without.includes(name))));
		}
		const instantiate = (file: string) => {
			const exports = require(join(REPO_ROOT, file)) as Record<string, new () => unknown>;
			return Object.values(exports).map((Class) => new Class());
		};
		built = {
			nodes: manifest.n8n.nodes.flatMap(instantiate) as INodeType[],
			credentials: manifest.n8n.credentials.flatMap(instantiate),
			host: require(join(REPO_ROOT, 'dist/nodes/AgentCall/shared/host.js')) as Built['host'],
		};
	});
	jest.dontMock('n8n-workflow');
	return built!;
}

const SMS = { smsFrom: { __rl: true, mode: 'id', value: 'num_1' }, smsTo: '+14155550100', message: 'Hello' };

const notices = (node: INodeType) => node.description.properties.filter((property) => property.name === 'hostNotice');

describe('the nodes on a supported n8n (the real n8n-workflow)', () => {
	const built = loadBuilt();

	it('find nothing missing, show no notice and keep NodeConnectionTypes.Main connections', () => {
		expect(built.host.missingHostExports).toEqual([]);
		expect(built.nodes).toHaveLength(5);
		for (const node of built.nodes) {
			expect(notices(node)).toEqual([]);
			expect(node.description.outputs).toEqual([(realWorkflow.NodeConnectionTypes as { Main: string }).Main]);
		}
		const action = built.nodes.find((node) => node.description.name === 'agentCall')!;
		expect(action.execute).toBeUndefined(); // still declarative: n8n's RoutingNode runs it
		expect(action.description.usableAsTool).toBe(true);
	});

	it('state the tested minimum in package.json engines.n8n', () => {
		expect(manifest.engines.n8n).toBe(`>=${built.host.MINIMUM_N8N_VERSION}`);
		expect(built.host.MINIMUM_N8N_VERSION).toBe('1.123.0');
	});
});

describe('the nodes on an n8n whose n8n-workflow lacks NodeConnectionTypes', () => {
	const suite = useEngineSuite();
	const built = loadBuilt(['NodeConnectionTypes']);
	let engine: Engine;

	beforeAll(async () => {
		const real: LoadedPackage = await loadPackage();
		const nodeTypes = Object.fromEntries(built.nodes.map((node) => [`${manifest.name}.${node.description.name}`, node]));
		engine = new Engine({ ...real, nodeTypes }, { credentials: suite.credentials });
	});
	beforeEach(() => engine.useCredentials(suite.credentials));

	it('construct every node and the credential, with string connections and the message on top', () => {
		expect(built.host.missingHostExports).toEqual(['NodeConnectionTypes']);
		expect(built.nodes.map((node) => node.description.name).sort()).toEqual(
			['agentCall', 'agentCallAgentTrigger', 'agentCallPollTrigger', 'agentCallTrigger', 'agentCallWait'].sort(),
		);
		expect(built.credentials).toHaveLength(1);
		for (const node of built.nodes) {
			expect(node.description.properties[0]).toEqual({ displayName: MESSAGE, name: 'hostNotice', type: 'notice', default: '' });
			expect(notices(node)).toHaveLength(1);
			expect(node.description.outputs).toEqual(['main']);
			// n8n 1.82 rejects a node type with both customOperations and execute
			expect(node.customOperations).toBeUndefined();
			// what n8n before 1.85 does at start with a tool-capable description (ours hold functions)
			expect(() => node.description.usableAsTool && structuredClone(node.description)).not.toThrow();
		}
	});

	it.each([
		['AgentCall', NODE_TYPE.action, { resource: 'phoneNumber', operation: 'list' }],
		['AgentCall (a custom operation)', NODE_TYPE.action, { resource: 'sms', operation: 'send', ...SMS }],
		['AgentCall Wait', NODE_TYPE.wait, { resource: 'sms', operation: 'sendAndWaitForReply', ...SMS }],
	])('%s refuses to run with the message, before any request', async (_label, type, parameters) => {
		const run = await engine.runNode(parameters, { type });
		expect(run.error?.message).toBe(MESSAGE);
		expect(run.error?.name).toBe('NodeOperationError');
		expect(suite.sandbox.requestLog()).toHaveLength(0);
	});

	it('the SMS Trigger refuses to poll with the message', async () => {
		const workflow = engine.workflow([triggerNode(NODE_TYPE.pollTrigger, { watch: 'all' })]);
		await expect(pollOnce(engine, workflow)).rejects.toThrow(MESSAGE);
		expect(suite.sandbox.requestLog()).toHaveLength(0);
	});

	it.each([
		['AgentCall Trigger', NODE_TYPE.webhookTrigger, { events: ['sms.received'] }],
		['AgentCall Phone Agent Trigger', 'n8n-nodes-agentcall.agentCallAgentTrigger', { kind: 'toolCall' }],
	])('the %s refuses activation and deliveries with the message', async (_label, type, parameters) => {
		const host = new WebhookHost(engine, triggerNode(type, parameters) as INode);
		await expect(host.activate()).rejects.toThrow(MESSAGE);
		await expect(host.deactivate()).rejects.toThrow(MESSAGE);
		await expect(host.deliver('{}', { 'content-type': 'application/json' })).rejects.toThrow(MESSAGE);
		expect(suite.sandbox.requestLog()).toHaveLength(0);
	});
});
