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

import type { FailureSubject } from './errors';
import { agentCallApiError, toNodeError } from './errors';
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
}

export interface AgentCallResponse<T = unknown> {
	statusCode: number;
	body: T;
	headers: IDataObject;
}

/** A base URL with or without a trailing slash yields the same request URLs. */
export function trimBaseUrl(baseUrl: unknown): string {
	return String(baseUrl ?? '').trim().replace(/\/+$/, '');
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

	const context = { itemIndex: request.itemIndex, subject: request.subject };
	return await retryOnRateLimit(rateLimitKey(this.getNode(), options.baseURL), async () => {
		let response: IN8nHttpFullResponse;
		try {
			response = (await this.helpers.httpRequestWithAuthentication.call(
				this,
				CREDENTIAL_NAME,
				options,
			)) as IN8nHttpFullResponse;
		} catch (error) {
			throw toNodeError(this.getNode(), error, context);
		}
		const statusCode = Number(response.statusCode);
		if (statusCode >= 400 && !request.acceptStatuses?.includes(statusCode)) {
			throw agentCallApiError(this.getNode(), { statusCode, body: response.body, headers: response.headers }, context);
		}
		return { statusCode, body: response.body as T, headers: response.headers ?? {} };
	}, { aiCall: isAiCallStart(request.method, request.path), headersOf: (response) => response.headers });
}
