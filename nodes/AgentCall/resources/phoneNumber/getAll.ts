import type { INodeProperties } from 'n8n-workflow';

import { returnAllAndLimit, showFor, simplifyField } from '../../shared/fields';
import { simplifyItems } from '../../shared/routing';
import { simpleNumber } from '../../shared/shapes';
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
	simplifyField(
		displayOptions,
		'ID, number, type, country, label and status of each number, without its inbound and outbound agent settings',
		simplifyItems(simpleNumber),
	),
];
