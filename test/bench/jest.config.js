/**
 * `npm run bench`: the benchmark scenarios (`*.bench.ts`), one after the other in one process,
 * never part of `npm test`. n8n's own nodes (HTTP Request, IF, Wait, Webhook) are loaded from the
 * cached n8n runtime (test/e2e/runtime.js); every `require('n8n-workflow')` they make is mapped to
 * this repository's copy, so both sides of each comparison share one n8n-workflow.
 */
const path = require('path');

const root = path.resolve(__dirname, '..', '..');

module.exports = {
	rootDir: root,
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test/bench'],
	testMatch: ['**/*.bench.ts'],
	modulePathIgnorePatterns: ['<rootDir>/dist/'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
	moduleNameMapper: {
		'^n8n-workflow$': require.resolve('n8n-workflow', { paths: [root] }),
		// ESM-only under jest + Node 20, and only used by the Wait node's form path (see the stub).
		'^sanitize-html$': '<rootDir>/test/bench/lib/stubs/sanitize-html.js',
	},
	maxWorkers: 1,
	testTimeout: 300000,
	globalSetup: '<rootDir>/test/bench/globalSetup.js',
	globalTeardown: '<rootDir>/test/bench/globalTeardown.js',
	reporters: [['default', { summaryThreshold: 0 }]],
};
