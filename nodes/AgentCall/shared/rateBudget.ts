import type { IDataObject } from 'n8n-workflow';

/**
 * One rate-limit budget of one API key: what the node believes AgentCall allows, and when the next
 * request may leave. The gate (`rateLimit.ts`) asks `waitMs` before releasing a request and tells
 * the budget how each one was answered.
 *
 * Where the belief comes from, most trusted last:
 * - `documented`: AgentCall's published limits (100 requests a minute per key, 10 a minute for AI
 *   call starts). Whether its window is fixed or sliding is not documented, so requests are paced
 *   as a sliding log (at most `limit` sent in any `windowMs`), which never exceeds either kind.
 *   Whether the real limit is lower is not known either: beyond what AgentCall has already
 *   accepted within one window (`proven`), requests go one at a time, so finding a lower limit
 *   costs one refused request, not a whole burst.
 * - `learned`: a 429 the belief did not predict. The requests AgentCall accepted before it are the
 *   limit; when they started and the Retry-After bound the window's length (whole seconds are
 *   tried first, as limits are written so); the first request accepted after it bounds it again.
 * - `announced`: `X-RateLimit-Limit/Remaining/Reset` (or `RateLimit-*`) headers, when the API sends
 *   them. They count every client of the key, so several n8n processes sharing a key stop at the
 *   same place; after the reset one request goes first to read the new window.
 *
 * After any wait for the window, the first request goes alone: if the belief about the window was
 * wrong, one request is refused instead of every request of the window.
 */

export type BudgetSource = 'documented' | 'learned' | 'announced';

export const PACING = {
	/** Send times kept per budget; a larger limit is paced as this many per window (bounded memory). */
	maxLog: 1000,
	/** Added to the window: latency jitter between the node's clock and the API's. */
	marginMs: (windowMs: number) => 20 + Math.min(windowMs * 0.01, 1000),
	/** A request that waited this long for the window goes alone first. */
	probeAfterWaitMs: 250,
	/** A request holds a turn (the lone probe, or one-at-a-time) at most this long: a long-poll must not block the rest. */
	maxTurnMs: 2_000,
};

export interface Sent {
	at: number;
	/** Order of release (several can leave in the same millisecond). */
	seq: number;
	/** undefined while in flight. */
	ok?: boolean;
}

interface Announced {
	remaining: number;
	resetAt: number;
	/** The request whose answer said so; requests released after it spend `remaining`. */
	asOf: number;
}

function header(headers: IDataObject | undefined, name: string): number | undefined {
	if (!headers) return undefined;
	for (const [key, raw] of Object.entries(headers)) {
		const lower = key.toLowerCase();
		if (lower !== `x-ratelimit-${name}` && lower !== `ratelimit-${name}`) continue;
		const value = Number(Array.isArray(raw) ? raw[0] : raw);
		if (raw !== null && raw !== '' && Number.isFinite(value)) return value;
	}
	return undefined;
}

/** The reset time as epoch ms: seconds from now (IETF draft, Fastify), or epoch seconds/ms (GitHub style). */
function resetBounds(reset: number, now: number): [lo: number, hi: number] {
	if (reset > 1e12) return [reset, reset];
	if (reset > 1e9) return [reset * 1000 - 1000, reset * 1000];
	const at = now + reset * 1000;
	return Number.isInteger(reset) && reset > 0 ? [at - 1000, at] : [at, at];
}

/** The smallest whole second inside (lo, hi], else hi: limits are written in whole seconds. */
function likelyWindow(lo: number, hi: number): number {
	const whole = Math.floor(lo / 1000) * 1000 + 1000;
	if (whole <= hi || !Number.isFinite(hi)) return whole;
	return Math.ceil(hi);
}

export class Budget {
	source: BudgetSource = 'documented';

	/** Largest number of requests AgentCall accepted within one window: a floor for its limit. */
	proven = 0;

	blockedUntil = 0;

	private windowLo = 0;

	private windowHi = Infinity;

	private sent: Sent[] = [];

	private released = 0;

	private probe?: Sent;

	/** Since when a request has been held for the window or a block (not for a probe's answer). */
	private heldSince?: number;

	private announced?: Announced;

	/** Send time of the request that opened the current window (a probe after a wait), when known. */
	private windowStart?: number;

	/** Start of the window a refusal ended; the next probe accepted bounds the window's length. */
	private refusedWindowStart?: number;

	constructor(
		public limit: number,
		public windowMs: number,
	) {}

	private live(now: number): Sent[] {
		const horizon = now - this.windowMs - PACING.marginMs(this.windowMs);
		while (this.sent.length && (this.sent[0].at <= horizon || this.sent.length > PACING.maxLog)) this.sent.shift();
		return this.sent.filter((entry) => entry.ok !== false);
	}

	private inFlight(now: number): number {
		return this.sent.filter((entry) => entry.ok === undefined && now - entry.at < PACING.maxTurnMs).length;
	}

	/** 0 when a request may leave now; else how long to wait (an answer may shorten it: the gate is woken). */
	waitMs(now: number): number {
		if (now < this.blockedUntil) return this.held(now, this.blockedUntil - now);
		if (this.probe && this.probe.ok === undefined && now - this.probe.at < PACING.maxTurnMs) {
			return this.probe.at + PACING.maxTurnMs - now;
		}
		const live = this.live(now);
		const announced = this.announced;
		if (announced) {
			if (now < announced.resetAt) {
				const spent = live.filter((entry) => entry.seq > announced.asOf).length;
				return spent >= announced.remaining ? this.held(now, announced.resetAt - now) : 0;
			}
			// A new window: the first request after the reset reads it (see release).
			return 0;
		}
		const limit = Math.min(this.limit, PACING.maxLog);
		if (live.length >= limit) {
			return this.held(now, live[live.length - limit].at + this.windowMs + PACING.marginMs(this.windowMs) - now);
		}
		if (this.source === 'documented' && live.length >= this.proven && this.inFlight(now)) return PACING.maxTurnMs;
		return 0;
	}

