// @ts-check
'use strict';

const crypto = require('crypto');

/** Prefixes used when config.idFormat is 'prefixed'. */
const PREFIX = { number: 'num', message: 'msg', call: 'call', webhook: 'wh', delivery: 'dlv', contact: 'ct', request: 'req', conversation: 'conv', callout: 'co' };

/** @param {number} n */
function randomBase36(n) {
	let out = '';
	const bytes = crypto.randomBytes(n);
	for (let i = 0; i < n; i++) out += (bytes[i] % 36).toString(36);
	return out;
}

/**
 * Opaque IDs: cuid-like 25 chars by default (like the live API, e.g. `cmpm572gz0001na01exn8yone`),
 * or `num_…` / `msg_…` / `call_…` / `wh_…` when prefixed.
 * @param {() => string} getFormat returns the current config.idFormat
 */
function createIdGenerator(getFormat) {
	let counter = crypto.randomInt(0, 36 ** 4);
	const fingerprint = randomBase36(4);
	/** @param {keyof typeof PREFIX} kind */
	return function newId(kind) {
		counter = (counter + 1) % 36 ** 4;
		if (getFormat() === 'prefixed') return `${PREFIX[kind]}_${randomBase36(14)}`;
		const time = Date.now().toString(36).slice(-8).padStart(8, '0');
		return `c${time}${counter.toString(36).padStart(4, '0')}${fingerprint}${randomBase36(8)}`;
	};
}

/** A webhook signing secret (format not known for the live API; opaque). */
function newSecret() {
	return `whsec_${crypto.randomBytes(24).toString('base64url')}`;
}

module.exports = { createIdGenerator, newSecret, PREFIX };
