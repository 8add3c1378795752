'use strict';
/**
 * Lifecycle of a real n8n process (Node 24 runtime from ./runtime.js); its REST client is in ./n8n-client.js.
 * Plain CommonJS, Node built-ins + the repo's axios: runs under the machine's Node 20.
 */
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');
const { spawn } = require('child_process');
const axios = require('axios');
const { ensureRuntime, npmEnv } = require('./runtime');

const REPO_DIR = path.resolve(__dirname, '..', '..');
const ENCRYPTION_KEY = 'agentcall-e2e-fixed-encryption-key-0001';
const defaultLog = (line) => process.stderr.write(`${line}\n`);

function sleep(ms) {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

function pidAlive(pid) {
	if (!pid) return false;
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return error.code === 'EPERM';
	}
}

/** A free TCP port on 127.0.0.1 (listen on port 0, read it, close). */
function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

/** process.env without variables an outer `npm run` or jest would leak into children. */
function cleanEnv() {
	const env = {};
	for (const [k, v] of Object.entries(process.env)) {
		if (/^(npm_|JEST_)/i.test(k) || k === 'INIT_CWD' || k === 'NODE_OPTIONS') continue;
		env[k] = v;
	}
	return env;
}

function runLogged(cmd, args, { cwd, env, log = defaultLog, label }) {
	return new Promise((resolve, reject) => {
		const t0 = Date.now();
		const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
		let out = '';
		child.stdout.on('data', (d) => (out += d));
		child.stderr.on('data', (d) => (out += d));
		child.on('error', reject);
		child.on('exit', (code, signal) => {
			if (code === 0) {
				log(`[e2e] ${label || `${cmd} ${args.join(' ')}`}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
				return resolve(out);
			}
			reject(new Error(`${cmd} ${args.join(' ')} (cwd ${cwd}) failed (${signal || code}):\n${out.slice(-4000)}`));
		});
	});
}

/**
 * `npm run build` (optional) and `npm pack` the repo into destDir, with the machine's Node.
 * @returns {Promise<string>} absolute path of the tarball
 */
async function buildAndPackRepo({ destDir, build = true, repoDir = REPO_DIR, log = defaultLog } = {}) {
	const dest = destDir || fs.mkdtempSync(path.join(os.tmpdir(), 'agentcall-pack-'));
	fs.mkdirSync(dest, { recursive: true });
	const env = cleanEnv();
	if (build) await runLogged('npm', ['run', 'build', '--silent'], { cwd: repoDir, env, log, label: 'npm run build' });
	const out = await runLogged('npm', ['pack', '--json', '--pack-destination', dest], { cwd: repoDir, env, log, label: 'npm pack' });
	const info = JSON.parse(out.slice(out.indexOf('[')));
	return path.join(dest, info[0].filename);
}

/**
 * Install a package tarball the way n8n 2.41's community installer does
 * (community-packages.service.js → downloadPackage): extract with --strip-components=1 into
 * $N8N_USER_FOLDER/.n8n/nodes/node_modules/<name>, drop dev/peer/optional dependencies from the
 * unpacked package.json, `npm install --ignore-scripts --install-strategy=shallow --package-lock=false`
 * there (under Node 24, as n8n would), and record it in the nodes/package.json ledger.
 * No database row is written: n8n loads nodes/node_modules/n8n-nodes-* at start-up anyway,
 * but the package is not listed under Settings → Community nodes.
 * @returns {Promise<{ packageDir: string, name: string, version: string }>}
 */
async function installPackageLikeCommunity(tarballPath, userFolder, { runtime, log = defaultLog } = {}) {
	const rt = runtime || (await ensureRuntime({ log }));
	const tarball = path.resolve(tarballPath);
	const env = npmEnv(rt.binDir);
	const manifest = JSON.parse(
		await runLogged('tar', ['-xzOf', tarball, 'package/package.json'], { cwd: os.tmpdir(), env, log: () => {} }),
	);
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const packageDir = path.join(nodesDir, 'node_modules', manifest.name);
	fs.rmSync(packageDir, { recursive: true, force: true });
	fs.mkdirSync(packageDir, { recursive: true });
	await runLogged('tar', ['-xzf', tarball, '-C', packageDir, '--strip-components=1'], { cwd: nodesDir, env, log: () => {} });

	const pkgFile = path.join(packageDir, 'package.json');
	const { devDependencies, peerDependencies, optionalDependencies, ...pkg } = JSON.parse(fs.readFileSync(pkgFile, 'utf8'));
	fs.writeFileSync(pkgFile, JSON.stringify(pkg, null, 2), 'utf8');
	await runLogged(
		'npm',
		['install', '--audit=false', '--fund=false', '--bin-links=false', '--install-strategy=shallow', '--ignore-scripts=true', '--package-lock=false'],
		{ cwd: packageDir, env, log, label: `community-style install of ${manifest.name}@${manifest.version}` },
	);

	const ledgerFile = path.join(nodesDir, 'package.json');
	let ledger = { name: 'installed-nodes', private: true, dependencies: {} };
	try {
		const existing = JSON.parse(fs.readFileSync(ledgerFile, 'utf8'));
		if (existing && existing.dependencies) ledger = existing;
	} catch {}
	ledger.dependencies[manifest.name] = pkg.version;
	fs.writeFileSync(ledgerFile, JSON.stringify(ledger, null, 2), 'utf8');
	return { packageDir, name: manifest.name, version: pkg.version };
}

function tail(file, lines = 60) {
	try {
		return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
	} catch {
		return '';
	}
}

/**
 * mcp-registry fetches from api.n8n.io at start-up (and fails offline), so it is switched off; an
 * n8n without that module (2.0, 1.123) refuses to start when N8N_DISABLED_MODULES names it.
 */
function disabledModules(runtime) {
	const moduleDir = path.join(path.dirname(path.dirname(runtime.n8nBin)), 'dist', 'modules', 'mcp-registry');
	return fs.existsSync(moduleDir) ? { N8N_DISABLED_MODULES: 'mcp-registry' } : {};
}

/**
 * A real n8n process. Serialisable (toJSON / N8nProcess.attach) so that jest's globalSetup,
 * test files and globalTeardown can all control the same server.
 */
class N8nProcess {
	/**
	 * `args`: the n8n command (default `['start']`; queue mode also runs `['worker']` and `['webhook']`);
	 * `healthPort`: where /healthz/readiness answers when it is not `port` (a worker's health server).
	 * @param {{ runtime: { nodeBin: string, n8nBin: string, binDir: string }, userFolder: string, port: number, brokerPort: number, env?: Record<string,string>, logFile: string, pid?: number, readyTimeoutMs?: number, args?: string[], healthPort?: number }} cfg
	 */
	constructor(cfg) {
		this.cfg = { env: {}, readyTimeoutMs: 180000, ...cfg };
		this.log = defaultLog;
		this.lastStartSeconds = undefined;
	}

	static attach(json, { log } = {}) {
		const p = new N8nProcess(json);
		if (log) p.log = log;
		return p;
	}

	toJSON() {
		return { ...this.cfg };
	}

	get pid() {
		return this.cfg.pid;
	}
	get port() {
		return this.cfg.port;
	}
	get userFolder() {
		return this.cfg.userFolder;
	}
	get logFile() {
		return this.cfg.logFile;
	}
	get baseUrl() {
		return `http://127.0.0.1:${this.cfg.port}`;
	}
	/** Base of production webhook URLs (`<webhookUrl>webhook/<webhookId>/<path>`). */
	get webhookUrl() {
		return `${this.baseUrl}/`;
	}

	environment() {
		const { runtime, userFolder, port, brokerPort, env } = this.cfg;
		return {
			...cleanEnv(),
			PATH: `${runtime.binDir}${path.delimiter}${process.env.PATH || ''}`,
			NODE_ENV: 'production', // jest sets NODE_ENV=test, which n8n reads
			N8N_USER_FOLDER: userFolder,
			N8N_PORT: String(port),
			N8N_HOST: '127.0.0.1',
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_PROTOCOL: 'http',
			WEBHOOK_URL: `http://127.0.0.1:${port}/`, // guide §9.2; 2.41 prefers N8N_WEBHOOK_URL (same value)
			N8N_WEBHOOK_URL: `http://127.0.0.1:${port}/`,
			N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_SECURE_COOKIE: 'false',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
			DB_TYPE: 'sqlite',
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
			...disabledModules(runtime),
			EXECUTIONS_DATA_SAVE_MANUAL_EXECUTIONS: 'true',
			...env,
		};
	}

	async start() {
		if (this.cfg.pid && pidAlive(this.cfg.pid)) throw new Error(`n8n already running (pid ${this.cfg.pid})`);
		const { runtime, userFolder, logFile } = this.cfg;
		fs.mkdirSync(userFolder, { recursive: true });
		fs.mkdirSync(path.dirname(logFile), { recursive: true });
		const fd = fs.openSync(logFile, 'a');
		fs.writeSync(fd, `\n===== ${new Date().toISOString()} n8n start (port ${this.cfg.port}) =====\n`);
		const t0 = Date.now();
		// detached: own process group (n8n + its task runner), killable as a group; output to a
		// file, so the server does not depend on the process that started it.
		const child = spawn(runtime.nodeBin, [runtime.n8nBin, ...(this.cfg.args || ['start'])], {
			cwd: userFolder,
			env: this.environment(),
			detached: true,
			stdio: ['ignore', fd, fd],
		});
		fs.closeSync(fd);
		let exited = null;
		child.on('exit', (code, signal) => (exited = { code, signal }));
		child.on('error', (error) => (exited = { error }));
		child.unref();
		this.cfg.pid = child.pid;
		this.log(`[e2e] n8n ${(this.cfg.args || ['start'])[0]} starting: pid ${child.pid}, ${this.baseUrl}, log ${logFile}`);

		const deadline = t0 + this.cfg.readyTimeoutMs;
		for (;;) {
			if (exited) {
				throw new Error(`n8n exited before it was ready (${JSON.stringify(exited)}); log ${logFile}:\n${tail(logFile)}`);
			}
			try {
				const res = await axios.get(`http://127.0.0.1:${this.cfg.healthPort || this.cfg.port}/healthz/readiness`, { timeout: 2000, validateStatus: () => true });
				// n8n 1.123 and 2.0 report ready before their REST and /types routes are mounted (404s);
				// workers and webhook processors serve neither, so only `start` is checked for them.
				const serves = !this.cfg.args || this.cfg.args[0] === 'start';
				const mounted = async (route) =>
					!serves || (await axios.get(`${this.baseUrl}${route}`, { timeout: 5000, validateStatus: () => true })).status !== 404;
				if (res.status === 200 && JSON.stringify(res.data).includes('ok') && (await mounted('/rest/settings')) && (await mounted('/types/credentials.json'))) break;
			} catch {}
			if (Date.now() > deadline) {
				await this.stop();
				throw new Error(`n8n not ready after ${this.cfg.readyTimeoutMs / 1000} s; log ${logFile}:\n${tail(logFile)}`);
			}
			await sleep(500);
		}
		this.lastStartSeconds = (Date.now() - t0) / 1000;
		this.log(`[e2e] n8n ready in ${this.lastStartSeconds.toFixed(1)} s`);
		return this;
	}

	/** SIGTERM (n8n stops its task runner itself, ~3 s); SIGKILL to the process group after timeoutMs. */
	async stop({ timeoutMs = 20000 } = {}) {
		const pid = this.cfg.pid;
		if (!pid) return;
		const groupAlive = () => pidAlive(-pid);
		if (pidAlive(pid)) {
			try {
				process.kill(pid, 'SIGTERM');
			} catch {}
			const deadline = Date.now() + timeoutMs;
			while (pidAlive(pid) && Date.now() < deadline) await sleep(200);
		}
		if (pidAlive(pid) || groupAlive()) {
			this.log(`[e2e] n8n (pid ${pid}) did not stop in ${timeoutMs / 1000} s: SIGKILL to its process group`);
			try {
				process.kill(-pid, 'SIGKILL');
			} catch {}
			const deadline = Date.now() + 5000;
			while ((pidAlive(pid) || groupAlive()) && Date.now() < deadline) await sleep(100);
		}
		this.cfg.pid = undefined;
	}

	/** Stop and start again with the same user folder, ports and environment. */
	async restart() {
		await this.stop();
		return this.start();
	}

	/** Best-effort synchronous kill (for process 'exit' handlers). */
	killSync() {
		if (this.cfg.pid && pidAlive(this.cfg.pid)) {
			try {
				process.kill(-this.cfg.pid, 'SIGTERM');
			} catch {}
		}
	}
}

/**
 * Start a real n8n with a fresh (or given) user folder on free ports and wait for
 * /healthz/readiness. env entries override the defaults (e.g. { N8N_LOG_LEVEL: 'debug' }).
 * @param {{ userFolder?: string, port?: number, brokerPort?: number, env?: Record<string,string>, log?: (line: string) => void, logFile?: string, runtime?: object, readyTimeoutMs?: number }} [options]
 * @returns {Promise<N8nProcess>}
 */
async function startN8n(options = {}) {
	const log = options.log || defaultLog;
	const runtime = options.runtime || (await ensureRuntime({ log }));
	const userFolder = options.userFolder || fs.mkdtempSync(path.join(os.tmpdir(), 'agentcall-n8n-'));
	const port = options.port || (await freePort());
	let brokerPort = options.brokerPort || (await freePort());
	while (brokerPort === port) brokerPort = await freePort();
	const proc = new N8nProcess({
		runtime: { nodeBin: runtime.nodeBin, n8nBin: runtime.n8nBin, binDir: runtime.binDir, dir: runtime.dir },
		userFolder,
		port,
		brokerPort,
		env: options.env || {},
		logFile: options.logFile || path.join(userFolder, 'n8n.log'),
		readyTimeoutMs: options.readyTimeoutMs || 180000,
	});
	proc.log = log;
	await proc.start();
	return proc;
}

const { N8nClient, N8nRequestError, nodeOutput, TERMINAL_STATUSES } = require('./n8n-client');

module.exports = {
	sleep,
	pidAlive,
	ENCRYPTION_KEY,
	REPO_DIR,
	freePort,
	buildAndPackRepo,
	installPackageLikeCommunity,
	startN8n,
	N8nProcess,
	N8nClient,
	N8nRequestError,
	nodeOutput,
	TERMINAL_STATUSES,
};
