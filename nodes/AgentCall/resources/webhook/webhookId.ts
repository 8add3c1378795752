import type { IDisplayOptions, INodeProperties, PostReceiveAction } from 'n8n-workflow';

import { validateIdParameter } from '../../shared/fields';

/** The Webhook ID field of Rotate Secret and Delete, each with its own URL and output. */
export function webhookIdField(
	displayOptions: IDisplayOptions,
	urlSuffix: string,
	postReceive: PostReceiveAction[],
): INodeProperties {
	return {
		displayName: 'Webhook ID',
		name: 'webhookId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. cmq7frsx3005dpe01xdmdleaj',
		description: 'ID of the webhook, as returned by Register or Get Many',
		displayOptions,
		routing: {
			request: { url: `=/v1/webhooks/{{ encodeURIComponent($value.trim()) }}${urlSuffix}` },
			send: { preSend: [validateIdParameter('webhookId', 'Webhook ID')] },
			output: { postReceive },
		},
	};
}
