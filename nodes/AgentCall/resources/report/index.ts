import type { INodeProperties } from 'n8n-workflow';

import { returnAllAndLimit, showFor } from '../../shared/fields';
import { listItems } from '../../shared/routing';
import { contactIdFilter, INTENT_OPTIONS, urgencyFilter } from '../memory/options';

const displayOptions = showFor('report', ['getAll']);

/** Reports across calls (§13.6); one call's report is Call > Get Report. */
export const reportDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['report'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many reports',
				description: 'List the post-call reports of AI calls: summary, intent, urgency, facts, tasks and next action',
				routing: { request: { method: 'GET', url: '/v1/reports' }, output: { postReceive: [listItems()] } },
			},
		],
		default: 'getAll',
	},
	...returnAllAndLimit(displayOptions),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions,
		options: [
			{
				displayName: 'Brief-Worthy',
				name: 'briefWorthy',
				type: 'boolean',
				default: true,
				description: 'Whether to return only reports AgentCall flagged for the owner (on) or only the others (off)',
				routing: { send: { type: 'query', property: 'briefWorthy', value: '={{ $value ? "true" : "false" }}' } },
			},
			contactIdFilter('Only reports of calls with this contact'),
			{
				displayName: 'Intent',
				name: 'intent',
				type: 'options',
				default: 'service_request',
				options: INTENT_OPTIONS,
				routing: { send: { type: 'query', property: 'intent' } },
			},
			urgencyFilter,
		],
	},
];
