import type { IDataObject, IHookFunctions, INodeProperties, IWebhookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/**
 * The Phone Agent Trigger's parameters, and the declared tools turned into the OpenAI-style
 * `{ name, description, parameters }` JSON schema AgentCall stores on the number.
 */

export type AgentKind = 'toolCall' | 'callerContext' | 'smsRelay';

/** AgentCall's limits (agentcall-api.md §13.1, §13.2). */
export const MAX_TOOLS = 8;
export const TOOL_BUDGET_MS = 8_000;
export const CONTEXT_TIMEOUT_DEFAULT_MS = 800;
export const CONTEXT_TIMEOUT_MAX_MS = 1_500;

/** OpenAI's function and argument names: what the model can call. */
const NAME_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

const PARAMETER_TYPES = ['string', 'number', 'integer', 'boolean'] as const;

export interface ToolSchema extends IDataObject {
	name: string;
	description: string;
	parameters: { type: 'object'; properties: IDataObject; required: string[] };
}

const forKind = (kind: AgentKind) => ({ show: { kind: [kind] } });

export const agentTriggerProperties: INodeProperties[] = [
	{
		displayName:
			'On activation this trigger wires itself into the chosen number\'s inbound AI (its URL, a signing secret it makes, and the declared tools) and on deactivation removes exactly that; the rest of the number\'s setup stays as it is. The number needs an inbound AI setup first.',
		name: 'notice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Phone Number Name or ID',
		name: 'agentNumberId',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getPhoneNumbers' },
		required: true,
		default: '',
		description:
			'The AgentCall number whose phone agent this workflow serves. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	{
		displayName: 'Kind',
		name: 'kind',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Tool Call',
				value: 'toolCall',
				description: 'The phone agent calls a tool declared below while the caller waits; the workflow answers with the result',
			},
			{
				name: 'Caller Context',
				value: 'callerContext',
				description: 'Before an inbound call connects, the workflow answers with text about the caller for the agent\'s prompt',
			},
			{
				name: 'SMS Relay',
				value: 'smsRelay',
				description: 'Each inbound text on the number starts the workflow; reply with Reply in Conversation',
			},
		],
		default: 'toolCall',
	},
	{
		displayName:
			'The workflow gets { tool, args, context } (args: the arguments the model chose) and its last node\'s first item is the answer: its "result" field, or the whole item as JSON text. Branch on "tool" to serve several tools.',
		name: 'toolCallNotice',
		type: 'notice',
		default: '',
		displayOptions: forKind('toolCall'),
	},
	{
		displayName: 'Tools',
		name: 'tools',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Tool',
		default: {},
		description: 'The tools the phone agent may call (at most 8 per number, together with tools declared elsewhere)',
		displayOptions: forKind('toolCall'),
		options: [
			{
				displayName: 'Tool',
				name: 'tool',
				values: [
					{
						displayName: 'Name',
						name: 'name',
						type: 'string',
						default: '',
						placeholder: 'check_calendar',
						description: 'What the model calls the tool: letters, digits, _ and -',
					},
					{
						displayName: 'Description',
						name: 'description',
						type: 'string',
						typeOptions: { rows: 2 },
						default: '',
						placeholder: 'Finds free appointment slots on a given day',
						description: 'What the tool does and when to use it; the model reads this',
					},
					{
						displayName: 'Parameters',
						name: 'parameters',
						type: 'fixedCollection',
						typeOptions: { multipleValues: true },
						placeholder: 'Add Parameter',
						default: {},
						options: [
							{
								displayName: 'Parameter',
								name: 'parameter',
								values: [
									{
										displayName: 'Name',
										name: 'name',
										type: 'string',
										default: '',
										placeholder: 'date',
									},
									{
										displayName: 'Type',
										name: 'type',
										type: 'options',
										options: [
											{ name: 'Boolean', value: 'boolean' },
											{ name: 'Integer', value: 'integer' },
											{ name: 'Number', value: 'number' },
											{ name: 'String', value: 'string' },
										],
										default: 'string',
									},
									{
										displayName: 'Description',
										name: 'description',
										type: 'string',
										default: '',
										placeholder: 'The day, as YYYY-MM-DD',
										description: 'What the model should put here',
									},
									{
										displayName: 'Required',
										name: 'required',
										type: 'boolean',
										default: true,
										description: 'Whether the model must always give this parameter',
									},
								],
							},
						],
					},
				],
			},
		],
	},
	{
		displayName:
			'The workflow gets { callerPhone, numberId, callId, timestamp } and its last node\'s first item is the answer: its "contextBlock" field, or the whole item as JSON text. A workflow that is too slow or fails is answered with an empty context in time.',
		name: 'callerContextNotice',
		type: 'notice',
		default: '',
		displayOptions: forKind('callerContext'),
	},
	{
		displayName: 'Timeout (Ms)',
		name: 'contextTimeoutMs',
		type: 'number',
		typeOptions: { minValue: 100, maxValue: CONTEXT_TIMEOUT_MAX_MS },
		default: CONTEXT_TIMEOUT_DEFAULT_MS,
		description:
			'How long AgentCall waits for the context before connecting the call without it (at most 1,500). The trigger answers a little before this with an empty context when the workflow is not done.',
		displayOptions: forKind('callerContext'),
	},
	{
		displayName:
			'Each inbound text starts the workflow with message, conversation, contact and context, and AgentCall gets its 200 at once. Answer with the AgentCall node\'s Reply in Conversation. Repeated pushes of the same message start the workflow only once.',
		name: 'smsRelayNotice',
		type: 'notice',
		default: '',
		displayOptions: forKind('smsRelay'),
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: forKind('toolCall'),
		options: [
			{
				displayName: 'Answer When Too Slow',
				name: 'fallbackResult',
				type: 'string',
				default: 'The tool did not answer in time. Tell the caller you cannot check this right now.',
				description:
					'The result the phone agent gets when the workflow fails or has not finished shortly before AgentCall\'s 8-second limit',
			},
		],
	},
];

