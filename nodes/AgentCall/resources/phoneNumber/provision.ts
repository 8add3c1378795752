import type { INodeProperties } from 'n8n-workflow';

import { showFor } from '../../shared/fields';

const displayOptions = showFor('phoneNumber', ['provision']);

export const phoneNumberProvisionDescription: INodeProperties[] = [
	{
		displayName: 'Type',
		name: 'type',
		type: 'options',
		default: 'local',
		required: true,
		displayOptions,
		description: 'Kind of number to provision; each has its own monthly fee',
		options: [
			{ name: 'Local', value: 'local', description: 'A local number ($2/month). The Free plan includes one.' },
			{ name: 'Mobile', value: 'mobile', description: 'A mobile number ($2/month)' },
			{ name: 'SIM', value: 'sim', description: 'A SIM-backed number ($8/month, Pro plan only)' },
			{ name: 'Toll-Free', value: 'tollfree', description: 'A toll-free number ($2.50/month)' },
		],
		routing: { send: { type: 'body', property: 'type' } },
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions,
		options: [
			{
				displayName: 'Country',
				name: 'country',
				type: 'options',
				default: 'US',
				description: 'Country of the new number',
				options: [
					{ name: 'Canada', value: 'CA' },
					{ name: 'United States', value: 'US' },
				],
				routing: { send: { type: 'body', property: 'country' } },
			},
			{
				displayName: 'Label',
				name: 'label',
				type: 'string',
				default: '',
				placeholder: 'e.g. QA signup tests',
				description: 'A name to recognise the number by in lists and pickers',
				routing: { send: { type: 'body', property: 'label' } },
			},
		],
	},
];
