import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { unexpectedAnswerError } from '../../shared/errors';
import { requireBinaryFieldName, showFor, voiceField } from '../../shared/fields';
import { runPerItem } from '../../shared/items';
import { agentCallRequest } from '../../shared/transport';
import { LANGUAGE_OPTIONS } from '../../shared/catalogue';

/**
 * Speech > Generate: `POST /v1/tts` answers with the audio bytes themselves, which become n8n
 * binary data. It runs in code because a declarative route cannot hand raw bytes to a binary field.
 */

const displayOptions = showFor('speech', ['generate']);

/** AgentCall's documented limit per request. */
export const SPEECH_MAX_CHARACTERS = 4096;

const FORMATS = {
	mp3: { mimeType: 'audio/mpeg', extension: 'mp3' },
	wav: { mimeType: 'audio/wav', extension: 'wav' },
} as const;

type SpeechFormat = keyof typeof FORMATS;

export const speechGenerateDescription: INodeProperties[] = [
	{
		displayName: 'Text',
		name: 'speechText',
		type: 'string',
		default: '',
		required: true,
		typeOptions: { rows: 4 },
		placeholder: 'e.g. Hello, this is Bright Dental. Your appointment is confirmed for Tuesday at 3 pm.',
		description: `The text to speak, 1 to ${SPEECH_MAX_CHARACTERS} characters. Costs $0.03 per 1,000 characters (Pro plan).`,
		displayOptions,
	},
	voiceField({ name: 'speechVoice', description: 'The voice that speaks the text.', displayOptions }),
	{
		displayName: 'Format',
		name: 'speechFormat',
		type: 'options',
		default: 'mp3',
		description: 'The audio file format',
		options: [
			{ name: 'MP3', value: 'mp3', description: 'Small files (audio/mpeg), for email, chat and most players' },
			{ name: 'WAV', value: 'wav', description: 'Uncompressed audio (audio/wav), for editing or telephony systems' },
		],
		displayOptions,
	},
	{
		displayName: 'Put Output File in Field',
		name: 'speechBinaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the output binary field to put the file in',
		displayOptions,
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions,
		options: [
			{
				displayName: 'File Name',
				name: 'fileName',
				type: 'string',
				default: '',
				placeholder: 'e.g. appointment-reminder.mp3',
				description: 'Name of the output file. Empty: speech.mp3 or speech.wav. The format\'s extension is added when missing.',
			},
			{
				displayName: 'Language',
				name: 'language',
				type: 'options',
				default: 'auto',
				description: 'The language of the text. Auto-Detect reads it from the text.',
				options: LANGUAGE_OPTIONS,
			},
		],
	},
];

function checkedText(context: IExecuteFunctions, itemIndex: number): string {
	const raw = context.getNodeParameter('speechText', itemIndex, '') as unknown;
	const text = typeof raw === 'string' ? raw : typeof raw === 'number' ? String(raw) : '';
	if (text.trim() === '') {
		throw new NodeOperationError(context.getNode(), '"Text" is empty - enter the text to speak', {
			itemIndex,
			description: 'If the text comes from an expression, check that the field it reads exists in this item.',
		});
	}
	// Code points, as a person counts them (an emoji is one character).
	const count = Array.from(text).length;
	if (count > SPEECH_MAX_CHARACTERS) {
		throw new NodeOperationError(
			context.getNode(),
			`"Text" is too long: ${count} characters - AgentCall speaks at most ${SPEECH_MAX_CHARACTERS} per request`,
			{
				itemIndex,
				description: `Shorten the text by ${count - SPEECH_MAX_CHARACTERS} characters, or split it over several items. Nothing was sent.`,
			},
		);
	}
	return text;
}

function fileNameOf(option: unknown, format: SpeechFormat): string {
	const { extension } = FORMATS[format];
	const name = typeof option === 'string' ? option.trim() : '';
	if (name === '') return `speech.${extension}`;
	return name.toLowerCase().endsWith(`.${extension}`) ? name : `${name}.${extension}`;
}

/** Whether the bytes start like a WAV file, an MP3 with ID3 tag, or an MPEG audio frame. */
function looksLikeAudio(data: Buffer): boolean {
	if (data.length < 4) return false;
	if (data.toString('latin1', 0, 4) === 'RIFF') return true;
	if (data.toString('latin1', 0, 3) === 'ID3') return true;
	return data[0] === 0xff && (data[1] & 0xe0) === 0xe0;
}

async function generateOne(context: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData> {
	const text = checkedText(context, itemIndex);
	const fieldName = requireBinaryFieldName(
		{ getNode: () => context.getNode(), getItemIndex: () => itemIndex },
		context.getNodeParameter('speechBinaryPropertyName', itemIndex, 'data'),
	);
	const format = context.getNodeParameter('speechFormat', itemIndex, 'mp3') as SpeechFormat;
	if (!(format in FORMATS)) {
		throw new NodeOperationError(context.getNode(), `"Format" is not valid: "${String(format)}" - choose mp3 or wav`, { itemIndex });
	}
	const voice = String(context.getNodeParameter('speechVoice', itemIndex, 'shimmer'));
	const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const body: IDataObject = { text, voice, format };
	if (typeof options.language === 'string' && options.language !== '' && options.language !== 'auto') body.language = options.language;

	const response = await agentCallRequest.call(context, {
		method: 'POST',
		path: '/v1/tts',
		body,
		itemIndex,
		response: 'binary',
	});
	const data = response.body as Buffer;
	const contentType = String(response.headers['content-type'] ?? '')
		.split(';')[0]
		.trim()
		.toLowerCase();
	if (!contentType.startsWith('audio/') && !looksLikeAudio(data)) {
		throw unexpectedAnswerError(
			context.getNode(),
			{ statusCode: response.statusCode, body: data.toString('utf8'), headers: response.headers },
			data.length === 0 ? 'empty' : 'notAudio',
			{ itemIndex },
		);
	}
	const { mimeType } = FORMATS[format];
	const fileName = fileNameOf(options.fileName, format);
	const binary = await context.helpers.prepareBinaryData(data, fileName, mimeType);
	const characters = Number(response.headers['x-agentcall-tts-characters']);
	return {
		json: {
			fileName,
			mimeType,
			fileSize: data.length,
			format,
			voice,
			characters: Number.isFinite(characters) ? characters : Array.from(text).length,
		},
		binary: { [fieldName]: binary },
	};
}

/** The custom operation n8n runs for resource "speech", operation "generate". */
export async function generate(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runPerItem(this, async (itemIndex) => await generateOne(this, itemIndex));
}
