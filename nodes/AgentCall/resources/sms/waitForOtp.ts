import type { IDataObject, IExecuteFunctions, INode, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { agentCallApiError, readErrorBody, toNodeError } from '../../shared/errors';
import { requireId, requireSeconds, showFor } from '../../shared/fields';
import { runPerItem } from '../../shared/items';
import { toMessage } from '../../shared/shapes';
import type { AgentCallResponse } from '../../shared/transport';
import { agentCallRequest } from '../../shared/transport';

/**
 * Wait for OTP: one long-poll `GET /v1/sms/otp/:numberId?timeout=<ms>` per item. AgentCall holds
 * the request until a code arrives or the wait ends; how it says "no code" is undocumented, so
 * every reply the API reference lists (§9, §12.2) is read as such.
 */

const displayOptions = showFor('sms', ['waitForOtp']);

/** AgentCall holds an OTP request for at most 60 s. */
export const OTP_MAX_WAIT_SECONDS = 60;

/** The HTTP request outlives the server's wait by this much, so its answer is never cut off. */
const HTTP_GRACE_MS = 15_000;

/** The number to watch is Get Inbox's `smsNumberId` field, shown for both operations. */
export const smsWaitForOtpDescription: INodeProperties[] = [
	{
		displayName: 'Timeout',
		name: 'timeout',
		type: 'number',
		default: OTP_MAX_WAIT_SECONDS,
		typeOptions: { minValue: 1, maxValue: OTP_MAX_WAIT_SECONDS },
		description: `How many seconds to wait for a code, from 1 to ${OTP_MAX_WAIT_SECONDS}. The node answers as soon as a code arrives.`,
		hint: 'A code that reached this number shortly before the node ran, and was not read yet, may be returned at once',
		displayOptions,
	},
	{
		displayName: 'On Timeout',
		name: 'onTimeout',
		type: 'options',
		default: 'outputItem',
		description: 'What to do when no code arrives in time',
		options: [
			{
				name: 'Fail',
				value: 'fail',
				description: 'Stop with an error (or an error item, with Continue On Fail)',
			},
			{
				name: 'Output an Item',
				value: 'outputItem',
				description: 'Output an item with "otp" empty and "timedOut" true, so an IF node can branch on it',
			},
		],
		displayOptions,
	},
];

function isObject(value: unknown): value is IDataObject {
	return !!value && typeof value === 'object' && !Array.isArray(value);
}

function otpOf(value: unknown): string | undefined {
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** "timeout", "timed out", "otp_timeout", "no OTP", "no code", "otp not found", "code never received", "missing otp". */
const NO_CODE_TEXT =
	/time[sd]?[\s_-]?out|(^|[^a-z])no[\s_-]+(otp|code)|(otp|code)[\s_-]+(was[\s_-]+)?(not|never)[\s_-]|missing[\s_-]+(otp|code)|(otp|code)[\s_-]+missing/i;

/**
 * Whether a 404 means "no code arrived" rather than "no such number". Its code or message must
 * say so; the number ID and any path in the text are ignored first, so that neither an ID nor a
 * route echoed back ("/v1/sms/otp/…") can look like a timeout. A 404 with no text at all that
 * came only after the full wait can only be the wait ending.
 */
function isNoCode404(body: unknown, numberId: string, waitedMs: number, timeoutMs: number): boolean {
	const { code, message } = readErrorBody(body);
	const text = [code, message]
		.filter(Boolean)
		.join(' ')
		.split(numberId)
		.join(' ')
		.replace(/\S*\/\S*/g, ' ');
	if (NO_CODE_TEXT.test(text)) return true;
	return message === undefined && (code === undefined || code === 'not_found') && waitedMs >= timeoutMs * 0.9;
}

/** The timeout in seconds, checked before any request. */
function readTimeoutSeconds(context: IExecuteFunctions, itemIndex: number): number {
	return requireSeconds(
		{ getNode: () => context.getNode(), getItemIndex: () => itemIndex },
		'Timeout',
		context.getNodeParameter('timeout', itemIndex, OTP_MAX_WAIT_SECONDS),
		OTP_MAX_WAIT_SECONDS,
		`AgentCall waits at most ${OTP_MAX_WAIT_SECONDS} seconds for a code. To wait longer, loop back to this node when "timedOut" is true.`,
	);
}

function noCodeError(node: INode, numberId: string, seconds: number, itemIndex: number): NodeOperationError {
	return new NodeOperationError(node, `No OTP code arrived at phone number "${numberId}" within ${seconds} s`, {
		itemIndex,
		description:
			'Check that the service really sent its code to this number, then look at Get Inbox for the number: if the SMS is there with no "otp", AgentCall did not recognise a code in it. Free plans extract 5 codes a month. To branch instead of failing, set On Timeout to Output an Item.',
	});
}

async function waitForOneCode(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const numberId = requireId(
		{ getNode: () => this.getNode(), getItemIndex: () => itemIndex },
		'Phone Number',
		this.getNodeParameter('smsNumberId', itemIndex, '', { extractValue: true }),
	);
	const seconds = readTimeoutSeconds(this, itemIndex);
	const onTimeout = this.getNodeParameter('onTimeout', itemIndex, 'outputItem') as string;
	const timeoutMs = Math.round(seconds * 1000);

	const started = Date.now();
	let response: AgentCallResponse;
	try {
		response = await agentCallRequest.call(this, {
			method: 'GET',
			path: `/v1/sms/otp/${encodeURIComponent(numberId)}`,
			qs: { timeout: timeoutMs },
			timeoutMs: timeoutMs + HTTP_GRACE_MS,
			itemIndex,
			subject: { label: 'phone number', id: numberId },
			acceptStatuses: [404, 408],
			// "No code" may be a JSON null.
			expect: 'objectOrNull',
		});
	} catch (error) {
		if (error instanceof NodeApiError && error.httpCode === 'none' && /in time/.test(error.message)) {
			error.description = `AgentCall should have answered within ${seconds} s but did not answer for ${Math.round((timeoutMs + HTTP_GRACE_MS) / 1000)} s. Try again; if it keeps happening, check the Base URL in the credential.`;
		}
		throw toNodeError(this.getNode(), error, { itemIndex });
	}
	const waitedMs = Date.now() - started;
	const { statusCode, body } = response;

	if (statusCode === 404 && !isNoCode404(body, numberId, waitedMs, timeoutMs)) {
		throw agentCallApiError(this.getNode(), response, { itemIndex, subject: { label: 'phone number', id: numberId } });
	}
	const reply = statusCode < 300 && isObject(body) ? body : {};
	const otp = otpOf(reply.otp);
	const message = isObject(reply.message) ? toMessage(reply.message, numberId) : null;

	if (otp !== undefined) {
		return { otp, timedOut: false, message, numberId, receivedAt: message?.receivedAt ?? null };
	}
	if (onTimeout === 'fail') throw noCodeError(this.getNode(), numberId, seconds, itemIndex);
	return {
		otp: null,
		timedOut: true,
		message,
		numberId,
		receivedAt: null,
		waitedSeconds: Math.round(waitedMs / 100) / 10,
	};
}

/** The custom operation n8n runs for resource "sms", operation "waitForOtp". */
export async function waitForOtp(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runPerItem(this, async (itemIndex) => ({ json: await waitForOneCode.call(this, itemIndex) }));
}
