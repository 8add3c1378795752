#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * `node test/sandbox/cli.js [--port 4010] [--host 127.0.0.1] [--key K] [--config '{"timeScale":0.1}'] [--prefixed-ids]`
 * (= `npm run sandbox`). Prints the base URL, the API key and the control API URL; stops on SIGINT/SIGTERM.
 */

const { startSandbox } = require('./index');

/** @param {string[]} argv */
function parseArgs(argv) {
	/** @type {{ port: number, host: string, apiKey?: string, config: Record<string, any> }} */
	const o = { port: 4010, host: '127.0.0.1', config: {} };
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
		const value = () => {
			const v = inline !== undefined ? inline : argv[++i];
			if (v === undefined) throw new Error(`${flag} needs a value`);
			return v;
		};
		switch (flag) {
			case '--port': {
				const v = value();
				o.port = Number(v);
				if (!Number.isInteger(o.port) || o.port < 0 || o.port > 65535) throw new Error(`invalid --port ${v}`);
				break;
			}
			case '--host':
				o.host = value();
				break;
			case '--key':
				o.apiKey = value();
				break;
			case '--config':
				o.config = { ...o.config, ...JSON.parse(value()) };
				break;
			case '--prefixed-ids':
				o.config.idFormat = 'prefixed';
				break;
			case '--help':
			case '-h':
				process.stdout.write(
					"Usage: node test/sandbox/cli.js [--port 4010] [--host 127.0.0.1] [--key K] [--config '{json}'] [--prefixed-ids]\n",
				);
				process.exit(0);
				break;
			default:
				throw new Error(`unknown argument ${a} (try --help)`);
		}
	}
	return o;
}

async function main() {
	const o = parseArgs(process.argv.slice(2));
	const sb = await startSandbox({ port: o.port, host: o.host, apiKey: o.apiKey, config: o.config });
	process.stdout.write(
		[
			'AgentCall sandbox running',
			`  base URL:    ${sb.url}`,
			`  API key:     ${sb.apiKey}`,
			`  control API: ${sb.controlUrl}`,
			`  try:         curl -H 'Authorization: Bearer ${sb.apiKey}' ${sb.url}/v1/numbers`,
			'',
		].join('\n'),
	);
	let stopping = false;
	const stop = (/** @type {string} */ signal) => {
		if (stopping) return;
		stopping = true;
		process.stdout.write(`\n${signal}: stopping the sandbox\n`);
		sb.close().then(() => process.exit(0));
	};
	process.on('SIGINT', () => stop('SIGINT'));
	process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((e) => {
	process.stderr.write(`sandbox: ${e && e.message ? e.message : e}\n`);
	process.exit(1);
});
