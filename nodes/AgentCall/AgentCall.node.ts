import type { INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { phoneNumberDescription } from './resources/phoneNumber';
import { searchPhoneNumbers } from './resources/phoneNumber/searchPhoneNumbers';
import { usageDescription } from './resources/usage';
import { webhookDescription } from './resources/webhook';
import { raiseForStatus, sendRoutedRequest } from './shared/routing';

export class AgentCall implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'AgentCall',
		name: 'agentCall',
		icon: { light: 'file:../../icons/agentcall.svg', dark: 'file:../../icons/agentcall.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Phone numbers, SMS, OTP codes, voice calls and AI voice calls with transcripts, for AI agents',
		defaults: { name: 'AgentCall' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'agentCallApi', required: true }],
		requestDefaults: {
			baseURL: '={{ $credentials.baseUrl.replace(/\\/+$/, "") }}',
			headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
			// Statuses are mapped to actionable messages by raiseForStatus instead of n8n's generic ones.
			ignoreHttpStatusErrors: true,
		},
		requestOperations: { pagination: sendRoutedRequest },
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Phone Number', value: 'phoneNumber' },
					{ name: 'Usage', value: 'usage' },
					{ name: 'Webhook', value: 'webhook' },
				],
				default: 'phoneNumber',
				routing: {
					send: { paginate: true },
					output: { postReceive: [raiseForStatus] },
				},
			},
			...phoneNumberDescription,
			...usageDescription,
			...webhookDescription,
		],
	};

	methods = {
		listSearch: { searchPhoneNumbers },
	};
}
