'use strict';
/**
 * jest globalSetup of the queue suite: Postgres, Redis, main, workers, webhook processor (./topology.js).
 * With $AGENTCALL_QUEUE_STATE pointing at a live topology (`node test/e2e/queue/topology.js up`),
 * that one is used and left running.
 */
const { setupQueue, liveState } = require('./topology');

module.exports = async () => {
	if (liveState()) return;
	await setupQueue();
};