export function agentKind(this: IHookFunctions | IWebhookFunctions): AgentKind {
	const kind = this.getNodeParameter('kind', 'toolCall') as string;
	return kind === 'callerContext' || kind === 'smsRelay' ? kind : 'toolCall';
}

export function agentNumberId(this: IHookFunctions | IWebhookFunctions): string {
	const raw = this.getNodeParameter('agentNumberId', '') as unknown;
	const value = raw && typeof raw === 'object' ? (raw as IDataObject).value : raw;
	const id = String(value ?? '').trim();
	if (!id) throw new NodeOperationError(this.getNode(), 'Choose the phone number this trigger serves', { description: 'Pick it under "Phone Number".' });
	return id;
}

export function contextTimeoutMs(this: IHookFunctions | IWebhookFunctions): number {
	const value = Number(this.getNodeParameter('contextTimeoutMs', CONTEXT_TIMEOUT_DEFAULT_MS));
	if (!Number.isFinite(value)) return CONTEXT_TIMEOUT_DEFAULT_MS;
	return Math.min(CONTEXT_TIMEOUT_MAX_MS, Math.max(100, Math.round(value)));
}

function list(value: unknown, key: string): IDataObject[] {
	const entries = value && typeof value === 'object' ? (value as IDataObject)[key] : undefined;
	return Array.isArray(entries) ? (entries as IDataObject[]) : [];
}

/** The declared tools as JSON schema; a clear error for a name the model could not call. */
export function declaredTools(this: IHookFunctions | IWebhookFunctions): ToolSchema[] {
	const node = this.getNode();
	const tools: ToolSchema[] = [];
	for (const [index, entry] of list(this.getNodeParameter('tools', {}), 'tool').entries()) {
		const name = String(entry.name ?? '').trim();
		const where = `Tool ${index + 1}${name ? ` ("${name}")` : ''}`;
		if (!NAME_PATTERN.test(name)) {
			throw new NodeOperationError(node, `${where} needs a name of letters, digits, _ or - (at most 64)`, {
				description: 'The phone agent\'s model calls the tool by this name, e.g. check_calendar.',
			});
		}
		if (tools.some((tool) => tool.name === name)) {
			throw new NodeOperationError(node, `Two tools are called "${name}"`, { description: 'Give each tool its own name.' });
		}
		const description = String(entry.description ?? '').trim();
		if (!description) {
			throw new NodeOperationError(node, `${where} needs a description`, { description: 'The model decides when to call a tool from its description.' });
		}
		const properties: IDataObject = {};
		const required: string[] = [];
		for (const parameter of list(entry.parameters, 'parameter')) {
			const parameterName = String(parameter.name ?? '').trim();
			if (!NAME_PATTERN.test(parameterName) || parameterName in properties) {
				throw new NodeOperationError(node, `${where} has a parameter without a valid, unique name ("${parameterName}")`, {
					description: 'Parameter names are letters, digits, _ or -, each used once per tool.',
				});
			}
			const type = PARAMETER_TYPES.find((known) => known === parameter.type) ?? 'string';
			const text = String(parameter.description ?? '').trim();
			properties[parameterName] = text ? { type, description: text } : { type };
			if (parameter.required !== false) required.push(parameterName);
		}
		tools.push({ name, description, parameters: { type: 'object', properties, required } });
	}
	if (!tools.length) {
		throw new NodeOperationError(node, 'Declare at least one tool', { description: 'Add the tools the phone agent may call under "Tools".' });
	}
	if (tools.length > MAX_TOOLS) {
		throw new NodeOperationError(node, `AgentCall takes at most ${MAX_TOOLS} tools per number; ${tools.length} are declared`);
	}
	return tools;
}
