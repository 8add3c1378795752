import type { INodeProperties } from 'n8n-workflow';

import { returnAllAndLimit, showFor } from '../../shared/fields';

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
				options: [
					{ name: 'Canada', value: 'CA' },
					{ name: 'United States', value: 'US' },
				],
				routing: { send: { type: 'query', property: 'country' } },
			},
			{
				displayName: 'Type',
				name: 'type',
				type: 'options',
				default: 'local',
				options: [
					{ name: 'Local', value: 'local' },
					{ name: 'Mobile', value: 'mobile' },
					{ name: 'SIM', value: 'sim' },
					{ name: 'Toll-Free', value: 'tollfree' },
				],
				routing: { send: { type: 'query', property: 'type' } },
			},
		],
	},
];
