import type { IExecuteSingleFunctions, IHttpRequestOptions, INodeProperties } from 'n8n-workflow';

import { requireId, returnAllAndLimit, showFor } from '../../shared/fields';
import { confirmAction, listItems } from '../../shared/routing';
import { scheduleCreateRouting, scheduleNumberPath } from './create';
import { scheduleCreateDescription, scheduleGetManyFilters, scheduleIdField, scheduleNumberField } from './fields';

/** Proactive SMS schedules of a number (§13.5). Create checks and builds its body in one preSend. */

async function listPath(this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
	return { ...requestOptions, url: scheduleNumberPath(this) };
}

async function cancelPath(this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
	const base = scheduleNumberPath(this);
	const scheduleId = requireId(this, 'Schedule ID', this.getNodeParameter('scheduleId', ''));
	return { ...requestOptions, url: `${base}/${encodeURIComponent(scheduleId)}` };
}

export const scheduleDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['schedule'] } },
		options: [
			{
				name: 'Cancel',
				value: 'cancel',
				action: 'Cancel a schedule',
				description: 'Cancel a scheduled SMS so it is never sent, and remove it',
				routing: { request: { method: 'DELETE' }, send: { preSend: [cancelPath] }, output: { postReceive: [confirmAction('scheduleId', 'cancelled')] } },
			},
			{
				name: 'Create',
				value: 'create',
				action: 'Schedule an SMS',
				description:
					'Schedule a text message from one of your numbers for later, once or every day or week, from a template or written by the AI. Pro plan; the number needs AI SMS replies.',
				routing: scheduleCreateRouting,
			},
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many schedules',
				description: 'List the scheduled SMS of one of your numbers, optionally by status',
				routing: { request: { method: 'GET' }, send: { preSend: [listPath] }, output: { postReceive: [listItems()] } },
			},
		],
		default: 'create',
	},
	scheduleNumberField,
	...scheduleCreateDescription,
	...returnAllAndLimit(showFor('schedule', ['getAll'])),
	scheduleGetManyFilters,
	scheduleIdField,
];
