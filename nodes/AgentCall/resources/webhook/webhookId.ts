import type { INodePropertyOptions, INodeProperties, IHttpRequestMethods, PostReceiveAction } from 'n8n-workflow';

import { showFor, validateIdParameter } from '../../shared/fields';

/**
 * The Webhook ID of Rotate Secret and Delete: one definition for both, since RoutingNode
 * evaluates a value once per definition of its name. Each operation routes it itself
 * (`webhookIdRouting`), so the field carries no routing.
 */
export const webhookIdField: INodeProperties = {
	displayName: 'Webhook ID',
	name: 'webhookId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. cmq7frsx3005dpe01xdmdleaj',
	description: 'ID of the webhook, as returned by Register or Get Many',
	displayOptions: showFor('webhook', ['delete', 'rotateSecret']),
};

/** The routing of an operation on one webhook: its URL, the ID check and its output. */
export function webhookIdRouting(
	method: IHttpRequestMethods,
	urlSuffix: string,
	postReceive: PostReceiveAction[],
): INodePropertyOptions['routing'] {
	return {
		request: { method, url: `=/v1/webhooks/{{ encodeURIComponent(String($parameter.webhookId).trim()) }}${urlSuffix}` },
		send: { preSend: [validateIdParameter('webhookId', 'Webhook ID')] },
		output: { postReceive },
	};
}
