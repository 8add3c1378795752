/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code runs in Node: an HTTP receiver stands in for n8n's webhook server */
import { randomUUID } from 'crypto';
import * as http from 'http';
import type { AddressInfo } from 'net';
import { HookContext, PollContext, WebhookContext } from 'n8n-core';
import type {
	IDataObject,
	INode,
	INodeExecutionData,
	INodeParameters,
	IWebhookData,
	IWebhookResponseData,
	IWorkflowExecuteAdditionalData,
	Workflow,
} from 'n8n-workflow';

import type { Engine } from './engine';
import { currentCredential } from './engine';

/**
 * Drives the trigger nodes the way n8n does, through n8n-core's own contexts: PollContext for
 * polls, HookContext for the webhook lifecycle, WebhookContext for deliveries. `WebhookHost`
 * keeps the workflow's static data like n8n's database: every call starts from a JSON copy of it
 * and writes it back only when the node changed it (n8n's `__dataChanged` check).
 */

/** The workflow as n8n's database holds it; hosts sharing one are n8n processes serving one workflow. */
export interface WorkflowStore {
	readonly workflowId: string;
	staticData: IDataObject;
}

/** Lets other requests run, as n8n's awaited database read and write do. */
const databaseRoundTrip = async () => await new Promise<void>((resolve) => setImmediate(resolve));

export function triggerNode(type: string, parameters: INodeParameters, name = 'Trigger'): INode {
	return {
		id: randomUUID(),
		name,
		type,
		typeVersion: 1,
		position: [0, 0],
		parameters,
		webhookId: randomUUID(),
		credentials: { agentCallApi: currentCredential() },
	};
}

export const locator = (id: string, name?: string) => ({ __rl: true, mode: 'list', value: id, cachedResultName: name });

/** One poll of `nodeName`, as n8n's poll executor runs it (mode 'trigger', or 'manual' for Fetch Test Event). */
export async function pollOnce(
	engine: Engine,
	workflow: Workflow,
	nodeName = 'Trigger',
	options: { mode?: 'trigger' | 'manual'; budgetMs?: number } = {},
): Promise<INodeExecutionData[][] | null> {
	const node = workflow.getNode(nodeName) as INode;
	const type = workflow.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
	const budget = options.budgetMs;
	const context = new PollContext(
		workflow,
		node,
		engine.additionalData(),
		options.mode ?? 'trigger',
		'activate',
		undefined,
		undefined,
		undefined,
		undefined,
		undefined,
		budget === undefined ? undefined : () => budget,
	);
	return await type.poll!.call(context);
}

/** The logger n8n-core hands to node code (one instance for every context): spy on it to read warnings. */
export function nodeLogger(engine: Engine, workflow: Workflow, nodeName = 'Trigger') {
	return new HookContext(workflow, workflow.getNode(nodeName) as INode, engine.additionalData(), 'trigger', 'activate').logger;
}

/** The node's static data as n8n would store it (a JSON copy). */
export function nodeState(workflow: Workflow, nodeName = 'Trigger'): IDataObject {
	return JSON.parse(JSON.stringify(workflow.staticData[`node:${nodeName}`] ?? {})) as IDataObject;
}

/** A restart: a new Workflow over a JSON copy of the saved static data. */
export function restart(engine: Engine, workflow: Workflow, edit?: (staticData: IDataObject) => void): Workflow {
	const staticData = JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject;
	edit?.(staticData);
	return engine.workflow(Object.values(workflow.nodes), {}, { active: true, staticData });
}

/** Response stub: records what the node answered itself. */
export class ResponseStub {
	statusCode = 200;

	body: unknown = undefined;

	ended = false;

	status(code: number) {
		this.statusCode = code;
		return this;
	}

	send(body?: unknown) {
		this.body = body;
		this.ended = true;
		return this;
	}

	json(body?: unknown) {
		return this.send(body);
	}

	end(body?: unknown) {
		if (body !== undefined) this.body = body;
		this.ended = true;
		return this;
	}

	setHeader() {
		return this;
	}

	writeHead() {
		return this;
	}
}

export interface DeliveryResult {
	result: IWebhookResponseData;
	response: ResponseStub;
	/** What n8n would answer the sender. */
	status: number;
	/** The items of the execution this delivery started, if any. */
	items: IDataObject[];
}

export interface Received extends DeliveryResult {
	raw: Buffer;
	headers: http.IncomingHttpHeaders;
}

export class WebhookHost {
	readonly store: WorkflowStore;

	readonly received: Received[] = [];

	private server?: http.Server;

	private baseUrl?: string;

	/** Answer the sender with this status after running the node (simulates a lost response). */
	failNext = 0;

	constructor(
		private readonly engine: Engine,
		public node: INode,
		private readonly isTest = false,
		store?: WorkflowStore,
	) {
		this.store = store ?? { workflowId: `wf-${randomUUID().slice(0, 8)}`, staticData: {} };
	}

	/** The workflow's static data as n8n's database holds it. */
	get staticData(): IDataObject {
		return this.store.staticData;
	}

	set staticData(value: IDataObject) {
		this.store.staticData = value;
	}

	get nodeState(): IDataObject {
		return (this.staticData[`node:${this.node.name}`] as IDataObject | undefined) ?? {};
	}

