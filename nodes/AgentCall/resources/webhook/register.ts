import type { IExecuteSingleFunctions, IHttpRequestOptions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { AGENTCALL_EVENTS } from '../../shared/events';
import { showFor } from '../../shared/fields';

const displayOptions = showFor('webhook', ['register']);

async function validateWebhookRegistration(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const url = String(this.getNodeParameter('url', '')).trim();
	if (!/^https?:\/\/[^\s/]+/i.test(url)) {
		throw new NodeOperationError(this.getNode(), `"URL" is not valid: "${url}" - it must start with http:// or https://`, {
			itemIndex: this.getItemIndex(),
			description: 'AgentCall POSTs events to this address, so it must be reachable from the internet.',
		});
	}
	const events = this.getNodeParameter('events', []) as string[];
	if (!events.length) {
		throw new NodeOperationError(this.getNode(), '"Events" is empty - choose at least one event', {
			itemIndex: this.getItemIndex(),
		});
	}
	return requestOptions;
}

export const webhookRegisterDescription: INodeProperties[] = [
	{
		displayName: 'URL',
		name: 'url',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. https://example.com/agentcall-events',
		description: 'Where AgentCall should POST the events',
		displayOptions,
		routing: {
			send: { type: 'body', property: 'url', value: '={{ $value.trim() }}', preSend: [validateWebhookRegistration] },
		},
	},
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		default: [],
		required: true,
		description: 'Which events to receive',
		options: AGENTCALL_EVENTS,
		displayOptions,
		routing: { send: { type: 'body', property: 'events' } },
	},
];
