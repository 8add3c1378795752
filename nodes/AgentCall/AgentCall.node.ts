import type { INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { aiCallDescription } from './resources/aiCall';
import { start } from './resources/aiCall/start';
import { callDescription } from './resources/call';
import { getRecording } from './resources/call/getRecording';
import { hangUp } from './resources/call/hangUp';
import { phoneNumberDescription } from './resources/phoneNumber';
import { searchPhoneNumbers } from './resources/phoneNumber/searchPhoneNumbers';
import { smsDescription } from './resources/sms';
import { waitForOtp } from './resources/sms/waitForOtp';
import { usageDescription } from './resources/usage';
import { webhookDescription } from './resources/webhook';
import { raiseForStatus, sendRoutedRequest } from './shared/routing';
import { withToolDescriptions } from './shared/toolDescriptions';

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
		// No baseURL here: the credential's authenticate sets it (an expression here was evaluated
		// twice per item by n8n's RoutingNode, see test/bench/NOTES.md finding B).
		requestDefaults: {
			headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
			// Statuses are mapped to actionable messages by raiseForStatus instead of n8n's generic ones.
			ignoreHttpStatusErrors: true,
		},
		requestOperations: { pagination: sendRoutedRequest },
		// The model's text per operation (see toolDescriptions.ts); the editor sees the options as written.
		properties: withToolDescriptions([
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'AI Call', value: 'aiCall' },
					{ name: 'Call', value: 'call' },
					{ name: 'Phone Number', value: 'phoneNumber' },
					{ name: 'SMS', value: 'sms' },
					{ name: 'Usage', value: 'usage' },
					{ name: 'Webhook', value: 'webhook' },
				],
				default: 'phoneNumber',
				routing: {
					send: { paginate: true },
					output: { postReceive: [raiseForStatus] },
				},
			},
			...aiCallDescription,
			...callDescription,
			...phoneNumberDescription,
			...smsDescription,
			...usageDescription,
			...webhookDescription,
		]),
	};

	customOperations = {
		aiCall: { start },
		call: { getRecording, hangUp },
		sms: { waitForOtp },
	};

	methods = {
		listSearch: { searchPhoneNumbers },
	};
}
