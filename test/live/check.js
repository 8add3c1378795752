// @ts-check
'use strict';

const { startSandbox } = require('../sandbox');
const { createConfig, DEFAULTS } = require('../sandbox/config');
const { CALLS, RUN_PROBES } = require('./probes');

/**
 * The live check: the read-only calls of ./probes.js against a base URL, the same calls against a
 * default sandbox (seeded like an account in use), and per probe the live value, the sandbox's
 * value and whether the nodes handle it. Plain CommonJS with Node built-ins (fetch) only.
 */

/** @typedef {import('./probes').Answer} Answer */
/** @typedef {{ id: string, doc: string, what: string, call: string, setting?: string, live: any, sandbox: any, verdict: 'same'|'differs'|'unknown', nodesHandle: boolean | null, nodes: string, missing?: string[], extra?: string[] }} Finding */
/** @typedef {{ name: string, method: 'GET', path: string | null, status: number | null, ms: number | null, skipped?: string, error?: string, note?: string }} CallLog */

const REQUEST_TIMEOUT_MS = 15000;

/** Replaces every occurrence of the key in `text` (the API might echo it; a log must never show it). */
function redact(text, key) {
	return key ? String(text).split(key).join('[API key]') : String(text);
}

/**
 * One GET. Nothing else is ever sent: the check is read-only by construction.
 * @param {string} baseUrl @param {string} apiKey @param {string} path @returns {Promise<Answer>}
 */
async function get(baseUrl, apiKey, path) {
	const started = Date.now();
	const controller = new AbortController();
	const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
	try {
		const res = await fetch(`${baseUrl}${path}`, {
			method: 'GET',
			headers: { Authorization: `Bearer ${apiKey}`, Accept: 'application/json', 'User-Agent': 'n8n-nodes-agentcall live check' },
			signal: controller.signal,
		});
		const text = await res.text();
		/** @type {any} */
		let body;
		try {
			body = text === '' ? undefined : JSON.parse(text);
		} catch {
			body = text;
		}
		/** @type {Record<string, string>} */
		const headers = {};
		res.headers.forEach((value, name) => (headers[name.toLowerCase()] = value));
		return { status: res.status, headers, body, ms: Date.now() - started };
	} catch (error) {
		return { status: 0, headers: {}, body: undefined, ms: Date.now() - started, error: redact(/** @type {Error} */ (error).message, apiKey) };
	} finally {
		clearTimeout(timer);
	}
}

/** Runs every call in order; a call that needs a number is skipped when the account has none. */
async function runCalls(baseUrl, apiKey) {
	/** @type {Record<string, string>} */
	const ctx = {};
	/** @type {Map<string, Answer | undefined>} */
	const answers = new Map();
	/** @type {CallLog[]} */
	const log = [];
	for (const call of CALLS) {
		if (call.needs && !ctx[call.needs]) {
			answers.set(call.name, undefined);
			log.push({ name: call.name, method: 'GET', path: null, status: null, ms: null, skipped: 'no phone number on this account' });
			continue;
		}
		const path = /** @type {string} */ (call.path(ctx));
		const answer = await get(baseUrl, apiKey, path);
		answers.set(call.name, answer);
		log.push({ name: call.name, method: 'GET', path, status: answer.status || null, ms: answer.ms ?? null, error: answer.error, note: call.note });
		if (call.name === 'numbers') {
			const id = require('./probes').listOf(answer.body)?.items.find((item) => item && typeof item.id === 'string')?.id;
			if (id) ctx.numberId = id;
		}
	}
	return { answers, log };
}

/** @param {any} a @param {any} b */
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Seeds a sandbox like an account in use: two numbers, two inbound SMS without a code, two ended
 * calls and one webhook, with distinct timestamps so list order shows. Used for the reference
 * sandbox and by the tests for the sandbox they point the check at.
 * @param {import('../sandbox').Sandbox} sandbox
 */
async function seedAccount(sandbox) {
	const pause = () => new Promise((resolve) => setTimeout(resolve, 5));
	/** @param {string} path @param {any} body */
	const post = async (path, body) => {
		const res = await fetch(`${sandbox.url}${path}`, {
			method: 'POST',
			headers: { Authorization: `Bearer ${sandbox.apiKey}`, 'Content-Type': 'application/json' },
			body: JSON.stringify(body),
		});
		if (!res.ok) throw new Error(`seeding the sandbox: POST ${path} answered ${res.status}`);
		const text = await res.text();
		return text ? JSON.parse(text) : {};
	};
	const numbers = [];
	for (const label of ['Front desk', 'Support']) {
		numbers.push(await post('/v1/numbers/provision', { type: 'local', label }));
		await pause();
	}
	// Newest first by default, so the first listed number is the second one provisioned.
	for (const target of numbers) {
		for (const body of ['Hi, is the shop open on Sunday?', 'Thanks, see you then']) {
			sandbox.injectSms({ to: target.id, from: '+12125550199', body });
			await pause();
		}
		for (const to of ['+12125550123', '+13105550177']) {
			const call = await post('/v1/calls/initiate', { from: target.id, to });
			sandbox.completeCall(call.id ?? call.data?.id);
			await pause();
		}
	}
	await post('/v1/webhooks', { url: 'http://127.0.0.1:9/live-check', events: ['sms.inbound'] });
}

/** The same calls against a default sandbox: "what the sandbox returns". */
async function referenceAnswers() {
	const sandbox = await startSandbox({ port: 0, host: '127.0.0.1' });
	try {
		await seedAccount(sandbox);
		return (await runCalls(sandbox.url, sandbox.apiKey)).answers;
	} finally {
		await sandbox.close();
	}
}

