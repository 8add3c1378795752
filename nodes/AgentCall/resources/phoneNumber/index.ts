import type { INodeProperties } from 'n8n-workflow';

import { listItems } from '../../shared/routing';

import { agentPromptFields } from './agentFields';
import { phoneNumberGetDescription } from './get';
import { phoneNumberGetManyDescription } from './getAll';
import { inboundAiDescription, inboundAiGetRouting, inboundAiRemoveRouting } from './inboundAi';
import { outboundDefaultsDescription, outboundDefaultsRemoveRouting } from './outboundDefaults';
import { phoneNumberProvisionDescription } from './provision';
import { phoneNumberReleaseDescription, phoneNumberReleaseOutput } from './release';
import { phoneNumberUpdateDescription, requireUpdateField } from './update';

const showOnlyForPhoneNumbers = { show: { resource: ['phoneNumber'] } };

export const phoneNumberDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: showOnlyForPhoneNumbers,
		options: [
			{
				name: 'Get',
				value: 'get',
				action: 'Get a phone number',
				description: 'Get one of your phone numbers with its inbound and outbound settings',
				routing: { request: { method: 'GET' } },
			},
			{
				name: 'Get Inbound AI',
				value: 'getInboundAi',
				action: 'Get inbound AI of a number',
				description: 'Get how the AI agent answers calls and texts to one of your numbers (webhook secrets are not shown)',
				routing: inboundAiGetRouting,
			},
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many phone numbers',
				description: 'List the phone numbers on your AgentCall account',
				routing: {
					request: { method: 'GET', url: '/v1/numbers' },
					output: { postReceive: [listItems()] },
				},
			},
			{
				name: 'Get Outbound Defaults',
				value: 'getOutboundDefaults',
				action: 'Get outbound defaults of a number',
				description: 'Get the outbound AI agent saved on a number, which AI calls with Use Saved Agent take their settings from',
			},
			{
				name: 'Provision',
				value: 'provision',
				action: 'Provision a phone number',
				description:
					'Buy a new phone number (US or Canada) that can send and receive SMS and calls. Costs a monthly fee ($2-$8 depending on type) until released.',
				routing: { request: { method: 'POST', url: '/v1/numbers/provision' } },
			},
			{
				name: 'Release',
				value: 'release',
				action: 'Release a phone number',
				description:
					'Permanently give up a phone number and stop its billing. Irreversible: the number cannot be provisioned again.',
				routing: { request: { method: 'DELETE' }, output: phoneNumberReleaseOutput },
			},
			{
				name: 'Remove Inbound AI',
				value: 'removeInboundAi',
				action: 'Remove inbound AI of a number',
				description: 'Turn off the AI agent that answers a number: incoming calls then hang up at the carrier',
				routing: inboundAiRemoveRouting,
			},
			{
				name: 'Remove Outbound Defaults',
				value: 'removeOutboundDefaults',
				action: 'Remove outbound defaults of a number',
				description: 'Delete the outbound AI agent saved on a number',
				routing: outboundDefaultsRemoveRouting,
			},
			{
				name: 'Set Inbound AI',
				value: 'setInboundAi',
				action: 'Set inbound AI of a number',
				description:
					'Set up the AI agent that answers calls (and optionally texts) to a number: prompt, voice, language, notifications, SMS mode, allowed senders. Updates only the given fields, or replaces the whole setup.',
			},
			{
				name: 'Set Outbound Defaults',
				value: 'setOutboundDefaults',
				action: 'Set outbound defaults of a number',
				description: 'Save an outbound AI agent on a number (prompt, voice, language, first message) for AI calls with Use Saved Agent',
			},
			{
				name: 'Update',
				value: 'update',
				action: 'Update a phone number',
				description: "Change a number's label, or the voice and language of its inbound AI",
				routing: { request: { method: 'PATCH' }, send: { preSend: [requireUpdateField] } },
			},
		],
		default: 'getAll',
	},
	...phoneNumberProvisionDescription,
	...phoneNumberGetManyDescription,
	...phoneNumberReleaseDescription,
	...phoneNumberGetDescription,
	...phoneNumberUpdateDescription,
	...inboundAiDescription,
	...agentPromptFields,
	...outboundDefaultsDescription,
];
