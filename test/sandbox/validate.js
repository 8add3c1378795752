// @ts-check
'use strict';

const { validationError } = require('./errors');

const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * Collects field problems; `throwIfAny()` raises one validation_error listing them all.
 */
class Checker {
	/** @param {any} body */
	constructor(body) {
		this.body = body && typeof body === 'object' && !Array.isArray(body) ? body : {};
		/** @type {Array<{field: string, message: string}>} */
		this.details = [];
	}

	/** @param {string} field @param {string} message */
	fail(field, message) {
		this.details.push({ field, message });
	}

	/** @param {string} field */
	has(field) {
		return this.body[field] !== undefined && this.body[field] !== null;
	}

	/** @param {string} field @param {{ required?: boolean, min?: number, max?: number }} [o] */
	string(field, o = {}) {
		const v = this.body[field];
		if (v === undefined || v === null) {
			if (o.required) this.fail(field, 'is required');
			return;
		}
		if (typeof v !== 'string') return this.fail(field, 'must be a string');
		const min = o.min ?? 0;
		if (v.length < min) return this.fail(field, min === 1 ? 'must not be empty' : `must be at least ${min} characters`);
		if (o.max !== undefined && v.length > o.max) this.fail(field, `must be at most ${o.max} characters`);
	}

	/** @param {string} field @param {{ required?: boolean }} [o] */
	e164(field, o = {}) {
		const v = this.body[field];
		if (v === undefined || v === null) {
			if (o.required) this.fail(field, 'is required');
			return;
		}
		if (typeof v !== 'string' || !E164.test(v)) this.fail(field, 'must be an E.164 phone number like +14155551234');
	}

	/** @param {string} field @param {readonly string[]} values @param {{ required?: boolean }} [o] */
	oneOf(field, values, o = {}) {
		const v = this.body[field];
		if (v === undefined || v === null) {
			if (o.required) this.fail(field, 'is required');
			return;
		}
		if (!values.includes(v)) this.fail(field, `must be one of: ${values.join(', ')}`);
	}

	/** @param {string} field */
	boolean(field) {
		const v = this.body[field];
		if (v !== undefined && v !== null && typeof v !== 'boolean') this.fail(field, 'must be a boolean');
	}

	/** @param {string} field @param {number} min @param {number} max */
	integer(field, min, max) {
		const v = this.body[field];
		if (v === undefined || v === null) return;
		if (typeof v !== 'number' || !Number.isInteger(v)) return this.fail(field, 'must be an integer');
		if (v < min || v > max) this.fail(field, `must be between ${min} and ${max}`);
	}

	/** @param {number} [fixedStatus] */
	throwIfAny(fixedStatus) {
		if (this.details.length) throw validationError(this.details, fixedStatus);
	}
}

/** Throws a validation error when the request body is not a JSON object. @param {any} body */
function requireObjectBody(body) {
	if (!body || typeof body !== 'object' || Array.isArray(body)) {
		throw validationError([{ field: '(body)', message: 'must be a JSON object' }]);
	}
}

module.exports = { Checker, requireObjectBody, E164 };
