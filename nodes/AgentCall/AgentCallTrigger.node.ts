import type {
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { searchPhoneNumbers } from './resources/phoneNumber/searchPhoneNumbers';
import { AGENTCALL_EVENTS } from './shared/events';
import { receiveDelivery } from './triggers/delivery';
import { getPhoneNumbers } from './triggers/numbers';
import { createRegistration, deleteRegistration, registrationExists } from './triggers/registration';
import { guardHost, MAIN_CONNECTION } from './shared/host';

export class AgentCallTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'AgentCall Trigger',
		name: 'agentCallTrigger',
		icon: { light: 'file:../../icons/agentcall.svg', dark: 'file:../../icons/agentcall.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{[].concat($parameter["events"]).join(", ")}}',
		description: 'Starts the workflow when AgentCall sends an event: SMS, OTP codes, calls, transcripts, recordings',
		defaults: { name: 'AgentCall Trigger' },
		inputs: [],
		outputs: [MAIN_CONNECTION],
		credentials: [{ name: 'agentCallApi', required: true }],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				responseData: 'noData',
				path: 'webhook',
			},
		],
		activationMessage: 'AgentCall now sends the chosen events to this workflow.',
		eventTriggerDescription: 'Waiting for AgentCall to send an event',
		properties: [
			{
				displayName:
					'AgentCall is told about this workflow automatically when it is activated (or while listening for a test event) and forgotten when it is deactivated. Each event becomes one item: event, timestamp and the event\'s fields, e.g. for SMS Received the message ID, numberId, from, to, body, otp and receivedAt; for call events: callId, status, transcript, summary. Repeated deliveries of the same event start the workflow only once.',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				options: AGENTCALL_EVENTS,
				default: ['sms.inbound'],
				description: 'The AgentCall events that start this workflow',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Allow Unprefixed Signature',
						name: 'allowUnprefixedSignature',
						type: 'boolean',
						default: false,
						description:
							'Whether to also accept a signature sent as bare hex, without the "sha256=" prefix AgentCall uses. Leave off unless deliveries are rejected for that reason.',
					},
					{
						displayName: 'Phone Number Names or IDs',
						name: 'numberIds',
						type: 'multiOptions',
						typeOptions: { loadOptionsMethod: 'getPhoneNumbers' },
						default: [],
						description:
							'Only start the workflow for events about these numbers (as the number the event is for, or as its sender or recipient). Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
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

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return await registrationExists.call(this);
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return await createRegistration.call(this);
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return await deleteRegistration.call(this);
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receiveDelivery.call(this);
	}
}
