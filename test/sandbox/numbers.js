// @ts-check
'use strict';

const { ApiError, notFound } = require('./errors');
const { Checker, requireObjectBody, E164 } = require('./validate');
const { listReply } = require('./lists');
const { nextSeq } = require('./state');
const { NUMBER_TYPES, COUNTRIES, VOICES, LANGUAGES, PRICES } = require('./catalog');

/** Area codes of generated numbers: +1 <area> 555 <4 digits>. */
const AREAS = {
	US: { local: '415', mobile: '628', sim: '341', tollfree: '888' },
	CA: { local: '604', mobile: '778', sim: '236', tollfree: '888' },
};

/** @param {any} core */
function createNumbers(core) {
	const st = () => core.state;

	/** @param {'US'|'CA'} country @param {string} type */
	function allocate(country, type) {
		const area = AREAS[country][/** @type {'local'} */ (type)];
		const counters = st().lineCounters;
		for (let i = 0; i < 10000; i++) {
			const line = (counters[area] ?? 100) % 10000;
			counters[area] = line + 1;
			const e164 = `+1${area}555${String(line).padStart(4, '0')}`;
			if (!st().issued.has(e164)) {
				st().issued.add(e164);
				return e164;
			}
		}
		throw new ApiError(409, 'numbers_exhausted', `No more ${type} numbers available in ${country}`);
	}

	/** @param {any} n */
	function view(n) {
		/** @type {Record<string, any>} */
		const out = {
			id: n.id,
			number: n.number,
			type: n.type,
			country: n.country,
			label: n.label,
			status: n.status,
			monthlyCost: PRICES.number[/** @type {'local'} */ (n.type)],
			createdAt: n.createdAt,
			inbound: { ...n.inbound },
			outbound: { ...n.outbound },
		};
		if (n.releasedAt) out.releasedAt = n.releasedAt;
		return out;
	}

	/** Active number by id, or throws 404. @param {string} id */
	function byId(id) {
		const n = st().numbers.get(id);
		if (!n || n.status !== 'active') throw notFound('Number', id);
		return n;
	}

	/** Active account number by E.164, or undefined. @param {string} e164 */
	function findByE164(e164) {
		for (const n of st().numbers.values()) if (n.number === e164 && n.status === 'active') return n;
		return undefined;
	}

	/**
	 * Resolves `from`-style references: a number ID or the E.164 of an account number.
	 * @param {string} ref
	 */
	function resolve(ref) {
		if (E164.test(ref)) {
			const n = findByE164(ref);
			if (!n) throw notFound('Number', ref);
			return n;
		}
		return byId(ref);
	}

	/** @param {{ type: string, country?: string, label?: string | null }} input */
	function provision(input) {
		const country = /** @type {'US'|'CA'} */ (input.country || 'US');
		core.plans.checkProvision(input.type);
		const now = Date.now();
		const n = {
			seq: nextSeq(st()),
			id: core.newId('number'),
			number: allocate(country, input.type),
			type: input.type,
			country,
			label: input.label ?? null,
			status: 'active',
			createdAt: new Date(now).toISOString(),
			createdMs: now,
			releasedAt: null,
			releasedMs: null,
		};
		core.inbound.apply(n, null);
		core.inbound.applyOutbound(n, null);
		st().numbers.set(n.id, n);
		return n;
	}

	/** @param {string} id */
	function release(id) {
		const n = byId(id);
		const now = Date.now();
		n.status = 'released';
		n.releasedMs = now;
		n.releasedAt = new Date(now).toISOString();
		core.otp.cancelNumber(n.id);
		core.emit('number.released', { numberId: n.id, number: n.number });
		return n;
	}

	const routes = [
		{
			method: 'POST',
			path: '/v1/numbers/provision',
			handler: (/** @type {any} */ ctx) => {
				requireObjectBody(ctx.body);
				const c = new Checker(ctx.body);
				c.oneOf('type', NUMBER_TYPES, { required: true });
				c.oneOf('country', COUNTRIES);
				c.string('label', { max: 100 });
				c.throwIfAny();
				return { status: core.config.createStatus, body: view(provision(ctx.body)) };
			},
		},
		{
			method: 'GET',
			path: '/v1/numbers',
			handler: (/** @type {any} */ ctx) => {
				const q = ctx.query;
				const c = new Checker(q);
				c.oneOf('country', COUNTRIES);
				c.oneOf('type', NUMBER_TYPES);
				c.throwIfAny();
				const items = [...st().numbers.values()].filter(
					(n) => n.status === 'active' && (!q.country || n.country === q.country) && (!q.type || n.type === q.type),
				);
				return listReply(core.config, 'numbers', items, q, view);
			},
		},
		{
			method: 'GET',
			path: '/v1/numbers/:id',
			handler: (/** @type {any} */ ctx) => {
				const n = st().numbers.get(ctx.params.id);
				if (n && n.status === 'released' && core.config.releasedNumber === '200') return { status: 200, body: view(n) };
				return { status: 200, body: view(byId(ctx.params.id)) };
			},
		},
		{
			method: 'PATCH',
			path: '/v1/numbers/:id',
			handler: (/** @type {any} */ ctx) => {
				const n = byId(ctx.params.id);
				requireObjectBody(ctx.body);
				const c = new Checker(ctx.body);
				if (ctx.body.label !== null) c.string('label', { max: 100 });
				c.oneOf('voice', VOICES);
				c.oneOf('language', LANGUAGES);
				if (!['label', 'voice', 'language'].some((k) => k in ctx.body)) {
					c.fail('(body)', 'must contain at least one of label, voice, language');
				}
				c.throwIfAny();
				if ((ctx.body.voice || ctx.body.language) && !n.inbound.configured) {
					throw new ApiError(400, 'inbound_ai_not_configured', 'voice and language need inbound AI configured on this number');
				}
				if ('label' in ctx.body) n.label = ctx.body.label;
				// changes only these fields of the stored inbound config (secrets, tools, webhooks stay)
				if (ctx.body.voice || ctx.body.language) {
					core.inbound.apply(n, { ...n.inboundConfig, voice: ctx.body.voice || n.inboundConfig.voice, language: ctx.body.language || n.inboundConfig.language });
				}
				return { status: 200, body: view(n) };
			},
		},
		{
			method: 'DELETE',
			path: '/v1/numbers/:id',
			handler: (/** @type {any} */ ctx) => {
				const existing = st().numbers.get(ctx.params.id);
				const again = existing && existing.status === 'released' && core.config.releasedNumber === '200';
				const n = again ? existing : release(ctx.params.id);
				if (core.config.deleteReply === '204') return { status: 204 };
				return { status: 200, body: { ...view(n), deleted: true } };
			},
		},
	];

	return { routes, view, byId, resolve, findByE164, provision, release };
}

module.exports = { createNumbers, AREAS };
