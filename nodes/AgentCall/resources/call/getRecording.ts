import type { IDataObject, IExecuteFunctions, IN8nHttpFullResponse, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { toNodeError } from '../../shared/errors';
import { requireBinaryFieldName, showFor } from '../../shared/fields';
import { runPerItem } from '../../shared/items';
import { agentCallRequest } from '../../shared/transport';
import { isObject, readCallId } from './callApi';

/**
 * Get Recording: AgentCall hands out a short-lived signed link to the audio; the node downloads it
 * into n8n binary data. The link carries its own signature, so the download is made without the
 * API key (which must never reach a storage host) in a function that never reads credentials.
 */

const displayOptions = showFor('call', ['getRecording']);

export const callGetRecordingDescription: INodeProperties[] = [
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the output binary field to put the file in',
		displayOptions,
	},
];

/** Where the API has put the signed link, newest name first. */
const URL_FIELDS = ['recordingUrl', 'url', 'signedUrl'];

const DOWNLOAD_TIMEOUT_MS = 120_000;

const MIME_BY_EXTENSION: Record<string, string> = {
	m4a: 'audio/mp4',
	mp3: 'audio/mpeg',
	ogg: 'audio/ogg',
	wav: 'audio/wav',
	webm: 'audio/webm',
};

function text(value: unknown): string | undefined {
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function extensionOf(url: string): string | undefined {
	const match = /\.([a-z0-9]{2,5})(?:[?#]|$)/i.exec(url.replace(/^[a-z]+:\/\/[^/]+/i, ''));
	return match ? match[1].toLowerCase() : undefined;
}

/** The audio type from the download's header, else from the link or the API's `format`. */
function mimeTypeOf(contentType: unknown, url: string, format: unknown): string {
	const header = text(contentType)?.split(';')[0].trim().toLowerCase();
	if (header && header !== 'application/octet-stream' && header !== 'binary/octet-stream') return header;
	const extension = extensionOf(url) ?? text(format)?.toLowerCase();
	return (extension && MIME_BY_EXTENSION[extension]) || header || 'application/octet-stream';
}

function fileExtensionOf(mimeType: string, url: string): string {
	const fromUrl = extensionOf(url);
	if (fromUrl) return fromUrl;
	const known = Object.entries(MIME_BY_EXTENSION).find(([, mime]) => mime === mimeType);
	return known ? known[0] : 'bin';
}

/** Downloads the signed link. No credentials are read here: the link must travel without the key. */
async function downloadWithoutCredentials(
	this: IExecuteFunctions,
	url: string,
	callId: string,
	itemIndex: number,
): Promise<{ data: Buffer; contentType: unknown }> {
	let response: IN8nHttpFullResponse;
	try {
		response = (await this.helpers.httpRequest({
			method: 'GET',
			url,
			encoding: 'arraybuffer',
			json: false,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: DOWNLOAD_TIMEOUT_MS,
		})) as IN8nHttpFullResponse;
	} catch (error) {
		throw toNodeError(this.getNode(), error, { itemIndex });
	}
	const statusCode = Number(response.statusCode);
	if (statusCode >= 400) {
		const message = `Could not download the recording of call "${callId}" (HTTP ${statusCode})`;
		throw new NodeApiError(this.getNode(), { message, statusCode }, {
			message,
			description:
				'The download link from AgentCall is signed and expires after about an hour. Run the node again to get a fresh link; if it keeps failing, the recording may have been deleted (AgentCall keeps recordings for a year).',
			httpCode: String(statusCode),
			itemIndex,
		});
	}
	const body = response.body as unknown;
	const data = Buffer.isBuffer(body) ? body : Buffer.from(body as ArrayBuffer);
	return { data, contentType: response.headers?.['content-type'] };
}

async function getRecordingOne(context: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData> {
	const callId = readCallId(context, itemIndex);
	const binaryPropertyName = requireBinaryFieldName(
		{ getNode: () => context.getNode(), getItemIndex: () => itemIndex },
		context.getNodeParameter('binaryPropertyName', itemIndex, 'data'),
	);

	const { body } = await agentCallRequest.call(context, {
		method: 'GET',
		path: `/v1/calls/${encodeURIComponent(callId)}/recording`,
		itemIndex,
		subject: { label: 'call', id: callId },
	});
	const link: IDataObject = isObject(body) ? body : {};
	const recordingUrl = URL_FIELDS.map((field) => text(link[field])).find((url) => url !== undefined);
	if (!recordingUrl) {
		throw new NodeOperationError(context.getNode(), `AgentCall answered without a download link for the recording of call "${callId}"`, {
			itemIndex,
			description: 'The recording may still be processing. Try again in a minute.',
		});
	}

	const { data, contentType } = await downloadWithoutCredentials.call(context, recordingUrl, callId, itemIndex);
	const mimeType = mimeTypeOf(contentType, recordingUrl, link.format);
	const fileName = `recording-${callId}.${fileExtensionOf(mimeType, recordingUrl)}`;
	const binary = await context.helpers.prepareBinaryData(data, fileName, mimeType);

	const json: IDataObject = { callId, recordingUrl };
	if (link.expiresAt !== undefined) json.expiresAt = link.expiresAt;
	if (link.duration !== undefined) json.duration = link.duration;
	Object.assign(json, { mimeType, fileSize: data.length, fileName });
	return { json, binary: { [binaryPropertyName]: binary } };
}

/** The custom operation n8n runs for resource "call", operation "getRecording". */
export async function getRecording(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runPerItem(this, async (itemIndex) => await getRecordingOne(this, itemIndex));
}
