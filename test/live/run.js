#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * `npm run test:live`: read-only calls against the real AgentCall API, compared with the sandbox.
 * Skipped (exit 0) unless AGENTCALL_API_KEY is set; AGENTCALL_BASE_URL overrides the API address.
 * `--json <file>` also writes the report as JSON. Exit 1 only when the API could not be asked
 * (no answer, or 401); differences are the report, not a failure.
 */

const fs = require('fs');
const { formatReport, redact, runLiveCheck } = require('./check');

const DEFAULT_BASE_URL = 'https://api.agentcall.co';

async function main() {
	const apiKey = (process.env.AGENTCALL_API_KEY ?? '').trim();
	if (!apiKey) {
		process.stdout.write('test:live skipped: set AGENTCALL_API_KEY to check the real AgentCall API (read-only).\n');
		return 0;
	}
	const jsonAt = process.argv.indexOf('--json');
	const jsonFile = jsonAt > 0 ? process.argv[jsonAt + 1] : undefined;
	const baseUrl = (process.env.AGENTCALL_BASE_URL ?? '').trim() || DEFAULT_BASE_URL;
	const report = await runLiveCheck({ baseUrl, apiKey });
	process.stdout.write(`${redact(formatReport(report), apiKey)}\n`);
	if (jsonFile) fs.writeFileSync(jsonFile, `${redact(JSON.stringify(report, null, 2), apiKey)}\n`);
	const answered = report.calls.some((call) => call.status !== null);
	return answered && !report.unauthorized ? 0 : 1;
}

main().then(
	(code) => {
		process.exitCode = code;
	},
	(error) => {
		const key = (process.env.AGENTCALL_API_KEY ?? '').trim();
		process.stderr.write(`test:live failed: ${redact(error && error.message ? error.message : String(error), key)}\n`);
		process.exitCode = 1;
	},
);
