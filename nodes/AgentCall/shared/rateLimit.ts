import type { IDataObject, INode } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { isAgentCallError } from './errors';
import type { Sent } from './rateBudget';
import { Budget } from './rateBudget';

/**
 * The rate limit as a budget per API key. Every request of one credential at one base URL passes
 * one gate, which holds it until the key's budgets allow it (`rateBudget.ts`: AgentCall's
 * documented limits, then what its 429s and rate-limit headers show), so a bulk send or a poll
 * of many inboxes stays inside the limit instead of learning it from refusals.
 *
 * A 429 stays the safety net: it means the request was not processed, so it is repeated, after
 * the Retry-After the API asked for; meanwhile no request of that budget leaves. The gates live
 * in this process only: several n8n processes (queue mode) on one key each believe they have the
 * whole budget, and meet at the API's answers (429 + Retry-After, or the headers' count, which
 * covers every client of the key). Nothing is ever sent twice because of the gate.
 */
export const RATE_LIMIT_RETRY = {
	/** 429s one request may receive before it fails. Waiting at the gate does not count. */
	maxAttempts: 8,
	/** Longest one request waits because of its own 429s. */
	maxTotalWaitMs: 10 * 60_000,
	/** Backoff when the API sends no Retry-After: 1 s, 2 s, 4 s … capped. */
	baseDelayMs: 1_000,
	maxDelayMs: 30_000,
};

/** AgentCall's documented limits per API key (agentcall-api.md §7). AI call starts spend both. */
export const DOCUMENTED_LIMITS = {
	general: { limit: 100, windowMs: 60_000 },
	aiCall: { limit: 10, windowMs: 60_000 },
};

/** Gates kept per process; idle ones are dropped first when more are needed. */
const MAX_GATES = 100;

/**
 * A key unused this long starts again from the documented limits: what was learned may have been
 * this process's share while others used the key, and one refused request relearns it.
 */
const FORGET_AFTER_MS = 10 * 60_000;

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

/** The one route with a limit of its own: starting an AI call. */
export function isAiCallStart(method: string, path: string): boolean {
	return method.toUpperCase() === 'POST' && /^\/v1\/calls\/ai\/?$/.test(path.split('?')[0]);
}

interface Waiter {
	budgets: Budget[];
	go: (sent: Sent[]) => void;
}

class RateLimitGate {
	readonly general = new Budget(DOCUMENTED_LIMITS.general.limit, DOCUMENTED_LIMITS.general.windowMs);

	readonly aiCall = new Budget(DOCUMENTED_LIMITS.aiCall.limit, DOCUMENTED_LIMITS.aiCall.windowMs);

	private queue: Waiter[] = [];

	private pumping = false;

	private wake?: () => void;

	private timer?: { at: number; done: Promise<void> };

	lastUsed = Date.now();

	async turn(budgets: Budget[]): Promise<Sent[]> {
		this.lastUsed = Date.now();
		return await new Promise<Sent[]>((go) => {
			this.queue.push({ budgets, go });
			this.nudge();
		});
	}

	/** An answer or a refusal may let a held request go earlier than planned. */
	nudge(): void {
		if (this.pumping) this.wake?.();
		else void this.pump();
	}

	private async pump(): Promise<void> {
		this.pumping = true;
		try {
			while (this.queue.length) {
				let nextAt = Infinity;
				const blocked = new Set<Budget>();
				for (const waiter of [...this.queue]) {
					if (waiter.budgets.some((budget) => blocked.has(budget))) continue;
					const now = Date.now();
					const waits = waiter.budgets.map((budget) => budget.waitMs(now));
					const wait = Math.max(...waits);
					if (wait <= 0) {
						this.queue.splice(this.queue.indexOf(waiter), 1);
						waiter.go(waiter.budgets.map((budget) => budget.release(now)));
						continue;
					}
					// Later requests of the same budget keep their order behind this one.
					waiter.budgets.forEach((budget, index) => waits[index] > 0 && blocked.add(budget));
					nextAt = Math.min(nextAt, now + wait);
				}
				if (!this.queue.length) break;
				const woken = new Promise<void>((resolve) => (this.wake = resolve));
				await Promise.race([woken, this.sleepUntil(nextAt)]);
				this.wake = undefined;
			}
		} finally {
			this.pumping = false;
		}
	}

