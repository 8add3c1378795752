'use strict';
/**
 * A real n8n for the e2e suite: the Node version that n8n version needs (npm package
 * node-linux-<arch>) plus that n8n, pinned with its lockfile, installed once into a cache folder
 * OUTSIDE the clone and reused afterwards. Which versions exist is ./n8n-runtime/matrix.json:
 * the main version (./n8n-runtime/package.json + lockfile) and the others
 * (./n8n-runtime/versions/<n8n version>/package.json + lockfile), each with its Node version.
 * $AGENTCALL_N8N_VERSION picks one (default: the main version).
 *
 *   <cache>/<key>/node/package/bin/node           Node (headers in node/package/include/node)
 *   <cache>/<key>/app/node_modules/n8n/bin/n8n     n8n, installed with `npm ci --ignore-scripts`
 *   <cache>/<key>/.complete                        stamp, written last; the folder is renamed into place after it
 *
 * <cache> = $AGENTCALL_N8N_CACHE or ${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-agentcall
 * <key>   = node-<version>_n8n-<version>_<sha256(lockfile) first 12 hex>
 *
 * Plain CommonJS using Node built-ins only: runs under the machine's Node 20.
 * CLI: `node test/e2e/runtime.js [n8n version ...]` (install if needed, print the paths), `--all`
 * (every matrix version, the main one first: .ci/run starts it in the background), `--prune`
 * (remove runtimes that are in no matrix entry).
 */
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn } = require('child_process');

const RUNTIME_SPEC_DIR = path.join(__dirname, 'n8n-runtime');
const MATRIX = JSON.parse(fs.readFileSync(path.join(RUNTIME_SPEC_DIR, 'matrix.json'), 'utf8'));
/** Node of the main n8n version (kept as an export for callers that predate the matrix). */
const NODE_VERSION = MATRIX.versions[MATRIX.main].node;
const STAMP = '.complete';
const PROGRESS_EVERY_MS = 15000;

/** The n8n version asked for: an argument, else $AGENTCALL_N8N_VERSION, else the matrix's main version. */
function selectedVersion(version) {
	const wanted = version || process.env.AGENTCALL_N8N_VERSION || MATRIX.main;
	if (!MATRIX.versions[wanted]) {
		throw new Error(
			`n8n ${wanted} is not in test/e2e/n8n-runtime/matrix.json (known: ${Object.keys(MATRIX.versions).join(', ')}); ` +
				'add it there with its Node version and a folder n8n-runtime/versions/<version>/ (see test/e2e/README.md)',
		);
	}
	return wanted;
}

/** Folder holding the package.json + lockfile of an n8n version. */
function specDir(version) {
	return version === MATRIX.main ? RUNTIME_SPEC_DIR : path.join(RUNTIME_SPEC_DIR, 'versions', version);
}

function readSpec(version) {
	const dir = specDir(version);
	const rel = path.relative(path.join(__dirname, '..', '..'), dir);
	const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
	const lockText = fs.readFileSync(path.join(dir, 'package-lock.json'), 'utf8');
	const n8nVersion = pkg.dependencies && pkg.dependencies.n8n;
	if (n8nVersion !== version) {
		throw new Error(`${rel}/package.json must pin n8n ${version} exactly (got ${n8nVersion})`);
	}
	const lockHash = crypto.createHash('sha256').update(lockText).digest('hex').slice(0, 12);
	return { n8nVersion, lockHash, specDir: dir };
}

function cacheRoot() {
	if (process.env.AGENTCALL_N8N_CACHE) return path.resolve(process.env.AGENTCALL_N8N_CACHE);
	const xdg = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
	return path.join(xdg, 'n8n-nodes-agentcall');
}

function nodePackageName(nodeVersion) {
	const arch = { x64: 'x64', arm64: 'arm64' }[process.arch];
	if (process.platform !== 'linux' || !arch) {
		throw new Error(`no Node ${nodeVersion} package known for ${process.platform}-${process.arch}`);
	}
	return `node-linux-${arch}`;
}

