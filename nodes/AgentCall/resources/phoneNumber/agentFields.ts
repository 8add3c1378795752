import type { IDataObject, IExecuteFunctions, INodeProperties, NodeOperationError } from 'n8n-workflow';

import { LANGUAGE_OPTIONS } from '../../shared/catalogue';
import type { InputCheckContext } from '../../shared/fields';
import { inputError, requireId, showFor, voiceField } from '../../shared/fields';
import { NUMBER_TEMPLATE_FIELDS, promptSourceFields } from '../../shared/promptTemplate';
import { AI_CALL_LIMITS, readMaxDuration } from '../aiCall/startInput';

/**
 * What the AI agents of a number share, inbound (Set Inbound AI) and outbound (Set Outbound
 * Defaults): the prompt (own or from a template) and the voice settings.
 */

const setOperations = showFor('phoneNumber', ['setInboundAi', 'setOutboundDefaults']);

export const agentPromptFields: INodeProperties[] = [
	...promptSourceFields(NUMBER_TEMPLATE_FIELDS, setOperations),
	{
		displayName: 'System Prompt',
		name: 'agentSystemPrompt',
		type: 'string',
		typeOptions: { rows: 6 },
		default: '',
		placeholder: 'e.g. You are Ava, the receptionist of Bright Dental. Answer questions about opening hours and book appointments.',
		description:
			'Instructions for the AI agent of this number: who it is, what it may do and when to end the call. Needed to set up inbound AI or saved defaults; with Update Only Given Fields, empty keeps the stored prompt.',
		displayOptions: { show: { ...setOperations.show, [NUMBER_TEMPLATE_FIELDS.source]: ['own'] } },
	},
];

/** Voice, language, first message, max duration and recording: the settings both agents have. */
export function agentVoiceOptions(direction: 'inbound' | 'outbound'): INodeProperties[] {
	const who = direction === 'inbound' ? 'the caller' : 'the person called';
	return [
		{
			displayName: 'First Message',
			name: 'firstMessage',
			type: 'string',
			default: '',
			placeholder: direction === 'inbound' ? 'e.g. Thanks for calling Bright Dental, this is Ava. How can I help?' : 'e.g. Hi, this is Ava from Bright Dental.',
			description: `What the AI says first, word for word, when ${direction === 'inbound' ? 'it answers' : 'the call is answered'}. From Template: the template's first message unless you set one.`,
		},
		{
			displayName: 'Language',
			name: 'language',
			type: 'options',
			default: 'auto',
			description: `The language the AI speaks. Auto-Detect follows ${who}.`,
			options: LANGUAGE_OPTIONS,
		},
		{
			displayName: 'Max Duration (Seconds)',
			name: 'maxDurationSecs',
			type: 'number',
			default: 600,
			typeOptions: { minValue: AI_CALL_LIMITS.minMaxDurationSecs, maxValue: AI_CALL_LIMITS.maxMaxDurationSecs },
			description: 'The AI ends a call after this many seconds (10 to 3600, default 600); it also caps the cost of a call',
		},
		{
			displayName: 'Record',
			name: 'record',
			type: 'boolean',
			default: false,
			description: 'Whether to record the calls (Pro plan, +$0.01/min). A recording notice is added to the first message.',
		},
		voiceField({ name: 'voice', description: "The voice the AI speaks with. From Template: the template's voice unless you set one." }),
	];
}

export function siteOf(context: IExecuteFunctions, itemIndex: number): InputCheckContext {
	return { getNode: () => context.getNode(), getItemIndex: () => itemIndex };
}

/** The number ID of a Phone Number operation run in code. */
export function readNumberId(context: IExecuteFunctions, itemIndex: number): string {
	return requireId(siteOf(context, itemIndex), 'Phone Number', context.getNodeParameter('numberId', itemIndex, '', { extractValue: true }));
}

/** The agent's own System Prompt (empty when it comes from a template or is not given). */
export function readAgentSystemPrompt(context: IExecuteFunctions, itemIndex: number): string {
	if (context.getNodeParameter(NUMBER_TEMPLATE_FIELDS.source, itemIndex, 'own') === 'template') return '';
	const value = context.getNodeParameter('agentSystemPrompt', itemIndex, '') as unknown;
	return typeof value === 'string' ? value.trim() : value === undefined || value === null ? '' : String(value).trim();
}

/** The voice settings given in a collection, checked, as AgentCall's body fields. */
export function readAgentVoiceOptions(site: InputCheckContext, fields: IDataObject): IDataObject {
	const body: IDataObject = {};
	if (typeof fields.firstMessage === 'string' && fields.firstMessage.trim() !== '') body.firstMessage = fields.firstMessage.trim();
	if (fields.language !== undefined && fields.language !== '') body.language = String(fields.language);
	if (fields.maxDurationSecs !== undefined) body.maxDurationSecs = readMaxDuration(site, fields.maxDurationSecs);
	if (fields.record !== undefined) body.record = fields.record === true;
	if (fields.voice !== undefined) {
		const voice = String(fields.voice ?? '').trim();
		if (!/^[\w.-]{1,64}$/.test(voice)) {
			throw inputError(site, `"Voice" is not valid: ${JSON.stringify(fields.voice)}`, 'Pick a voice from the list, or give a voice ID such as shimmer.');
		}
		body.voice = voice;
	}
	return body;
}

/** The prompt is what the agent cannot do without: say so before anything is sent. */
export function missingPromptError(site: InputCheckContext, what: string): NodeOperationError {
	return inputError(
		site,
		`"System Prompt" is empty - ${what} needs instructions for the AI`,
		'Write the System Prompt, or set Prompt Source to From Template and pick a template.',
	);
}
