'use strict';
/**
 * The real-n8n suite on every n8n version of n8n-runtime/matrix.json, one version after the other
 * (2 cores: two n8n at once would make the timing-sensitive trigger tests flaky).
 *
 *   npm run test:matrix                     the whole suite on every version
 *   node test/e2e/matrix.js --smoke         only matrix.json's smoke files
 *   node test/e2e/matrix.js --skip-main     leave out the main version (.ci/run runs it in full already)
 *   node test/e2e/matrix.js 1.123.81 2.0.3  only these versions
 *
 * On a version marked `probe` (below the package's minimum) only below-minimum.e2e.test.ts runs.
 *
 * The package is built and packed once; each version gets its runtime (installed on first use,
 * minutes), its own n8n and a jest run with AGENTCALL_N8N_VERSION set. Results per version in
 * test-artifacts/e2e/matrix/<version>.json (jest --json; n8n's log in test-artifacts/e2e/n8n-<version>.log), a summary in
 * test-artifacts/e2e/matrix/summary.json + summary.md; exit code 1 when a version failed.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn } = require('child_process');
const { MATRIX, ensureRuntime } = require('./runtime');
const { REPO_DIR, buildAndPackRepo } = require('./n8n');

const OUT_DIR = path.join(REPO_DIR, 'test-artifacts', 'e2e', 'matrix');
const log = (line) => process.stderr.write(`${line}\n`);

function parseArgs(argv) {
	const flags = new Set(argv.filter((a) => a.startsWith('--')));
	for (const flag of flags) {
		if (!['--smoke', '--skip-main'].includes(flag)) throw new Error(`unknown option ${flag} (--smoke, --skip-main)`);
	}
	const named = argv.filter((a) => !a.startsWith('--'));
	for (const version of named) {
		if (!MATRIX.versions[version]) throw new Error(`n8n ${version} is not in matrix.json (${Object.keys(MATRIX.versions).join(', ')})`);
	}
	let versions = named.length ? named : Object.keys(MATRIX.versions);
	if (flags.has('--skip-main')) versions = versions.filter((v) => v !== MATRIX.main);
	return { versions, smoke: flags.has('--smoke') };
}

/** What runs on an n8n below the package's minimum (matrix.json `probe`), with or without --smoke. */
const PROBE_FILE = 'test/e2e/below-minimum.e2e.test.ts';

function runJest({ version, smoke, tarball, outputFile }) {
	const probe = MATRIX.versions[version].probe === true;
	const config = path.join('test', 'e2e', smoke && !probe ? 'jest.smoke.config.js' : 'jest.config.js');
	const args = ['jest', '-c', config, '--runInBand', '--json', `--outputFile=${outputFile}`, ...(probe ? [PROBE_FILE] : [])];
	const env = { ...process.env, AGENTCALL_N8N_VERSION: version, AGENTCALL_E2E_TARBALL: tarball };
	return new Promise((resolve, reject) => {
		const child = spawn('npx', args, { cwd: REPO_DIR, env, stdio: 'inherit' });
		child.on('error', reject);
		child.on('exit', (code, signal) => resolve(signal ? 128 : code));
	});
}

function summarise(version, outputFile, code, seconds) {
	let report = {};
	try {
		report = JSON.parse(fs.readFileSync(outputFile, 'utf8'));
	} catch {}
	const failed = (report.testResults || []).flatMap((file) =>
		(file.assertionResults || []).filter((t) => t.status === 'failed').map((t) => `${path.basename(file.name)}: ${t.fullName}`),
	);
	return {
		n8n: version,
		node: MATRIX.versions[version].node,
		ok: code === 0 && report.success === true,
		passed: report.numPassedTests || 0,
		failed: report.numFailedTests || 0,
		skipped: (report.numPendingTests || 0) + (report.numTodoTests || 0),
		files: report.numTotalTestSuites || 0,
		seconds,
		failures: failed,
	};
}

function markdown(rows, smoke) {
	const lines = [
		`Real-n8n suite (${smoke ? 'smoke files' : 'all files'}), ${new Date().toISOString().slice(0, 10)}`,
		'',
		'| n8n | Node | result | passed | failed | skipped | time |',
		'| --- | --- | --- | --- | --- | --- | --- |',
	];
	for (const r of rows) {
		lines.push(`| ${r.n8n} | ${r.node} | ${r.ok ? 'pass' : 'FAIL'} | ${r.passed} | ${r.failed} | ${r.skipped} | ${r.seconds} s |`);
	}
	return `${lines.join('\n')}\n`;
}

async function main() {
	const { versions, smoke } = parseArgs(process.argv.slice(2));
	if (!versions.length) throw new Error('no version to run');
	fs.mkdirSync(OUT_DIR, { recursive: true });
	const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentcall-matrix-'));
	const rows = [];
	try {
		const tarball = process.env.AGENTCALL_E2E_TARBALL
			? path.resolve(process.env.AGENTCALL_E2E_TARBALL)
			: await buildAndPackRepo({ destDir: packDir, build: process.env.AGENTCALL_E2E_SKIP_BUILD !== '1', log });
		for (const version of versions) {
			const t0 = Date.now();
			const what = MATRIX.versions[version].probe ? `below the minimum: ${PROBE_FILE} only` : smoke ? 'smoke files' : 'all files';
			log(`\n[matrix] n8n ${version} (Node ${MATRIX.versions[version].node}), ${what}`);
			// installed here, not in jest's globalSetup, so that its minutes are not counted as test time
			await ensureRuntime({ version, log });
			const outputFile = path.join(OUT_DIR, `${version}.json`);
			fs.rmSync(outputFile, { force: true });
			const code = await runJest({ version, smoke, tarball, outputFile });
			rows.push(summarise(version, outputFile, code, Math.round((Date.now() - t0) / 1000)));
		}
	} finally {
		fs.rmSync(packDir, { recursive: true, force: true });
	}
	const totals = {
		numPassedTests: rows.reduce((n, r) => n + r.passed, 0),
		numFailedTests: rows.reduce((n, r) => n + r.failed, 0),
		success: rows.every((r) => r.ok),
	};
	fs.writeFileSync(path.join(OUT_DIR, 'summary.json'), `${JSON.stringify({ smoke, ...totals, versions: rows }, null, 2)}\n`);
	const md = markdown(rows, smoke);
	fs.writeFileSync(path.join(OUT_DIR, 'summary.md'), md);
	log(`\n${md}`);
	for (const r of rows) for (const failure of r.failures) log(`[matrix] n8n ${r.n8n} failed: ${failure}`);
	return totals.success ? 0 : 1;
}

main().then(
	(code) => process.exit(code),
	(error) => {
		log(`[matrix] ${error.stack || error}`);
		process.exit(1);
	},
);