/**
 * Where the runtime of an n8n version lives (installed or not).
 * @param {string} [version] n8n version from matrix.json; default $AGENTCALL_N8N_VERSION or the main version
 */
function runtimeInfo(version) {
	const n8nVersion = selectedVersion(version);
	const { lockHash, specDir: spec } = readSpec(n8nVersion);
	const nodeVersion = MATRIX.versions[n8nVersion].node;
	const root = cacheRoot();
	const key = `node-${nodeVersion}_n8n-${n8nVersion}_${lockHash}`;
	return { root, key, dir: path.join(root, key), n8nVersion, nodeVersion, specDir: spec, isMain: n8nVersion === MATRIX.main };
}

function layout(dir) {
	const nodeDir = path.join(dir, 'node', 'package');
	const binDir = path.join(nodeDir, 'bin');
	const appDir = path.join(dir, 'app');
	return {
		dir,
		nodeDir,
		binDir,
		nodeBin: path.join(binDir, 'node'),
		appDir,
		n8nBin: path.join(appDir, 'node_modules', 'n8n', 'bin', 'n8n'),
	};
}

function fmt(ms) {
	const s = Math.round(ms / 1000);
	return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

function pidAlive(pid) {
	if (!pid || pid === process.pid) return pid === process.pid;
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return error.code === 'EPERM';
	}
}

