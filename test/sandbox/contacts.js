// @ts-check
'use strict';

const { ApiError, notFound, validationError } = require('./errors');
const { Checker, requireObjectBody, E164 } = require('./validate');
const { listReply } = require('./lists');

/**
 * Contacts (§13.6): `GET /v1/contacts` (cursor pagination, the only documented cursor),
 * `GET /v1/contacts/by-phone/:e164` (404 when never seen), `GET|PATCH|DELETE /v1/contacts/:id`
 * and `GET /v1/contacts/:id/next-call-context` (both documented shapes, `nextCallContextShape`).
 */

const PATCHABLE = ['displayName', 'tags', 'ownerNotes', 'verified', 'blockedAt'];

/** @param {any} core @param {ReturnType<typeof import('./memoryStore').createMemoryStore>} store */
function createContacts(core, store) {
	/** @param {string} id */
	function get(id) {
		const c = store.db().contacts.get(id);
		if (!c) throw notFound('Contact', id);
		return c;
	}

	/** @param {any} body */
	function update(contact, body) {
		requireObjectBody(body);
		const c = new Checker(body);
		const unknown = Object.keys(body).filter((k) => !PATCHABLE.includes(k));
		for (const k of unknown) c.fail(k, `is not a contact field (${PATCHABLE.join(', ')})`);
		if (!Object.keys(body).length) c.fail('(body)', `must set at least one of ${PATCHABLE.join(', ')}`);
		c.string('displayName', { max: 200 });
		c.string('ownerNotes', { max: 4000 });
		c.boolean('verified');
		if (body.tags !== undefined && !(Array.isArray(body.tags) && body.tags.every((/** @type {any} */ t) => typeof t === 'string' && t.length > 0 && t.length <= 64))) {
			c.fail('tags', 'must be an array of non-empty strings of at most 64 characters');
		}
		if (body.blockedAt !== undefined && body.blockedAt !== null && (typeof body.blockedAt !== 'string' || Number.isNaN(Date.parse(body.blockedAt)))) {
			c.fail('blockedAt', 'must be an ISO 8601 date-time or null');
		}
		c.throwIfAny();
		for (const k of PATCHABLE) if (body[k] !== undefined) contact[k] = k === 'tags' ? [...body.tags] : body[k];
		contact.updatedAt = store.now();
		return contact;
	}

	/** The context an inbound AI would get on this contact's next call: memory and open briefs. @param {any} contact */
	function nextCallContext(contact) {
		const d = store.db();
		const facts = [...d.memories.values()].filter((m) => m.contactId === contact.id && !m.deletedAt && !(m.expiresAt && Date.parse(m.expiresAt) <= Date.now()));
		const open = [...d.briefs.values()].filter((b) => b.contactId === contact.id && b.status !== 'resolved');
		const lines = [
			...(facts.length || open.length ? [`Caller: ${contact.displayName || 'unknown name'} (${contact.phone}), ${contact.callCount} previous call(s).`] : []),
			...facts.map((m) => `- ${m.type}: ${m.text}`),
			...open.map((b) => `- open request (${b.urgency}): ${b.summary}`),
		];
		const block = lines.join('\n');
		if (core.config.nextCallContextShape === 'brief') {
			return { contactId: contact.id, brief: block || null, updatedAt: contact.updatedAt };
		}
		return { contactId: contact.id, phone: contact.phone, numberId: contact.numberId, contextBlock: block, contextBlockChars: block.length, isEmpty: block === '' };
	}

	const routes = [
		{
			method: 'GET',
			path: '/v1/contacts',
			handler: (/** @type {any} */ ctx) =>
				listReply({ ...store.wrapperConfig('contacts'), pagination: 'cursor' }, /** @type {any} */ ('contacts'), [...store.db().contacts.values()], ctx.query, store.contactView),
		},
		{
			method: 'GET',
			path: '/v1/contacts/by-phone/:e164',
			handler: (/** @type {any} */ ctx) => {
				const phone = ctx.params.e164;
				if (!E164.test(phone)) throw validationError([{ field: 'e164', message: 'must be an E.164 phone number like +14155551234' }]);
				const c = store.contactByPhone(phone);
				if (!c) throw new ApiError(404, 'contact_not_found', `No contact with phone number ${phone}`);
				return { status: 200, body: store.contactView(c) };
			},
		},
		{ method: 'GET', path: '/v1/contacts/:id', handler: (/** @type {any} */ ctx) => ({ status: 200, body: store.contactView(get(ctx.params.id)) }) },
		{
			method: 'PATCH',
			path: '/v1/contacts/:id',
			handler: (/** @type {any} */ ctx) => ({ status: 200, body: store.contactView(update(get(ctx.params.id), ctx.body)) }),
		},
		{
			method: 'DELETE',
			path: '/v1/contacts/:id',
			handler: (/** @type {any} */ ctx) => {
				const c = get(ctx.params.id);
				store.forget(c);
				return core.config.deleteReply === '204' ? { status: 204 } : { status: 200, body: { id: c.id, deleted: true } };
			},
		},
		{
			method: 'GET',
			path: '/v1/contacts/:id/next-call-context',
			handler: (/** @type {any} */ ctx) => ({ status: 200, body: nextCallContext(get(ctx.params.id)) }),
		},
	];
	return { routes, get };
}

module.exports = { createContacts };
