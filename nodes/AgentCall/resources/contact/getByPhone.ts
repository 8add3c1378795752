import type { IExecuteSingleFunctions, IHttpRequestOptions, INodeProperties } from 'n8n-workflow';

import { checkPhone, defaultCountryOf, defaultCountryOption, showFor } from '../../shared/fields';

const displayOptions = showFor('contact', ['getByPhone']);

/** preSend: the phone number through the one normaliser, into the path as E.164. */
export async function phoneIntoPath(this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
	const e164 = checkPhone(this, 'Phone Number', this.getNodeParameter('contactPhone', ''), defaultCountryOf(this));
	requestOptions.url = `/v1/contacts/by-phone/${encodeURIComponent(e164)}`;
	return requestOptions;
}

export const contactGetByPhoneDescription: INodeProperties[] = [
	{
		displayName: 'Phone Number',
		name: 'contactPhone',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. +14155551234',
		description: "The contact's phone number, e.g. the caller of an AgentCall Trigger event",
		hint: 'A number that never called, texted or was called by one of your numbers has no contact yet: the node then fails with "No contact with the phone number … yet" (use On Error to route such items)',
		displayOptions,
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions,
		options: [
			{
				...defaultCountryOption,
				description: 'Country used for a Phone Number entered without a country code, such as (415) 555-1234',
			},
		],
	},
];
