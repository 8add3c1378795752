/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test harness: locates the repository on disk */
import { randomUUID } from 'crypto';
import {
	ExecuteContext,
	ExecutionLifecycleHooks,
	LoadOptionsContext,
	PackageDirectoryLoader,
	RoutingNode,
	WorkflowExecute,
} from 'n8n-core';
import type {
	ICredentialType,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeType,
	INodeTypes,
	IRun,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	IConnections,
	INodeParameters,
	INodeListSearchResult,
	INodePropertyOptions,
	ExecutionError,
	IVersionedNodeType,
} from 'n8n-workflow';
import { createRunExecutionData, NodeConnectionTypes, NodeHelpers, Workflow } from 'n8n-workflow';
import * as path from 'path';

import type { AgentCallCredentialData } from './credentials';
import { TestCredentialsHelper } from './credentials';

/**
 * Runs our nodes the way n8n does: the *built* package loaded by n8n-core's PackageDirectoryLoader
 * (so package.json#n8n, codex files and icons are exercised), workflows executed by the real
 * WorkflowExecute, credentials applied through the credential type's own generic auth.
 */

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

export interface LoadedPackage {
	packageName: string;
	nodeTypes: Record<string, INodeType | IVersionedNodeType>;
	credentialTypes: Record<string, ICredentialType>;
	loader: PackageDirectoryLoader;
}

let loaded: Promise<LoadedPackage> | undefined;

let credentialSerial = 1;
let testCredential = { id: 'cred-1', name: 'AgentCall sandbox' };

/** The credential reference nodes built by the harness use (see `Engine.useCredentials`). */
export const currentCredential = () => testCredential;

async function readPackage(): Promise<LoadedPackage> {
	const loader = new PackageDirectoryLoader(REPO_ROOT);
	await loader.loadAll();
	const nodeTypes: LoadedPackage['nodeTypes'] = {};
	for (const [name, data] of Object.entries(loader.nodeTypes)) {
		nodeTypes[`${loader.packageName}.${name}`] = data.type;
	}
	const credentialTypes: LoadedPackage['credentialTypes'] = {};
	for (const [name, data] of Object.entries(loader.credentialTypes)) {
		credentialTypes[name] = data.type;
	}
	return { packageName: loader.packageName, nodeTypes, credentialTypes, loader };
}

/**
 * Loads dist/ once per test file. Run `npm run build` first (`npm test` does).
 * `separateProcess`: a second copy with its own module state, as another n8n process (or the same
 * one after a restart) has it: nothing shared with the first copy but what the test passes on.
 */
export async function loadPackage(options: { separateProcess?: boolean } = {}): Promise<LoadedPackage> {
	if (options.separateProcess) {
		let copy: LoadedPackage | undefined;
		await jest.isolateModulesAsync(async () => {
			copy = await readPackage();
		});
		return copy!;
	}
	loaded ??= readPackage();
	return await loaded;
}

export const NODE_TYPE = {
	action: 'n8n-nodes-agentcall.agentCall',
	/** The AI Agent tool variant n8n synthesises from `usableAsTool` (see toolVariant). */
	tool: 'n8n-nodes-agentcall.agentCallTool',
	webhookTrigger: 'n8n-nodes-agentcall.agentCallTrigger',
	pollTrigger: 'n8n-nodes-agentcall.agentCallPollTrigger',
	/** Parked waits: SMS > Send and Wait for Reply, AI Call > Start and Wait. */
	wait: 'n8n-nodes-agentcall.agentCallWait',
};

/**
 * The `<name>Tool` type as n8n 2.41 builds it for running workflows (n8n/dist/node-types.js →
 * getByNameAndVersion → tool-generation/ai-tools.js convertNodeToAiTool): the loaded node under
 * `Object.create`, renamed with a `Tool` suffix, no inputs, an `ai_tool` output. The renaming is
 * what n8n's `@tool` display condition reads.
 */
function toolVariant(nodeType: INodeType): INodeType {
	const description = Object.create(nodeType.description, {
		name: { value: `${nodeType.description.name}Tool` },
		displayName: { value: `${nodeType.description.displayName} Tool` },
		inputs: { value: [] },
		outputs: { value: [NodeConnectionTypes.AiTool] },
		usableAsTool: { value: undefined },
	}) as INodeType['description'];
	return Object.create(nodeType, { description: { value: description } }) as INodeType;
}

