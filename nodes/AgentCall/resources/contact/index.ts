import type { INodeProperties } from 'n8n-workflow';

import { idField, routeById } from '../../shared/byId';
import { returnAllAndLimit, showFor } from '../../shared/fields';
import { confirmAction, listItems } from '../../shared/routing';
import { contactGetByPhoneDescription, phoneIntoPath } from './getByPhone';
import { toNextCallContext } from './nextCallContext';
import { contactPatchBody, contactUpdateDescription } from './update';

/** Contacts of Auditable Call Memory: AgentCall makes one for every number that calls, texts or is called. */
export const contactDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['contact'] } },
		options: [
			{
				name: 'Delete',
				value: 'delete',
				action: 'Delete a contact',
				description: "Forget a contact for good (right to be forgotten): its memory, candidates and briefs are wiped and its call reports redacted",
				routing: routeById('contactId', 'Contact ID', 'DELETE', (id) => `/v1/contacts/${id}`, { postReceive: [confirmAction('contactId', 'deleted')] }),
			},
			{
				name: 'Get',
				value: 'get',
				action: 'Get a contact',
				description: 'Get one contact by ID: name, phone, tags, notes, call count and when it was last seen',
				routing: routeById('contactId', 'Contact ID', 'GET', (id) => `/v1/contacts/${id}`),
			},
			{
				name: 'Get by Phone',
				value: 'getByPhone',
				action: 'Get a contact by phone number',
				description: 'Find the contact of a phone number, e.g. the caller of a finished call',
				routing: { request: { method: 'GET', url: '/v1/contacts/by-phone' }, send: { preSend: [phoneIntoPath] } },
			},
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many contacts',
				description: 'List the contacts AgentCall knows from your calls and texts',
				routing: { request: { method: 'GET', url: '/v1/contacts' }, output: { postReceive: [listItems()] } },
			},
			{
				name: 'Get Next-Call Context',
				value: 'getNextCallContext',
				action: 'Get next call context',
				description: "Get the text AgentCall's voice AI will be given about this contact on their next call: approved memory and open briefs",
				routing: routeById('contactId', 'Contact ID', 'GET', (id) => `/v1/contacts/${id}/next-call-context`, { postReceive: [toNextCallContext] }),
			},
			{
				name: 'Update',
				value: 'update',
				action: 'Update a contact',
				description: 'Change the name, tags, notes, verified or blocked state of a contact',
				routing: routeById('contactId', 'Contact ID', 'PATCH', (id) => `/v1/contacts/${id}`, { preSend: [contactPatchBody] }),
			},
		],
		default: 'getByPhone',
	},
	idField({
		name: 'contactId',
		displayName: 'Contact ID',
		description: 'ID of the contact, as returned by Get by Phone or Get Many, or the "contactId" of a report or brief',
		displayOptions: showFor('contact', ['delete', 'get', 'getNextCallContext', 'update']),
	}),
	{
		displayName:
			'Deleting a contact cannot be undone: AgentCall wipes its memory, memory candidates and briefs and redacts its call reports. The calls themselves stay in the call log.',
		name: 'contactDeleteNotice',
		type: 'notice',
		default: '',
		displayOptions: showFor('contact', ['delete']),
	},
	...contactGetByPhoneDescription,
	...returnAllAndLimit(showFor('contact', ['getAll'])),
	...contactUpdateDescription,
];
