'use strict';
/**
 * Throwaway Postgres and Redis for the queue-mode suite, from Debian packages (`postgresql`,
 * `redis-server`; installed with apt-get when missing, with sudo when not root, as CI must).
 * Each lives in its own folder under the run's temp folder, on a free port of 127.0.0.1, and is
 * stopped by the PID this module recorded. Plain CommonJS: runs under the machine's Node 20.
 */
const fs = require('fs');
const path = require('path');
const { execFileSync, spawn } = require('child_process');
const { freePort, pidAlive, sleep } = require('../n8n');

const PG_BIN = process.env.AGENTCALL_PG_BIN || '/usr/lib/postgresql/15/bin';
const DATABASE = 'n8n';

function isRoot() {
	return typeof process.getuid === 'function' && process.getuid() === 0;
}

function which(bin) {
	try {
		return execFileSync('sh', ['-c', `command -v ${bin}`], { encoding: 'utf8' }).trim() || undefined;
	} catch {
		return undefined;
	}
}

/** apt-get install the Debian packages the suite needs when their binaries are missing. */
function ensurePackages({ log }) {
	const missing = [];
	if (!fs.existsSync(path.join(PG_BIN, 'initdb'))) missing.push('postgresql');
	if (!which('redis-server')) missing.push('redis-server');
	if (!missing.length) return;
	const t0 = Date.now();
	const sudo = isRoot() ? [] : ['sudo'];
	const run = (args) => execFileSync(sudo[0] || args[0], sudo.length ? args : args.slice(1), { stdio: ['ignore', 'ignore', 'inherit'] });
	log(`[queue] installing ${missing.join(', ')} (apt-get)`);
	run(['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'update', '-qq']);
	run(['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'install', '-y', '-qq', ...missing]);
	log(`[queue] apt-get install ${missing.join(' ')}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

/** Runs a command as the `postgres` user (Postgres refuses to run as root). */
function asPostgres(cmd, args, options = {}) {
	const full = isRoot() ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : ['sudo', ['-u', 'postgres', cmd, ...args]];
	return execFileSync(full[0], full[1], { encoding: 'utf8', ...options });
}

/**
 * initdb + pg_ctl start in `<dir>/pg` (owned by postgres), trust auth on 127.0.0.1, fsync off
 * (a throwaway database), then the `n8n` database.
 * @returns {Promise<{ dir: string, port: number, pid: number, database: string, user: string, version: string }>}
 */
async function startPostgres(dir, { log }) {
	const pgDir = path.join(dir, 'pg');
	fs.mkdirSync(path.join(pgDir, 'sock'), { recursive: true });
	execFileSync(isRoot() ? 'chown' : 'sudo', [...(isRoot() ? [] : ['chown']), '-R', 'postgres:postgres', pgDir]);
	fs.chmodSync(dir, 0o755);
	const port = await freePort();
	const t0 = Date.now();
	asPostgres(path.join(PG_BIN, 'initdb'), ['-D', path.join(pgDir, 'data'), '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C.UTF-8'], { stdio: 'ignore' });
	const opts = `-p ${port} -k ${path.join(pgDir, 'sock')} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
	asPostgres(path.join(PG_BIN, 'pg_ctl'), ['-D', path.join(pgDir, 'data'), '-l', path.join(pgDir, 'pg.log'), '-w', '-o', opts, 'start'], { stdio: 'ignore' });
	const pid = Number(fs.readFileSync(path.join(pgDir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
	asPostgres(path.join(PG_BIN, 'psql'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-qc', `CREATE DATABASE ${DATABASE}`]);
	const version = asPostgres(path.join(PG_BIN, 'psql'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-tAc', 'SHOW server_version']).trim();
	log(`[queue] Postgres ${version} on 127.0.0.1:${port} (pid ${pid}) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
	return { dir: pgDir, port, pid, database: DATABASE, user: 'postgres', version };
}

/** `pg_ctl stop -m fast`; SIGKILL by PID if it does not stop. */
async function stopPostgres(pg, { log = () => {} } = {}) {
	if (!pg || !pidAlive(pg.pid)) return;
	try {
		asPostgres(path.join(PG_BIN, 'pg_ctl'), ['-D', path.join(pg.dir, 'data'), '-m', 'fast', '-w', '-t', '20', 'stop'], { stdio: 'ignore' });
	} catch {
		log(`[queue] pg_ctl stop failed: SIGKILL to Postgres pid ${pg.pid}`);
		try {
			process.kill(pg.pid, 'SIGKILL');
		} catch {}
	}
}

/** redis-server on a free port, nothing saved to disk. */
async function startRedis(dir, { log }) {
	const port = await freePort();
	const redisDir = path.join(dir, 'redis');
	fs.mkdirSync(redisDir, { recursive: true });
	const out = fs.openSync(path.join(redisDir, 'redis.log'), 'a');
	const child = spawn(which('redis-server') || 'redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', redisDir], {
		detached: true,
		stdio: ['ignore', out, out],
	});
	fs.closeSync(out);
	child.unref();
	const deadline = Date.now() + 15000;
	for (;;) {
		if (fs.readFileSync(path.join(redisDir, 'redis.log'), 'utf8').includes('Ready to accept connections')) break;
		if (Date.now() > deadline || !pidAlive(child.pid)) throw new Error(`redis-server did not start; log ${path.join(redisDir, 'redis.log')}`);
		await sleep(100);
	}
	const version = execFileSync(which('redis-server') || 'redis-server', ['--version'], { encoding: 'utf8' }).match(/v=(\S+)/)?.[1];
	log(`[queue] Redis ${version} on 127.0.0.1:${port} (pid ${child.pid})`);
	return { port, pid: child.pid, version };
}

async function stopRedis(redis) {
	if (!redis || !pidAlive(redis.pid)) return;
	try {
		process.kill(redis.pid, 'SIGTERM');
	} catch {}
	const deadline = Date.now() + 5000;
	while (pidAlive(redis.pid) && Date.now() < deadline) await sleep(100);
	if (pidAlive(redis.pid)) {
		try {
			process.kill(redis.pid, 'SIGKILL');
		} catch {}
	}
}

module.exports = { ensurePackages, startPostgres, stopPostgres, startRedis, stopRedis, pidAlive, sleep };
