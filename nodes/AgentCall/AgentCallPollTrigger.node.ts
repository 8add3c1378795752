import type { INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';

import { searchPhoneNumbers } from './resources/phoneNumber/searchPhoneNumbers';
import { defaultCountryOption, phoneNumberLocator } from './shared/fields';
import { pollInboxes } from './triggers/inboxPoll';
import { getPhoneNumbers } from './triggers/numbers';
import { guardHost, MAIN_CONNECTION } from './shared/host';

export class AgentCallPollTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'AgentCall SMS Trigger',
		name: 'agentCallPollTrigger',
		icon: { light: 'file:../../icons/agentcall.svg', dark: 'file:../../icons/agentcall.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ $parameter["watch"] === "all" ? "All numbers" : $parameter["watch"] === "numbers" ? "Several numbers" : "One number" }}',
		description: 'Starts the workflow when an AgentCall number receives an SMS, checking the inbox on a schedule',
		defaults: { name: 'AgentCall SMS Trigger' },
		polling: true,
		inputs: [],
		outputs: [MAIN_CONNECTION],
		credentials: [{ name: 'agentCallApi', required: true }],
		hints: [
			{
				message:
					'More than 100 numbers: AgentCall allows 100 requests a minute per API key, so a poll of every inbox takes more than a minute and holds up other workflows using the key. Poll less often, or use the AgentCall Trigger (webhooks).',
				type: 'warning',
				location: 'ndv',
				whenToDisplay: 'always',
				displayCondition: '={{ $parameter["watch"] === "numbers" && ($parameter["numberIds"] || []).length > 100 }}',
			},
		],
		properties: [
			{
				displayName:
					'Each new SMS becomes one item in a fixed shape: the message ID, numberId, from, to, body, otp (empty when the message has no code) and receivedAt. When the workflow is activated, messages already in the inbox are recorded, not reported. For instant delivery, use the AgentCall Trigger (webhooks) instead.',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Watch',
				name: 'watch',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'All Numbers',
						value: 'all',
						description: 'Every number on the account, including numbers added later',
					},
					{ name: 'One Number', value: 'number', description: 'A single AgentCall number' },
					{ name: 'Several Numbers', value: 'numbers', description: 'A chosen set of AgentCall numbers' },
				],
				default: 'number',
				description: 'Which inboxes to check for new messages',
				hint: 'Each poll reads one inbox per watched number. AgentCall allows 100 requests a minute per API key, shared by every workflow using it: the reads wait for that budget, and the n8n log warns when the numbers need more than one poll interval allows.',
			},
			phoneNumberLocator({
				name: 'numberId',
				displayName: 'Phone Number',
				description: 'The number whose inbox to watch',
				displayOptions: { show: { watch: ['number'] } },
			}),
			{
				displayName: 'Phone Number Names or IDs',
				name: 'numberIds',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'getPhoneNumbers' },
				required: true,
				default: [],
				description:
					'The numbers whose inboxes to watch. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
				displayOptions: { show: { watch: ['numbers'] } },
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{ ...defaultCountryOption, description: 'Country used for Sender numbers entered without a country code' },
					{
						displayName: 'OTP Only',
						name: 'otpOnly',
						type: 'boolean',
						default: false,
						description: 'Whether to trigger only on messages that contain a one-time code (OTP)',
					},
					{
						displayName: 'Sender',
						name: 'senders',
						type: 'string',
						default: '',
						placeholder: 'e.g. +14155551234, Google',
						description:
							'Trigger only on messages from these senders: phone numbers in any format or sender names, separated by commas. Other messages are skipped for good.',
					},
					{
						displayName: 'Sender Match',
						name: 'senderMatch',
						type: 'options',
						options: [
							{ name: 'Contains', value: 'contains', description: 'The sender contains one of the values, e.g. 555 or Bank' },
							{ name: 'Is Exactly', value: 'is', description: 'The sender is one of the values; phone numbers are compared in E.164' },
						],
						default: 'is',
						description: 'How Sender is compared with the sender of a message',
					},
				],
			},
		],
	};

	constructor() {
		guardHost(this);
	}

	methods = {
		listSearch: { searchPhoneNumbers },
		loadOptions: { getPhoneNumbers },
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollInboxes.call(this);
	}
}
