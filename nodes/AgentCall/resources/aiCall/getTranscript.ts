import type {
	IDataObject,
	IExecuteSingleFunctions,
	IN8nHttpFullResponse,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { showFor, simplifyField } from '../../shared/fields';
import { simplifyItems } from '../../shared/routing';
import type { TranscriptEntry } from '../../shared/shapes';
import { simpleTranscript, toTranscript, transcriptAsText } from '../../shared/shapes';
import { isObject } from '../call/callApi';
import { callIdField } from '../call/callId';

const displayOptions = showFor('aiCall', ['getTranscript']);

/** What a simplified transcript keeps (Get Transcript; Start adds the call's status, from and to). */
export const SIMPLE_TRANSCRIPT_TEXT =
	'call ID, duration, summary, insights and the conversation as "transcriptText" lines ("AI: …", "Human: …") instead of "entries" objects';

/**
 * postReceive: one item in the stable transcript shape, whichever of the two shapes AgentCall
 * answered with. Other fields of the answer (metadata, peerCallId, …) pass through.
 */
async function toTranscriptItem(
	this: IExecuteSingleFunctions,
	_items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
): Promise<INodeExecutionData[]> {
	const callId = String(this.getNodeParameter('aiCallId', '')).trim();
	if (Number(response.statusCode) === 202) {
		throw new NodeOperationError(this.getNode(), `The transcript of call "${callId}" is not ready yet`, {
			itemIndex: this.getItemIndex(),
			description:
				'AgentCall writes the transcript when an AI call has ended. Run this again once the call is over, or use AI Call > Start with Wait for Completion, or an AgentCall Trigger on "Call Transcript Ready".',
		});
	}
	const body = isObject(response.body) ? response.body : {};
	const rest: IDataObject = { ...body };
	for (const replaced of ['entries', 'transcript', 'summary']) delete rest[replaced];
	const json: IDataObject = { ...rest, ...toTranscript(body, callId) };
	const options = this.getNodeParameter('options', {}) as IDataObject;
	if (options.includeTranscriptText === true) json.transcriptText = transcriptAsText(json.entries as TranscriptEntry[]);
	return [{ json }];
}

export const aiCallGetTranscriptDescription: INodeProperties[] = [
	callIdField('aiCallId', displayOptions, { urlSuffix: '/transcript', postReceive: [toTranscriptItem] }),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions,
		options: [
			{
				displayName: 'Include Transcript Text',
				name: 'includeTranscriptText',
				type: 'boolean',
				default: false,
				description:
					'Whether to add "transcriptText": the conversation as "AI: …" and "Human: …" lines, ready for an LLM or an email',
				// A simplified transcript always has it.
				displayOptions: { show: { '/simple': [false] } },
			},
		],
	},
	// After the Call ID: its postReceive (toTranscriptItem) builds the full transcript item first.
	simplifyField(displayOptions, SIMPLE_TRANSCRIPT_TEXT, simplifyItems(simpleTranscript)),
];
