// @ts-check
'use strict';

/**
 * The one error-body builder. Handlers throw ApiError; server.js renders it with `renderError`,
 * applying the error-shape settings (errorLinks, errorMessage, validationStatus, validationDetails).
 */

/** @typedef {{ field: string, message: string }} Detail */

class ApiError extends Error {
	/**
	 * @param {number} status
	 * @param {string} code
	 * @param {string} message
	 * @param {{ details?: Detail[], links?: Record<string, string>, headers?: Record<string, string>, validation?: boolean }} [extra]
	 */
	constructor(status, code, message, extra = {}) {
		super(message);
		this.status = status;
		this.code = code;
		this.details = extra.details;
		this.links = extra.links;
		this.headers = extra.headers;
		/** validation errors take their status from config.validationStatus unless `fixedStatus` */
		this.validation = !!extra.validation;
	}
}

/**
 * Validation error; status 422 by default (config.validationStatus), or a fixed status (e.g. 400 for metadata).
 * @param {Detail[]} details
 * @param {number} [fixedStatus]
 */
function validationError(details, fixedStatus) {
	const msg = `Validation failed: ${details.map((d) => `${d.field} ${d.message}`).join('; ')}`;
	const err = new ApiError(fixedStatus || 422, 'validation_error', msg, { details, validation: !fixedStatus });
	return err;
}

/** @param {string} resource e.g. "Number" @param {string} id */
function notFound(resource, id) {
	return new ApiError(404, 'not_found', `${resource} '${id}' not found`);
}

/** @param {string} code @param {string} message @param {string} upgradeUrl */
function planLimit(code, message, upgradeUrl) {
	return new ApiError(403, code, message, { links: { upgradeUrl } });
}

/** @param {string} message @param {string} setupUrl */
function paymentRequired(message, setupUrl) {
	return new ApiError(402, 'payment_method_required', message, { links: { setupUrl } });
}

/**
 * @param {Record<string, any>} config
 * @param {ApiError} err
 * @returns {{ status: number, body: Record<string, any>, headers: Record<string, string> }}
 */
function renderError(config, err) {
	const status = err.validation ? config.validationStatus : err.status;
	/** @type {Record<string, any>} */
	const inner = { code: err.code };
	if (config.errorMessage) inner.message = err.message;
	if (err.details && config.validationDetails === 'list') inner.details = err.details;
	if (err.details && config.validationDetails === 'map') {
		inner.details = Object.fromEntries(err.details.map((d) => [d.field, d.message]));
	}
	/** @type {Record<string, any>} */
	const body = { error: inner };
	if (err.links) Object.assign(config.errorLinks === 'top' ? body : inner, err.links);
	return { status, body, headers: err.headers || {} };
}

/** Plain error for anything that is not an ApiError (a sandbox bug): 500 internal. */
function internalError(/** @type {unknown} */ e) {
	const msg = e instanceof Error ? e.message : String(e);
	return new ApiError(500, 'internal', `Internal sandbox error: ${msg}`);
}

module.exports = { ApiError, validationError, notFound, planLimit, paymentRequired, renderError, internalError };
