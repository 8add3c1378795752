import type {
	IDataObject,
	IExecuteFunctions,
	IExecuteSingleFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IN8nHttpFullResponse,
	IPollFunctions,
	IWebhookFunctions,
} from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import type { AnswerShape } from './answers';
import { checkAnswer } from './answers';
import { trimBaseUrl } from './baseUrl';
import type { FailureSubject } from './errors';
import { agentCallApiError, isAgentCallError, isSafeMethod, noteUncertainEffect, toNodeError } from './errors';
import { isAiCallStart, rateLimitKey, retryOnRateLimit } from './rateLimit';

/**
 * The shared transport for every request made in code (custom operations, triggers, list
 * searches). Declarative routes reach the same error mapper and rate-limit retry through
 * `routing.ts`.
 */

export const CREDENTIAL_NAME = 'agentCallApi';

export const DEFAULT_TIMEOUT_MS = 30_000;

export type AgentCallContext =
	| IExecuteFunctions
	| IExecuteSingleFunctions
	| IHookFunctions
	| ILoadOptionsFunctions
	| IPollFunctions
	| IWebhookFunctions;

export interface AgentCallRequest {
	method: IHttpRequestMethods;
	/** Path below the base URL, starting with /v1. */
	path: string;
	qs?: IDataObject;
	body?: IDataObject;
	timeoutMs?: number;
	itemIndex?: number;
	/** Named in a 404 message. */
	subject?: FailureSubject;
	/** Statuses that are an answer rather than a failure for this call, e.g. 408 from the OTP long-poll. */
	acceptStatuses?: number[];
	/** The JSON a 2xx answer must be (default: an object); anything else is an error. */
	expect?: AnswerShape;
	/**
	 * `binary`: a 2xx answer's body is returned as the raw bytes (a Buffer) for the caller to check;
	 * an error answer is still read as JSON for the mapper.
	 */
	response?: 'json' | 'binary';
}

export interface AgentCallResponse<T = unknown> {
	statusCode: number;
	body: T;
	headers: IDataObject;
}

/** The pause before the one retry of a safe request whose connection broke. */
export const INTERRUPTED_RETRY_PAUSE_MS = 1_000;

/**
 * Runs a request again, once, after a short pause when its connection broke or timed out and the
 * request is safe to repeat (a read, the OTP long-poll). Requests that may have changed something
 * are never repeated here: their error says the action may or may not have happened.
 */
export async function retryInterruptedOnce<T>(method: string | undefined, send: () => Promise<T>): Promise<T> {
	const first = await send().then(
		(value) => ({ value }),
		(error: unknown) => ({ error }),
	);
	if ('value' in first) return first.value;
	const { error } = first;
	if (!isSafeMethod(method) || !isAgentCallError(error) || error.context.interrupted !== true) throw error;
	await sleep(INTERRUPTED_RETRY_PAUSE_MS);
	return await send();
}

function toBuffer(body: unknown): Buffer {
	if (Buffer.isBuffer(body)) return body;
	if (body instanceof ArrayBuffer) return Buffer.from(body);
	if (typeof body === 'string') return Buffer.from(body, 'utf8');
	return body === undefined || body === null ? Buffer.alloc(0) : Buffer.from(JSON.stringify(body), 'utf8');
}

/** An error answer fetched as bytes, as the text the error mapper parses (it reads JSON from a string). */
function bytesAsText(body: unknown): unknown {
	return Buffer.isBuffer(body) || body instanceof ArrayBuffer ? toBuffer(body).toString('utf8') : body;
}

export async function agentCallRequest<T = unknown>(
	this: AgentCallContext,
	request: AgentCallRequest,
): Promise<AgentCallResponse<T>> {
	const credentials = await this.getCredentials(CREDENTIAL_NAME);
	const options: IHttpRequestOptions = {
		method: request.method,
		baseURL: trimBaseUrl(credentials.baseUrl),
		url: request.path,
		qs: request.qs,
		body: request.body,
		json: true,
		headers: { Accept: 'application/json' },
		timeout: request.timeoutMs ?? DEFAULT_TIMEOUT_MS,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
	};
	if (request.body === undefined) delete options.body;
	const binary = request.response === 'binary';
	if (binary) {
		options.encoding = 'arraybuffer';
		options.headers = { Accept: '*/*' };
	}

	const context = { itemIndex: request.itemIndex, subject: request.subject };
	const send = async () => {
		try {
			return (await this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL_NAME, options)) as IN8nHttpFullResponse;
		} catch (error) {
			throw noteUncertainEffect(toNodeError(this.getNode(), error, context), request);
		}
	};
	return await retryOnRateLimit(rateLimitKey(this.getNode()), async () => {
		const response = await retryInterruptedOnce(request.method, send);
		const statusCode = Number(response.statusCode);
		const body = binary && statusCode >= 400 ? bytesAsText(response.body) : response.body;
		const answer = { statusCode, body, headers: response.headers };
		if (statusCode >= 400 && !request.acceptStatuses?.includes(statusCode)) {
			throw agentCallApiError(this.getNode(), answer, context);
		}
		if (binary) return { statusCode, body: toBuffer(response.body) as T, headers: response.headers ?? {} };
		checkAnswer(this.getNode(), answer, request.expect ?? 'object', context, request);
		return { statusCode, body: response.body as T, headers: response.headers ?? {} };
	}, { aiCall: isAiCallStart(request.method, request.path), headersOf: (response) => response.headers });
}
