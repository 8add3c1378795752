import type { INodeProperties } from 'n8n-workflow';

import { listItems } from '../../shared/routing';
import { toMessage } from '../../shared/shapes';

import { smsConversationsDescription } from './conversations';
import { smsGetInboxDescription } from './getInbox';
import { smsGetMessageDescription } from './getMessage';
import { smsSendDescription } from './send';
import { smsWaitForOtpDescription } from './waitForOtp';

const showOnlyForSms = { show: { resource: ['sms'] } };

export const smsDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: showOnlyForSms,
		options: [
			{
				name: 'Get Conversation',
				value: 'getConversation',
				action: 'Get an SMS conversation',
				description: 'Get one SMS conversation with a contact: the thread and its last 50 messages, oldest first',
				routing: { request: { method: 'GET' } },
			},
			{
				name: 'Get Inbox',
				value: 'getInbox',
				action: 'Get received SMS messages',
				description:
					'List the SMS messages one of your numbers received, newest first, each with the one-time code (OTP) AgentCall found in it, if any',
				routing: {
					request: { method: 'GET' },
					output: { postReceive: [listItems(toMessage)] },
				},
			},
			{
				name: 'Get Many Conversations',
				value: 'getConversations',
				action: 'Get many SMS conversations',
				description: 'List the SMS conversations of your numbers with their contacts',
				routing: {
					request: { method: 'GET', url: '/v1/sms-conversations' },
					output: { postReceive: [listItems()] },
				},
			},
			{
				name: 'Get Message',
				value: 'getMessage',
				action: 'Get an SMS message',
				description: 'Get one sent or received SMS message by its ID',
				routing: { request: { method: 'GET' } },
			},
			{
				name: 'Reply in Conversation',
				value: 'replyToConversation',
				action: 'Reply in an SMS conversation',
				description:
					'Text the contact of an SMS conversation from its number, e.g. to answer a text an AgentCall trigger relayed. Costs $0.015 per message; contacts who replied STOP are refused.',
			},
			{
				name: 'Send',
				value: 'send',
				action: 'Send an SMS',
				description:
					'Send a text message from one of your AgentCall numbers to a phone number. A real person receives it. Costs $0.015 per message; the Free plan includes 10 a month.',
			},
			{
				name: 'Wait for OTP',
				value: 'waitForOtp',
				action: 'Wait for an OTP code',
				description:
					'Wait up to 60 seconds for a one-time code (OTP) to arrive by SMS at one of your numbers, and output it. Start it right after asking a service to send the code. The Free plan includes 5 code extractions a month.',
			},
		],
		default: 'send',
	},
	...smsSendDescription,
	...smsGetInboxDescription,
	...smsGetMessageDescription,
	...smsWaitForOtpDescription,
	...smsConversationsDescription,
];
