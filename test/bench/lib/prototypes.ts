/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- benchmark code runs in Node: a prototype patched into the loaded package, in memory only */
import * as path from 'path';

import { SNAPSHOT } from './paths';

/**
 * A prototype of the rate-limit fix suggested in BENCHMARKS.md, patched in memory into the package
 * the bench loaded (the snapshot of dist/; nothing on disk changes). n8n's routed operations start
 * every item's request at once, so a retry per item (nodes/AgentCall/shared/rateLimit.ts today)
 * lets all refused items come back together when the window reopens, and most are refused again
 * until their attempts run out. The prototype shares one gate between the requests: after a 429,
 * nobody sends before Retry-After has passed, and requests go one at a time (each waits for the
 * previous answer), so a window is filled and then exactly one request learns it is closed.
 */

interface RateLimitModule {
	retryOnRateLimit: <T>(attempt: () => Promise<T>) => Promise<T>;
	RATE_LIMIT_RETRY: { maxAttempts: number; maxTotalWaitMs: number; baseDelayMs: number; maxDelayMs: number };
}

interface ErrorsModule {
	isAgentCallError: (error: unknown) => error is { httpCode?: string; context: Record<string, unknown> };
}

const sleep = async (ms: number) => await new Promise<void>((resolve) => setTimeout(resolve, ms));

async function load<T>(file: string): Promise<T> {
	return (await import(path.join(SNAPSHOT, 'dist', 'nodes', 'AgentCall', 'shared', file))) as T;
}

/** The suggested retryOnRateLimit, with its own gate (one per API key in the real fix). */
export function gatedRetry(rateLimit: RateLimitModule, errors: ErrorsModule) {
	const gate = { openAt: 0, serial: false, tail: Promise.resolve() };
	const limits = rateLimit.RATE_LIMIT_RETRY;
	return async function retryOnRateLimit<T>(attempt: () => Promise<T>): Promise<T> {
		let refusals = 0;
		let waitedMs = 0;
		for (;;) {
			let release: () => void = () => undefined;
			if (gate.serial) {
				const previous = gate.tail;
				gate.tail = new Promise<void>((resolve) => (release = resolve));
				await previous;
			}
			const closedFor = gate.openAt - Date.now();
			if (closedFor > 0) await sleep(closedFor);
			let outcome: { value: T } | { error: unknown };
			try {
				outcome = await attempt().then(
					(value) => ({ value }),
					(error: unknown) => ({ error }),
				);
			} finally {
				release();
			}
			if ('value' in outcome) return outcome.value;
			const { error } = outcome;
			if (!errors.isAgentCallError(error) || error.httpCode !== '429') throw error;
			refusals++;
			const retryAfter = error.context.retryAfterSeconds;
			const backoff = Math.min(limits.baseDelayMs * 2 ** (refusals - 1), limits.maxDelayMs);
			const delay = (typeof retryAfter === 'number' ? retryAfter * 1000 : backoff) + Math.random() * 50;
			if (refusals >= limits.maxAttempts || waitedMs + delay > limits.maxTotalWaitMs) throw error;
			waitedMs += delay;
			gate.serial = true;
			gate.openAt = Math.max(gate.openAt, Date.now() + delay);
		}
	};
}

/** Swaps the loaded package's retryOnRateLimit for the prototype; returns the undo. */
export async function patchGatedRetry(): Promise<() => void> {
	const rateLimit = await load<RateLimitModule>('rateLimit.js');
	const errors = await load<ErrorsModule>('errors.js');
	const original = rateLimit.retryOnRateLimit;
	rateLimit.retryOnRateLimit = gatedRetry(rateLimit, errors);
	return () => {
		rateLimit.retryOnRateLimit = original;
	};
}

interface DeliveryModule {
	receiveDelivery: (this: Record<string, unknown>) => Promise<unknown>;
}

/**
 * The duplicate-check fix suggested in BENCHMARKS.md, patched in memory: the trigger's last 500
 * event keys kept as ONE space-separated string in static data instead of an array. n8n hands a
 * node its static data wrapped in proxies (n8n-workflow's ObservableObject), so `includes` and the
 * spread over a 500-element array run 1,000 proxy traps per delivery; one string is one read.
 * The prototype runs the trigger's own code on a plain copy of the static data and writes the
 * keys back packed.
 */
export async function patchPackedDedupe(): Promise<() => void> {
	const delivery = (await import(path.join(SNAPSHOT, 'dist', 'nodes', 'AgentCall', 'triggers', 'delivery.js'))) as DeliveryModule;
	const original = delivery.receiveDelivery;
	delivery.receiveDelivery = async function (this: Record<string, unknown>) {
		const getStatic = this.getWorkflowStaticData as (type: string) => Record<string, unknown>;
		const real = getStatic.call(this, 'node');
		const plain: Record<string, unknown> = {};
		for (const key of Object.keys(real)) if (key !== 'recentPacked') plain[key] = real[key];
		const packed = typeof real.recentPacked === 'string' ? real.recentPacked : '';
		const before = packed ? packed.split(' ') : [];
		plain.recent = before;
		const context = new Proxy(this, {
			get(target, name) {
				if (name === 'getWorkflowStaticData') return () => plain;
				const value = Reflect.get(target, name) as unknown;
				return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
			},
		});
		const result = await original.call(context);
		if (plain.recent !== before) real.recentPacked = (plain.recent as string[]).join(' ');
		for (const key of Object.keys(plain)) if (key !== 'recent' && plain[key] !== real[key]) real[key] = plain[key];
		return result;
	};
	return () => {
		delivery.receiveDelivery = original;
	};
}
