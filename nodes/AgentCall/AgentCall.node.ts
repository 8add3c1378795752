import type { INodeType, INodeTypeDescription } from 'n8n-workflow';

import { aiCallDescription } from './resources/aiCall';
import { start } from './resources/aiCall/start';
import { briefDescription } from './resources/brief';
import { callDescription } from './resources/call';
import { getRecording } from './resources/call/getRecording';
import { getReport } from './resources/call/getReport';
import { hangUp } from './resources/call/hangUp';
import { contactDescription } from './resources/contact';
import { memoryDescription } from './resources/memory';
import { phoneNumberDescription } from './resources/phoneNumber';
import { setInboundAi } from './resources/phoneNumber/inboundAiSet';
import { getOutboundDefaults, setOutboundDefaults } from './resources/phoneNumber/outboundDefaults';
import { searchPhoneNumbers } from './resources/phoneNumber/searchPhoneNumbers';
import { reportDescription } from './resources/report';
import { smsDescription } from './resources/sms';
import { replyToConversation } from './resources/sms/conversationReply';
import { send } from './resources/sms/send';
import { waitForOtp } from './resources/sms/waitForOtp';
import { usageDescription } from './resources/usage';
import { webhookDescription } from './resources/webhook';
import { getPromptTemplates, getVoices } from './shared/catalogue';
import { scheduleDescription } from './resources/schedule';
import { speechDescription } from './resources/speech';
import { generate as generateSpeech } from './resources/speech/generate';
import { raiseForStatus, sendRoutedRequest } from './shared/routing';
import { withToolDescriptions } from './shared/toolDescriptions';
import { guardHost, MAIN_CONNECTION } from './shared/host';

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
		inputs: [MAIN_CONNECTION],
		outputs: [MAIN_CONNECTION],
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
					{ name: 'Brief', value: 'brief' },
					{ name: 'Call', value: 'call' },
					{ name: 'Contact', value: 'contact' },
					{ name: 'Memory', value: 'memory' },
					{ name: 'Phone Number', value: 'phoneNumber' },
					{ name: 'Report', value: 'report' },
					{ name: 'Schedule', value: 'schedule' },
					{ name: 'SMS', value: 'sms' },
					{ name: 'Speech', value: 'speech' },
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
			...scheduleDescription,
			...speechDescription,
			...contactDescription,
			...memoryDescription,
			...briefDescription,
			...reportDescription,
		]),
	};

	constructor() {
		guardHost(this);
	}

	customOperations = {
		aiCall: { start },
		call: { getRecording, getReport, hangUp },
		sms: { send, waitForOtp, replyToConversation },
		phoneNumber: { setInboundAi, getOutboundDefaults, setOutboundDefaults },
		speech: { generate: generateSpeech },
	};

	methods = {
		listSearch: { searchPhoneNumbers },
		loadOptions: { getVoices, getPromptTemplates },
	};
}
