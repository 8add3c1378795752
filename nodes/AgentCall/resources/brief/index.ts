import type { INodeProperties } from 'n8n-workflow';

import { idField, routeById } from '../../shared/byId';
import { returnAllAndLimit, showFor } from '../../shared/fields';
import { listItems } from '../../shared/routing';
import { BRIEF_STATUS_OPTIONS, urgencyFilter } from '../memory/options';

/** Briefs: the owner's inbox of calls that need a person (open → acknowledged → resolved). */
export const briefDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['brief'] } },
		options: [
			{
				name: 'Acknowledge',
				value: 'acknowledge',
				action: 'Acknowledge a brief',
				description: 'Mark an open brief as seen; it stays in the inbox until resolved',
				routing: routeById('briefId', 'Brief ID', 'POST', (id) => `/v1/briefs/${id}/ack`),
			},
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many briefs',
				description: "List the owner's briefs: calls AgentCall flagged for a person to follow up, by status and urgency",
				routing: { request: { method: 'GET', url: '/v1/briefs' }, output: { postReceive: [listItems()] } },
			},
			{
				name: 'Resolve',
				value: 'resolve',
				action: 'Resolve a brief',
				description: 'Mark a brief as dealt with; it leaves the open inbox',
				routing: routeById('briefId', 'Brief ID', 'POST', (id) => `/v1/briefs/${id}/resolve`),
			},
		],
		default: 'getAll',
	},
	idField({
		name: 'briefId',
		displayName: 'Brief ID',
		description: 'ID of the brief, as returned by Get Many',
		displayOptions: showFor('brief', ['acknowledge', 'resolve']),
	}),
	...returnAllAndLimit(showFor('brief', ['getAll'])),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: showFor('brief', ['getAll']),
		options: [
			{
				displayName: 'Status',
				name: 'status',
				type: 'options',
				default: 'open',
				options: BRIEF_STATUS_OPTIONS,
				routing: { send: { type: 'query', property: 'status' } },
			},
			urgencyFilter,
		],
	},
];
