'use strict';
/**
 * One real n8n per jest run, shared by every e2e test file.
 *
 * globalSetup (./global-setup.js) calls setupSharedN8n(): runtime, build + pack, community-style
 * install, start, owner, API key; it writes a state file whose path is put in
 * $AGENTCALL_E2E_STATE. Test files call getN8n() (logged-in client + process handle);
 * restartN8n() restarts the same server and records the new pid; globalTeardown
 * (./global-teardown.js) calls teardownSharedN8n().
 *
 * Env: AGENTCALL_N8N_VERSION (an n8n version of n8n-runtime/matrix.json; default the main one),
 * AGENTCALL_N8N_CACHE (runtime cache), AGENTCALL_E2E_TARBALL (use this tarball, skip build +
 * pack), AGENTCALL_E2E_SKIP_BUILD=1 (pack the current dist), AGENTCALL_E2E_KEEP=1 (keep the
 * user folder), AGENTCALL_E2E_N8N_LOG_LEVEL (e.g. debug).
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const { ensureRuntime, MATRIX } = require('./runtime');
const { REPO_DIR, N8nClient, N8nProcess, buildAndPackRepo, installPackageLikeCommunity, startN8n, nodeOutput } = require('./n8n');

const STATE_ENV = 'AGENTCALL_E2E_STATE';
const OWNER = { email: 'owner@agentcall.test', password: 'E2e-Passw0rd!', firstName: 'E2E', lastName: 'Owner' };
const DIR_PREFIX = 'agentcall-e2e-';
const ARTIFACTS_DIR = path.join(REPO_DIR, 'test-artifacts', 'e2e');
const log = (line) => process.stderr.write(`${line}\n`);

function pidAlive(pid) {
	if (!pid) return false;
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return error.code === 'EPERM';
	}
}

function readStateFile(file) {
	return JSON.parse(fs.readFileSync(file, 'utf8'));
}

function writeState(state) {
	const tmp = `${state.stateFile}.${process.pid}.tmp`;
	fs.writeFileSync(tmp, JSON.stringify(state, null, 2));
	fs.renameSync(tmp, state.stateFile);
}

/**
 * For each run folder `<tmp>/<prefix>*` whose owning jest process died (Ctrl-C, crash): `stop(state)`
 * what it left running, then remove the folder unless the run asked to keep it.
 */
async function reapDeadRuns(prefix, stop) {
	for (const name of fs.readdirSync(os.tmpdir())) {
		if (!name.startsWith(prefix)) continue;
		const dir = path.join(os.tmpdir(), name);
		let state;
		try {
			state = readStateFile(path.join(dir, 'state.json'));
		} catch {
			continue;
		}
		if (pidAlive(state.ownerPid)) continue; // a live run (maybe another session's)
		await stop(state, dir);
		if (!state.keep) fs.rmSync(dir, { recursive: true, force: true });
	}
}

/** Whether `pid` is still the n8n of `n8nBin` (not a reused PID). */
function isN8nProcess(pid, n8nBin) {
	try {
		return Boolean(pid) && fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(n8nBin);
	} catch {
		return false;
	}
}

/** Stop n8n servers left behind by e2e runs whose jest process died (Ctrl-C, crash). */
async function reapOrphans() {
	await reapDeadRuns(DIR_PREFIX, async (state, dir) => {
		const pid = state.n8n && state.n8n.pid;
		if (pid && isN8nProcess(pid, state.n8n.runtime.n8nBin)) {
			log(`[e2e] stopping n8n pid ${pid} left by a dead e2e run (${dir})`);
			await N8nProcess.attach(state.n8n, { log }).stop({ timeoutMs: 10000 });
		}
	});
}

/** On exit or a signal, stop what the state file names (default: the shared n8n); `stop(state)` is synchronous. */
function installExitGuard(stateFile, stop = (state) => N8nProcess.attach(state.n8n).killSync()) {
	const kill = () => {
		try {
			stop(readStateFile(stateFile));
		} catch {}
	};
	process.once('exit', kill);
	for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
		process.once(sig, () => {
			kill();
			if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
		});
	}
}

/**
 * Runtime, package tarball, fresh user folder, community-style install, n8n start, owner, API key.
 * @returns {Promise<object>} the state (also written to state.json; its path in $AGENTCALL_E2E_STATE)
 */
