import type { INodeProperties } from 'n8n-workflow';

import { returnAllAndLimit, showFor, validateIdParameter } from '../../shared/fields';
import { SMS_MAX_CHARACTERS } from './send';

/**
 * SMS conversations: the threads AgentCall keeps per contact and number (SMS Mode AI or relay).
 * Get Many and Get are routed; Reply runs in code (conversationReply.ts) because it reads the
 * conversation first, to check the recipient against the credential's guardrails.
 */

export const smsConversationsDescription: INodeProperties[] = [
	...returnAllAndLimit(showFor('sms', ['getConversations'])),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: showFor('sms', ['getConversations']),
		options: [
			{
				displayName: 'Phone Number ID',
				name: 'numberId',
				type: 'string',
				default: '',
				placeholder: 'e.g. cmpm572gz0001na01exn8yone',
				description: 'Only the conversations of this one of your numbers (its ID, from Phone Number > Get Many)',
				routing: { send: { type: 'query', property: 'numberId' } },
			},
		],
	},
	{
		displayName: 'Conversation ID',
		name: 'conversationId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. conv_8f2k1c',
		description: 'The ID of the SMS conversation, e.g. from Get Many Conversations or an AgentCall trigger relaying a text',
		displayOptions: showFor('sms', ['getConversation', 'replyToConversation']),
		routing: {
			request: { url: '=/v1/sms-conversations/{{ encodeURIComponent(String($value).trim()) }}' },
			send: { preSend: [validateIdParameter('conversationId', 'Conversation ID')] },
		},
	},
	{
		displayName: 'Reply Message',
		name: 'replyMessage',
		type: 'string',
		default: '',
		required: true,
		typeOptions: { rows: 4 },
		placeholder: 'e.g. Thanks! Your appointment is confirmed for Tuesday at 3 pm.',
		description: `Text of the reply, at most ${SMS_MAX_CHARACTERS} characters. It goes to the contact of the conversation, from the number the conversation is on.`,
		hint: 'A real person receives this text. Each message costs $0.015. Contacts who replied STOP are refused.',
		displayOptions: showFor('sms', ['replyToConversation']),
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: showFor('sms', ['replyToConversation']),
		options: [
			{
				displayName: 'Idempotency Key',
				name: 'idempotencyKey',
				type: 'string',
				default: '',
				placeholder: 'e.g. ticket-10452-reply-1',
				description:
					'Makes sure one reply is sent only once: AgentCall answers a repeated key (for 24 hours) with the original reply. Without it the node uses a key made from the execution, node, run, item and conversation, so Retry On Fail never texts twice; set your own (e.g. from the relayed message ID) to send at most once across executions. 1-200 characters.',
			},
		],
	},
];
