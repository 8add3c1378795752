'use strict';
/** jest globalSetup of the e2e suite: one real n8n for the whole run (see helpers.js). */
const { setupSharedN8n } = require('./helpers');

module.exports = async () => {
	await setupSharedN8n();
};
