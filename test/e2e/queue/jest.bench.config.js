/**
 * `npm run bench:queue`: the queue-mode benchmark (`*.bench.ts` here) on the queue suite's topology
 * (same globalSetup/globalTeardown). Never part of CI: it takes ~6 min of enforced rate limit.
 */
const base = require('./jest.config');

module.exports = { ...base, testMatch: ['**/test/e2e/queue/*.bench.ts'], testTimeout: 900000 };
