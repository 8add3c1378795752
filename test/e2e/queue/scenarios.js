'use strict';
/**
 * Workflows, deliveries and measurements the queue suite and its benchmark share.
 * Plain CommonJS (Node built-ins): runs under the machine's Node 20.
 */
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const BENCH_DIR = path.join(__dirname, '..', '..', '..', 'test-artifacts', 'bench');

/** A measured figure, on stderr (the .ts files may not use `process`: n8n's lint). */
function report(line) {
	process.stderr.write(`[queue] ${line}\n`);
}

/** Writes a benchmark's results to test-artifacts/bench/<name>.json, keeping figures of earlier partial runs. */
function writeResults(name, { results, ...rest }) {
	const file = path.join(BENCH_DIR, `${name}.json`);
	let earlier = {};
	try {
		earlier = JSON.parse(fs.readFileSync(file, 'utf8')).results || {};
	} catch {}
	fs.mkdirSync(BENCH_DIR, { recursive: true });
	fs.writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), ...rest, results: { ...earlier, ...results } }, null, 2));
}

/**
 * Manual → Code (`count` items) → Send SMS from `numberId`, bodies "bulk <tag> <n>".
 * @param {{ tag: string, count: number, credential: { id: string, name: string }, numberId: string, name?: string }} options
 */
function bulkSendWorkflow({ tag, count, credential, numberId, name }) {
	return {
		name: name || `queue bulk send ${tag}`,
		nodes: [
			{ id: 'm', name: 'Manual', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 'c',
				name: 'Recipients',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [220, 0],
				parameters: {
					jsCode: `return Array.from({ length: ${count} }, (_, n) => ({ json: { to: '+1415555' + String(1000 + n).slice(-4), body: 'bulk ${tag} ' + n } }));`,
				},
			},
			{
				id: 's',
				name: 'Send SMS',
				type: 'n8n-nodes-agentcall.agentCall',
				typeVersion: 1,
				position: [440, 0],
				parameters: {
					resource: 'sms',
					operation: 'send',
					smsFrom: { __rl: true, mode: 'id', value: numberId },
					smsTo: '={{ $json.to }}',
					message: '={{ $json.body }}',
				},
				credentials: { agentCallApi: { id: String(credential.id), name: credential.name } },
			},
		],
		connections: {
			Manual: { main: [[{ node: 'Recipients', type: 'main', index: 0 }]] },
			Recipients: { main: [[{ node: 'Send SMS', type: 'main', index: 0 }]] },
		},
	};
}

/**
 * What the sandbox saw of SMS sends: accepted, refused with 429, the span from the first send to
 * the last answer, and the share of the limit used over that span.
 * @param {Array<{ time: string, method: string, path: string, status: number, durationMs: number }>} log
 */
function sendStats(log, { windowMs, limit }) {
	const sends = log.filter((entry) => entry.method === 'POST' && entry.path === '/v1/sms/send');
	const accepted = sends.filter((entry) => entry.status >= 200 && entry.status < 300);
	const refused = sends.filter((entry) => entry.status === 429).length;
	const first = Math.min(...sends.map((entry) => Date.parse(entry.time)));
	const last = Math.max(...sends.map((entry) => Date.parse(entry.time) + entry.durationMs));
	const spanMs = last - first;
	// The fixed windows the sandbox counted in: the span holds ceil(span / window) of them at most.
	const shareOfLimit = accepted.length / ((Math.max(spanMs, 1) / windowMs) * limit);
	return {
		requests: sends.length,
		accepted: accepted.length,
		refused429: refused,
		refusedShare: Math.round((refused / Math.max(sends.length, 1)) * 1000) / 10,
		seconds: Math.round(spanMs / 100) / 10,
		shareOfLimitPct: Math.round(shareOfLimit * 1000) / 10,
	};
}

/** A binary data ID's bytes, read through main's REST API (what the editor's download does). */
async function downloadBinary(client, id) {
	const res = await fetch(`${client.baseUrl}/rest/binary-data?${new URLSearchParams({ id, action: 'download' })}`, {
		headers: { cookie: client.cookie },
	});
	if (!res.ok) throw new Error(`binary data ${id}: HTTP ${res.status}`);
	return Buffer.from(await res.arrayBuffer());
}

/** A signed AgentCall delivery of an sms.inbound event for message `id`. */
function signedSms({ secret, id, numberId, to, from = '+13105550177', body }) {
	const text = JSON.stringify({
		event: 'sms.inbound',
		timestamp: new Date().toISOString(),
		data: { id, numberId, from, to, body: body || `text ${id}` },
	});
	return { body: text, signature: `sha256=${crypto.createHmac('sha256', secret).update(text).digest('hex')}` };
}

/**
 * POST a delivery to one n8n process: `base` is main's or the webhook processor's URL, `path`
 * the production webhook path (`webhook/<id>/<path>`). Resolves to the HTTP status.
 */
async function deliver(base, path, { body, signature }) {
	const res = await fetch(`${base}${path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...(signature === undefined ? {} : { 'x-agentcall-signature': signature }) },
		body,
	});
	await res.arrayBuffer();
	return res.status;
}

/**
 * Deliveries at once; like AgentCall, any not answered 2xx is sent again after a pause (a busy
 * n8n may answer 503, or 500 when it waited too long for a database connection). 401 and 404
 * are never expected here. Returns { rounds, statuses } of the first round.
 */
async function deliverUntilAccepted(deliveries, { pauseMs = 2000, maxRounds = 15 } = {}) {
	let pending = deliveries;
	let first;
	for (let round = 1; ; round++) {
		const statuses = await Promise.all(pending.map(({ base, path, delivery }) => deliver(base, path, delivery)));
		first = first || statuses;
		const unexpected = statuses.filter((status) => status === 401 || status === 404);
		if (unexpected.length) throw new Error(`unexpected answers to deliveries: ${unexpected.join(', ')}`);
		pending = pending.filter((_, index) => statuses[index] !== 200);
		if (!pending.length) return { rounds: round, statuses: first };
		if (round === maxRounds) throw new Error(`${pending.length} deliveries still refused after ${round} rounds`);
		await new Promise((resolve) => setTimeout(resolve, pauseMs));
	}
}

/**
 * A request to main's API, asked again (30 times, a second apart) while main answers 503 "Database
 * is not ready!" (its database health ping waiting behind a burst on 2 shared cores).
 * @template T
 * @param {() => Promise<T>} request
 * @returns {Promise<T>}
 */
async function whenReady(request) {
	for (let attempt = 1; ; attempt++) {
		try {
			return await request();
		} catch (error) {
			if (!error || error.status !== 503 || attempt === 30) throw error;
			await new Promise((resolve) => setTimeout(resolve, 1000));
		}
	}
}

module.exports = { whenReady, report, writeResults, bulkSendWorkflow, sendStats, downloadBinary, signedSms, deliver, deliverUntilAccepted };
