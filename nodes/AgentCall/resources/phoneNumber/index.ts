import type { INodeProperties } from 'n8n-workflow';

import { listItems } from '../../shared/routing';

import { phoneNumberGetDescription } from './get';
import { phoneNumberGetManyDescription } from './getAll';
import { phoneNumberProvisionDescription } from './provision';
import { phoneNumberReleaseDescription, phoneNumberReleaseOutput } from './release';

const showOnlyForPhoneNumbers = { show: { resource: ['phoneNumber'] } };

export const phoneNumberDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: showOnlyForPhoneNumbers,
		options: [
			{
				name: 'Get',
				value: 'get',
				action: 'Get a phone number',
				description: 'Get one of your phone numbers with its inbound and outbound settings',
				routing: { request: { method: 'GET' } },
			},
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many phone numbers',
				description: 'List the phone numbers on your AgentCall account',
				routing: {
					request: { method: 'GET', url: '/v1/numbers' },
					output: { postReceive: [listItems()] },
				},
			},
			{
				name: 'Provision',
				value: 'provision',
				action: 'Provision a phone number',
				description:
					'Buy a new phone number (US or Canada) that can send and receive SMS and calls. Costs a monthly fee ($2-$8 depending on type) until released.',
				routing: { request: { method: 'POST', url: '/v1/numbers/provision' } },
			},
			{
				name: 'Release',
				value: 'release',
				action: 'Release a phone number',
				description:
					'Permanently give up a phone number and stop its billing. Irreversible: the number cannot be provisioned again.',
				routing: { request: { method: 'DELETE' }, output: phoneNumberReleaseOutput },
			},
		],
		default: 'getAll',
	},
	...phoneNumberProvisionDescription,
	...phoneNumberGetManyDescription,
	...phoneNumberReleaseDescription,
	...phoneNumberGetDescription,
];
