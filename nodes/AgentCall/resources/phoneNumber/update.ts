import type { IDataObject, IExecuteSingleFunctions, IHttpRequestOptions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { LANGUAGE_OPTIONS } from '../../shared/catalogue';
import { showFor, voiceField } from '../../shared/fields';

/** Phone Number > Update: `PATCH /v1/numbers/:id` with the label, voice or language. */

/** preSend: an Update without any field would only read the number; say so instead. */
export async function requireUpdateField(this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
	const body = (requestOptions.body ?? {}) as IDataObject;
	if (Object.keys(body).length === 0) {
		throw new NodeOperationError(this.getNode(), 'Nothing to update - add a field under Update Fields', {
			itemIndex: this.getItemIndex(),
			description: 'Add Label, Voice or Language with the new value.',
		});
	}
	return requestOptions;
}

export const phoneNumberUpdateDescription: INodeProperties[] = [
	{
		displayName: 'Update Fields',
		name: 'numberUpdateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: showFor('phoneNumber', ['update']),
		options: [
			{
				displayName: 'Label',
				name: 'label',
				type: 'string',
				default: '',
				placeholder: 'e.g. Front desk',
				description: 'A name to recognise the number by in lists and pickers',
				routing: { send: { type: 'body', property: 'label' } },
			},
			{
				displayName: 'Language',
				name: 'language',
				type: 'options',
				default: 'auto',
				description: 'The language of the inbound AI (needs inbound AI set up on the number)',
				options: LANGUAGE_OPTIONS,
				routing: { send: { type: 'body', property: 'language' } },
			},
			{
				...voiceField({ name: 'voice', description: 'The voice of the inbound AI (needs inbound AI set up on the number).' }),
				routing: { send: { type: 'body', property: 'voice' } },
			},
		],
	},
];
