// @ts-check
'use strict';

/**
 * Every timer the sandbox starts goes through one scheduler, so `close()` / `reset()` can stop
 * them all at once (jest must exit cleanly). Timers may carry a tag (e.g. a call id) for cancelling.
 */
function createScheduler() {
	/** @type {Map<NodeJS.Timeout, string | undefined>} */
	const timers = new Map();

	/**
	 * @param {number} ms
	 * @param {() => void} fn
	 * @param {string} [tag]
	 */
	function after(ms, fn, tag) {
		const t = setTimeout(() => {
			timers.delete(t);
			fn();
		}, Math.max(0, Math.round(ms)));
		timers.set(t, tag);
		return t;
	}

	/** @param {NodeJS.Timeout | null | undefined} t */
	function cancel(t) {
		if (!t) return;
		clearTimeout(t);
		timers.delete(t);
	}

	/** @param {string} tag */
	function cancelTag(tag) {
		for (const [t, g] of timers) if (g === tag) cancel(t);
	}

	function clearAll() {
		for (const t of timers.keys()) clearTimeout(t);
		timers.clear();
	}

	/** A promise resolved after `ms` (never resolved if cleared first). @param {number} ms */
	function delay(ms) {
		return new Promise((resolve) => after(ms, () => resolve(undefined)));
	}

	return { after, cancel, cancelTag, clearAll, delay, get size() { return timers.size; } };
}

/**
 * "Nothing pending" waiters for work that runs on the scheduler (deliveries, relays): `settled(ms)`
 * resolves true once `notify()` runs with `pendingCount()` at 0, or false after `ms`.
 * @param {ReturnType<typeof createScheduler>} scheduler
 * @param {() => number} pendingCount
 */
function createIdleWaiters(scheduler, pendingCount) {
	/** @type {Array<() => void>} */
	let waiters = [];
	function notify() {
		if (pendingCount() > 0) return;
		const ws = waiters;
		waiters = [];
		ws.forEach((fn) => fn());
	}
	/** @param {number} [timeoutMs] @returns {Promise<boolean>} */
	function settled(timeoutMs = 10000) {
		if (pendingCount() === 0) return Promise.resolve(true);
		return new Promise((resolve) => {
			const t = scheduler.after(timeoutMs, () => {
				waiters = waiters.filter((f) => f !== fn);
				resolve(false);
			});
			const fn = () => {
				scheduler.cancel(t);
				resolve(true);
			};
			waiters.push(fn);
		});
	}
	return { notify, settled };
}

module.exports = { createScheduler, createIdleWaiters };
