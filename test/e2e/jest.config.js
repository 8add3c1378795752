/**
 * Real-n8n suite: `npx jest -c test/e2e/jest.config.js --runInBand`.
 * globalSetup installs/reuses the Node 24 + n8n runtime (first time ~3-8 min), builds and packs the
 * package, installs it like n8n's community installer and starts ONE n8n shared by all files.
 */
module.exports = {
	rootDir: '../..',
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.e2e.test.ts'],
	modulePathIgnorePatterns: ['<rootDir>/dist/'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
	globalSetup: '<rootDir>/test/e2e/global-setup.js',
	globalTeardown: '<rootDir>/test/e2e/global-teardown.js',
	maxWorkers: 1,
	testTimeout: 180000,
	slowTestThreshold: 60,
};
