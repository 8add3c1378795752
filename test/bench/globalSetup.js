'use strict';
/**
 * Before the scenarios: the n8n runtime that holds n8n-nodes-base (installed on a fresh machine),
 * a snapshot of the built package, an empty results folder, and the machine's state.
 */
const { execSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const { ensureRuntime } = require('../e2e/runtime');
const { cpuTimes, machine } = require('./lib/machine');
const { OUT, REPO, RESULTS, RUN_FILE, SNAPSHOT, PROFILES } = require('./lib/paths');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function packageFiles() {
	const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
	return [...pkg.n8n.nodes, ...pkg.n8n.credentials];
}

/** dist/ as listed in package.json#n8n, complete (a build elsewhere empties it for a moment). */
async function waitForDist(root, timeoutMs) {
	const end = Date.now() + timeoutMs;
	for (;;) {
		const missing = packageFiles().filter((file) => !fs.existsSync(path.join(root, file)));
		if (!missing.length) return;
		if (Date.now() > end) throw new Error(`bench: ${missing.join(', ')} missing in ${root}: run npm run build first`);
		await sleep(500);
	}
}

function snapshot() {
	fs.rmSync(SNAPSHOT, { recursive: true, force: true });
	fs.mkdirSync(SNAPSHOT, { recursive: true });
	fs.copyFileSync(path.join(REPO, 'package.json'), path.join(SNAPSHOT, 'package.json'));
	fs.cpSync(path.join(REPO, 'dist'), path.join(SNAPSHOT, 'dist'), { recursive: true });
}

module.exports = async function globalSetup() {
	const started = Date.now();
	const runtime = await ensureRuntime({ log: (line) => process.stderr.write(`${line}\n`) });
	for (let attempt = 1; ; attempt++) {
		await waitForDist(REPO, 120000);
		snapshot();
		try {
			await waitForDist(SNAPSHOT, 0);
			// The copy is only good if dist did not change while it was taken.
			const stamp = (dir) => packageFiles().map((file) => fs.statSync(path.join(dir, file)).size).join(',');
			if (stamp(SNAPSHOT) === stamp(REPO)) break;
		} catch (error) {
			if (attempt >= 5) throw error;
		}
		await sleep(2000);
	}
	fs.rmSync(RESULTS, { recursive: true, force: true });
	fs.mkdirSync(RESULTS, { recursive: true });
	fs.mkdirSync(PROFILES, { recursive: true });
	let gitHead = 'unknown';
	try {
		gitHead = execSync('git rev-parse --short HEAD', { cwd: REPO }).toString().trim();
		const dirty = execSync('git status --porcelain -- nodes credentials', { cwd: REPO }).toString().trim();
		if (dirty) gitHead += ' + uncommitted changes in nodes/ or credentials/';
	} catch {}
	fs.mkdirSync(OUT, { recursive: true });
	fs.writeFileSync(
		RUN_FILE,
		JSON.stringify(
			{
				startedAt: new Date(started).toISOString(),
				gitHead,
				machine: machine(),
				cpuStart: cpuTimes(),
				runtime: { appDir: runtime.appDir, n8nVersion: runtime.n8nVersion },
				snapshot: SNAPSHOT,
			},
			null,
			2,
		),
	);
};
