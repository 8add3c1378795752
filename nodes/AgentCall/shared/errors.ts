import type { IDataObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

/**
 * The one error mapper: every AgentCall failure, from a routed request or from code, becomes a
 * NodeApiError whose message a no-code user can act on. The error object we hand to n8n is built
 * here from the response body only, never from the HTTP client's error, which carries the request
 * headers and so the API key.
 */

export interface ApiFailure {
	statusCode: number;
	body: unknown;
	headers?: IDataObject;
}

/** What a 404 was about, for a message that names it: `The call "abc" was not found`. */
export interface FailureSubject {
	label: string;
	id?: string;
	/** The 404 text when "not found" means something more specific than a wrong ID. */
	notFound?: { message: string; description: string };
}

export interface FailureContext {
	itemIndex?: number;
	subject?: FailureSubject;
}

const UPGRADE_HINT = 'Upgrade to AgentCall Pro in the AgentCall dashboard';

function asObject(value: unknown): IDataObject {
	return value && typeof value === 'object' && !Array.isArray(value) ? (value as IDataObject) : {};
}

function asText(value: unknown): string | undefined {
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** Reads the parts of an error body in every shape the API has used. */
export function readErrorBody(body: unknown) {
	let parsed: unknown = body;
	if (typeof body === 'string') {
		try {
			parsed = JSON.parse(body);
		} catch {
			parsed = { message: body.slice(0, 300) };
		}
	}
	const root = asObject(parsed);
	const nested = asObject(root.error);
	const details = Array.isArray(nested.details)
		? nested.details
		: Array.isArray(root.details)
			? root.details
			: [];
	return {
		code: asText(nested.code) ?? asText(root.code),
		message: asText(nested.message) ?? asText(root.error) ?? asText(root.message),
		setupUrl: asText(nested.setupUrl) ?? asText(root.setupUrl),
		upgradeUrl: asText(nested.upgradeUrl) ?? asText(root.upgradeUrl),
		details: details.map(asObject),
	};
}

/** Seconds to wait from a Retry-After header (seconds or an HTTP date); undefined when absent. */
export function readRetryAfterSeconds(headers: IDataObject | undefined): number | undefined {
	const raw = headers?.['retry-after'] ?? headers?.['Retry-After'];
	if (raw === undefined || raw === null || raw === '') return undefined;
	const seconds = Number(raw);
	if (Number.isFinite(seconds)) return Math.max(0, seconds);
	const date = Date.parse(String(raw));
	return Number.isNaN(date) ? undefined : Math.max(0, (date - Date.now()) / 1000);
}

function formatDetails(details: IDataObject[]): string | undefined {
	const lines = details
		.map((detail) => {
			const field = asText(detail.field) ?? asText(detail.path) ?? asText(detail.param);
			const message = asText(detail.message) ?? asText(detail.error);
			if (!message) return undefined;
			return field ? `${field}: ${message}` : message;
		})
		.filter((line): line is string => line !== undefined);
	return lines.length ? lines.join('; ') : undefined;
}

function describe(failure: ApiFailure, subject?: FailureSubject): { message: string; description: string } {
	const { statusCode } = failure;
	const { code, message, setupUrl, upgradeUrl, details } = readErrorBody(failure.body);
	const apiSays = message ? `AgentCall says: ${message}` : '';
	const codeNote = code ? ` (${code})` : '';

	if (statusCode === 401) {
		return {
			message: 'AgentCall rejected the API key - check the API key in your AgentCall credential',
			description:
				'The key is missing, mistyped or revoked. Copy it again from the AgentCall dashboard (it starts with ac_live_) into the AgentCall API credential, and check that the Base URL points at the right server.',
		};
	}
	if (statusCode === 402) {
		return {
			message: `AgentCall needs a payment method on file for this${codeNote}`,
			description: [
				setupUrl ? `Add a card here: ${setupUrl}` : 'Add a card in the AgentCall dashboard under Billing.',
				'Then run the node again.',
				apiSays,
			]
				.filter(Boolean)
				.join(' '),
		};
	}
	if (statusCode === 403) {
		if (code === 'recipient_opted_out') {
			return {
				message: 'The recipient has opted out of messages from this number (they replied STOP)',
				description: apiSays || 'AgentCall will not send to a contact who opted out.',
			};
		}
		const isPlanLimit = !code || code.startsWith('plan_limit');
		return {
			message: isPlanLimit
				? `Your AgentCall plan does not allow this${codeNote}`
				: `AgentCall refused this request${codeNote}`,
			description: [
				apiSays,
				isPlanLimit ? (upgradeUrl ? `Upgrade here: ${upgradeUrl}` : `${UPGRADE_HINT}.`) : '',
				isPlanLimit ? 'Free plans include 1 local number, 10 SMS, 5 voice minutes and 5 OTP extractions a month; AI calls and recording need Pro.' : '',
			]
				.filter(Boolean)
				.join(' '),
		};
	}
	if (statusCode === 404) {
		if (code === 'recording_not_available') {
			return {
				message: 'This call has no recording',
				description:
					'Recordings exist only for calls made with Record enabled, once the call has ended. ' + apiSays,
			};
		}
		if (code === 'transcript_not_available') {
			return {
				message: `${subject?.id ? `The call "${subject.id}"` : 'This call'} has no transcript yet`,
				description:
					'Transcripts exist only for AI calls that were answered, once the call has ended. If the call is still running, try again after it ends. ' +
					apiSays,
			};
		}
		if (subject?.notFound) {
			return { message: subject.notFound.message, description: `${subject.notFound.description} ${apiSays}`.trim() };
		}
		if (code === 'report_not_available') {
			return {
				message: `${subject?.id ? `The call "${subject.id}"` : 'This call'} has no report`,
				description:
					'AgentCall writes reports only for AI calls that were answered; plain calls and calls that never connected have none. ' +
					apiSays,
			};
		}
		const what = subject ? `The ${subject.label}${subject.id ? ` "${subject.id}"` : ''}` : 'The requested item';
		return {
			message: `${what} was not found in your AgentCall account`,
			description: `Check the ID, and that it belongs to the account of this credential (released numbers and deleted webhooks are gone for good). ${apiSays}`.trim(),
		};
	}
	if (statusCode === 409) {
		if (/dedupe|duplicate/i.test(`${code ?? ''} ${message ?? ''}`)) {
			return {
				message: 'A schedule with this Dedupe Key already exists on this number - nothing new was scheduled',
				description: `The Dedupe Key stops the same reminder from being scheduled twice. Use another key to schedule it anyway, or cancel the existing schedule first (Schedule > Get Many shows it). ${apiSays}`.trim(),
			};
		}
		return {
			message: `AgentCall reported a conflict${codeNote}`,
			description: apiSays || 'The item is not in a state that allows this operation.',
		};
	}
	if (code === 'inbound_ai_not_configured') {
		return {
			message: 'This number has no inbound AI, so it has no voice or language to change (inbound_ai_not_configured)',
			description: ['Set up inbound AI first with Phone Number > Set Inbound AI, which takes the voice and language too.', apiSays].filter(Boolean).join(' '),
		};
	}
	if (code === 'no_saved_agent') {
		return {
			message: 'The From number has no saved outbound agent to use (no_saved_agent)',
			description: [
				'Use Saved Agent takes the fields left empty from the outbound defaults saved on the From number, and none are saved.',
				'Save them with Phone Number > Set Outbound Defaults, or turn Use Saved Agent off and fill in the System Prompt.',
				apiSays,
			]
				.filter(Boolean)
				.join(' '),
		};
	}
	if (statusCode === 400 || statusCode === 422) {
		const fields = formatDetails(details);
		return {
			message: `AgentCall rejected the input${fields ? ` - ${fields}` : message ? ` - ${message}` : ''}`,
			description: [
				code === 'carrier_not_supported' ? 'AI voice works only with US and Canadian numbers.' : '',
				code === 'sms_ai_required' ? 'Scheduled SMS need inbound AI with AI SMS replies (smsMode "ai") on this number: set it up in AgentCall first.' : '',
				apiSays,
				'Check the fields named above and run the node again.',
			]
				.filter(Boolean)
				.join(' '),
		};
	}
	if (statusCode === 429) {
		const wait = readRetryAfterSeconds(failure.headers);
		return {
			message: 'AgentCall rate limit reached - too many requests in a short time',
			description: `AgentCall allows 100 requests a minute (10 a minute for AI calls). The node waited and retried, then gave up${wait !== undefined ? `; AgentCall asked to wait ${Math.ceil(wait)} s` : ''}. Space items out with Batching under Request Options, or add a Wait node.`,
		};
	}
	if (statusCode === 503) {
		return {
			message: `AgentCall is temporarily unavailable${codeNote}`,
			description: `${code === 'voice_ai_unavailable' ? 'The AI voice service is having trouble. ' : ''}Try again in a few minutes; Retry On Fail in the node settings can do this for you. ${apiSays}`.trim(),
		};
	}
	if (statusCode >= 500) {
		return {
			message: `AgentCall had a server error (HTTP ${statusCode})`,
			description: `This is on AgentCall's side. Try again later; Retry On Fail in the node settings can do this for you. ${apiSays}`.trim(),
		};
	}
	return {
		message: `AgentCall returned HTTP ${statusCode}${codeNote}`,
		description: apiSays || 'Unexpected response from AgentCall.',
	};
}

/** The NodeApiError for a non-2xx AgentCall response. */
export function agentCallApiError(node: INode, failure: ApiFailure, context: FailureContext = {}): NodeApiError {
	const { message, description } = describe(failure, context.subject);
	const { code } = readErrorBody(failure.body);
	// n8n rewrites messages for known system error codes, so the API's code travels in context.
	const safeResponse: JsonObject = { message, statusCode: failure.statusCode };
	const error = new NodeApiError(node, safeResponse, {
		message,
		description,
		httpCode: String(failure.statusCode),
		itemIndex: context.itemIndex,
	});
	error.context.agentCall = true;
	error.context.code = code ?? null;
	if (failure.statusCode === 429) {
		error.context.retryAfterSeconds = readRetryAfterSeconds(failure.headers) ?? null;
	}
	return error;
}

/**
 * Network failures after which the request may have reached AgentCall: the connection broke or
 * timed out while AgentCall had it. A refused connection or an unknown host never got that far.
 */
const INTERRUPTED_CODES = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'ECONNABORTED', 'ERR_STREAM_PREMATURE_CLOSE']);