function sleep(ms) {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Environment for npm under Node 24: no npm_* variables inherited from an outer `npm run`
 * (they carry e.g. npm_config_local_prefix=<repo>, npm_config_ignore_scripts, npm_config_nodedir=/usr).
 */
function npmEnv(binDir, extra) {
	const env = {};
	for (const [k, v] of Object.entries(process.env)) {
		if (!/^npm_/i.test(k) && k !== 'INIT_CWD' && k !== 'NODE_OPTIONS') env[k] = v;
	}
	env.PATH = `${binDir}${path.delimiter}${process.env.PATH || ''}`;
	return Object.assign(env, extra || {});
}

/** Run a command, output to logFile; reject with the log tail on failure. */
function run(cmd, args, { cwd, env, logFile }) {
	return new Promise((resolve, reject) => {
		const fd = fs.openSync(logFile, 'a');
		fs.writeSync(fd, `\n$ ${cmd} ${args.join(' ')}   (cwd ${cwd})\n`);
		const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', fd, fd] });
		fs.closeSync(fd);
		child.on('error', reject);
		child.on('exit', (code, signal) => {
			if (code === 0) return resolve();
			let tail = '';
			try {
				tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n');
			} catch {}
			reject(new Error(`${cmd} ${args.join(' ')} failed (${signal || code}); log ${logFile}:\n${tail}`));
		});
	});
}

function capture(cmd, args, opts) {
	return new Promise((resolve, reject) => {
		const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
		let out = '';
		child.stdout.on('data', (d) => (out += d));
		child.stderr.on('data', (d) => (out += d));
		child.on('error', reject);
		child.on('exit', (code) =>
			code === 0 ? resolve(out.trim()) : reject(new Error(`${cmd} ${args.join(' ')}: ${out.trim()}`)),
		);
	});
}

function freeBytes(dir) {
	try {
		const st = fs.statfsSync(dir);
		return st.bavail * st.bsize;
	} catch {
		return null;
	}
}

/** Acquire <root>/<key>.lock (O_EXCL, holds our pid); wait while a live process holds it. */
async function acquireLock(lockFile, log) {
	let lastNote = 0;
	for (;;) {
		try {
			const fd = fs.openSync(lockFile, 'wx');
			fs.writeSync(fd, String(process.pid));
			fs.closeSync(fd);
			return () => {
				try {
					if (fs.readFileSync(lockFile, 'utf8') === String(process.pid)) fs.unlinkSync(lockFile);
				} catch {}
			};
		} catch (error) {
			if (error.code !== 'EEXIST') throw error;
		}
		let holder = 0;
		try {
			holder = Number(fs.readFileSync(lockFile, 'utf8')) || 0;
		} catch {
			continue; // released between open and read
		}
		if (holder && !pidAlive(holder)) {
			log(`[n8n-runtime] removing stale lock of dead process ${holder}`);
			try {
				fs.unlinkSync(lockFile);
			} catch {}
			continue;
		}
		if (!holder) {
			// being written right now, or garbage: give it a moment, then treat as stale
			const age = Date.now() - fs.statSync(lockFile).mtimeMs;
			if (age > 10000) {
				try {
					fs.unlinkSync(lockFile);
				} catch {}
				continue;
			}
		}
		if (Date.now() - lastNote > 30000) {
			log(`[n8n-runtime] waiting for process ${holder} which is installing the same runtime`);
			lastNote = Date.now();
		}
		await sleep(2000);
	}
}

const SQLITE_BUILD = path.join('node_modules', 'sqlite3', 'build');

/**
 * Copies sqlite3's build folder from a finished runtime with the same sqlite3 version and checks
 * that it loads under this runtime's Node. Returns that runtime's key, or undefined (then build).
 */
async function reuseSqliteBuild(root, L, env) {
	const versionOf = (appDir) => {
		try {
			return JSON.parse(fs.readFileSync(path.join(appDir, 'node_modules', 'sqlite3', 'package.json'), 'utf8')).version;
		} catch {
			return undefined;
		}
	};
	const wanted = versionOf(L.appDir);
	for (const name of fs.readdirSync(root)) {
		const appDir = path.join(root, name, 'app');
		if (!wanted || !fs.existsSync(path.join(root, name, STAMP)) || versionOf(appDir) !== wanted) continue;
		if (!fs.existsSync(path.join(appDir, SQLITE_BUILD, 'Release', 'node_sqlite3.node'))) continue;
		fs.cpSync(path.join(appDir, SQLITE_BUILD), path.join(L.appDir, SQLITE_BUILD), { recursive: true });
		try {
			await capture(L.nodeBin, ['-e', "require(require.resolve('sqlite3', { paths: [process.argv[1]] }))", path.join(L.appDir, 'node_modules', 'n8n')], {
				env,
				cwd: L.appDir,
			});
			return name;
		} catch {
			fs.rmSync(path.join(L.appDir, SQLITE_BUILD), { recursive: true, force: true });
		}
	}
	return undefined;
}

async function install(info, log) {
	const { root, key, dir } = info;
	const tmp = path.join(root, `${key}.tmp-${process.pid}`);
	const L = layout(tmp);
	const logFile = path.join(root, `${key}.install-${process.pid}.log`);
	const t0 = Date.now();
	const times = {};

	// leftovers of crashed installs of this key
	for (const name of fs.readdirSync(root)) {
		const m = name.match(/^(.*)\.tmp-(\d+)$/);
		if (m && m[1] === key && !pidAlive(Number(m[2]))) {
			log(`[n8n-runtime] removing leftover ${name}`);
			fs.rmSync(path.join(root, name), { recursive: true, force: true });
		}
	}
	if (fs.existsSync(dir)) {
		log(`[n8n-runtime] removing incomplete ${dir} (no ${STAMP})`);
		fs.rmSync(dir, { recursive: true, force: true });
	}
	const free0 = freeBytes(root);
	if (free0 !== null && free0 < 4 * 2 ** 30) {
		log(`[n8n-runtime] WARNING: only ${(free0 / 2 ** 30).toFixed(1)} GiB free in ${root}; the runtime needs ~3 GiB`);
	}

	fs.mkdirSync(path.join(tmp, 'node'), { recursive: true });
	fs.mkdirSync(L.appDir, { recursive: true });
	log(
		`[n8n-runtime] installing Node ${info.nodeVersion} + n8n ${info.n8nVersion} into ${dir} ` +
			`(first time only: ~3-8 min on 2 cores; log ${logFile})`,
	);

	let step = '';
	let stepStart = 0;
	const ticker = setInterval(() => {
		const written = freeBytes(root) === null || free0 === null ? null : free0 - freeBytes(root);
		const extra = step.startsWith('2/3') && written !== null ? `, ~${(written / 2 ** 30).toFixed(1)} of ~2.8 GB written` : '';
		log(`[n8n-runtime]   … step ${step}: ${fmt(Date.now() - stepStart)} (total ${fmt(Date.now() - t0)})${extra}`);
	}, PROGRESS_EVERY_MS);
	const begin = (name) => {
		step = name;
		stepStart = Date.now();
		log(`[n8n-runtime] step ${name} (total so far ${fmt(Date.now() - t0)})`);
	};
	const end = (id) => {
		times[id] = Math.round((Date.now() - stepStart) / 1000);
		log(`[n8n-runtime]   done in ${fmt(Date.now() - stepStart)}`);
	};

	try {
		const baseEnv = npmEnv(L.binDir);

		// (a) Node from the npm registry
		begin(`1/3 Node ${info.nodeVersion} (npm pack ${nodePackageName(info.nodeVersion)}@${info.nodeVersion})`);
		const nodeParent = path.join(tmp, 'node');
		await run('npm', ['pack', `${nodePackageName(info.nodeVersion)}@${info.nodeVersion}`, '--pack-destination', nodeParent, '--silent'], {
			cwd: nodeParent,
			env: npmEnv(L.binDir),
			logFile,
		});
		const tgz = fs.readdirSync(nodeParent).find((f) => f.endsWith('.tgz'));
		if (!tgz) throw new Error(`npm pack left no tarball in ${nodeParent}; log ${logFile}`);
		await run('tar', ['xzf', tgz], { cwd: nodeParent, env: baseEnv, logFile });
		fs.unlinkSync(path.join(nodeParent, tgz));
		const v = await capture(L.nodeBin, ['--version'], { env: baseEnv });
		if (v !== `v${info.nodeVersion}`) throw new Error(`unpacked node reports ${v}, expected v${info.nodeVersion}`);
		end('node');

		// (b) n8n: npm ci of the committed package.json + lockfile, scripts off
		begin(`2/3 npm ci --ignore-scripts (n8n ${info.n8nVersion}, ~2,200 packages, ~2.6 GB)`);
		for (const f of ['package.json', 'package-lock.json']) {
			fs.copyFileSync(path.join(info.specDir, f), path.join(L.appDir, f));
		}
		await run('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=warn'], {
			cwd: L.appDir,
			env: baseEnv,
			logFile,
		});
		end('npmCi');

		// (c) sqlite3's native addon: an N-API build, so one built by another runtime of the same
		// sqlite3 version loads under any Node; else built against this Node's headers (1-13 min).
		begin('3/3 sqlite3 native addon');
		const reused = await reuseSqliteBuild(root, L, baseEnv);
		if (reused) log(`[n8n-runtime]   copied the build of ${reused}`);
		else {
			log(`[n8n-runtime]   npm rebuild sqlite3 (node-gyp against Node ${info.nodeVersion} headers)`);
			await run('npm', ['rebuild', 'sqlite3', '--ignore-scripts=false', '--foreground-scripts', '--loglevel=warn'], {
				cwd: L.appDir,
				env: npmEnv(L.binDir, { npm_config_nodedir: L.nodeDir }),
				logFile,
			});
		}
		end('sqlite3');

		// verify with the runtime's Node
		const n8nV = await capture(L.nodeBin, [L.n8nBin, '--version'], { env: baseEnv, cwd: L.appDir });
		if (!n8nV.split('\n').includes(info.n8nVersion)) {
			throw new Error(`n8n --version printed ${JSON.stringify(n8nV)}, expected ${info.n8nVersion}`);
		}
		await capture(
			L.nodeBin,
			['-e', "require(require.resolve('sqlite3', { paths: [process.argv[1]] }))", path.join(L.appDir, 'node_modules', 'n8n')],
			{ env: baseEnv, cwd: L.appDir },
		);

		times.total = Math.round((Date.now() - t0) / 1000);
		fs.writeFileSync(
			path.join(tmp, STAMP),
			JSON.stringify({ key, nodeVersion: info.nodeVersion, n8nVersion: info.n8nVersion, seconds: times, at: new Date().toISOString() }, null, 2) + '\n',
		);
		fs.renameSync(tmp, dir);
		log(`[n8n-runtime] ready in ${fmt(Date.now() - t0)}: ${dir}`);
		fs.rmSync(logFile, { force: true });
	} catch (error) {
		log(`[n8n-runtime] install failed after ${fmt(Date.now() - t0)}; removing ${tmp}`);
		fs.rmSync(tmp, { recursive: true, force: true });
		throw error;
	} finally {
		clearInterval(ticker);
	}
}

