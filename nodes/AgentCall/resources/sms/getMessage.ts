import type {
	IDataObject,
	IExecuteSingleFunctions,
	IN8nHttpFullResponse,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { showFor, validateIdParameter } from '../../shared/fields';
import { toMessage } from '../../shared/shapes';

async function oneMessage(
	this: IExecuteSingleFunctions,
	_items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
): Promise<INodeExecutionData[]> {
	const body = response.body && typeof response.body === 'object' && !Array.isArray(response.body) ? (response.body as IDataObject) : {};
	// Tolerate a wrapped reply (`{ message: {...} }` or `{ data: {...} }`), but only when the body itself is no message.
	const inner = [body.message, body.data].find(
		(value): value is IDataObject => !!value && typeof value === 'object' && !Array.isArray(value) && 'id' in value,
	);
	return [{ json: toMessage(body.id === undefined && inner ? inner : body) }];
}

export const smsGetMessageDescription: INodeProperties[] = [
	{
		displayName: 'Message ID',
		name: 'messageId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. cmq7frsx3005dpe01xdmdleaj',
		description: 'ID of the message, as output by Send or Get Inbox',
		displayOptions: showFor('sms', ['getMessage']),
		routing: {
			request: { url: '=/v1/sms/{{ encodeURIComponent(String($value).trim()) }}' },
			send: { preSend: [validateIdParameter('messageId', 'Message ID')] },
			output: { postReceive: [oneMessage] },
		},
	},
];
