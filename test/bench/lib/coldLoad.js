'use strict';
/**
 * One cold load in a fresh Node process: `node coldLoad.js <mode> <packageDir> <nodesBaseDir>`.
 * Prints JSON { mode, ms, files, bytes } on stdout: the time to require (and instantiate) the
 * code of `mode`, and the files and bytes of code it loaded, n8n-workflow (already loaded in any
 * n8n) excluded: it is required, and its cost subtracted, before the clock starts.
 *   baseline     nothing more
 *   ours         the package's 3 nodes + credential, as package.json#n8n lists them
 *   oursLoader   the same through n8n-core's PackageDirectoryLoader (n8n-core loaded before the clock)
 *   http         n8n's HTTP Request node (all its versions, as n8n loads it)
 * Every `require('n8n-workflow')` resolves to this repository's copy, as in the bench.
 */
const fs = require('fs');
const Module = require('module');
const path = require('path');

const [mode, packageArg, nodesBaseDir] = process.argv.slice(2);
const packageDir = path.resolve(packageArg || '.');
const repo = path.resolve(__dirname, '..', '..', '..');
const workflowPath = require.resolve('n8n-workflow', { paths: [repo] });
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
	if (request === 'n8n-workflow') return workflowPath;
	return resolve.call(this, request, parent, ...rest);
};

require('n8n-workflow');
if (mode === 'oursLoader') require(require.resolve('n8n-core', { paths: [repo] }));
const before = new Set(Object.keys(require.cache));

const started = performance.now();
main();

function main() {
	if (mode === 'ours') {
		const pkg = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
		for (const file of [...pkg.n8n.credentials, ...pkg.n8n.nodes]) {
			const exported = require(path.join(packageDir, file));
			for (const value of Object.values(exported)) if (typeof value === 'function') new value();
		}
	} else if (mode === 'oursLoader') {
		const { PackageDirectoryLoader } = require(require.resolve('n8n-core', { paths: [repo] }));
		const loader = new PackageDirectoryLoader(packageDir);
		loader.loadAll().then(() => report(Object.keys(loader.nodeTypes).length + Object.keys(loader.credentialTypes).length));
		return;
	} else if (mode === 'http') {
		const { HttpRequest } = require(path.join(nodesBaseDir, 'HttpRequest', 'HttpRequest.node.js'));
		new HttpRequest();
	} else if (mode !== 'baseline') {
		throw new Error(`unknown mode ${mode}`);
	}
	report();
}

function report(types) {
	const ms = performance.now() - started;
	const loaded = Object.keys(require.cache).filter((file) => !before.has(file));
	const bytes = loaded.reduce((sum, file) => sum + (fs.existsSync(file) ? fs.statSync(file).size : 0), 0);
	const cpu = process.cpuUsage();
	process.stdout.write(JSON.stringify({ mode, ms, files: loaded.length, bytes, types, cpuMs: (cpu.user + cpu.system) / 1000 }));
}