/** @param {import('./probes').Probe} probe @param {Answer | undefined} answer */
function observe(probe, answer) {
	if (!answer || answer.error) return undefined;
	try {
		return probe.observe(answer);
	} catch {
		return undefined;
	}
}

/** @returns {Finding} */
function finding(probe, call, live, sandbox) {
	/** @type {Finding} */
	const result = { id: probe.id, doc: probe.doc, what: probe.what, call, setting: probe.setting, live, sandbox, verdict: 'unknown', nodesHandle: null, nodes: probe.nodes };
	if (live === undefined) return result;
	result.verdict = same(live, sandbox) ? 'same' : 'differs';
	result.nodesHandle = probe.accepts(live);
	if (Array.isArray(live) && Array.isArray(sandbox)) {
		result.missing = sandbox.filter((field) => !live.includes(field));
		result.extra = live.filter((field) => !sandbox.includes(field));
	}
	return result;
}

/**
 * Sandbox settings that would make the default sandbox answer like the live API, checked by the
 * sandbox's own config validation; only values that differ from its defaults.
 * @param {Finding[]} findings
 */
function suggestedConfig(findings) {
	/** @type {Record<string, any>} */
	const patch = {};
	for (const f of findings) {
		const probe = [...CALLS.flatMap((c) => c.probes), ...RUN_PROBES].find((p) => p.id === f.id);
		if (f.live === undefined || !probe?.toSetting) continue;
		const setting = probe.toSetting(f.live);
		if (!setting) continue;
		try {
			createConfig(setting);
		} catch {
			continue;
		}
		for (const [key, value] of Object.entries(setting)) {
			if (key === 'listWrappers') {
				for (const [list, wrapper] of Object.entries(value)) {
					if (DEFAULTS.listWrappers[list] !== wrapper) patch.listWrappers = { ...patch.listWrappers, [list]: wrapper };
				}
			} else if (!same(DEFAULTS[key], value) && !(key in patch)) {
				patch[key] = value;
			}
		}
	}
	if (patch.pagination === 'none') delete patch.pagination;
	if (patch.cursorField && patch.pagination === undefined) delete patch.cursorField;
	return patch;
}

/**
 * The whole check. Never throws for API answers (they are what is being reported).
 * @param {{ baseUrl: string, apiKey: string }} options
 */
async function runLiveCheck({ baseUrl, apiKey }) {
	const base = baseUrl.replace(/\/+$/, '');
	const { answers, log } = await runCalls(base, apiKey);
	const reference = await referenceAnswers();
	/** @type {Finding[]} */
	const findings = [];
	for (const call of CALLS) {
		for (const probe of call.probes) {
			findings.push(finding(probe, call.name, observe(probe, answers.get(call.name)), observe(probe, reference.get(call.name))));
		}
	}
	const live = /** @type {Answer[]} */ ([...answers.values()].filter(Boolean));
	const ref = /** @type {Answer[]} */ ([...reference.values()].filter(Boolean));
	for (const probe of RUN_PROBES) findings.push(finding(probe, 'all calls', probe.observeAll(live), probe.observeAll(ref)));
	const unauthorized = live.some((a) => a.status === 401);
	return { baseUrl: base, calls: log, findings, suggestedSandboxConfig: suggestedConfig(findings), unauthorized };
}

/** @param {any} v */
const show = (v) => (v === undefined ? '(cannot tell)' : typeof v === 'string' ? v : JSON.stringify(v));

/** The report a maintainer reads. @param {Awaited<ReturnType<typeof runLiveCheck>>} report */
function formatReport(report) {
	const lines = [`AgentCall live check against ${report.baseUrl} (read-only: GET requests only)`, ''];
	for (const call of report.calls) {
		const head = call.skipped ? `- ${call.name}: skipped (${call.skipped})` : `- ${call.name}: GET ${call.path} -> ${call.error ? `failed: ${call.error}` : `${call.status} in ${call.ms} ms`}`;
		lines.push(call.note ? `${head} [note: ${call.note}]` : head);
	}
	if (report.unauthorized) lines.push('', 'The API answered 401: check AGENTCALL_API_KEY (the key is not shown here).');
	lines.push('');
	for (const f of report.findings) {
		const tag = f.verdict === 'differs' ? (f.nodesHandle ? 'DIFFERS' : 'DIFFERS, NODES DO NOT HANDLE IT') : f.verdict === 'same' ? 'same' : 'unknown';
		lines.push(`[${tag}] ${f.id}: ${f.what} (${f.call}; reference ${f.doc}${f.setting ? `; sandbox setting ${f.setting}` : ''})`);
		if (f.missing || f.extra) {
			if (f.extra?.length) lines.push(`    live has, sandbox lacks: ${f.extra.join(', ')}`);
			if (f.missing?.length) lines.push(`    sandbox has, live lacks: ${f.missing.join(', ')}`);
		} else {
			lines.push(`    live: ${show(f.live)}; sandbox: ${show(f.sandbox)}`);
		}
		if (f.verdict === 'differs') lines.push(`    nodes: ${f.nodes}`);
	}
	const count = (/** @type {string} */ v) => report.findings.filter((f) => f.verdict === v).length;
	const unhandled = report.findings.filter((f) => f.nodesHandle === false).map((f) => f.id);
	lines.push('', `Summary: ${count('same')} as the sandbox, ${count('differs')} differ, ${count('unknown')} could not be told.`);
	lines.push(unhandled.length ? `The nodes do not handle: ${unhandled.join(', ')}.` : 'The nodes handle every answer seen.');
	lines.push(`Sandbox settings that match this API: ${JSON.stringify(report.suggestedSandboxConfig)}`);
	return lines.join('\n');
}

module.exports = { runLiveCheck, formatReport, seedAccount, redact };
