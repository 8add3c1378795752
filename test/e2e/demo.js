'use strict';
/**
 * Runs `npm start` (test/e2e/start.js) as a child process for start.e2e.test.ts: own demo folder,
 * free ports, the shared run's tarball (no second build). Plain CommonJS: the linted .ts tests
 * may not use child_process or fs.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn } = require('child_process');
const { freePort } = require('./n8n');

const START_SCRIPT = path.join(__dirname, 'start.js');
const READY_LINE = 'Ctrl-C stops n8n and the sandbox.';

function pidAlive(pid) {
	if (!pid) return false;
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return error.code === 'EPERM';
	}
}

/** A demo folder and two free ports, reused by every start of one test. */
async function demoSetup({ tarball } = {}) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentcall-demo-'));
	const n8nPort = await freePort();
	let sandboxPort = await freePort();
	while (sandboxPort === n8nPort) sandboxPort = await freePort();
	return { dir, n8nPort, sandboxPort, tarball };
}

/**
 * Start the demo and wait until it prints its ready line (or exits).
 * @returns {Promise<{ pid: number, output: () => string, stop: (signal?: string) => Promise<number|null>, exited: Promise<number|null>, state: () => any }>}
 */
async function startDemo(setup, { timeoutMs = 240000 } = {}) {
	const env = { ...process.env, AGENTCALL_DEMO_DIR: setup.dir, N8N_PORT: String(setup.n8nPort), AGENTCALL_SANDBOX_PORT: String(setup.sandboxPort) };
	for (const key of Object.keys(env)) if (/^(npm_|JEST_)/i.test(key) || key === 'NODE_OPTIONS') delete env[key];
	env.NODE_ENV = 'production';
	if (setup.tarball) env.AGENTCALL_E2E_TARBALL = setup.tarball;
	const child = spawn(process.execPath, [START_SCRIPT], { env, stdio: ['ignore', 'pipe', 'pipe'] });
	let text = '';
	child.stdout.on('data', (d) => (text += d));
	child.stderr.on('data', (d) => (text += d));
	const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
	const deadline = Date.now() + timeoutMs;
	let done = false;
	exited.then(() => (done = true));
	while (!text.includes(READY_LINE)) {
		if (done) throw new Error(`npm start exited before it was ready:\n${text}`);
		if (Date.now() > deadline) {
			child.kill('SIGINT');
			throw new Error(`npm start not ready after ${timeoutMs / 1000} s:\n${text}`);
		}
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	return {
		pid: child.pid,
		output: () => text,
		exited,
		state: () => JSON.parse(fs.readFileSync(path.join(setup.dir, 'demo.json'), 'utf8')),
		/** Ctrl-C (SIGINT) and wait for the exit code; SIGKILL after 60 s. */
		async stop(signal = 'SIGINT') {
			child.kill(signal);
			const timer = setTimeout(() => child.kill('SIGKILL'), 60000);
			const code = await exited;
			clearTimeout(timer);
			return code;
		},
	};
}

function removeDemo(setup) {
	fs.rmSync(setup.dir, { recursive: true, force: true });
}

module.exports = { demoSetup, startDemo, removeDemo, pidAlive, READY_LINE };
