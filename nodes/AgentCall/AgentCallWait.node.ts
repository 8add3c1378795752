import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { searchPhoneNumbers } from './resources/phoneNumber/searchPhoneNumbers';
import { startAndPark } from './resources/aiCall/start';
import { aiCallStartAndWaitDescription } from './resources/aiCall/startAndWaitFields';
import { smsSendDescription } from './resources/sms/send';
import { sendAndWaitForReply, smsSendAndWaitDescription } from './resources/sms/sendAndWaitForReply';
import { restartWebhooks, resumeWaitingExecution } from './shared/resume';
import { requireCustomData } from './shared/waitHooks';
import { guardHost, MAIN_CONNECTION } from './shared/host';

/**
 * Waits that cost nothing: the execution is parked (n8n's waiting executions) and resumed at its
 * resume URL by AgentCall's delivery of the awaited event (shared/resume.ts).
 *
 * A node of its own, not operations of the AgentCall node: n8n-core runs a declarative node that
 * has a `webhook()` method like a webhook node, without its input items for expressions
 * (WorkflowExecute.prepareConnectionInputData), so a restart webhook on the AgentCall node would
 * break `{{ $json.… }}` in every routed operation.
 */

const SMS_FIELDS = new Set(['guardrailsNotice', 'smsFrom', 'smsTo', 'message']);

export class AgentCallWait implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'AgentCall Wait',
		name: 'agentCallWait',
		icon: { light: 'file:../../icons/agentcall.svg', dark: 'file:../../icons/agentcall.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Text a person and pause until they answer, or start an AI call and pause until it ends; the workflow waits without using n8n',
		defaults: { name: 'AgentCall Wait' },
		// n8n's verification wants every node offered as a tool; as one it refuses to run (see execute).
		usableAsTool: true,
		inputs: [MAIN_CONNECTION],
		outputs: [MAIN_CONNECTION],
		credentials: [{ name: 'agentCallApi', required: true }],
		// Only the resume URL of the executions this node parks: n8n owns it, so there is no remote
		// webhook lifecycle (webhookMethods) to implement; each wait registers and removes its
		// AgentCall webhook itself (shared/waitHooks.ts).
		webhooks: restartWebhooks,
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'AI Call', value: 'aiCall' },
					{ name: 'SMS', value: 'sms' },
				],
				default: 'sms',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['sms'] } },
				options: [
					{
						name: 'Send and Wait for Reply',
						value: 'sendAndWaitForReply',
						action: 'Send an SMS and wait for the reply',
						description:
							'Text a person and pause the workflow until they answer (e.g. YES or NO to approve), or until a time limit. The execution waits without using n8n, survives restarts, and continues with the reply.',
					},
				],
				default: 'sendAndWaitForReply',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['aiCall'] } },
				options: [
					{
						name: 'Start and Wait',
						value: 'startAndWait',
						action: 'Start an AI call and wait for it to end',
						description:
							'Have an AI agent phone a person, pause the workflow until the call ends, then continue with the transcript and summary. No polling; the execution waits without using n8n.',
					},
				],
				default: 'startAndWait',
			},
			{
				displayName:
					'AgentCall delivers the answer to this n8n, so n8n must be reachable from the internet (WEBHOOK_URL). On localhost or behind a firewall, use the AgentCall node instead (SMS > Wait for OTP, AI Call > Start with Wait for Completion).',
				name: 'reachabilityNotice',
				type: 'notice',
				default: '',
			},
			...smsSendDescription.filter((property) => SMS_FIELDS.has(property.name)),
			...smsSendAndWaitDescription,
			...aiCallStartAndWaitDescription,
		],
	};

	constructor() {
		guardHost(this);
	}

	methods = {
		listSearch: { searchPhoneNumbers },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		if (this.getNode().type.endsWith('Tool')) {
			// A tool call answers the model within its turn; it cannot park the agent's execution for hours.
			throw new NodeOperationError(this.getNode(), 'AgentCall Wait cannot run as an AI Agent tool: a tool call cannot wait hours for a person', {
				description:
					"Give the agent the AgentCall node's tools instead (SMS › Send, Get Inbox, Wait for OTP; AI Call › Start with Wait for Completion), or place AgentCall Wait after the AI Agent in the workflow.",
			});
		}
		requireCustomData(this);
		const resource = this.getNodeParameter('resource', 0) as string;
		const operation = this.getNodeParameter('operation', 0) as string;
		if (resource === 'sms' && operation === 'sendAndWaitForReply') return await sendAndWaitForReply.call(this);
		if (resource === 'aiCall' && operation === 'startAndWait') return await startAndPark(this);
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not known`);
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await resumeWaitingExecution.call(this);
	}
}