/**
 * n8n 1.x wraps a network failure in a NodeApiError that keeps its code only as `httpCode`
 * ("ECONNRESET"), with no `code` and no `cause`; n8n 2.x keeps `cause.code` as well.
 */
function systemCode(httpCode: unknown): string | undefined {
	const text = asText(httpCode);
	return text !== undefined && /^E[A-Z_]+$|^ERR_[A-Z_]+$/.test(text) ? text : undefined;
}

/** The NodeApiError for a request that got no HTTP answer (refused, reset, timed out, DNS). */
export function agentCallNetworkError(node: INode, cause: unknown, context: FailureContext = {}): NodeApiError {
	const raw = asObject(cause);
	const code = asText(raw.code) ?? asText(asObject(raw.cause).code) ?? systemCode(raw.httpCode);
	const text = String(raw.message ?? '');
	const timedOut = code === 'ECONNABORTED' || code === 'ETIMEDOUT' || /timeout/i.test(text);
	const interrupted = timedOut || (code !== undefined && INTERRUPTED_CODES.has(code)) || /socket hang up|aborted/i.test(text);
	// The code stays out of the message: n8n swaps messages that mention system error codes.
	const message = timedOut
		? 'AgentCall did not answer in time'
		: interrupted
			? 'The connection to AgentCall broke before its answer arrived'
			: 'Could not reach AgentCall';
	const error = new NodeApiError(node, { message } as JsonObject, {
		message,
		description: timedOut
			? 'The request timed out. Try again, or raise the Timeout under Request Options.'
			: `${code ? `Connection error ${code}. ` : ''}${
					interrupted
						? 'A proxy, a load balancer or the network dropped the connection. Try again; if it keeps happening, check the network between n8n and AgentCall.'
						: 'Check the Base URL in the AgentCall credential and the network between n8n and AgentCall.'
				}`,
		httpCode: 'none',
		itemIndex: context.itemIndex,
	});
	error.context.agentCall = true;
	error.context.code = code ?? null;
	error.context.interrupted = interrupted;
	return error;
}

