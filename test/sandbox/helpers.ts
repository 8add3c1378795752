/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test code runs in Node, not in n8n */
import axios, { type AxiosInstance } from 'axios';
import { createHmac } from 'crypto';
import * as http from 'http';
import type { AddressInfo } from 'net';
import { startSandbox, type ConfigPatch, type Sandbox } from './index';

/** Settings that make the sandbox fast enough for tests. */
export const FAST: ConfigPatch = { timeScale: 0.01, reportDelayMs: 2000, deliveryBackoffScale: 0.01 };

export interface Booted {
	sb: Sandbox;
	/** authenticated client; never throws on HTTP status */
	api: AxiosInstance;
	/** client without Authorization */
	anon: AxiosInstance;
}

export function client(baseURL: string, key?: string): AxiosInstance {
	return axios.create({
		baseURL,
		validateStatus: () => true,
		headers: key ? { Authorization: `Bearer ${key}` } : {},
	});
}

export async function boot(config: ConfigPatch = {}, apiKey?: string): Promise<Booted> {
	const sb = await startSandbox({ port: 0, host: '127.0.0.1', apiKey, config: { ...FAST, ...config } });
	return { sb, api: client(sb.url, sb.apiKey), anon: client(sb.url) };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `fn` until it returns a truthy value (or throws after `timeoutMs`). */
export async function waitFor<T>(fn: () => T | Promise<T>, timeoutMs = 5000, what = 'condition'): Promise<NonNullable<T>> {
	const end = Date.now() + timeoutMs;
	for (;;) {
		const v = await fn();
		if (v) return v as NonNullable<T>;
		if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
		await sleep(10);
	}
}

export function hmacHeader(secret: string, raw: Buffer | string): string {
	return `sha256=${createHmac('sha256', Buffer.from(secret, 'utf8')).update(raw).digest('hex')}`;
}

export interface Received {
	headers: http.IncomingHttpHeaders;
	raw: Buffer;
	json: { event: string; timestamp: string; data: Record<string, unknown> } & Record<string, unknown>;
	at: number;
}

export interface Answer {
	status?: number;
	/** JSON-encoded unless a string */
	body?: unknown;
	/** how long to wait before answering */
	delayMs?: number;
}

/** An HTTP endpoint on 127.0.0.1 that answers each POST as `answer` says (JSON, status, delay), for call-outs. */
export class Responder {
	readonly received: Received[] = [];
	private server?: http.Server;
	private timers = new Set<NodeJS.Timeout>();
	url = '';

	constructor(public answer: (r: Received, n: number) => Answer = () => ({ body: {} })) {}

	async start(): Promise<string> {
		this.server = http.createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (c: Buffer) => chunks.push(c));
			req.on('end', () => {
				const raw = Buffer.concat(chunks);
				const r: Received = { headers: req.headers, raw, json: JSON.parse(raw.toString('utf8')), at: Date.now() };
				this.received.push(r);
				const a = this.answer(r, this.received.length);
				const reply = () => {
					if (res.destroyed) return;
					res.writeHead(a.status ?? 200, { 'Content-Type': 'application/json' });
					res.end(typeof a.body === 'string' ? a.body : JSON.stringify(a.body ?? {}));
				};
				if (!a.delayMs) return reply();
				const timer = setTimeout(() => {
					this.timers.delete(timer);
					reply();
				}, a.delayMs);
				this.timers.add(timer);
			});
		});
		await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve()));
		this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
		return this.url;
	}

	async close(): Promise<void> {
		this.timers.forEach((timer) => clearTimeout(timer));
		this.timers.clear();
		if (!this.server) return;
		const s = this.server;
		await new Promise<void>((resolve) => {
			s.close(() => resolve());
			s.closeAllConnections();
		});
	}
}

/** A webhook receiver on 127.0.0.1 (URL ends in /hook); `respond` picks the status per request (default 200). */
export class Receiver extends Responder {
	constructor(respond: (n: number, r: Received) => number = () => 200) {
		super((r, n) => ({ status: respond(n, r), body: 'ok' }));
	}

	async start(): Promise<string> {
		this.url = `${await super.start()}/hook`;
		return this.url;
	}

	events(name?: string): Received[] {
		return this.received.filter((r) => !name || r.json.event === name);
	}
}

/** Provisions a number and returns its object. */
export async function provision(api: AxiosInstance, body: Record<string, unknown> = { type: 'local' }) {
	const r = await api.post('/v1/numbers/provision', body);
	if (r.status !== 200 && r.status !== 201) throw new Error(`provision failed: ${r.status} ${JSON.stringify(r.data)}`);
	return r.data as { id: string; number: string; type: string; country: string; label: string | null };
}

/** A booted sandbox plus a webhook receiver for one test file, both fresh before each test. */
export interface BootedWithReceiver {
	t: Booted;
	rx: Receiver;
}

export function useSandboxWithReceiver(): BootedWithReceiver {
	const suite = {} as BootedWithReceiver;
	beforeAll(async () => {
		suite.t = await boot();
		suite.rx = new Receiver();
		await suite.rx.start();
	});
	afterAll(async () => {
		await suite.t.sb.close();
		await suite.rx.close();
	});
	beforeEach(() => {
		suite.t.sb.reset();
		suite.rx.received.length = 0;
	});
	return suite;
}