	private additionalData(extra: Partial<IWorkflowExecuteAdditionalData> = {}): IWorkflowExecuteAdditionalData {
		const base = this.baseUrl ?? 'http://127.0.0.1:5678';
		return this.engine.additionalData({
			webhookBaseUrl: `${base}/webhook`,
			webhookTestBaseUrl: `${base}/webhook-test`,
			...extra,
		});
	}

	private load(): Workflow {
		return this.engine.workflow([this.node], {}, { id: this.store.workflowId, active: true, staticData: JSON.parse(JSON.stringify(this.staticData)) as IDataObject });
	}

	private save(workflow: Workflow): void {
		if ((workflow.staticData as IDataObject).__dataChanged === true) {
			this.staticData = JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject;
		}
	}

	private webhookData(workflow: Workflow, additionalData: IWorkflowExecuteAdditionalData): IWebhookData {
		const type = workflow.nodeTypes.getByNameAndVersion(this.node.type, this.node.typeVersion);
		return {
			httpMethod: 'POST',
			node: this.node.name,
			path: 'webhook',
			webhookDescription: type.description.webhooks![0],
			workflowId: workflow.id,
			workflowExecuteAdditionalData: additionalData,
			webhookId: this.node.webhookId,
			isTest: this.isTest || undefined,
		};
	}

	/** The URL n8n registers: production or, for "Listen for test event", webhook-test. */
	get url(): string {
		const base = this.baseUrl ?? 'http://127.0.0.1:5678';
		return `${base}/${this.isTest ? 'webhook-test' : 'webhook'}/${this.node.webhookId}/webhook`;
	}

	async hook(method: 'checkExists' | 'create' | 'delete'): Promise<boolean> {
		const workflow = this.load();
		const additionalData = this.additionalData();
		const type = workflow.nodeTypes.getByNameAndVersion(this.node.type, this.node.typeVersion);
		const mode = method === 'delete' ? 'internal' : this.isTest ? 'manual' : 'trigger';
		const context = new HookContext(workflow, this.node, additionalData, mode, this.isTest ? 'manual' : 'activate', this.webhookData(workflow, additionalData));
		try {
			const lifecycle = type.webhookMethods?.default?.[method];
			if (!lifecycle) throw new Error(`${this.node.type} has no webhookMethods.default.${method}`);
			return (await lifecycle.call(context)) as boolean;
		} finally {
			this.save(workflow);
		}
	}

	/** n8n's activation: checkExists, then create when it answered false. */
	async activate(): Promise<{ existed: boolean }> {
		const existed = await this.hook('checkExists');
		if (!existed) await this.hook('create');
		return { existed };
	}

	async deactivate(): Promise<boolean> {
		return await this.hook('delete');
	}

	/** One request into the node's webhook(), as n8n's live webhook handler makes it. */
	async deliver(raw: Buffer | string, headers: Record<string, string | string[] | undefined>): Promise<DeliveryResult> {
		const rawBody = Buffer.isBuffer(raw) ? raw : Buffer.from(raw, 'utf8');
		let body: unknown = {};
		try {
			body = JSON.parse(rawBody.toString('utf8'));
		} catch {
			body = {};
		}
		const lower = Object.fromEntries(Object.entries(headers).map(([key, value]) => [key.toLowerCase(), value]));
		const httpRequest = { body, headers: lower, rawBody, query: {}, params: {}, method: 'POST' };
		const response = new ResponseStub();
		// n8n reads the workflow for each request, runs webhook() on that copy and saves its static
		// data afterwards, awaiting the database both times: concurrent requests interleave there.
		const workflow = this.load();
		await databaseRoundTrip();
		const additionalData = this.additionalData({ httpRequest, httpResponse: response } as unknown as Partial<IWorkflowExecuteAdditionalData>);
		const type = workflow.nodeTypes.getByNameAndVersion(this.node.type, this.node.typeVersion);
		const context = new WebhookContext(workflow, this.node, additionalData, 'webhook', this.webhookData(workflow, additionalData), [], null);
		let result: IWebhookResponseData;
		try {
			result = await type.webhook!.call(context);
		} finally {
			await databaseRoundTrip();
			this.save(workflow);
		}
		const items = (result.workflowData?.[0] ?? []).map((item) => item.json);
		const status = result.noWebhookResponse ? response.statusCode : 200;
		return { result, response, status, items };
	}

	/** Listens on 127.0.0.1 so the sandbox delivers to this node over real HTTP. */
	async listen(): Promise<string> {
		this.server = http.createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (chunk: Buffer) => chunks.push(chunk));
			req.on('end', () => {
				const raw = Buffer.concat(chunks);
				void this.deliver(raw, req.headers).then(
					(delivery) => {
						this.received.push({ ...delivery, raw, headers: req.headers });
						const failing = this.failNext > 0;
						if (failing) this.failNext--;
						res.statusCode = failing ? 500 : delivery.status;
						res.end(typeof delivery.response.body === 'string' ? delivery.response.body : '');
					},
					(error: Error) => {
						res.statusCode = 500;
						res.end(error.message);
					},
				);
			});
		});
		await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve()));
		this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
		return this.baseUrl;
	}

	/** The executions started so far (one item each). */
	executions(): IDataObject[] {
		return this.received.filter((r) => r.items.length > 0).map((r) => r.items[0]);
	}

	logger() {
		return nodeLogger(this.engine, this.load(), this.node.name);
	}

	async close(): Promise<void> {
		const server = this.server;
		if (!server) return;
		await new Promise<void>((resolve) => {
			server.close(() => resolve());
			server.closeAllConnections();
		});
	}
}
