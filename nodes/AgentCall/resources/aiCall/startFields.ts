import type { INodeProperties } from 'n8n-workflow';

import { LANGUAGE_OPTIONS } from '../../shared/catalogue';
import { AI_CALL_TEMPLATE_FIELDS, promptSourceFields } from '../../shared/promptTemplate';
import { defaultCountryOption, guardrailsNotice, showFor, simplifyField, voiceField } from '../../shared/fields';
import { callPartiesFields } from '../call/make';
import { SIMPLE_TRANSCRIPT_TEXT } from './getTranscript';
import { AI_CALL_LIMITS, WAIT_LIMITS } from './startInput';

const displayOptions = showFor('aiCall', ['start']);
const whenWaiting = { show: { '/waitForCompletion': [true] } };

export const aiCallStartDescription: INodeProperties[] = [
	{
		displayName:
			'This places a real phone call: an AI agent talks with the person you call, following your System Prompt. AI voice costs $0.40/min (plus $0.01/min when recorded) and needs the Pro plan with a card on file.',
		name: 'startNotice',
		type: 'notice',
		default: '',
		displayOptions,
	},
	guardrailsNotice(displayOptions),
	...callPartiesFields('aiCall', displayOptions),
	...promptSourceFields(AI_CALL_TEMPLATE_FIELDS, displayOptions),
	{
		displayName: 'System Prompt',
		name: 'systemPrompt',
		type: 'string',
		typeOptions: { rows: 6 },
		default: '',
		placeholder:
			'e.g. You are Ava from Bright Dental. Confirm the appointment on Tuesday at 3 pm, offer Wednesday if it does not suit, and end the call politely.',
		description:
			'Instructions for the AI: who it is, why it calls, what to find out and when to end the call. Required unless Use Saved Agent is on.',
		displayOptions: { show: { ...displayOptions.show, promptSource: ['own'] } },
	},
	voiceField({
		name: 'voice',
		description: 'The voice the AI speaks with. From Template: the template\'s voice unless you pick another than Shimmer.',
		displayOptions,
	}),
	{
		displayName: 'Wait for Completion',
		name: 'waitForCompletion',
		type: 'boolean',
		default: false,
		description:
			'Whether to keep this node running until the call ends, then output one item with the status, transcript, summary and insights. Off: output the new call (ID and status) at once.',
		hint: 'The node checks the call status once per Poll Interval (one API request each) and handles items one after another. To wait without polling and without holding n8n busy, use the AgentCall Wait node (AI Call > Start and Wait).',
		displayOptions,
	},
	{
		displayName: 'Max Wait (Minutes)',
		name: 'maxWaitMinutes',
		type: 'number',
		default: 15,
		typeOptions: { minValue: WAIT_LIMITS.minMaxWaitMinutes, maxValue: WAIT_LIMITS.maxMaxWaitMinutes, numberPrecision: 1 },
		description:
			'How long to wait for the call to end. Past it the node outputs the call with its last status and "timedOut" true; the call itself goes on until it ends or reaches its Max Duration.',
		displayOptions: { show: { ...displayOptions.show, waitForCompletion: [true] } },
	},
	simplifyField(
		{ show: { ...displayOptions.show, waitForCompletion: [true] } },
		`status, from, to, "timedOut", "transcriptAvailable", ${SIMPLE_TRANSCRIPT_TEXT}`,
	),
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions,
		options: [
			{
				displayName: 'First Message',
				name: 'firstMessage',
				type: 'string',
				default: '',
				placeholder: 'e.g. Hi, this is Ava from Bright Dental calling about your appointment.',
				description: 'What the AI says first, word for word, when the call is answered',
			},
			{
				displayName: 'Idempotency Key',
				name: 'idempotencyKey',
				type: 'string',
				default: '',
				placeholder: 'e.g. order-10452-confirmation',
				description:
					'Makes sure one request dials only once: AgentCall answers a repeated key (per From number) with the original call. Without it the node uses a key made from the execution, node, run and item, so Retry On Fail never calls twice; set your own per item (e.g. an order ID from an expression) to call at most once across executions. 1-200 characters.',
			},
			{
				displayName: 'Language',
				name: 'language',
				type: 'options',
				default: 'auto',
				description: 'The language the AI speaks. Auto-Detect follows the language of the person called.',
				options: LANGUAGE_OPTIONS,
			},
			{
				displayName: 'Live Transcript',
				name: 'liveTranscript',
				type: 'boolean',
				default: false,
				description:
					'Whether AgentCall sends each line of speech to your webhooks during the call (Live Transcript Line events, about 1-2 s after it is spoken)',
			},
			{
				displayName: 'Max Duration (Seconds)',
				name: 'maxDurationSecs',
				type: 'number',
				default: 600,
				typeOptions: { minValue: AI_CALL_LIMITS.minMaxDurationSecs, maxValue: AI_CALL_LIMITS.maxMaxDurationSecs },
				description:
					'The AI ends the call after this many seconds (10 to 3600, default 600). It also caps the cost: 600 s of AI voice costs at most $4.',
			},
			{
				displayName: 'Metadata',
				name: 'metadata',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				placeholder: 'Add Metadata Field',
				default: {},
				description:
					'Your own key-value pairs (e.g. a CRM ID), echoed on the call, its webhooks and its transcript. Up to 24 keys, keys up to 64 and values up to 512 characters, 2 KB in all.',
				options: [
					{
						displayName: 'Field',
						name: 'values',
						values: [
							{ displayName: 'Key', name: 'key', type: 'string', default: '', placeholder: 'e.g. crmContactId' },
							{ displayName: 'Value', name: 'value', type: 'string', default: '', placeholder: 'e.g. 0035g00000XyZ' },
						],
					},
				],
			},
			{
				displayName: 'Record',
				name: 'record',
				type: 'boolean',
				default: false,
				description: 'Whether to record the call (+$0.01/min). Get the audio afterwards with Call > Get Recording.',
			},
			{
				displayName: 'Use Saved Agent',
				name: 'useSavedAgent',
				type: 'boolean',
				default: false,
				description:
					'Whether to take the fields left empty here from the outbound agent saved on the From number (prompt, first message, voice, language, max duration). Fields set here win; the default voice (Shimmer) gives way to the saved voice.',
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions,
		options: [
			defaultCountryOption,
			{
				displayName: 'Include Transcript Text',
				name: 'includeTranscriptText',
				type: 'boolean',
				default: false,
				description:
					'Whether to add "transcriptText": the conversation as "AI: …" and "Human: …" lines, ready for an LLM or an email',
				// A simplified result always has it.
				displayOptions: { show: { ...whenWaiting.show, '/simple': [false] } },
			},
			{
				displayName: 'Poll Interval (Seconds)',
				name: 'pollIntervalSeconds',
				type: 'number',
				default: 5,
				typeOptions: { minValue: WAIT_LIMITS.minPollSeconds },
				description: `How often to check whether the call has ended, at least every ${WAIT_LIMITS.minPollSeconds} s. Each check is one API request.`,
				displayOptions: whenWaiting,
			},
		],
	},
];
