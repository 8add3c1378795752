import type { INode, INodeProperties, INodePropertyOptions, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { loadPackage } from '../harness/engine';
import { modelFitProblems } from '../model/fit';
import { TOOL_DESCRIPTIONS } from '../../nodes/AgentCall/shared/toolDescriptions';

/**
 * Every operation of the BUILT AgentCall node, loaded by n8n-core's package loader, reaches an AI
 * Agent's model with a description written for a model when the tool's description is left on
 * "Set Automatically", while the editor (which gets node descriptions as JSON) keeps the short
 * action labels for the nodes panel and for default node names. A new operation without a tool
 * description fails here.
 */

interface Operation {
	resource: string;
	operation: string;
	option: INodePropertyOptions;
}

let description: INodeTypeDescription;
let operations: Operation[];

function operationsOf(properties: INodeProperties[]): Operation[] {
	return properties
		.filter((p) => p.name === 'operation' && Array.isArray(p.options))
		.flatMap((p) =>
			(p.options as INodePropertyOptions[]).map((option) => ({
				resource: String(p.displayOptions?.show?.resource?.[0]),
				operation: String(option.value),
				option,
			})),
		);
}

/** The tool description n8n 2.41 computes at run time for an AgentCall tool node left on "auto". */
function runtimeToolDescription(resource: string, operation: string): string {
	const node = {
		name: 'AgentCall',
		type: 'n8n-nodes-agentcall.agentCallTool',
		typeVersion: 1,
		position: [0, 0],
		parameters: { descriptionType: 'auto', resource, operation },
	} as unknown as INode;
	return NodeHelpers.getToolDescriptionForNode(node, { description } as INodeType);
}

beforeAll(async () => {
	const { nodeTypes } = await loadPackage();
	description = (nodeTypes['n8n-nodes-agentcall.agentCall'] as INodeType).description;
	operations = operationsOf(description.properties);
});

describe('tool descriptions for AI agents', () => {
	it('covers every operation, and only real ones', () => {
		expect(operations.length).toBeGreaterThanOrEqual(20);
		const written = Object.entries(TOOL_DESCRIPTIONS).flatMap(([resource, texts]) => Object.keys(texts).map((op) => `${resource}.${op}`));
		expect(written.sort()).toEqual(operations.map((o) => `${o.resource}.${o.operation}`).sort());
	});

	it('gives the model a description fit for a model for every operation (what, cost, real person, returns)', () => {
		const serialised = operationsOf((JSON.parse(JSON.stringify(description)) as INodeTypeDescription).properties);
		const problems = operations.flatMap(({ resource, operation }) => {
			const key = `${resource}.${operation}`;
			const text = TOOL_DESCRIPTIONS[resource]?.[operation];
			const human = serialised.find((o) => o.resource === resource && o.operation === operation)?.option.description;
			return modelFitProblems(key, text, human);
		});
		expect(problems).toEqual([]);
		for (const { resource, operation } of operations) {
			expect(runtimeToolDescription(resource, operation)).toBe(`${TOOL_DESCRIPTIONS[resource][operation]} in AgentCall`);
		}
	});

	it('leaves the editor the short action labels: nodes panel and default node names stay as they were', async () => {
		const { loader } = await loadPackage();
		const served = loader.types.nodes.find((d) => d.name === 'agentCall') ?? loader.types.nodes.find((d) => d.name.endsWith('agentCall'));
		expect(served).toBeDefined();
		for (const editorView of [description, served!]) {
			const json = JSON.parse(JSON.stringify(editorView)) as INodeTypeDescription;
			for (const { resource, operation, option } of operationsOf(json.properties)) {
				expect(option.action).toEqual(expect.any(String));
				expect(option.action!.length).toBeLessThanOrEqual(40);
				expect(option.action).not.toBe(TOOL_DESCRIPTIONS[resource][operation]);
				expect(NodeHelpers.makeNodeName({ resource, operation }, json)).toBe(option.action);
			}
		}
		const smsSend = operationsOf(JSON.parse(JSON.stringify(description)).properties).find((o) => o.operation === 'send' && o.resource === 'sms');
		expect(smsSend?.option.action).toBe('Send an SMS');
	});
});
