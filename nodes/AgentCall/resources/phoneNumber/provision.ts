import type { INodeProperties } from 'n8n-workflow';

import { showFor } from '../../shared/fields';
import { NUMBER_COUNTRY_OPTIONS, NUMBER_TYPE_OPTIONS } from './options';

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
		options: NUMBER_TYPE_OPTIONS,
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
				options: NUMBER_COUNTRY_OPTIONS,
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
