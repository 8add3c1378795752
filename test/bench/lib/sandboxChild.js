'use strict';
/**
 * The AgentCall sandbox in its own process (forked by lib/sandbox.ts), so the API's own CPU work
 * is not counted as the client's and the client's event loop is not shared with the server.
 * argv[2]: JSON config patch. IPC: { type: 'cpu' } -> { type: 'cpu', cpu }, { type: 'close' }.
 */
const { startSandbox } = require('../../sandbox');

(async () => {
	const config = JSON.parse(process.argv[2] || '{}');
	const sb = await startSandbox({ port: 0, host: '127.0.0.1', config });
	process.on('message', (message) => {
		if (!message || typeof message !== 'object') return;
		if (message.type === 'cpu') process.send({ type: 'cpu', id: message.id, cpu: process.cpuUsage() });
		if (message.type === 'close') sb.close().then(() => process.exit(0));
	});
	process.on('disconnect', () => process.exit(0));
	process.send({ type: 'ready', url: sb.url, apiKey: sb.apiKey });
})().catch((error) => {
	process.stderr.write(`sandbox child: ${error && error.stack ? error.stack : error}\n`);
	process.exit(1);
});
