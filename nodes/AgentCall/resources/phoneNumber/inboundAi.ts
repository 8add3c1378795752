import type { IExecuteSingleFunctions, IHttpRequestOptions, INodeProperties, INodePropertyRouting } from 'n8n-workflow';

import { showFor } from '../../shared/fields';
import { confirmAction } from '../../shared/routing';
import { agentVoiceOptions } from './agentFields';

/**
 * Phone Number > Get / Set / Remove Inbound AI: the AI agent that answers a number's calls (and,
 * with SMS Mode, its texts). Set runs in code (inboundAiSet.ts); Get and Remove are routed.
 */

const setDisplay = showFor('phoneNumber', ['setInboundAi']);

/** preSend: the number's URL (from the Phone Number field's routing) plus a sub-resource. */
export function appendToUrl(suffix: string) {
	return async function (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
		requestOptions.url = `${requestOptions.url ?? ''}${suffix}`;
		return requestOptions;
	};
}

export const inboundAiGetRouting: INodePropertyRouting = {
	request: { method: 'GET' },
	send: { preSend: [appendToUrl('/inbound-config')] },
};

export const inboundAiRemoveRouting: INodePropertyRouting = {
	request: { method: 'DELETE' },
	send: { preSend: [appendToUrl('/inbound-config')] },
	output: { postReceive: [confirmAction('numberId', 'inboundAiRemoved')] },
};

export const INBOUND_WRITE_MODES = { merge: 'merge', replace: 'replace' } as const;

export const SMS_MODES = ['off', 'ai', 'relay'];
export const CONTEXT_SOURCES = ['none', 'agentcall_memory', 'webhook', 'merge'];
export const MAX_ALLOWED_SENDERS = 20;

export const inboundAiDescription: INodeProperties[] = [
	{
		displayName:
			'Removing inbound AI makes the number hang up on incoming calls at the carrier until inbound AI is set again. Webhooks and tools wired into it are removed too.',
		name: 'removeInboundAiNotice',
		type: 'notice',
		default: '',
		displayOptions: showFor('phoneNumber', ['removeInboundAi']),
	},
	{
		displayName: 'Write Mode',
		name: 'inboundAiWriteMode',
		type: 'options',
		noDataExpression: true,
		default: 'merge',
		description: 'How the fields below are written to the number',
		options: [
			{
				name: 'Update Only Given Fields',
				value: INBOUND_WRITE_MODES.merge,
				description:
					'Read the current setup, change only the fields set here and write it back: everything else (webhooks, tools, their secrets) stays',
			},
			{
				name: 'Replace Whole Configuration',
				value: INBOUND_WRITE_MODES.replace,
				description: 'Write exactly the fields set here; everything else is removed, as AgentCall does',
			},
		],
		displayOptions: setDisplay,
	},
	{
		displayName:
			'Replace Whole Configuration removes every setting not given here, including the context, tool and SMS relay webhooks and the tools an active AgentCall trigger wired into this number (the trigger then stops getting calls until it is reactivated). Use Update Only Given Fields to change a few settings.',
		name: 'inboundAiReplaceNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { ...setDisplay.show, inboundAiWriteMode: [INBOUND_WRITE_MODES.replace] } },
	},
	{
		displayName: 'Inbound AI Fields',
		name: 'inboundAiFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: setDisplay,
		options: [
			...agentVoiceOptions('inbound'),
			{
				displayName: 'Allowed Senders',
				name: 'allowedSenders',
				type: 'string',
				default: '',
				placeholder: 'e.g. +14155551234, +14155555678',
				description: `Only these phone numbers may reach the AI by SMS (at most ${MAX_ALLOWED_SENDERS}, separated by commas or new lines; numbers without a country code are read as US or Canadian). Empty: anyone.`,
			},
			{
				displayName: 'Context Source',
				name: 'contextSource',
				type: 'options',
				default: 'none',
				description: 'Where the AI gets background on the caller before the call connects',
				options: [
					{ name: 'AgentCall Memory', value: 'agentcall_memory', description: "AgentCall's memory of earlier calls with this caller" },
					{ name: 'Memory and Webhook', value: 'merge', description: 'Both, merged' },
					{ name: 'None', value: 'none', description: 'No background' },
					{ name: 'Webhook', value: 'webhook', description: 'The context webhook, e.g. an AgentCall trigger answering from your CRM' },
				],
			},
			{
				displayName: 'Live Transcript',
				name: 'liveTranscript',
				type: 'boolean',
				default: false,
				description: 'Whether AgentCall sends each line of speech to your webhooks during calls (Live Transcript Line events)',
			},
			{
				displayName: 'Notify Business Name',
				name: 'notifyBusinessName',
				type: 'string',
				default: '',
				placeholder: 'e.g. Bright Dental',
				description: 'The business name used in call notifications',
			},
			{
				displayName: 'Notify Email',
				name: 'notifyEmail',
				type: 'string',
				default: '',
				placeholder: 'e.g. name@email.com',
				description: 'Email address that gets a summary after each inbound call',
			},
			{
				displayName: 'Notify SMS',
				name: 'notifySms',
				type: 'string',
				default: '',
				placeholder: 'e.g. +14155551234',
				description: 'Phone number that gets a text summary after each inbound call',
			},
			{
				displayName: 'SMS Mode',
				name: 'smsMode',
				type: 'options',
				default: 'off',
				description: 'What happens with texts to this number',
				options: [
					{ name: 'AI Replies', value: 'ai', description: 'The AI answers texts, following SMS System Prompt' },
					{ name: 'Off', value: 'off', description: 'Texts only land in the inbox' },
					{
						name: 'Relay to Webhook',
						value: 'relay',
						description: 'Texts go to the relay webhook (e.g. an AgentCall trigger) and you answer with SMS > Reply in Conversation (Pro)',
					},
				],
			},
			{
				displayName: 'SMS System Prompt',
				name: 'smsSystemPrompt',
				type: 'string',
				typeOptions: { rows: 4 },
				default: '',
				description: 'Instructions for the AI when it answers texts (SMS Mode: AI Replies)',
			},
		],
	},
];
