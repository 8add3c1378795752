import type {
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { agentTriggerProperties } from './triggers/agentProperties';
import { receiveCallOut } from './triggers/callOut';
import { createWiring, deleteWiring, wiringExists } from './triggers/inboundWiring';
import { getPhoneNumbers } from './triggers/numbers';
import { guardHost, MAIN_CONNECTION } from './shared/host';

export class AgentCallAgentTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'AgentCall Phone Agent Trigger',
		name: 'agentCallAgentTrigger',
		icon: { light: 'file:../../icons/agentcall.svg', dark: 'file:../../icons/agentcall.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ {"toolCall": "Tool Call", "callerContext": "Caller Context", "smsRelay": "SMS Relay"}[$parameter["kind"]] }}',
		description: 'Answers an AgentCall number\'s phone agent while the caller waits: tool calls, caller context, relayed texts',
		defaults: { name: 'AgentCall Phone Agent Trigger' },
		inputs: [],
		outputs: [MAIN_CONNECTION],
		credentials: [{ name: 'agentCallApi', required: true }],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				// Tool calls and caller context wait for the run's answer; relayed texts are acknowledged at once.
				responseMode: '={{ $parameter["kind"] === "smsRelay" ? "onReceived" : "lastNode" }}',
				responseData: 'firstEntryJson',
				path: 'webhook',
			},
		],
		activationMessage: 'AgentCall now calls this workflow for the chosen number.',
		eventTriggerDescription: 'Waiting for AgentCall to call out',
		properties: agentTriggerProperties,
	};

	constructor() {
		guardHost(this);
	}

	methods = {
		loadOptions: { getPhoneNumbers },
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return await wiringExists.call(this);
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return await createWiring.call(this);
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return await deleteWiring.call(this);
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receiveCallOut.call(this);
	}
}
