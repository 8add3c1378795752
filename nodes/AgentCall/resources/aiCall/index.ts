import type { INodeProperties } from 'n8n-workflow';

import { aiCallGetTranscriptDescription } from './getTranscript';
import { aiCallStartDescription } from './startFields';

const showOnlyForAiCalls = { show: { resource: ['aiCall'] } };

/** AI voice calls. Start runs in code (`customOperations` in the node). */
export const aiCallDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: showOnlyForAiCalls,
		options: [
			{
				name: 'Get Transcript',
				value: 'getTranscript',
				action: 'Get the transcript of an AI call',
				description:
					'Get what was said in an ended AI call, line by line (role "ai" or "human"), with a summary and insights such as intent, urgency and callback time',
				routing: { request: { method: 'GET' } },
			},
			{
				name: 'Start',
				value: 'start',
				action: 'Start an AI call',
				description:
					'Have an AI agent phone a real person and hold a conversation following your instructions, e.g. to confirm an appointment or qualify a lead. Costs $0.40/min of AI voice (Pro plan with a card). Optionally waits for the call to end and returns the transcript and summary.',
			},
		],
		default: 'start',
	},
	...aiCallStartDescription,
	...aiCallGetTranscriptDescription,
];
