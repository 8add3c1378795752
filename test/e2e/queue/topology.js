'use strict';
/**
 * n8n in queue mode for the queue suite: Postgres + Redis (./services.js), one main, two workers
 * and one webhook processor, all with the same encryption key, each with its own folder, ports
 * and log. Booted once per jest run (globalSetup), shared by every file through a state file, and
 * stopped by PID (globalTeardown; a topology left by a killed run is stopped by the next run).
 *
 * The package is installed once, like n8n's community installer, into the main's user folder;
 * the other processes get the same `.n8n/nodes` folder (a symlink): every n8n process loads nodes
 * itself, so the package must be on every machine of a real deployment too.
 *
 * Env: AGENTCALL_E2E_TARBALL, AGENTCALL_E2E_SKIP_BUILD=1, AGENTCALL_E2E_KEEP=1 (as the e2e suite),
 * AGENTCALL_QUEUE_WORKERS (default 2), AGENTCALL_QUEUE_CONCURRENCY (per worker, default 1).
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const { ensureRuntime } = require('../runtime');
const { REPO_DIR, N8nClient, N8nProcess, buildAndPackRepo, freePort, installPackageLikeCommunity } = require('../n8n');
const { installExitGuard, isN8nProcess, readStateFile, reapDeadRuns, writeState } = require('../helpers');
const { ensurePackages, startPostgres, stopPostgres, startRedis, stopRedis, pidAlive } = require('./services');

const STATE_ENV = 'AGENTCALL_QUEUE_STATE';
const DIR_PREFIX = 'agentcall-queue-';
const OWNER = { email: 'owner@agentcall.test', password: 'E2e-Passw0rd!', firstName: 'Queue', lastName: 'Owner' };
const ARTIFACTS_DIR = path.join(REPO_DIR, 'test-artifacts', 'e2e-queue');
const log = (line) => process.stderr.write(`${line}\n`);

/** Every n8n process of a state, by role name (main, worker1, worker2, webhook). */
function processesOf(state) {
	return Object.entries(state.processes || {});
}

/** What every process of the topology shares: queue mode, Postgres, Redis, the public webhook URL. */
function sharedEnv({ pg, redis, webhookUrl, extra = {} }) {
	return {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: String(pg.port),
		DB_POSTGRESDB_DATABASE: pg.database,
		DB_POSTGRESDB_USER: pg.user,
		DB_POSTGRESDB_PASSWORD: '',
		// n8n's default pool of 2 connections per process made a webhook processor answer bursts of
		// 40 deliveries with 500 "timeout exceeded when trying to connect" on a loaded machine.
		DB_POSTGRESDB_POOL_SIZE: '10',
		// Manual runs too go to the workers, so every scenario runs where production runs do.
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
		// The URL n8n gives AgentCall at registration: the webhook processor (a load balancer's
		// /webhook/ route in a real deployment). Main answers the same paths.
		WEBHOOK_URL: webhookUrl,
		N8N_WEBHOOK_URL: webhookUrl,
		...(process.env.AGENTCALL_E2E_N8N_LOG_LEVEL ? { N8N_LOG_LEVEL: process.env.AGENTCALL_E2E_N8N_LOG_LEVEL } : {}),
		...extra,
	};
}

/** The user folder of a non-main process: its own, with the main's installed nodes linked in. */
function linkedUserFolder(dir, role, mainUserFolder) {
	const folder = path.join(dir, role);
	fs.mkdirSync(path.join(folder, '.n8n'), { recursive: true });
	const link = path.join(folder, '.n8n', 'nodes');
	if (!fs.existsSync(link)) fs.symlinkSync(path.join(mainUserFolder, '.n8n', 'nodes'), link);
	return folder;
}

async function processConfig({ runtime, dir, role, args, env, userFolder, port, healthPort }) {
	const brokerPort = await freePort();
	return {
		runtime: { nodeBin: runtime.nodeBin, n8nBin: runtime.n8nBin, binDir: runtime.binDir, dir: runtime.dir },
		userFolder,
		port: port || (await freePort()),
		brokerPort,
		healthPort,
		args,
		env,
		logFile: path.join(dir, 'logs', `${role}.log`),
		readyTimeoutMs: 180000,
	};
}

/** Stop a state's n8n processes (webhook, workers, then main), Redis and Postgres, by PID. */
async function stopAll(state) {
	const order = processesOf(state).sort(([a], [b]) => (a === 'main') - (b === 'main'));
	await Promise.all(
		order
			.filter(([role]) => role !== 'main')
			.map(([, cfg]) => N8nProcess.attach(cfg, { log }).stop({ timeoutMs: 15000 })),
	);
	if (state.processes && state.processes.main) await N8nProcess.attach(state.processes.main, { log }).stop({ timeoutMs: 15000 });
	await stopRedis(state.redis);
	await stopPostgres(state.pg, { log });
}

