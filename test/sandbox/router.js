// @ts-check
'use strict';

/**
 * Minimal router: `/v1/calls/:id` patterns, `*` matches the rest of the path. Literal segments win
 * over parameters (so `/v1/calls/voices` beats `/v1/calls/:id`). Paths are normalised first:
 * repeated and trailing slashes are dropped (trailing-slash tolerance).
 */

/** @param {string} p */
function normalizePath(p) {
	const squeezed = p.replace(/\/{2,}/g, '/');
	return squeezed.length > 1 ? squeezed.replace(/\/+$/, '') : squeezed;
}

/**
 * @param {string} pattern
 * @param {string} path normalised path
 * @returns {{ params: Record<string, string>, score: number } | null}
 */
function matchPath(pattern, path) {
	const ps = pattern.split('/');
	const xs = path.split('/');
	/** @type {Record<string, string>} */
	const params = {};
	let score = 0;
	for (let i = 0; i < ps.length; i++) {
		const p = ps[i];
		if (p === '*') return { params, score };
		if (i >= xs.length) return null;
		if (p.startsWith(':')) {
			if (!xs[i]) return null;
			try {
				params[p.slice(1)] = decodeURIComponent(xs[i]);
			} catch {
				return null;
			}
		} else if (p === xs[i]) {
			score += 1;
		} else {
			return null;
		}
	}
	return xs.length === ps.length ? { params, score } : null;
}

/**
 * @template {{ method: string, path: string }} R
 * @param {R[]} routes
 */
function createRouter(routes) {
	/**
	 * @param {string} method
	 * @param {string} path normalised
	 * @returns {{ route: R, params: Record<string, string> } | { methodMismatch: true } | null}
	 */
	function find(method, path) {
		/** @type {{ route: R, params: Record<string, string>, score: number } | null} */
		let best = null;
		let pathKnown = false;
		for (const route of routes) {
			const m = matchPath(route.path, path);
			if (!m) continue;
			pathKnown = true;
			if (route.method !== method && !(method === 'HEAD' && route.method === 'GET')) continue;
			if (!best || m.score > best.score) best = { route, params: m.params, score: m.score };
		}
		if (best) return { route: best.route, params: best.params };
		return pathKnown ? { methodMismatch: true } : null;
	}
	return { find };
}

module.exports = { createRouter, matchPath, normalizePath };