function toolVariants(nodeTypes: LoadedPackage['nodeTypes']): Record<string, INodeType> {
	const tools: Record<string, INodeType> = {};
	for (const [name, type] of Object.entries(nodeTypes)) {
		if ('description' in type && (type as INodeType).description.usableAsTool) tools[`${name}Tool`] = toolVariant(type as INodeType);
	}
	return tools;
}

export function nodeTypesOf(pkg: LoadedPackage, extra: Record<string, INodeType> = {}): INodeTypes {
	const all = { ...pkg.nodeTypes, ...toolVariants(pkg.nodeTypes), ...extra };
	return {
		getByName: (type) => all[type],
		getByNameAndVersion: (type, version) => NodeHelpers.getVersionedNodeType(all[type], version),
		getKnownTypes: () => ({}),
	};
}

export interface EngineOptions {
	credentials: AgentCallCredentialData;
	/** Extra node types beside ours, e.g. a stand-in for n8n-nodes-base nodes in benchmarks. */
	extraNodeTypes?: Record<string, INodeType>;
	/** The package loaded afresh, as in another n8n process or after a restart (see loadPackage). */
	separateProcess?: boolean;
}

export class Engine {
	readonly credentialsHelper: TestCredentialsHelper;

	readonly nodeTypes: INodeTypes;

	constructor(
		readonly pkg: LoadedPackage,
		options: EngineOptions,
	) {
		this.credentialsHelper = new TestCredentialsHelper(pkg.credentialTypes, options.credentials);
		this.nodeTypes = nodeTypesOf(pkg, options.extraNodeTypes);
	}

	static async create(options: EngineOptions): Promise<Engine> {
		return new Engine(await loadPackage({ separateProcess: options.separateProcess }), options);
	}

	/**
	 * Points later runs at other credential data (wrong key, other sandbox), under a credential ID of
	 * their own: the nodes keep a rate-limit budget per credential, and the sandbox resets its
	 * counters before each test, so each test starts from a fresh budget too.
	 */
	useCredentials(data: AgentCallCredentialData): void {
		this.credentialsHelper.data = data;
		testCredential = { id: `cred-${++credentialSerial}`, name: 'AgentCall sandbox' };
	}

	additionalData(extra: Partial<IWorkflowExecuteAdditionalData> = {}): IWorkflowExecuteAdditionalData {
		const fail = async () => {
			throw new Error('not available in the engine harness');
		};
		return {
			credentialsHelper: this.credentialsHelper,
			executeWorkflow: fail,
			getRunExecutionData: async () => undefined,
			getRuntimeCredential: async () => undefined,
			startRunnerTask: fail,
			currentNodeExecutionIndex: 0,
			restApiUrl: 'http://127.0.0.1:5678/rest',
			instanceBaseUrl: 'http://127.0.0.1:5678/',
			formBaseUrl: 'http://127.0.0.1:5678/form',
			formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
			formTestBaseUrl: 'http://127.0.0.1:5678/form-test',
			webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
			webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting',
			webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
			mcpBaseUrl: 'http://127.0.0.1:5678/mcp',
			mcpTestBaseUrl: 'http://127.0.0.1:5678/mcp-test',
			variables: {},
			logAiEvent: () => undefined,
			setExecutionStatus: () => undefined,
			...extra,
		} as unknown as IWorkflowExecuteAdditionalData;
	}

	workflow(nodes: INode[], connections: IConnections = {}, options: { active?: boolean; staticData?: IDataObject; id?: string } = {}): Workflow {
		return new Workflow({
			id: options.id ?? 'wf-' + randomUUID().slice(0, 8),
			name: 'engine harness',
			nodes,
			connections,
			nodeTypes: this.nodeTypes,
			active: options.active ?? false,
			staticData: options.staticData,
			settings: { executionOrder: 'v1' },
		});
	}