/** Why a 2xx answer is not what an operation expects: its JSON (see `answers.ts`), or audio (Speech > Generate). */
export type AnswerProblem = 'html' | 'notJson' | 'empty' | 'notObject' | 'notList' | 'notAudio';

const ANSWER_HEADLINES: Record<AnswerProblem, string> = {
	html: 'AgentCall answered with a web page instead of its JSON',
	notJson: 'AgentCall answered with something that is not valid JSON',
	empty: 'AgentCall answered with an empty body',
	notObject: 'AgentCall answered with JSON that is not what this operation expects',
	notList: 'AgentCall answered with JSON that holds no list',
	notAudio: 'AgentCall answered with something that is not audio',
};

const PREVIEW_CHARS = 120;

/** The start of an answer for a message, with anything that looks like an API key blanked out. */
function previewOf(body: unknown): string {
	const text = typeof body === 'string' ? body : (JSON.stringify(body) ?? String(body));
	const flat = text.replace(/\s+/g, ' ').trim();
	const cut = flat.length > PREVIEW_CHARS ? `${flat.slice(0, PREVIEW_CHARS)}…` : flat;
	return cut.replace(/\bac_[a-z]+_[\w-]+/gi, 'ac_***').replace(/(Bearer\s+)\S+/gi, '$1***');
}

