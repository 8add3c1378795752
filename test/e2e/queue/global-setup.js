'use strict';
/** jest globalSetup of the queue suite: Postgres, Redis, main, workers, webhook processor (./topology.js). */
const { setupQueue } = require('./topology');

module.exports = async () => {
	await setupQueue();
};