	/** Executes `workflow` starting at `startNode` with `items` as its input. */
	async run(workflow: Workflow, startNode: string, items: INodeExecutionData[], extra: Partial<IWorkflowExecuteAdditionalData> = {}): Promise<IRun> {
		const workflowData: IWorkflowBase = {
			id: workflow.id,
			name: workflow.name ?? 'engine harness',
			active: false,
			isArchived: false,
			nodes: Object.values(workflow.nodes),
			connections: workflow.connectionsBySourceNode,
			createdAt: new Date(),
			updatedAt: new Date(),
			activeVersionId: null,
		} as IWorkflowBase;
		const hooks = new ExecutionLifecycleHooks('manual', 'exec-' + randomUUID().slice(0, 8), workflowData);
		const finished = new Promise<IRun>((resolve) => {
			hooks.addHandler('workflowExecuteAfter', (run) => resolve(run));
		});
		const runExecutionData = createRunExecutionData({
			executionData: {
				nodeExecutionStack: [{ node: workflow.getNode(startNode) as INode, data: { main: [items] }, source: null }],
			},
		});
		// n8n gives every execution an ID; nodes read it (e.g. AI Call > Start derives idempotency keys from it).
		const additionalData = this.additionalData({ ...extra, hooks, executionId: hooks.executionId } as Partial<IWorkflowExecuteAdditionalData>);
		await new WorkflowExecute(additionalData, 'manual', runExecutionData).processRunExecutionData(workflow);
		const run = await finished;
		executionIds.set(run, hooks.executionId);
		return run;
	}

	/** Runs one AgentCall node with `parameters` over `items` and returns what it produced. */
	async runNode(
		parameters: INodeParameters | IDataObject,
		options: {
			items?: IDataObject[];
			continueOnFail?: boolean;
			type?: string;
			settings?: Partial<INode>;
			/** e.g. `webhookWaitingBaseUrl` of a WaitingHost (harness/waiting.ts). */
			additionalData?: Partial<IWorkflowExecuteAdditionalData>;
		} = {},
	): Promise<NodeRun> {
		const node: INode = {
			id: randomUUID(),
			name: 'AgentCall',
			type: options.type ?? NODE_TYPE.action,
			typeVersion: 1,
			position: [0, 0],
			parameters: parameters as INodeParameters,
			credentials: { agentCallApi: testCredential },
			onError: options.continueOnFail ? 'continueRegularOutput' : undefined,
			...options.settings,
		};
		const workflow = this.workflow([node]);
		const items = (options.items ?? [{}]).map((json) => ({ json }));
		const run = await this.run(workflow, node.name, items, options.additionalData);
		return new NodeRun(run, node.name, workflow);
	}

	/** The context the editor gives a node's `methods` (list searches, dropdowns), with its current parameters. */
	private editorContext(type: string, parameters: INodeParameters): LoadOptionsContext {
		const node: INode = {
			id: randomUUID(),
			name: 'AgentCall',
			type,
			typeVersion: 1,
			position: [0, 0],
			parameters,
			credentials: { agentCallApi: testCredential },
		};
		return new LoadOptionsContext(this.workflow([node]), node, this.additionalData({ currentNodeParameters: parameters }), '');
	}

	/** Calls a `methods.listSearch` function as the editor does when a picker opens or filters. */
	async listSearch(method: string, filter?: string, type = NODE_TYPE.action): Promise<INodeListSearchResult> {
		const search = this.nodeTypes.getByNameAndVersion(type, 1).methods?.listSearch?.[method];
		if (!search) throw new Error(`${type} has no listSearch method ${method}`);
		return await search.call(this.editorContext(type, {}), filter);
	}

	/** Calls a `methods.loadOptions` function as the editor does when a dropdown opens, with the node's current parameters. */
	async loadOptions(method: string, parameters: INodeParameters = {}, type = NODE_TYPE.action): Promise<INodePropertyOptions[]> {
		const load = this.nodeTypes.getByNameAndVersion(type, 1).methods?.loadOptions?.[method];
		if (!load) throw new Error(`${type} has no loadOptions method ${method}`);
		return await load.call(this.editorContext(type, parameters));
	}

