import type { IDataObject, IExecuteSingleFunctions, IHttpRequestOptions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { showFor } from '../../shared/fields';

const displayOptions = showFor('contact', ['update']);

/** An emptied text field clears the value in AgentCall (the field was added on purpose). */
const orNull = (value: unknown): string | null => {
	const text = String(value ?? '').trim();
	return text === '' ? null : text;
};

/** preSend: the PATCH body from Update Fields; nothing to update is an input error, not a request. */
export async function contactPatchBody(this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
	const fields = this.getNodeParameter('contactUpdateFields', {}) as IDataObject;
	const body: IDataObject = {};
	if (fields.displayName !== undefined) body.displayName = orNull(fields.displayName);
	if (fields.ownerNotes !== undefined) body.ownerNotes = orNull(fields.ownerNotes);
	if (fields.verified !== undefined) body.verified = fields.verified === true;
	if (fields.blocked !== undefined) body.blockedAt = fields.blocked === true ? new Date().toISOString() : null;
	if (fields.tags !== undefined) {
		const tags = Array.isArray(fields.tags) ? fields.tags : String(fields.tags).split(',');
		body.tags = [...new Set(tags.map((tag) => String(tag).trim()).filter((tag) => tag !== ''))];
	}
	if (Object.keys(body).length === 0) {
		throw new NodeOperationError(this.getNode(), 'Nothing to update - add at least one field under "Update Fields"', {
			itemIndex: this.getItemIndex(),
		});
	}
	requestOptions.body = body;
	return requestOptions;
}

export const contactUpdateDescription: INodeProperties[] = [
	{
		displayName: 'Update Fields',
		name: 'contactUpdateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions,
		options: [
			{
				displayName: 'Blocked',
				name: 'blocked',
				type: 'boolean',
				default: true,
				description: 'Whether the contact is blocked (AgentCall records when); turn off to unblock',
			},
			{
				displayName: 'Display Name',
				name: 'displayName',
				type: 'string',
				default: '',
				description: 'Name shown for the contact; empty clears it',
			},
			{
				displayName: 'Owner Notes',
				name: 'ownerNotes',
				type: 'string',
				typeOptions: { rows: 3 },
				default: '',
				description: 'Your own notes on the contact; empty clears them',
			},
			{
				displayName: 'Tags',
				name: 'tags',
				type: 'string',
				default: '',
				placeholder: 'e.g. vip, plumbing',
				description: 'Comma-separated tags; they replace the current tags (empty removes all)',
			},
			{
				displayName: 'Verified',
				name: 'verified',
				type: 'boolean',
				default: true,
				description: 'Whether you have verified who the contact is',
			},
		],
	},
];