/**
 * Make sure the runtime exists (install on first use, ~3-8 min; then ~0 s) and return its paths.
 * @param {{ log?: (line: string) => void, version?: string }} [options] version: an n8n version of matrix.json
 *   (default $AGENTCALL_N8N_VERSION, else the main version)
 * @returns {Promise<{ nodeBin: string, n8nBin: string, dir: string, binDir: string, nodeDir: string, appDir: string, key: string, n8nVersion: string, nodeVersion: string }>}
 */
async function ensureRuntime(options = {}) {
	const log = options.log || ((line) => process.stderr.write(`${line}\n`));
	const info = runtimeInfo(options.version);
	const result = () => ({ ...layout(info.dir), key: info.key, n8nVersion: info.n8nVersion, nodeVersion: info.nodeVersion });
	if (fs.existsSync(path.join(info.dir, STAMP))) return result();

	fs.mkdirSync(info.root, { recursive: true });
	const release = await acquireLock(path.join(info.root, `${info.key}.lock`), log);
	const onExit = () => release();
	process.once('exit', onExit);
	try {
		// another process may have finished while we waited
		if (!fs.existsSync(path.join(info.dir, STAMP))) await install(info, log);
	} finally {
		release();
		process.removeListener('exit', onExit);
	}
	return result();
}