	/** One pending timer for the earliest planned release, not one per pass of the loop. */
	private async sleepUntil(at: number): Promise<void> {
		const now = Date.now();
		if (!this.timer || this.timer.at <= now || this.timer.at > at) {
			const done = sleep(Math.max(1, at - now));
			this.timer = { at, done };
		}
		await this.timer.done;
	}

	get idle(): boolean {
		const now = Date.now();
		return !this.queue.length && this.general.idle(now) && this.aiCall.idle(now);
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
	if (gate && gate.idle && Date.now() - gate.lastUsed > FORGET_AFTER_MS) gate = undefined;
	if (!gate) {
		if (gates.size >= MAX_GATES) {
			for (const [staleKey, stale] of gates) if (stale.idle) gates.delete(staleKey);
		}
		gate = new RateLimitGate();
		gates.set(key, gate);
	}
	return gate;
}

/** What the gate believes about a key's general budget (e.g. for the SMS Trigger's poll plan). */
export function rateBudgetOf(key: string): { limit: number; windowMs: number; source: string } {
	const { limit, windowMs, source } = gateFor(key).general;
	return { limit, windowMs, source };
}

export interface RateLimitOptions<T> {
	/** Starting an AI call spends the AI-call budget as well. */
	aiCall?: boolean;
	/** The answer's headers, read for `X-RateLimit-*`. */
	headersOf?: (value: T) => IDataObject | undefined;
}

const ANSWER_HEADERS = Symbol('agentCallAnswerHeaders');

/**
 * Routed operations see their answer only in postReceive, on the item's context; the pagination
 * context that runs `retryOnRateLimit` inherits from it (n8n's RoutingNode: `Object.create`).
 */
export function keepAnswerHeaders(context: object, headers: unknown): void {
	(context as { [ANSWER_HEADERS]?: unknown })[ANSWER_HEADERS] = headers;
}

export function keptAnswerHeaders(context: object): IDataObject | undefined {
	const headers = (context as { [ANSWER_HEADERS]?: unknown })[ANSWER_HEADERS];
	return headers && typeof headers === 'object' ? (headers as IDataObject) : undefined;
}

/**
 * Runs `attempt` through the gate of `key`, repeating it while AgentCall answers 429. The errors
 * it passes on were mapped by the transport already.
 */
export async function retryOnRateLimit<T>(key: string, attempt: () => Promise<T>, options: RateLimitOptions<T> = {}): Promise<T> {
	const gate = gateFor(key);
	const budgets = options.aiCall ? [gate.general, gate.aiCall] : [gate.general];
	let waitedMs = 0;
	for (let refusals = 0; ; ) {
		const sent = await gate.turn(budgets);
		let outcome: { value: T } | { error: unknown };
		try {
			outcome = { value: await attempt() };
		} catch (error) {
			outcome = { error };
		}
		const now = Date.now();
		if ('value' in outcome) {
			const headers = options.headersOf?.(outcome.value);
			budgets.forEach((budget, index) => budget.accepted(sent[index], headers, now));
			gate.nudge();
			return outcome.value;
		}
		const { error } = outcome;
		const refused = isAgentCallError(error) && error.httpCode === '429';
		const retryAfter = refused ? (error.context.retryAfterSeconds as number | null) : null;
		const delay = refused ? nextRateLimitDelayMs(++refusals, retryAfter, waitedMs) : undefined;
		// Any other answer still tells the budget the request went through.
		const blame = blamed(budgets, now);
		budgets.forEach((budget, index) => {
			if (!refused) budget.accepted(sent[index], undefined, now);
			else if (budget === blame) budget.refused(sent[index], delay ?? (retryAfter ?? 0) * 1000, retryAfter ?? undefined, now);
			else sent[index].ok = false;
		});
		gate.nudge();
		if (delay === undefined) throw error;
		waitedMs += delay;
	}
}

/** Which budget a 429 is about: for an AI call start, the one nearer its limit. */
function blamed(budgets: Budget[], now: number): Budget {
	return budgets.reduce((a, b) => (b.usage(now) > a.usage(now) ? b : a));
}
