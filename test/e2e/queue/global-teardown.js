'use strict';
/** jest globalTeardown of the queue suite: everything stopped by PID, logs kept in test-artifacts/e2e-queue/. */
const { teardownQueue } = require('./topology');

module.exports = async () => {
	await teardownQueue();
};