/** Remove cached runtimes that belong to no matrix entry (old n8n/Node versions or lockfiles). */
function pruneOtherRuntimes({ log } = {}) {
	const keys = Object.keys(MATRIX.versions).map((version) => runtimeInfo(version).key);
	const root = cacheRoot();
	const say = log || ((line) => process.stderr.write(`${line}\n`));
	if (!fs.existsSync(root)) return [];
	const removed = [];
	for (const name of fs.readdirSync(root)) {
		if (keys.some((key) => name === key || name.startsWith(`${key}.`))) continue;
		const m = name.match(/\.(?:tmp|install)-(\d+)(?:\.log)?$|\.lock$/);
		if (m && m[1] && pidAlive(Number(m[1]))) continue;
		say(`[n8n-runtime] removing ${path.join(root, name)}`);
		fs.rmSync(path.join(root, name), { recursive: true, force: true });
		removed.push(name);
	}
	return removed;
}

module.exports = { ensureRuntime, runtimeInfo, pruneOtherRuntimes, npmEnv, NODE_VERSION, MATRIX };

if (require.main === module) {
	const t0 = Date.now();
	const args = process.argv.slice(2);
	const prune = args.includes('--prune');
	const named = args.filter((arg) => !arg.startsWith('--'));
	// --all: the main version first (the full suite needs it soonest), then the others in matrix order
	const versions = args.includes('--all') ? [MATRIX.main, ...Object.keys(MATRIX.versions).filter((v) => v !== MATRIX.main)] : named.length ? named : [undefined];
	(async () => {
		const installed = [];
		for (const version of versions) {
			const rt = await ensureRuntime({ version });
			installed.push({ dir: rt.dir, nodeBin: rt.nodeBin, n8nBin: rt.n8nBin, n8nVersion: rt.n8nVersion, nodeVersion: rt.nodeVersion, seconds: (Date.now() - t0) / 1000 });
		}
		if (prune) pruneOtherRuntimes();
		process.stdout.write(`${JSON.stringify(installed.length === 1 ? installed[0] : installed, null, 2)}\n`);
	})().catch((error) => {
		process.stderr.write(`${error.stack || error}\n`);
		process.exit(1);
	});
}
