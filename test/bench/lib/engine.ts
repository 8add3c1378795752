/* eslint-disable @n8n/community-nodes/no-restricted-imports -- benchmark code runs in Node: loads n8n's own nodes from the cached n8n runtime */
import * as fs from 'fs';
import { PackageDirectoryLoader } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialsHelper,
	IDataObject,
	INode,
	INodeCredentialsDetails,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	IRun,
	IVersionedNodeType,
	Workflow,
} from 'n8n-workflow';
import { isNodeClassInstance } from 'n8n-workflow';
import * as path from 'path';

import { Engine, type LoadedPackage } from '../../harness/engine';
import { OPEN_GUARDRAILS } from '../../harness/credentials';
import { RUN_FILE, SNAPSHOT } from './paths';
import { SandboxProcess } from './sandbox';

export interface RunFacts {
	startedAt: string;
	gitHead: string;
	machine: { cores: number; cpuModel: string; node: string; loadavg: number[] };
	runtime: { appDir: string; n8nVersion: string };
	snapshot: string;
}

export function runFacts(): RunFacts {
	return JSON.parse(fs.readFileSync(RUN_FILE, 'utf8')) as RunFacts;
}

/**
 * The built package as globalSetup copied it (or another build of it in `dir`, e.g. an earlier
 * commit's), loaded by n8n-core's PackageDirectoryLoader.
 */
export async function loadSnapshotPackage(dir: string = SNAPSHOT): Promise<LoadedPackage> {
	const loader = new PackageDirectoryLoader(dir);
	await loader.loadAll();
	const nodeTypes: LoadedPackage['nodeTypes'] = {};
	for (const [name, data] of Object.entries(loader.nodeTypes)) nodeTypes[`${loader.packageName}.${name}`] = data.type;
	const credentialTypes: LoadedPackage['credentialTypes'] = {};
	for (const [name, data] of Object.entries(loader.credentialTypes)) credentialTypes[name] = data.type;
	return { packageName: loader.packageName, nodeTypes, credentialTypes, loader };
}

/** n8n's own node types used as the alternative, by workflow type name. */
export const BASE = {
	httpRequest: 'n8n-nodes-base.httpRequest',
	if: 'n8n-nodes-base.if',
	wait: 'n8n-nodes-base.wait',
	webhook: 'n8n-nodes-base.webhook',
} as const;

const BASE_FILES: Record<string, [file: string, exportName: string]> = {
	[BASE.httpRequest]: ['HttpRequest/HttpRequest.node.js', 'HttpRequest'],
	[BASE.if]: ['If/If.node.js', 'If'],
	[BASE.wait]: ['Wait/Wait.node.js', 'Wait'],
	[BASE.webhook]: ['Webhook/Webhook.node.js', 'Webhook'],
};

export function baseNodesDir(): string {
	return path.join(runFacts().runtime.appDir, 'node_modules', 'n8n-nodes-base', 'dist', 'nodes');
}

/**
 * Loads n8n's HTTP Request, IF, Wait and Webhook nodes from the cached runtime. Their
 * `require('n8n-workflow')` is mapped to this repository's copy by the bench jest config, which
 * `sameWorkflowModule` checks.
 */
export async function loadBaseNodes(): Promise<Record<string, INodeType | IVersionedNodeType>> {
	const dir = baseNodesDir();
	const types: Record<string, INodeType | IVersionedNodeType> = {};
	for (const [name, [file, exportName]] of Object.entries(BASE_FILES)) {
		const module = (await import(path.join(dir, file))) as Record<string, new () => INodeType | IVersionedNodeType>;
		types[name] = adaptClassNode(new module[exportName]());
	}
	return types;
}

/**
 * n8n's class-style nodes (the Webhook node extends n8n-workflow's `Node`) take their context as an
 * argument: n8n's webhook service calls `nodeType.webhook(context)` for them
 * (n8n/dist/webhooks/webhook.service.js, `isNodeClassInstance`), while the harness's WebhookHost
 * calls `webhook.call(context)` as for our nodes. This adapter accepts both.
 */
function adaptClassNode<T extends INodeType | IVersionedNodeType>(type: T): T {
	const node = type as INodeType & { webhook?: (...args: unknown[]) => unknown };
	if (!isNodeClassInstance(node) || typeof node.webhook !== 'function') return type;
	const webhook = node.webhook.bind(node);
	return Object.assign(Object.create(node) as T, {
		webhook(this: unknown, context?: unknown) {
			return webhook(context ?? this);
		},
	});
}

/**
 * Whether the cached n8n-nodes-base runs on this repository's n8n-workflow (one copy, not two):
 * the HTTP Request node class extends n8n-workflow's VersionedNodeType, so `instanceof` against
 * our import holds only if both resolved the same module.
 */
export async function sameWorkflowModule(base: Record<string, INodeType | IVersionedNodeType>): Promise<boolean> {
	const { VersionedNodeType } = await import('n8n-workflow');
	return base[BASE.httpRequest] instanceof VersionedNodeType && base[BASE.if] instanceof VersionedNodeType;
}

