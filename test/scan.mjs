// n8n's community-package scanner, run locally before publishing (n8n guide §7).
//
//   node test/scan.mjs [package-dir]        (default: this repository)
//
// Runs @n8n/scan-community-package's own `analyzePackage` twice, as the registry scan does after a
// publish: on the source (`SOURCE_FILE_PATTERNS`: package.json, nodes/ and credentials/) and on
// the packed tarball (`npm pack` into a temp dir, unpacked, `**/*.js` + package.json). Prints every
// finding (warnings too, with the scanner's own config) and exits 1 when either leg has an
// error-severity finding, 2 when the scan could not run. Build first: the tarball leg needs dist/.
// Inline eslint-disable comments are ignored here, exactly as in the registry scan.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import {
	analyzePackage,
	buildScanConfig,
	SOURCE_FILE_PATTERNS,
} from '@n8n/scan-community-package/scanner/scanner.mjs';

// ESLint and fast-glob exactly as the scanner resolves them (it pins its own versions).
const scannerRequire = createRequire(import.meta.resolve('@n8n/scan-community-package/scanner/scanner.mjs'));
const { ESLint } = scannerRequire('eslint');
const glob = scannerRequire('fast-glob');

const TARBALL_PATTERNS = ['**/*.js', 'package.json'];
const repoRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));
const target = resolve(process.argv[2] ?? repoRoot);

function fail(message) {
	console.error(`scan: ${message}`);
	process.exit(2);
}

/** Every finding, warnings included: analyzePackage reports details only when there are errors. */
async function listFindings(dir, patterns) {
	const files = glob.sync(patterns, { cwd: dir, absolute: true, ignore: ['node_modules/**', '**/package-lock.json'] });
	if (!files.length) return { files: 0, errors: 0, warnings: 0, lines: [] };
	const eslint = new ESLint({ cwd: dir, allowInlineConfig: false, overrideConfigFile: true, overrideConfig: await buildScanConfig() });
	const results = await eslint.lintFiles(files);
	const lines = [];
	let errors = 0;
	let warnings = 0;
	for (const result of results) {
		for (const m of result.messages) {
			const severity = m.severity === 2 ? 'error' : 'warning';
			if (m.severity === 2) errors++;
			else warnings++;
			lines.push(`  ${relative(dir, result.filePath)}:${m.line ?? 0}:${m.column ?? 0}  ${severity}  ${m.message}  ${m.ruleId ?? ''}`);
		}
	}
	return { files: files.length, errors, warnings, lines };
}

/** One leg: the scanner's verdict (analyzePackage) plus the full list of findings. */
async function scan(label, dir, patterns) {
	const verdict = await analyzePackage(dir, patterns);
	const findings = await listFindings(dir, patterns);
	const status = verdict.passed ? 'PASS' : 'FAIL';
	console.log(`\n[${status}] ${label}: ${findings.files} files, ${findings.errors} errors, ${findings.warnings} warnings (${patterns.join(', ')})`);
	for (const line of findings.lines) console.log(line);
	if (!verdict.passed) {
		console.log(`  scanner verdict: ${verdict.message}`);
		// Only when the listing above missed what the scanner saw (e.g. an analysis failure).
		if (findings.errors === 0 && verdict.details) console.log(verdict.details.trimEnd());
	}
	// Both must agree: a finding list with errors fails even if the verdict somehow passed.
	return verdict.passed && findings.errors === 0;
}

/** `npm pack` the package into a temp dir and unpack it: `<tmp>/package/` is what users install. */
function packAndUnpack(dir) {
	const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
	const missing = [...(pkg.n8n?.nodes ?? []), ...(pkg.n8n?.credentials ?? [])].filter((entry) => !existsSync(join(dir, entry)));
	if (missing.length) fail(`not built: ${missing.join(', ')} missing - run npm run build first`);
	const tmp = mkdtempSync(join(tmpdir(), 'agentcall-scan-'));
	execFileSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', tmp], { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'] });
	const tarball = readdirSync(tmp).find((name) => name.endsWith('.tgz'));
	if (!tarball) fail('npm pack produced no tarball');
	execFileSync('tar', ['xzf', tarball], { cwd: tmp });
	return { tmp, tarball, unpacked: join(tmp, 'package') };
}

if (!existsSync(join(target, 'package.json'))) fail(`no package.json in ${target}`);
console.log(`n8n community scanner (@n8n/scan-community-package) on ${target}`);

let ok = await scan('source (what the registry scan lints in the attested GitHub commit)', target, SOURCE_FILE_PATTERNS);
const { tmp, tarball, unpacked } = packAndUnpack(target);
try {
	ok = (await scan(`tarball ${tarball} (what users install)`, unpacked, TARBALL_PATTERNS)) && ok;
} finally {
	rmSync(tmp, { recursive: true, force: true });
}

console.log(ok ? '\nscan: no error-severity findings' : '\nscan: error-severity findings - fix them before publishing');
process.exit(ok ? 0 : 1);