/** Stop topologies left behind by queue runs whose jest process died. */
async function reapOrphans() {
	await reapDeadRuns(DIR_PREFIX, async (state, dir) => {
		log(`[queue] stopping a topology left by a dead run (${dir})`);
		for (const [, cfg] of processesOf(state)) if (!isN8nProcess(cfg.pid, cfg.runtime.n8nBin)) cfg.pid = undefined;
		await stopAll(state);
	});
}

/** Synchronous best effort for exit handlers: SIGTERM to every process of a state. */
function killAllSync(state) {
	for (const [, cfg] of processesOf(state)) N8nProcess.attach(cfg).killSync();
	for (const pid of [state.redis && state.redis.pid, state.pg && state.pg.pid]) if (pidAlive(pid)) process.kill(pid, 'SIGTERM');
}

/**
 * Debian packages, runtime, tarball, Postgres, Redis, main (owner + API key), then the workers
 * and the webhook processor at once. Returns the state (also in state.json, path in $AGENTCALL_QUEUE_STATE).
 */
async function setupQueue() {
	const t0 = Date.now();
	const timings = {};
	const lap = (name, since) => (timings[name] = Math.round((Date.now() - since) / 100) / 10);
	await reapOrphans();
	let t = Date.now();
	ensurePackages({ log });
	lap('packages', t);
	t = Date.now();
	const runtime = await ensureRuntime({ log });
	lap('runtime', t);

	const dir = fs.mkdtempSync(path.join(os.tmpdir(), DIR_PREFIX));
	fs.mkdirSync(path.join(dir, 'logs'));
	const stateFile = path.join(dir, 'state.json');
	const keep = process.env.AGENTCALL_E2E_KEEP === '1';
	const state = { ownerPid: process.pid, keep, stateFile, dir, processes: {} };
	writeState(state);
	installExitGuard(stateFile, killAllSync);

	t = Date.now();
	const tarball = process.env.AGENTCALL_E2E_TARBALL
		? path.resolve(process.env.AGENTCALL_E2E_TARBALL)
		: await buildAndPackRepo({ destDir: dir, build: process.env.AGENTCALL_E2E_SKIP_BUILD !== '1', log });
	lap('buildAndPack', t);

	t = Date.now();
	const [pg, redis] = await Promise.all([startPostgres(dir, { log }), startRedis(dir, { log })]);
	Object.assign(state, { pg, redis });
	writeState(state);
	lap('postgresAndRedis', t);

	const mainUserFolder = path.join(dir, 'main');
	t = Date.now();
	const installed = await installPackageLikeCommunity(tarball, mainUserFolder, { runtime, log });
	lap('install', t);

	const webhookPort = await freePort();
	const webhookUrl = `http://127.0.0.1:${webhookPort}/`;
	const env = sharedEnv({ pg, redis, webhookUrl });
	const workers = Number(process.env.AGENTCALL_QUEUE_WORKERS || 2);
	const concurrency = Number(process.env.AGENTCALL_QUEUE_CONCURRENCY || 1);

	t = Date.now();
	state.processes.main = await processConfig({ runtime, dir, role: 'main', args: ['start'], env, userFolder: mainUserFolder });
	const main = N8nProcess.attach(state.processes.main, { log });
	await main.start();
	state.processes.main = main.toJSON();
	writeState(state);
	lap('mainStart', t);

	t = Date.now();
	const others = [];
	for (let n = 1; n <= workers; n++) {
		const healthPort = await freePort();
		others.push(
			await processConfig({
				runtime,
				dir,
				role: `worker${n}`,
				args: ['worker', `--concurrency=${concurrency}`],
				env: { ...env, QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(healthPort) },
				userFolder: linkedUserFolder(dir, `worker${n}`, mainUserFolder),
				healthPort,
			}),
		);
	}
	others.push(await processConfig({ runtime, dir, role: 'webhook', args: ['webhook'], env, userFolder: linkedUserFolder(dir, 'webhook', mainUserFolder), port: webhookPort }));
	const roles = [...Array.from({ length: workers }, (_, i) => `worker${i + 1}`), 'webhook'];
	// One after the other: each start loads every node type (CPU-bound on 2 cores), and a parallel
	// start only trades the same seconds for a longer readiness wait.
	for (const [index, cfg] of others.entries()) {
		const proc = N8nProcess.attach(cfg, { log });
		state.processes[roles[index]] = proc.toJSON();
		writeState(state);
		await proc.start();
		state.processes[roles[index]] = proc.toJSON();
		writeState(state);
	}
	lap('workersAndWebhookStart', t);

	t = Date.now();
	const client = new N8nClient({ baseUrl: main.baseUrl });
	await client.setupOwner(OWNER);
	state.apiKey = await client.createApiKey({ label: 'queue' });
	state.cookie = client.cookie;
	lap('ownerAndApiKey', t);
	Object.assign(state, { tarball, installed, owner: OWNER, baseUrl: main.baseUrl, webhookUrl, concurrency, workers });
	timings.total = Math.round((Date.now() - t0) / 100) / 10;
	state.timings = timings;
	writeState(state);
	process.env[STATE_ENV] = stateFile;
	log(`[queue] topology ready: main ${main.baseUrl}, webhook processor ${webhookUrl}, ${workers} workers × ${concurrency}; timings (s): ${JSON.stringify(timings)}`);
	return state;
}