	/**
	 * The credential's Test button, on n8n's own path: the credential's `test.request` routed by
	 * a RoutingNode, statuses turned into messages with the credential's `rules`.
	 */
	async testCredential(data: AgentCallCredentialData): Promise<{ status: 'OK' | 'Error'; message: string }> {
		const credentialType = this.pkg.credentialTypes.agentCallApi;
		const testRequest = credentialType.test!;
		const node: INode = {
			id: 'temp',
			name: 'Temp-Node',
			type: 'test.credentialProbe',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
			credentials: { agentCallApi: { id: 'cred-test', name: 'test' } },
		};
		const probe: INodeType = {
			description: {
				displayName: 'Probe',
				name: 'test.credentialProbe',
				group: ['transform'],
				version: 1,
				description: '',
				defaults: {},
				inputs: ['main'],
				outputs: ['main'],
				credentials: [{ name: 'agentCallApi', required: true }],
				properties: [
					{ displayName: 'Temp', name: 'temp', type: 'string', default: '', routing: { request: testRequest.request } },
				],
			} as INodeType['description'],
		};
		const workflow = new Workflow({
			nodes: [node],
			connections: {},
			active: false,
			nodeTypes: nodeTypesOf(this.pkg, { 'test.credentialProbe': probe }),
		});
		const runExecutionData = createRunExecutionData();
		const context = new ExecuteContext(
			workflow,
			node,
			this.additionalData(),
			'internal',
			runExecutionData,
			0,
			[],
			{ main: [[{ json: {} }]] },
			{ node, data: {}, source: null },
			[],
		);
		const credentialsDecrypted = { id: 'cred-test', name: 'test', type: 'agentCallApi', data };
		let response: INodeExecutionData[][] | null | undefined;
		try {
			response = await new RoutingNode(context, probe, credentialsDecrypted).runNode();
		} catch (error) {
			const cause = (error as { cause?: { response?: { status: number; statusText?: string }; code?: string } }).cause;
			if (cause?.response) {
				const rule = testRequest.rules?.find(
					(candidate) => candidate.type === 'responseCode' && candidate.properties.value === cause.response?.status,
				);
				if (rule && rule.type === 'responseCode') return { status: 'Error', message: rule.properties.message };
				return { status: 'Error', message: cause.response.statusText || `Received HTTP status code: ${cause.response.status}` };
			}
			if (cause?.code) return { status: 'Error', message: cause.code };
			return { status: 'Error', message: String((error as Error).message) };
		}
		// As n8n's CredentialsTester: each responseSuccessBody rule compares one field of the first item.
		for (const rule of testRequest.rules ?? []) {
			if (rule.type === 'responseSuccessBody' && fieldAt(response?.[0]?.[0]?.json, rule.properties.key) === rule.properties.value) {
				return { status: 'Error', message: rule.properties.message };
			}
		}
		return { status: 'OK', message: 'Connection successful!' };
	}
}

/** lodash `get` for the dotted keys of credential test rules (a string's "0" is its first character). */
function fieldAt(value: unknown, key: string): unknown {
	return key.split('.').reduce<unknown>((current, part) => (current === null || current === undefined ? undefined : (current as Record<string, unknown>)[part]), value);
}

/** One node's result from a run: output items, per-item errors, and the run's own error. */
/** The execution ID the engine gave each run (n8n keeps it beside the run, not in it). */
const executionIds = new WeakMap<IRun, string>();

export function executionIdOf(run: IRun): string | undefined {
	return executionIds.get(run);
}

export class NodeRun {
	constructor(
		readonly run: IRun,
		readonly nodeName: string,
		readonly workflow?: Workflow,
	) {}

	get taskData() {
		return this.run.data.resultData.runData[this.nodeName]?.[0];
	}

	/** Items on output 0 (or `output`). */
	items(output = 0): INodeExecutionData[] {
		return this.taskData?.data?.main?.[output] ?? [];
	}

	json(output = 0): IDataObject[] {
		return this.items(output).map((item) => item.json);
	}

	/** The error that stopped the node, if any. */
	get error(): ExecutionError | undefined {
		return this.taskData?.error ?? this.run.data.resultData.error;
	}

	/** Everything the run produced, serialised: for "the API key appears nowhere" checks. */
	serialized(): string {
		return JSON.stringify(this.run.data, (_key, value: unknown) =>
			value instanceof Error ? { ...value, message: value.message, stack: value.stack } : value,
		);
	}
}
