'use strict';
/** jest globalTeardown of the e2e suite: stop the shared n8n, keep its log in test-artifacts/e2e/. */
const { teardownSharedN8n } = require('./helpers');

module.exports = async () => {
	await teardownSharedN8n();
};
