/**
 * `npm run bench:queue`: the queue-mode benchmark (`*.bench.ts` here) on the queue suite's topology
 * (same globalSetup/globalTeardown). Never part of CI: ~10-15 min (1,000 SMS twice at an enforced limit, 800 deliveries).
 */
const base = require('./jest.config');

module.exports = { ...base, testMatch: ['**/test/e2e/queue/*.bench.ts'], testTimeout: 900000 };