function readState() {
	const file = process.env[STATE_ENV];
	if (!file || !fs.existsSync(file)) throw new Error('no queue topology: run with its config (npm run test:e2e:queue)');
	return readStateFile(file);
}

/**
 * The running topology: a logged-in client of main, the base URLs of main and of the webhook
 * processor (each serves `webhook/<id>/<path>`), and the state.
 */
function getQueue() {
	const state = readState();
	const client = new N8nClient({ baseUrl: state.baseUrl, apiKey: state.apiKey, cookie: state.cookie });
	return { client, state, mainUrl: `${state.baseUrl}/`, webhookProcessorUrl: state.webhookUrl };
}

/** Restart one process (same folder, ports, environment); returns seconds taken. */
async function restartProcess(role) {
	const state = readState();
	const proc = N8nProcess.attach(state.processes[role], { log });
	const t0 = Date.now();
	await proc.restart();
	state.processes[role] = proc.toJSON();
	writeState(state);
	return (Date.now() - t0) / 1000;
}

/** Stop or start one process (e.g. a worker for the 1-worker benchmark). */
async function stopProcess(role) {
	const state = readState();
	const proc = N8nProcess.attach(state.processes[role], { log });
	await proc.stop();
	state.processes[role] = proc.toJSON();
	writeState(state);
}

async function startProcess(role) {
	const state = readState();
	const proc = N8nProcess.attach(state.processes[role], { log });
	await proc.start();
	state.processes[role] = proc.toJSON();
	writeState(state);
}

/** The text a process has logged so far. */
function processLog(role) {
	return fs.readFileSync(readState().processes[role].logFile, 'utf8');
}

/** Which worker ran an execution: its log says "Worker started execution <id>". */
function workerOf(executionId) {
	const state = readState();
	const needle = `Worker started execution ${executionId} `;
	return processesOf(state)
		.filter(([role]) => role.startsWith('worker'))
		.find(([, cfg]) => fs.readFileSync(cfg.logFile, 'utf8').includes(needle))?.[0];
}

/** The state of a topology started by `topology.js up` (its starter alive), if $AGENTCALL_QUEUE_STATE names one. */
function liveState() {
	try {
		const state = readState();
		return state.external && pidAlive(state.ownerPid) && pidAlive(state.processes.main.pid) ? state : undefined;
	} catch {
		return undefined;
	}
}

/** Stop everything; copy the logs to test-artifacts/e2e-queue/; remove the folder unless KEEP. */
async function teardownQueue() {
	let state;
	try {
		state = readState();
	} catch {
		return;
	}
	if (state.external) return; // started by `topology.js up`: its starter stops it
	await stopAll(state);
	try {
		fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
		for (const [role, cfg] of processesOf(state)) fs.copyFileSync(cfg.logFile, path.join(ARTIFACTS_DIR, `${role}.log`));
		fs.copyFileSync(path.join(state.pg.dir, 'pg.log'), path.join(ARTIFACTS_DIR, 'postgres.log'));
	} catch {}
	if (state.keep) log(`[queue] kept ${state.dir} (AGENTCALL_E2E_KEEP=1)`);
	else fs.rmSync(state.dir, { recursive: true, force: true });
}

module.exports = { liveState, setupQueue, teardownQueue, reapOrphans, getQueue, readState, restartProcess, stopProcess, startProcess, processLog, workerOf, STATE_ENV };

/**
 * `node test/e2e/queue/topology.js up`: boot the topology for repeated runs of single files while
 * developing; prints the variable to export; Ctrl-C stops everything.
 */
if (require.main === module && process.argv[2] === 'up') {
	setupQueue().then(
		(state) => {
			state.external = true;
			writeState(state);
			log(`[queue] export ${STATE_ENV}=${state.stateFile}   (Ctrl-C stops the topology)`);
			const stop = () => teardownQueueNow(state).then(() => process.exit(0));
			process.removeAllListeners('SIGINT');
			process.removeAllListeners('SIGTERM');
			process.once('SIGINT', stop);
			process.once('SIGTERM', stop);
			setInterval(() => {}, 60000);
		},
		(error) => {
			log(String((error && error.stack) || error));
			process.exit(1);
		},
	);
}

async function teardownQueueNow(state) {
	state.external = false;
	writeState(state);
	await teardownQueue();
}
