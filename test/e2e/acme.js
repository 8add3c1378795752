'use strict';
/**
 * "Acme", a sign-up service for the agent tests: POST /signup { phone } answers 202 at once and,
 * a moment later, texts a fresh 6-digit code to that number through the sandbox, as a real service
 * would after its form was sent. Plain CommonJS (Node built-ins), runs under the machine's Node 20.
 */
const crypto = require('crypto');
const http = require('http');

/**
 * @param {{ injectSms(input: { to: string, from: string, body: string }): unknown }} sandbox
 * @param {{ delayMs?: number, sendCodes?: boolean }} [options] sendCodes false: accept sign-ups, never text
 * @returns {Promise<{ url: string, signups: Array<{ phone: string, code: string }>, setSendCodes(on: boolean): void, close(): Promise<void> }>}
 */
async function startAcme(sandbox, { delayMs = 1500, sendCodes = true } = {}) {
	const signups = [];
	const timers = new Set();
	let texting = sendCodes;
	const server = http.createServer((req, res) => {
		let raw = '';
		req.on('data', (chunk) => (raw += chunk));
		req.on('end', () => {
			let phone = '';
			try {
				phone = String(JSON.parse(raw || '{}').phone || '');
			} catch {}
			const code = String(crypto.randomInt(100000, 1000000));
			signups.push({ phone, code });
			if (texting) {
				const timer = setTimeout(() => {
					timers.delete(timer);
					sandbox.injectSms({ to: phone, from: '+18005550100', body: `Your Acme verification code is ${code}` });
				}, delayMs);
				timers.add(timer);
			}
			res.writeHead(202, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ status: 'code_requested', phone }));
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${server.address().port}`,
		signups,
		setSendCodes(on) {
			texting = on;
		},
		close() {
			for (const timer of timers) clearTimeout(timer);
			return new Promise((resolve) => server.close(() => resolve()));
		},
	};
}

module.exports = { startAcme };
