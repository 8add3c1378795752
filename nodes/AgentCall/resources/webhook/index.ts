import type { INodeProperties } from 'n8n-workflow';

import { listItems } from '../../shared/routing';
import { webhookDeleteRouting } from './delete';
import { webhookGetManyDescription } from './getAll';
import { webhookRegisterDescription } from './register';
import { webhookRotateSecretRouting } from './rotateSecret';
import { webhookIdField } from './webhookId';

const showOnlyForWebhooks = { show: { resource: ['webhook'] } };

export const webhookDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: showOnlyForWebhooks,
		options: [
			{
				name: 'Delete',
				value: 'delete',
				action: 'Delete a webhook',
				description: 'Stop AgentCall from sending events to a webhook URL',
				routing: webhookDeleteRouting,
			},
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many webhooks',
				description: 'List the webhook URLs registered on your AgentCall account (signing secrets are not shown)',
				routing: {
					request: { method: 'GET', url: '/v1/webhooks' },
					output: { postReceive: [listItems()] },
				},
			},
			{
				name: 'Register',
				value: 'register',
				action: 'Register a webhook',
				description:
					'Ask AgentCall to POST chosen events to a URL. The answer holds the signing secret, shown only this once. To start workflows from events, use the AgentCall Trigger node instead.',
				routing: { request: { method: 'POST', url: '/v1/webhooks' } },
			},
			{
				name: 'Rotate Secret',
				value: 'rotateSecret',
				action: 'Rotate a webhook secret',
				description: 'Replace a webhook signing secret; the old secret stops working at once',
				routing: webhookRotateSecretRouting,
			},
		],
		default: 'getAll',
	},
	...webhookRegisterDescription,
	...webhookGetManyDescription,
	webhookIdField,
];
