import { sleep } from 'n8n-workflow';

import { isAgentCallError } from './errors';

/**
 * How long the node keeps retrying a request AgentCall answered with 429. A 429 means the request
 * was not processed, so retrying can never send an SMS or dial twice. Bounded in attempts and in
 * total wait so a workflow never hangs on a rate limit.
 */
export const RATE_LIMIT_RETRY = {
	maxAttempts: 8,
	maxTotalWaitMs: 5 * 60_000,
	/** Backoff when the API sends no Retry-After: 1 s, 2 s, 4 s … capped. */
	baseDelayMs: 1_000,
	maxDelayMs: 30_000,
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
	// Jitter spreads out items that were all refused in the same window.
	const delay = Math.ceil(base + Math.random() * Math.min(1000, base / 4 + 100));
	return waitedMs + delay > RATE_LIMIT_RETRY.maxTotalWaitMs ? undefined : delay;
}

/**
 * Runs `attempt` and repeats it after the wait AgentCall asks for while it answers 429. The errors
 * it passes on were mapped by the transport already.
 */
export async function retryOnRateLimit<T>(attempt: () => Promise<T>): Promise<T> {
	let waitedMs = 0;
	for (let attemptNumber = 1; ; attemptNumber++) {
		const outcome = await attempt().then(
			(value) => ({ value }),
			(error: unknown) => ({ error }),
		);
		if ('value' in outcome) return outcome.value;
		const { error } = outcome;
		const delay =
			isAgentCallError(error) && error.httpCode === '429'
				? nextRateLimitDelayMs(attemptNumber, error.context.retryAfterSeconds as number | null, waitedMs)
				: undefined;
		if (delay === undefined) throw error;
		await sleep(delay);
		waitedMs += delay;
	}
}