function headerOf(headers: IDataObject | undefined, name: string): string | undefined {
	if (!headers) return undefined;
	const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
	return key === undefined ? undefined : asText(String(headers[key]));
}

/**
 * The NodeApiError for a 2xx answer that is not AgentCall's JSON: says what came back (status,
 * content type, first characters) and where to look (Base URL, proxy).
 */
export function unexpectedAnswerError(
	node: INode,
	answer: ApiFailure,
	problem: AnswerProblem,
	context: FailureContext = {},
): NodeApiError {
	const message = ANSWER_HEADLINES[problem];
	const contentType = headerOf(answer.headers, 'content-type') ?? 'none';
	const preview = problem === 'empty' ? '' : ` and starts with: ${previewOf(answer.body)}`;
	const description = [
		`The answer had HTTP status ${answer.statusCode}, content type ${contentType}${preview}.`,
		problem === 'notList'
			? 'AgentCall lists its items as a JSON array or under data, items, results or the name of what is listed (numbers, messages, calls, webhooks, contacts, memories, candidates, timeline, briefs, reports).'
			: '',
		'Check that the Base URL in the AgentCall credential is the API (https://api.agentcall.co), not a website, and that no proxy or firewall between n8n and AgentCall replaces or cuts its answers.',
	]
		.filter(Boolean)
		.join(' ');
	const error = new NodeApiError(node, { message, statusCode: answer.statusCode } as JsonObject, {
		message,
		description,
		httpCode: String(answer.statusCode),
		itemIndex: context.itemIndex,
	});
	error.context.agentCall = true;
	error.context.code = null;
	error.context.unexpectedAnswer = problem;
	return error;
}

/** Methods that change nothing in AgentCall, so that sending them twice is harmless. */
export function isSafeMethod(method: string | undefined): boolean {
	return ['GET', 'HEAD', 'OPTIONS'].includes(String(method ?? 'GET').toUpperCase());
}

/** What was sent, as far as a failure message needs it. */
export interface SentRequest {
	method?: string;
	body?: unknown;
}

/**
 * For a request that may have changed something (send, call, provision, …) and then lost its
 * answer (broken connection, timeout, garbled answer): the error says that the action may or may
 * not have happened, and whether running the node again is safe.
 */
export function noteUncertainEffect<E extends Error>(error: E, sent: SentRequest): E {
	if (!isAgentCallError(error) || isSafeMethod(sent.method)) return error;
	if (error.context.interrupted !== true && error.context.unexpectedAnswer === undefined) return error;
	if (error.context.uncertainEffect === true) return error;
	const idempotent = typeof asObject(sent.body).idempotencyKey === 'string';
	error.message = `${error.message} - the request may or may not have been carried out`;
	error.description = [
		idempotent
			? 'AgentCall may or may not have placed this call. Running the node again is safe: it sends the same idempotency key, so AgentCall returns the original call instead of dialling again.'
			: 'AgentCall may or may not have carried out this request (sent the message, placed the call, changed the number or webhook). Check in AgentCall, for example with a Get or Get Many operation, before running the node again, or it may happen twice.',
		error.description,
	]
		.filter(Boolean)
		.join(' ');
	error.context.uncertainEffect = true;
	return error;
}

/** Whether an error was already mapped here. */
export function isAgentCallError(error: unknown): error is NodeApiError {
	return error instanceof NodeApiError && error.context.agentCall === true;
}

/**
 * For a catch around a request: errors already mapped here, and input errors, pass through as
 * they are; anything else means the request got no HTTP answer.
 */
export function toNodeError(node: INode, error: unknown, context: FailureContext = {}): NodeApiError | NodeOperationError {
	if (isAgentCallError(error) || error instanceof NodeOperationError) return error;
	return agentCallNetworkError(node, error, context);
}
