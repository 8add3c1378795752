import type { INodeProperties } from 'n8n-workflow';

import { listItems } from '../../shared/routing';
import { toMessage } from '../../shared/shapes';

import { smsGetInboxDescription } from './getInbox';
import { smsGetMessageDescription } from './getMessage';
import { smsSendDescription, smsSendRouting } from './send';
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
				name: 'Get Message',
				value: 'getMessage',
				action: 'Get an SMS message',
				description: 'Get one sent or received SMS message by its ID',
				routing: { request: { method: 'GET' } },
			},
			{
				name: 'Send',
				value: 'send',
				action: 'Send an SMS',
				description:
					'Send a text message from one of your AgentCall numbers to a phone number. A real person receives it. Costs $0.015 per message; the Free plan includes 10 a month.',
				routing: smsSendRouting,
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
];
