/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test harness: an HTTP server in Node */
import * as http from 'http';
import type { AddressInfo } from 'net';
import type { IDataObject, IRun, IWebhookData, IWebhookResponseData, IWorkflowExecuteAdditionalData, Workflow } from 'n8n-workflow';
import { WebhookContext } from 'n8n-core';

import type { Engine, NodeRun } from './engine';
import { executionIdOf } from './engine';
import { ResponseStub } from './triggers';

/**
 * n8n's waiting-webhook endpoint (`/webhook-waiting/<execution>/<suffix>?signature=<token>`),
 * for executions the engine parked: the same checks n8n's WaitingWebhooks makes before it runs a
 * node (the execution waits, the token matches, a restart webhook's path equals the suffix),
 * then the node's `webhook()` with the parked execution's data, over real HTTP so the sandbox
 * delivers to it. A `webhook()` that returns `workflowData` resumes the execution (recorded here;
 * the rest of the run is n8n's); later requests get 409 as in n8n. The real thing runs in
 * test/e2e/send-and-wait.e2e.test.ts.
 */

interface Parked {
	workflow: Workflow;
	nodeName: string;
	run: IRun;
}

export interface Resumed {
	items: IDataObject[];
	/** Time spent in the node's webhook() for the resuming request. */
	webhookMs: number;
}

export class WaitingHost {
	private server?: http.Server;

	private base = '';

	private readonly parked = new Map<string, Parked>();

	readonly resumed = new Map<string, Resumed>();

	/** Every answer given: execution, status, and whether it resumed. */
	readonly answers: Array<{ executionId: string; status: number; resumed: boolean }> = [];

	/** Milliseconds spent in webhook() over all requests. */
	webhookMs = 0;

	constructor(private readonly engine: Engine) {}

	async listen(): Promise<void> {
		this.server = http.createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (chunk: Buffer) => chunks.push(chunk));
			req.on('end', () => {
				void this.handle(req, Buffer.concat(chunks)).then(
					({ status, body }) => {
						res.statusCode = status;
						res.setHeader('content-type', 'application/json');
						res.end(JSON.stringify(body ?? {}));
					},
					(error: Error) => {
						res.statusCode = 500;
						res.end(error.message);
					},
				);
			});
		});
		await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve()));
		this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
	}

	/** What the engine's runs need so that `$execution.resumeUrl` points here. */
	get additionalData(): Partial<IWorkflowExecuteAdditionalData> {
		return { webhookWaitingBaseUrl: `${this.base}/webhook-waiting` };
	}

	/** Takes a run that parked (n8n saves it as waiting); returns its execution ID. */
	park(result: NodeRun): string {
		const executionId = executionIdOf(result.run);
		if (!result.run.waitTill || !result.workflow || !executionId) throw new Error(`the run did not park: ${result.error?.message ?? 'no waitTill'}`);
		this.parked.set(executionId, { workflow: result.workflow, nodeName: result.nodeName, run: result.run });
		return executionId;
	}

	isWaiting(executionId: string): boolean {
		return this.parked.has(executionId);
	}

	private async handle(req: http.IncomingMessage, rawBody: Buffer): Promise<{ status: number; body?: unknown }> {
		const url = new URL(req.url ?? '/', this.base);
		const [, prefix, executionId, suffix] = url.pathname.split('/');
		if (prefix !== 'webhook-waiting') return { status: 404 };
		const parked = this.parked.get(executionId);
		if (!parked) {
			const status = this.resumed.has(executionId) ? 409 : 404;
			this.answers.push({ executionId, status, resumed: false });
			return { status };
		}
		const token = url.searchParams.get('signature');
		if (!token || token !== parked.run.data.resumeToken) {
			this.answers.push({ executionId, status: 401, resumed: false });
			return { status: 401, body: { error: 'Invalid token' } };
		}
		const { workflow } = parked;
		const node = workflow.getNode(parked.nodeName)!;
		const type = workflow.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
		const description = type.description.webhooks?.find((hook) => hook.restartWebhook === true && hook.httpMethod === req.method);
		if (!description || suffix !== node.id) {
			this.answers.push({ executionId, status: 404, resumed: false });
			return { status: 404 };
		}
		let body: unknown = {};
		try {
			body = JSON.parse(rawBody.toString('utf8'));
		} catch {
			body = {};
		}
		const headers = Object.fromEntries(Object.entries(req.headers).map(([key, value]) => [key.toLowerCase(), value]));
		const httpRequest = { body, headers, rawBody, query: Object.fromEntries(url.searchParams), params: {}, method: req.method };
		const response = new ResponseStub();
		const additionalData = this.engine.additionalData({
			...this.additionalData,
			httpRequest,
			httpResponse: response,
			executionId,
		} as unknown as Partial<IWorkflowExecuteAdditionalData>);
		const webhookData: IWebhookData = {
			httpMethod: 'POST',
			node: node.name,
			path: node.id,
			webhookDescription: description,
			workflowId: workflow.id,
			workflowExecuteAdditionalData: additionalData,
		};
		// n8n loads the execution from its database for every request: a copy of the parked data.
		const runData = JSON.parse(JSON.stringify(parked.run.data)) as IRun['data'];
		const context = new WebhookContext(workflow, node, additionalData, 'webhook', webhookData, [], runData);
		const started = performance.now();
		const result: IWebhookResponseData = await type.webhook!.call(context);
		const took = performance.now() - started;
		this.webhookMs += took;
		if (result.workflowData) {
			this.parked.delete(executionId);
			this.resumed.set(executionId, { items: (result.workflowData[0] ?? []).map((item) => item.json), webhookMs: took });
			this.answers.push({ executionId, status: 200, resumed: true });
			return { status: 200, body: { message: 'Workflow was started' } };
		}
		const status = result.noWebhookResponse ? response.statusCode : 200;
		this.answers.push({ executionId, status, resumed: false });
		return { status, body: response.body };
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