async function setupSharedN8n() {
	const t0 = Date.now();
	const timings = {};
	const lap = (name, since) => (timings[name] = Math.round((Date.now() - since) / 100) / 10);
	await reapOrphans();

	let t = Date.now();
	const runtime = await ensureRuntime({ log });
	lap('runtime', t);

	const dir = fs.mkdtempSync(path.join(os.tmpdir(), DIR_PREFIX));
	const stateFile = path.join(dir, 'state.json');
	const keep = process.env.AGENTCALL_E2E_KEEP === '1';
	const userFolder = path.join(dir, 'user');
	fs.writeFileSync(stateFile, JSON.stringify({ ownerPid: process.pid, keep, stateFile }));

	t = Date.now();
	const tarball = process.env.AGENTCALL_E2E_TARBALL
		? path.resolve(process.env.AGENTCALL_E2E_TARBALL)
		: await buildAndPackRepo({ destDir: dir, build: process.env.AGENTCALL_E2E_SKIP_BUILD !== '1', log });
	lap('buildAndPack', t);

	t = Date.now();
	const installed = await installPackageLikeCommunity(tarball, userFolder, { runtime, log });
	lap('install', t);

	// settings an n8n version needs for what the suite proves (matrix.json `env`, with the reason there)
	const env = { ...(MATRIX.versions[runtime.n8nVersion].env || {}) };
	if (process.env.AGENTCALL_E2E_N8N_LOG_LEVEL) env.N8N_LOG_LEVEL = process.env.AGENTCALL_E2E_N8N_LOG_LEVEL;
	t = Date.now();
	const n8n = await startN8n({ runtime, userFolder, env, log, logFile: path.join(dir, 'n8n.log') });
	lap('n8nStart', t);

	const versions = { n8nVersion: runtime.n8nVersion, nodeVersion: runtime.nodeVersion };
	const state = { ownerPid: process.pid, keep, stateFile, dir, tarball, installed, ...versions, owner: OWNER, n8n: n8n.toJSON(), baseUrl: n8n.baseUrl };
	writeState(state);
	installExitGuard(stateFile);

	t = Date.now();
	const client = new N8nClient({ baseUrl: n8n.baseUrl });
	await client.setupOwner(OWNER);
	// n8n below the minimum (a matrix `probe`, e.g. 1.82) has no API key scopes (no /rest/api-keys/scopes): a key there can do everything
	state.apiKey = await client.createApiKey({ label: 'e2e', ...(MATRIX.versions[runtime.n8nVersion].probe ? { scopes: [] } : {}) });
	state.cookie = client.cookie;
	lap('ownerAndApiKey', t);
	timings.total = Math.round((Date.now() - t0) / 100) / 10;
	state.timings = timings;
	writeState(state);
	process.env[STATE_ENV] = stateFile;
	log(
		`[e2e] shared n8n ${runtime.n8nVersion} (Node ${runtime.nodeVersion}) ready at ${n8n.baseUrl} ` +
			`(${installed.name}@${installed.version}); timings (s): ${JSON.stringify(timings)}`,
	);
	return state;
}

/** The shared run's state, written by globalSetup. */
function readState() {
	const file = process.env[STATE_ENV];
	if (!file || !fs.existsSync(file)) {
		throw new Error(`no shared n8n: run the e2e suite with its config (jest -c test/e2e/jest.config.js --runInBand)`);
	}
	return readStateFile(file);
}

let cached;
/**
 * The shared n8n: a client with the owner's cookie and an API key, and the process handle.
 * @returns {Promise<{ client: import('./n8n').N8nClient, n8n: import('./n8n').N8nProcess, baseUrl: string, webhookUrl: string, state: any }>}
 */
async function getN8n() {
	const state = readState();
	if (!cached || cached.state.n8n.pid !== state.n8n.pid) {
		const n8n = N8nProcess.attach(state.n8n, { log });
		const client = new N8nClient({ baseUrl: state.baseUrl, apiKey: state.apiKey, cookie: state.cookie });
		cached = { client, n8n, baseUrl: state.baseUrl, webhookUrl: n8n.webhookUrl, state };
	}
	return cached;
}

/** Restart the shared n8n (same DB, ports, key); the cookie and API key stay valid. Returns seconds taken. */
async function restartN8n() {
	const state = readState();
	const n8n = N8nProcess.attach(state.n8n, { log });
	const t0 = Date.now();
	await n8n.restart();
	state.n8n = n8n.toJSON();
	writeState(state);
	cached = undefined;
	return (Date.now() - t0) / 1000;
}

/** Stop the shared n8n, copy its log to test-artifacts/e2e/ (n8n.log, n8n-<version>.log for other versions), remove the temp folder unless KEEP. */
async function teardownSharedN8n() {
	let state;
	try {
		state = readState();
	} catch {
		return;
	}
	await N8nProcess.attach(state.n8n, { log }).stop();
	state.n8n.pid = undefined;
	if (state.keep) writeState(state);
	try {
		fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
		const name = !state.n8nVersion || state.n8nVersion === MATRIX.main ? 'n8n.log' : `n8n-${state.n8nVersion}.log`;
		fs.copyFileSync(state.n8n.logFile, path.join(ARTIFACTS_DIR, name));
	} catch {}
	if (state.keep) log(`[e2e] kept ${state.dir} (AGENTCALL_E2E_KEEP=1)`);
	else fs.rmSync(state.dir, { recursive: true, force: true });
}

/**
 * The problems n8n printed while starting, in every start of a log (up to "Editor is now
 * accessible"). n8n logs a package it cannot load as a bare message (a node class that throws
 * becomes "Class could not be found...", naming neither package nor node), so every line counts,
 * but migrations named after errors and n8n 2.x's note that this machine has no Python task runner.
 */
function bootErrors(logText) {
	const problems = [];
	let booting = false;
	for (const line of logText.split('\n')) {
		if (/^===== .* n8n start/.test(line)) booting = true;
		else if (/Editor is now accessible/.test(line)) booting = false;
		else if (booting && !/^(Starting|Finished) migration |Python task runner/.test(line) && /error|fail|could not|cannot|unable/i.test(line)) problems.push(line);
	}
	return problems;
}

module.exports = { bootErrors, writeState, readStateFile, reapDeadRuns, isN8nProcess, installExitGuard, setupSharedN8n, teardownSharedN8n, reapOrphans, getN8n, restartN8n, readState, nodeOutput, OWNER, STATE_ENV };
