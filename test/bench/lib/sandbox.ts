/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions -- benchmark code runs in Node: it forks the sandbox and talks to it over HTTP */
import type { AxiosInstance } from 'axios';
import { fork, type ChildProcess } from 'child_process';
import * as path from 'path';

import type { ConfigPatch, RequestLogEntry, SandboxMessage, SandboxWebhook } from '../../sandbox';
import { client } from '../../sandbox/helpers';

/**
 * Settings every scenario starts from: no rate limit worth the name, announced in X-RateLimit
 * headers (else the AgentCall nodes would pace themselves to the documented 100 requests a minute),
 * and a request log long enough to count. Scenario 2 sets its own limits.
 */
export const BENCH_CONFIG: ConfigPatch = {
	requestLogMax: 100000,
	rateLimitGlobal: 1_000_000_000,
	rateLimitWindowMs: 60000,
	rateLimitHeaders: true,
};

export const OUTSIDE_SENDER = '+12125550199';

/**
 * The AgentCall sandbox in a child process (lib/sandboxChild.js), driven through its control API.
 * A separate process keeps the API's CPU work out of the client's figures, as a real API would.
 */
export class SandboxProcess {
	readonly api: AxiosInstance;

	readonly control: AxiosInstance;

	private cpuSeq = 0;

	private constructor(
		private readonly child: ChildProcess,
		readonly url: string,
		readonly apiKey: string,
	) {
		this.api = client(url, apiKey);
		this.control = client(url);
	}

	static async start(config: ConfigPatch = {}): Promise<SandboxProcess> {
		const child = fork(path.join(__dirname, 'sandboxChild.js'), [JSON.stringify({ ...BENCH_CONFIG, ...config })], {
			execArgv: [],
			stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
		});
		const ready = await new Promise<{ url: string; apiKey: string }>((resolve, reject) => {
			child.once('error', reject);
			child.once('exit', (code) => reject(new Error(`sandbox child exited with ${code}`)));
			child.on('message', (message: { type?: string; url?: string; apiKey?: string }) => {
				if (message?.type === 'ready') resolve({ url: String(message.url), apiKey: String(message.apiKey) });
			});
		});
		child.removeAllListeners('exit');
		return new SandboxProcess(child, ready.url, ready.apiKey);
	}

	private async call<T>(method: 'get' | 'post' | 'put' | 'patch' | 'delete', route: string, body?: unknown): Promise<T> {
		const response = await this.control.request({ method, url: `/_sandbox${route}`, data: body });
		if (response.status >= 400) throw new Error(`sandbox ${method} ${route}: ${response.status} ${JSON.stringify(response.data)}`);
		return response.data as T;
	}

	async setConfig(patch: ConfigPatch): Promise<void> {
		await this.call('patch', '/config', patch);
	}

	async setLimits(limits: { windowMs?: number; global?: number; retryAfter?: boolean; headers?: boolean }): Promise<void> {
		await this.call('put', '/limits', limits);
	}

	/** Fresh state with the bench settings (and `config`) on top of the defaults. */
	async reset(config: ConfigPatch = {}): Promise<void> {
		await this.call('post', '/reset', { keepConfig: false });
		await this.setConfig({ ...BENCH_CONFIG, ...config });
	}

	/** Replaces the sandbox's fault list, e.g. `[{ method: 'GET', path: '/v1/sms/inbox/:numberId', slowMs: 50 }]`. */
	async setFaults(faults: Array<Record<string, unknown>>): Promise<void> {
		await this.call('put', '/faults', faults);
	}

	async injectSms(to: string, body: string, from = OUTSIDE_SENDER): Promise<SandboxMessage> {
		return await this.call<SandboxMessage>('post', '/sms/inbound', { to, from, body });
	}

	async requestLog(): Promise<RequestLogEntry[]> {
		return (await this.call<{ data: RequestLogEntry[] }>('get', '/requests')).data;
	}

	async clearRequestLog(): Promise<void> {
		await this.call('delete', '/requests');
	}

	async webhooks(): Promise<SandboxWebhook[]> {
		return (await this.call<{ data: SandboxWebhook[] }>('get', '/webhooks')).data;
	}

	/** A new local number on the account, through the public API. */
	async provision(): Promise<{ id: string; number: string }> {
		const response = await this.api.post('/v1/numbers/provision', { type: 'local' });
		if (response.status >= 300) throw new Error(`provision: ${response.status} ${JSON.stringify(response.data)}`);
		const body = response.data as { id?: string; number?: string; data?: { id: string; number: string } };
		const number = body.id ? body : body.data;
		return { id: String(number?.id), number: String(number?.number) };
	}

	/** CPU time (user + system, ms) the sandbox process has used so far. */
	async cpuMs(): Promise<number> {
		const id = ++this.cpuSeq;
		const cpu = await new Promise<NodeJS.CpuUsage>((resolve) => {
			const listener = (message: { type?: string; id?: number; cpu?: NodeJS.CpuUsage }) => {
				if (message?.type === 'cpu' && message.id === id) {
					this.child.off('message', listener);
					resolve(message.cpu as NodeJS.CpuUsage);
				}
			};
			this.child.on('message', listener);
			this.child.send({ type: 'cpu', id });
		});
		return (cpu.user + cpu.system) / 1000;
	}

	async close(): Promise<void> {
		if (this.child.exitCode !== null) return;
		const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
		this.child.send({ type: 'close' });
		await exited;
	}
}
