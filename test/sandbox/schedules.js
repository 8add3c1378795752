// @ts-check
'use strict';

const { ApiError, planLimit, validationError } = require('./errors');
const { Checker, requireObjectBody } = require('./validate');
const { listReply } = require('./lists');
const { nextSeq } = require('./state');

/**
 * Proactive SMS schedules per number (§13.5): `POST|GET /v1/numbers/:id/schedules`,
 * `DELETE /v1/numbers/:id/schedules/:scheduleId`. Documented: exactly one of `fireAt` or
 * `recurrence` (+ `timezone`), exactly one of `template` (+ `payload`) or `promptHint`, a duplicate
 * `dedupeKey` → 409, `?status=` filter, Pro only, the number needs inbound AI with `smsMode: "ai"`.
 *
 * Sandbox choices (the reference is silent): Free → 403 `plan_limit_schedules`; a number without
 * AI SMS → 400 `sms_ai_required` (like `no_saved_agent`, a precondition of the number); the 409
 * code is `duplicate_dedupe_key`; `dayOfWeek` is 0–6 (Sunday = 0); `timezone` defaults to UTC;
 * `fireAt` must be in the future; status `pending` until a one-off fires (the sandbox does not
 * send them); list wrapper `data` (setting `listWrappers.schedules`); cancel = 204 (`deleteReply`).
 */

const FREQUENCIES = ['daily', 'weekly'];

/** @param {string} zone */
function isTimeZone(zone) {
	try {
		new Intl.DateTimeFormat('en-US', { timeZone: zone });
		return true;
	} catch {
		return false;
	}
}

/** @param {any} core */
function createSchedules(core) {
	/** @returns {Map<string, any>} schedules of the account, by id (created with the state) */
	const all = () => (core.state.schedules ??= new Map());

	/** @param {any} s */
	const view = (s) => {
		const { seq, numberRef, ...rest } = s;
		return { ...rest };
	};

	/** @param {any} body @returns {Array<{field: string, message: string}>} */
	function problems(body) {
		const c = new Checker(body);
		c.string('kind', { min: 1, max: 64 });
		c.e164('contactPhone', { required: true });
		c.string('template', { min: 1, max: 1600 });
		c.string('promptHint', { min: 1, max: 2000 });
		c.string('dedupeKey', { min: 1, max: 200 });
		c.string('timezone', { min: 1 });
		if (c.has('timezone') && typeof body.timezone === 'string' && !isTimeZone(body.timezone)) {
			c.fail('timezone', 'must be an IANA time zone such as America/New_York');
		}
		if (c.has('fireAt') === c.has('recurrence')) c.fail('fireAt', 'exactly one of fireAt or recurrence is required');
		if (c.has('template') === c.has('promptHint')) c.fail('template', 'exactly one of template or promptHint is required');
		if (c.has('fireAt')) {
			const at = typeof body.fireAt === 'string' ? Date.parse(body.fireAt) : NaN;
			if (!/^\d{4}-\d{2}-\d{2}T/.test(String(body.fireAt)) || Number.isNaN(at)) c.fail('fireAt', 'must be an ISO 8601 instant');
			else if (at <= Date.now()) c.fail('fireAt', 'must be in the future');
		}
		if (c.has('recurrence')) {
			const r = body.recurrence;
			if (typeof r !== 'object' || Array.isArray(r)) {
				c.fail('recurrence', 'must be an object');
			} else {
				const rc = new Checker(r);
				rc.oneOf('frequency', FREQUENCIES, { required: true });
				rc.integer('hour', 0, 23);
				rc.integer('minute', 0, 59);
				rc.integer('dayOfWeek', 0, 6);
				if (!rc.has('hour')) rc.fail('hour', 'is required');
				if (!rc.has('minute')) rc.fail('minute', 'is required');
				if (r.frequency === 'weekly' && !rc.has('dayOfWeek')) rc.fail('dayOfWeek', 'is required for a weekly recurrence');
				for (const d of rc.details) c.fail(`recurrence.${d.field}`, d.message);
			}
		}
		if (c.has('payload') && (typeof body.payload !== 'object' || Array.isArray(body.payload))) c.fail('payload', 'must be an object');
		return c.details;
	}

	/** @param {string} numberId */
	function numberFor(numberId) {
		const n = core.numbers.byId(numberId);
		if (!n.inbound.configured || n.inbound.smsMode !== 'ai') {
			throw new ApiError(400, 'sms_ai_required', `Number '${n.id}' needs inbound AI with smsMode "ai" before it can send scheduled SMS`);
		}
		return n;
	}

	/** @param {any} ctx */
	function create(ctx) {
		if (core.config.plan === 'free') {
			throw planLimit('plan_limit_schedules', 'SMS schedules are available on Pro only. Upgrade to Pro to lift this limit.', core.config.upgradeUrl);
		}
		const n = numberFor(ctx.params.id);
		requireObjectBody(ctx.body);
		const b = ctx.body;
		const found = problems(b);
		if (found.length) throw validationError(found);
		if (b.dedupeKey && [...all().values()].some((s) => s.numberId === n.id && s.dedupeKey === b.dedupeKey)) {
			throw new ApiError(409, 'duplicate_dedupe_key', `A schedule with dedupeKey '${b.dedupeKey}' already exists on number '${n.id}'`);
		}
		const now = Date.now();
		const s = {
			seq: nextSeq(core.state),
			id: core.newId('schedule'),
			numberId: n.id,
			kind: b.kind ?? 'reminder',
			contactPhone: b.contactPhone,
			fireAt: b.fireAt ? new Date(b.fireAt).toISOString() : null,
			recurrence: b.recurrence ? { frequency: b.recurrence.frequency, hour: b.recurrence.hour, minute: b.recurrence.minute, dayOfWeek: b.recurrence.dayOfWeek ?? null } : null,
			timezone: b.timezone ?? 'UTC',
			template: b.template ?? null,
			payload: b.payload ?? null,
			promptHint: b.promptHint ?? null,
			dedupeKey: b.dedupeKey ?? null,
			status: 'pending',
			createdAt: new Date(now).toISOString(),
		};
		all().set(s.id, s);
		return { status: core.config.createStatus, body: view(s) };
	}

	/** @param {any} ctx */
	function list(ctx) {
		const n = core.numbers.byId(ctx.params.id);
		const status = ctx.query.status;
		const records = [...all().values()].filter((s) => s.numberId === n.id && (!status || s.status === status));
		const config = { ...core.config, listWrappers: { schedules: 'data', ...core.config.listWrappers } };
		return listReply(config, /** @type {any} */ ('schedules'), records, ctx.query, view);
	}

	/** @param {any} ctx */
	function cancel(ctx) {
		const n = core.numbers.byId(ctx.params.id);
		const s = all().get(ctx.params.scheduleId);
		if (!s || s.numberId !== n.id) throw new ApiError(404, 'not_found', `Schedule '${ctx.params.scheduleId}' not found`);
		all().delete(s.id);
		if (core.config.deleteReply === '204') return { status: 204 };
		return { status: 200, body: { ...view(s), status: 'cancelled', deleted: true } };
	}

	const routes = [
		{ method: 'POST', path: '/v1/numbers/:id/schedules', handler: create },
		{ method: 'GET', path: '/v1/numbers/:id/schedules', handler: list },
		{ method: 'DELETE', path: '/v1/numbers/:id/schedules/:scheduleId', handler: cancel },
	];
	return { routes, view, all };
}

module.exports = { createSchedules };