export const HEADER_AUTH_CREDENTIAL: INodeCredentialsDetails = { id: 'cred-header', name: 'AgentCall API key (Header Auth)' };

/**
 * An engine with our package and n8n's nodes, pointed at `sandbox`. The HTTP Request node uses a
 * Header Auth credential (`Authorization: Bearer <key>`), the way a user without our package
 * would; the harness's credential helper only knows AgentCall data, so that one type is added.
 */
export async function benchEngine(pkg: LoadedPackage, base: Record<string, INodeType | IVersionedNodeType>, sandbox: SandboxProcess): Promise<Engine> {
	const engine = new Engine(pkg, {
		// The guardrails still run for every item (their cost is part of ours); open so 1,000 SMS may go.
		credentials: { apiKey: sandbox.apiKey, baseUrl: sandbox.url, ...OPEN_GUARDRAILS },
		extraNodeTypes: base as Record<string, INodeType>,
	});
	const helper = engine.credentialsHelper as ICredentialsHelper;
	const getDecrypted = helper.getDecrypted.bind(helper);
	helper.getDecrypted = async (...args: Parameters<ICredentialsHelper['getDecrypted']>): Promise<ICredentialDataDecryptedObject> => {
		if (args[2] === 'httpHeaderAuth') return { name: 'Authorization', value: `Bearer ${sandbox.apiKey}` };
		return await getDecrypted(...args);
	};
	return engine;
}

export function agentCallNode(name: string, parameters: INodeParameters, settings: Partial<INode> = {}): INode {
	return {
		id: `id-${name}`,
		name,
		type: 'n8n-nodes-agentcall.agentCall',
		typeVersion: 1,
		position: [0, 0],
		parameters,
		credentials: { agentCallApi: { id: 'cred-1', name: 'AgentCall sandbox' } },
		...settings,
	};
}

/** What a user gets when adding the node in n8n 2.41.1 (each node's defaultVersion). */
export const BASE_VERSION = { httpRequest: 4.5, if: 2.3, wait: 1.1, webhook: 2.1 } as const;

/** The HTTP Request node (current version) with Header Auth. */
export function httpNode(name: string, parameters: INodeParameters, settings: Partial<INode> = {}): INode {
	return {
		id: `id-${name}`,
		name,
		type: BASE.httpRequest,
		typeVersion: BASE_VERSION.httpRequest,
		position: [0, 0],
		parameters: { authentication: 'genericCredentialType', genericAuthType: 'httpHeaderAuth', ...parameters },
		credentials: { httpHeaderAuth: HEADER_AUTH_CREDENTIAL },
		...settings,
	};
}

export const byId = (id: string) => ({ __rl: true, mode: 'id', value: id });

/** Send SMS both ways, from `$json.to` and `$json.message` of each item. */
export function sendSmsNodes(baseUrl: string, numberId: string) {
	return {
		ours: (settings: Partial<INode> = {}) =>
			agentCallNode(
				'Send',
				{ resource: 'sms', operation: 'send', smsFrom: byId(numberId), smsTo: '={{ $json.to }}', message: '={{ $json.message }}' },
				settings,
			),
		/** HTTP Request parameters for the same POST; `options` is the node's Options collection. */
		httpParameters: (options: INodeParameters = {}): INodeParameters => ({
			method: 'POST',
			url: `${baseUrl}/v1/sms/send`,
			sendBody: true,
			contentType: 'json',
			specifyBody: 'keypair',
			bodyParameters: {
				parameters: [
					{ name: 'from', value: numberId },
					{ name: 'to', value: '={{ $json.to }}' },
					{ name: 'body', value: '={{ $json.message }}' },
				],
			},
			options,
		}),
	};
}

/** Items on `output` of every run of `nodeName` in an execution, in run order. */
export function runsOf(run: IRun, nodeName: string) {
	return run.data.resultData.runData[nodeName] ?? [];
}

export function outputOf(run: IRun, nodeName: string, output = 0, runIndex = 0): INodeExecutionData[] {
	return runsOf(run, nodeName)[runIndex]?.data?.main?.[output] ?? [];
}

export function errorOf(run: IRun): string | undefined {
	const error = run.data.resultData.error;
	return error ? `${error.name ?? 'Error'}: ${error.message}` : undefined;
}

export type { Engine, IDataObject, Workflow };

/** One sandbox process and one engine per benchmark file (fields are set in beforeAll). */
export function useBenchSuite(): { sandbox: SandboxProcess; engine: Engine } {
	const suite = {} as { sandbox: SandboxProcess; engine: Engine };
	beforeAll(async () => {
		suite.sandbox = await SandboxProcess.start();
		suite.engine = await benchEngine(await loadSnapshotPackage(), await loadBaseNodes(), suite.sandbox);
	});
	afterAll(async () => await suite.sandbox?.close());
	return suite;
}
