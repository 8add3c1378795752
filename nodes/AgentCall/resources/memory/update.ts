import type { IDataObject, IExecuteSingleFunctions, IHttpRequestOptions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { showFor } from '../../shared/fields';

/** preSend: the PATCH body (`text`, `expiresAt`) from Update Fields, checked before the request. */
export async function memoryPatchBody(this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
	const fields = this.getNodeParameter('memoryUpdateFields', {}) as IDataObject;
	const fail = (message: string, description?: string) =>
		new NodeOperationError(this.getNode(), message, { itemIndex: this.getItemIndex(), description });
	const body: IDataObject = {};
	if (fields.text !== undefined) {
		const text = String(fields.text).trim();
		if (text === '') throw fail('"Text" is empty - a memory needs its text; use Delete to remove the memory');
		body.text = text;
	}
	if (fields.removeExpiry === true && fields.expiresAt !== undefined) {
		throw fail('Choose either "Expires At" or "Remove Expiry", not both');
	}
	if (fields.removeExpiry === true) body.expiresAt = null;
	if (fields.expiresAt !== undefined) {
		const at = Date.parse(String(fields.expiresAt));
		if (String(fields.expiresAt).trim() === '' || Number.isNaN(at)) {
			throw fail(`"Expires At" is not valid: "${String(fields.expiresAt)}" - use a date and time, e.g. 2026-12-31T17:00:00Z`);
		}
		body.expiresAt = new Date(at).toISOString();
	}
	if (Object.keys(body).length === 0) throw fail('Nothing to update - add "Text", "Expires At" or "Remove Expiry" under "Update Fields"');
	requestOptions.body = body;
	return requestOptions;
}

export const memoryUpdateDescription: INodeProperties[] = [
	{
		displayName: 'Update Fields',
		name: 'memoryUpdateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: showFor('memory', ['update']),
		options: [
			{
				displayName: 'Expires At',
				name: 'expiresAt',
				type: 'dateTime',
				default: '',
				description: 'When the memory stops being true and is no longer given to the voice AI',
			},
			{
				displayName: 'Remove Expiry',
				name: 'removeExpiry',
				type: 'boolean',
				default: true,
				description: 'Whether to make the memory true until changed (removes Expires At)',
			},
			{
				displayName: 'Text',
				name: 'text',
				type: 'string',
				typeOptions: { rows: 2 },
				default: '',
				description: 'The corrected memory, e.g. "Prefers calls after 5 pm"',
			},
		],
	},
];
