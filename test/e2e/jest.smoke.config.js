/**
 * The real-n8n suite's smoke files (n8n-runtime/matrix.json `smoke`): what .ci/run runs on the n8n
 * versions other than the main one (`node test/e2e/matrix.js --smoke --skip-main`). Same set-up as
 * jest.config.js; the version comes from $AGENTCALL_N8N_VERSION.
 */
const base = require('./jest.config');
const { MATRIX } = require('./runtime');

module.exports = { ...base, testMatch: MATRIX.smoke.map((file) => `<rootDir>/test/e2e/${file}`) };