	private held(now: number, waitMs: number): number {
		this.heldSince ??= now;
		return waitMs;
	}

	/** Records a request leaving. The first after a wait for the window goes alone: it tests the belief. */
	release(now: number): Sent {
		const entry: Sent = { at: now, seq: ++this.released };
		this.sent.push(entry);
		const waited = this.heldSince === undefined ? 0 : now - this.heldSince;
		this.heldSince = undefined;
		if (waited >= PACING.probeAfterWaitMs || (this.announced && now >= this.announced.resetAt)) this.probe = entry;
		return entry;
	}

	accepted(entry: Sent, headers: IDataObject | undefined, now: number): void {
		entry.ok = true;
		if (entry === this.probe) {
			// The first request after a wait opened a window (the previous one had ended): its start is known.
			if (this.refusedWindowStart !== undefined) this.boundWindow(0, now - this.refusedWindowStart);
			this.refusedWindowStart = undefined;
			this.windowStart = entry.at;
			this.probe = undefined;
		}
		if (this.source === 'documented') this.proven = Math.max(this.proven, this.live(now).filter((sent) => sent.ok).length);
		this.readHeaders(entry, headers, now);
	}

	/** A 429 for `entry`: nobody goes before `delayMs`; learn what the refusal says about the limit. */
	refused(entry: Sent, delayMs: number, retryAfterSeconds: number | undefined, now: number): void {
		entry.ok = false;
		if (this.probe === entry) this.probe = undefined;
		this.blockedUntil = Math.max(this.blockedUntil, now + delayMs);
		if (this.announced) {
			this.announced = { ...this.announced, remaining: 0, resetAt: Math.max(this.announced.resetAt, this.blockedUntil) };
			return;
		}
		if (this.source === 'learned') {
			// The limit was seen already: a refusal now says the window is longer than believed (or
			// another client spends the key too). The request it replaced is `limit` places back.
			const before = this.sent.filter((sent) => sent.ok && sent.at < entry.at);
			const counterpart = before[Math.max(0, before.length - this.limit)];
			if (counterpart) {
				this.boundWindow(entry.at - counterpart.at, Infinity);
				this.refusedWindowStart = counterpart.at;
			}
			return;
		}
		let start = this.windowStart;
		this.windowStart = undefined;
		const first = this.sent.find((sent) => sent.ok);
		if (start === undefined && first && retryAfterSeconds !== undefined && entry.at - first.at <= (retryAfterSeconds - 1) * 1000) {
			// Everything accepted so far fits in less than what was left of the refusing window, so
			// it all fell in that window (unless another client opened it earlier: then this is our share).
			start = first.at;
		}
		const counted = start === undefined ? [] : this.sent.filter((sent) => sent.ok && sent.at >= (start as number) && sent.at < entry.at);
		if (start === undefined || counted.length === 0) {
			// Where the refusing window began is not known: trust nothing accepted so far and go one
			// at a time until the next window, which the first request after this wait opens, shows the limit.
			this.proven = 0;
			return;
		}
		this.limit = counted.length;
		if (retryAfterSeconds !== undefined) {
			this.boundWindow(entry.at - start + (retryAfterSeconds - 1) * 1000, now - start + retryAfterSeconds * 1000);
		} else {
			this.boundWindow(entry.at - start, Infinity);
		}
		this.refusedWindowStart = start;
		this.source = 'learned';
	}

	private boundWindow(lo: number, hi: number): void {
		let nextLo = Math.max(this.windowLo, lo);
		let nextHi = Math.min(this.windowHi, hi);
		// Contradicting evidence (another client on the key, a changed limit): start over from the new.
		if (nextLo >= nextHi) [nextLo, nextHi] = [lo, hi];
		[this.windowLo, this.windowHi] = [Math.max(0, nextLo), nextHi];
		this.windowMs = Math.max(1, likelyWindow(this.windowLo, this.windowHi));
	}

	private readHeaders(entry: Sent, headers: IDataObject | undefined, now: number): void {
		const limit = header(headers, 'limit');
		const remaining = header(headers, 'remaining');
		const reset = header(headers, 'reset');
		if (limit === undefined || remaining === undefined || reset === undefined || limit < 1) return;
		this.limit = Math.floor(limit);
		this.source = 'announced';
		const [lo, hi] = resetBounds(reset, now);
		if (remaining === limit - 1) this.boundWindow(lo - now, hi - entry.at);
		const previous = this.announced;
		// Answers arrive out of order: one to an earlier request says less than what is known.
		if (previous && entry.seq < previous.asOf) return;
		// Within one window keep the earliest reset: each answer's is rounded up.
		const sameWindow = previous !== undefined && now < previous.resetAt && remaining <= previous.remaining;
		this.announced = {
			remaining: Math.max(0, Math.floor(remaining)),
			resetAt: sameWindow ? Math.min(previous.resetAt, hi) : hi,
			asOf: entry.seq,
		};
	}

	/** Share of the limit AgentCall accepted within the current window. */
	usage(now: number): number {
		return this.live(now).filter((sent) => sent.ok).length / this.limit;
	}

	/** Nothing queued or in flight and nothing counted in the window: safe to forget. */
	idle(now: number): boolean {
		return now >= this.blockedUntil && this.live(now).length === 0;
	}
}
