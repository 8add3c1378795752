import type { INodeProperties } from 'n8n-workflow';

import { returnAllAndLimit, showFor } from '../../shared/fields';
import { NUMBER_COUNTRY_OPTIONS, NUMBER_TYPE_OPTIONS } from './options';

const displayOptions = showFor('phoneNumber', ['getAll']);

export const phoneNumberGetManyDescription: INodeProperties[] = [
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
				displayName: 'Country',
				name: 'country',
				type: 'options',
				default: 'US',
				options: NUMBER_COUNTRY_OPTIONS,
				routing: { send: { type: 'query', property: 'country' } },
			},
			{
				displayName: 'Type',
				name: 'type',
				type: 'options',
				default: 'local',
				options: NUMBER_TYPE_OPTIONS,
				routing: { send: { type: 'query', property: 'type' } },
			},
		],
	},
];
