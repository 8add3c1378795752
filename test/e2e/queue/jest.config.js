/**
 * Queue-mode suite: `npm run test:e2e:queue`. globalSetup boots Postgres + Redis + one main, two
 * workers and a webhook processor once (./topology.js); every file shares it; globalTeardown
 * stops it all by PID.
 */
module.exports = {
	rootDir: '../../..',
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e/queue'],
	testMatch: ['**/*.queue.test.ts'],
	modulePathIgnorePatterns: ['<rootDir>/dist/'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
	globalSetup: '<rootDir>/test/e2e/queue/global-setup.js',
	globalTeardown: '<rootDir>/test/e2e/queue/global-teardown.js',
	maxWorkers: 1,
	testTimeout: 240000,
	slowTestThreshold: 60,
};
