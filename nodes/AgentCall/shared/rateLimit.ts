import type { INode } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { isAgentCallError } from './errors';

/**
 * What the node does when AgentCall answers 429. A 429 means the request was not processed, so
 * retrying can never send an SMS or dial twice.
 *
 * n8n starts every item's request at once, so a retry per item would bring all refused items back
 * together when the window reopens, and most would be refused again until their attempts ran out.
 * Instead all requests made with one API key share a gate: after a 429 nobody sends before the
 * wait AgentCall asked for, and for a while requests go one at a time, so a window fills up and
 * then exactly one request learns it is closed.
 */
export const RATE_LIMIT_RETRY = {
	/** 429s one request may receive before it fails. Waiting in the queue does not count. */
	maxAttempts: 8,
	/** Longest one request waits because of its own 429s. */
	maxTotalWaitMs: 10 * 60_000,
	/** Backoff when the API sends no Retry-After: 1 s, 2 s, 4 s … capped. */
	baseDelayMs: 1_000,
	maxDelayMs: 30_000,
	/** How long after the last 429 requests keep going one at a time (AgentCall's window is a minute). */
	serialForMs: 60_000,
	/** A request in one-at-a-time mode holds its turn at most this long (a long-poll must not block the rest). */
	maxTurnMs: 2_000,
};

/** The wait before the next attempt, or undefined when the retry budget is spent. */
export function nextRateLimitDelayMs(
	attempt: number,
	retryAfterSeconds: number | null | undefined,
	waitedMs: number,
): number | undefined {
	if (attempt >= RATE_LIMIT_RETRY.maxAttempts) return undefined;
	const backoff = Math.min(RATE_LIMIT_RETRY.baseDelayMs * 2 ** (attempt - 1), RATE_LIMIT_RETRY.maxDelayMs);
	const base = typeof retryAfterSeconds === 'number' ? retryAfterSeconds * 1000 : backoff;
	const delay = Math.ceil(base + Math.random() * 50);
	return waitedMs + delay > RATE_LIMIT_RETRY.maxTotalWaitMs ? undefined : delay;
}

class RateLimitGate {
	openAt = 0;

	serialUntil = 0;

	private tail: Promise<void> = Promise.resolve();

	/**
	 * Waits until this request may go. In one-at-a-time mode it returns the function that hands the
	 * turn to the next request; otherwise undefined.
	 */
	async turn(): Promise<(() => void) | undefined> {
		let release: (() => void) | undefined;
		if (Date.now() < this.serialUntil) {
			const previous = this.tail;
			this.tail = new Promise<void>((resolve) => (release = resolve));
			await previous;
		}
		const closedFor = this.openAt - Date.now();
		if (closedFor > 0) await sleep(closedFor);
		return release;
	}

	close(forMs: number): void {
		this.openAt = Math.max(this.openAt, Date.now() + forMs);
		this.serialUntil = this.openAt + RATE_LIMIT_RETRY.serialForMs;
	}

	get idle(): boolean {
		return Date.now() > this.serialUntil;
	}
}

const gates = new Map<string, RateLimitGate>();

/**
 * The gate of one credential (one API key), known without decrypting anything: AgentCall counts
 * its limits per key. Not keyed by base URL: routed requests get theirs from the credential's
 * `authenticate`, after they passed the gate.
 */
export function rateLimitKey(node: INode): string {
	const credential = node.credentials?.agentCallApi;
	return `#${credential?.id ?? credential?.name ?? ''}`;
}

function gateFor(key: string): RateLimitGate {
	let gate = gates.get(key);
	if (!gate) {
		if (gates.size >= 100) {
			for (const [staleKey, stale] of gates) if (stale.idle) gates.delete(staleKey);
		}
		gate = new RateLimitGate();
		gates.set(key, gate);
	}
	return gate;
}

/**
 * Runs `attempt` through the gate of `key`, repeating it while AgentCall answers 429. The errors
 * it passes on were mapped by the transport already.
 */
export async function retryOnRateLimit<T>(key: string, attempt: () => Promise<T>): Promise<T> {
	const gate = gateFor(key);
	let waitedMs = 0;
	for (let refusals = 0; ; ) {
		const release = await gate.turn();
		const running = attempt().then(
			(value) => ({ value }),
			(error: unknown) => ({ error }),
		);
		if (release) void Promise.race([running, sleep(RATE_LIMIT_RETRY.maxTurnMs)]).then(release);
		const outcome = await running;
		if ('value' in outcome) return outcome.value;
		const { error } = outcome;
		const delay =
			isAgentCallError(error) && error.httpCode === '429'
				? nextRateLimitDelayMs(++refusals, error.context.retryAfterSeconds as number | null, waitedMs)
				: undefined;
		if (delay === undefined) throw error;
		waitedMs += delay;
		gate.close(delay);
	}
}
