import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

import {
	defaultCountryOption,
	normalizeNumberLocatorBody,
	normalizePhoneBody,
	phoneNumberLocator,
	showFor,
} from '../../shared/fields';

/** From, To and Default Country: the same for a plain call and an AI call. */
export function callPartiesFields(displayOptions: IDisplayOptions, routed: boolean): INodeProperties[] {
	return [
		phoneNumberLocator({
			name: 'from',
			displayName: 'From',
			description:
				'Your AgentCall number the call comes from. Pick it from the list, enter its ID, or enter the number in E.164 format.',
			displayOptions,
			acceptPhoneNumber: true,
			routing: routed ? { send: { preSend: [normalizeNumberLocatorBody('from', 'from', 'From')] } } : undefined,
		}),
		{
			displayName: 'To',
			name: 'to',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. +14155551234',
			description:
				'Phone number to call, in international format. Other formats such as (415) 555-1234 are read with the Default Country under Options.',
			displayOptions,
			routing: routed ? { send: { type: 'body', property: 'to', preSend: [normalizePhoneBody({ to: 'To' })] } } : undefined,
		},
	];
}

const displayOptions = showFor('call', ['make']);

export const callMakeDescription: INodeProperties[] = [
	...callPartiesFields(displayOptions, true),
	{
		displayName: 'Record',
		name: 'record',
		type: 'boolean',
		default: false,
		description:
			'Whether to record the call. Needs the Pro plan with a card on file and adds $0.01/min. Get the audio afterwards with Get Recording.',
		displayOptions,
		routing: { send: { type: 'body', property: 'record' } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions,
		options: [defaultCountryOption],
	},
];
