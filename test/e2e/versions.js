'use strict';
/**
 * Which n8n the e2e suite runs against ($AGENTCALL_N8N_VERSION, default the main version of
 * n8n-runtime/matrix.json), known synchronously so that a test file can choose `it` or `it.skip`
 * while jest collects it. Plain CommonJS: runs under the machine's Node 20.
 */
const { MATRIX, runtimeInfo } = require('./runtime');

function parse(version) {
	const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
	if (!m) throw new Error(`not an exact n8n version: ${version}`);
	return m.slice(1).map(Number);
}

/** < 0, 0 or > 0 as a is older than, equal to or newer than b (exact x.y.z versions). */
function compareVersions(a, b) {
	const [x, y] = [parse(a), parse(b)];
	for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] - y[i];
	return 0;
}

/** @returns {{ n8nVersion: string, nodeVersion: string, isMain: boolean }} */
function n8nUnderTest() {
	const { n8nVersion, nodeVersion, isMain } = runtimeInfo();
	return { n8nVersion, nodeVersion, isMain };
}

/** Whether the n8n under test is `min` or newer. */
function n8nAtLeast(min) {
	return compareVersions(n8nUnderTest().n8nVersion, min) >= 0;
}

module.exports = { MATRIX, compareVersions, n8nUnderTest, n8nAtLeast };
