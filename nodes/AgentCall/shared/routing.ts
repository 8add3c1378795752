import type {
	DeclarativeRestApiSettings,
	IDataObject,
	IExecutePaginationFunctions,
	IExecuteSingleFunctions,
	IN8nHttpFullResponse,
	INodeExecutionData,
	PostReceiveAction,
} from 'n8n-workflow';

import { checkAnswer } from './answers';
import type { FailureSubject } from './errors';
import { agentCallApiError, noteUncertainEffect, toNodeError } from './errors';
import { extractList, extractNextCursor, PAGE_SIZE_MAX } from './lists';
import { toE164 } from './phone';
import { keepAnswerHeaders, keptAnswerHeaders, rateLimitKey, retryOnRateLimit } from './rateLimit';
import { retryInterruptedOnce } from './transport';

/**
 * Glue between n8n's declarative routing and our transport rules. Every routed operation runs
 * through `sendRoutedRequest` (the node's `requestOperations.pagination`, switched on for every
 * operation by the Resource parameter), so all of them share one error mapper, one rate-limit
 * retry and one cursor follower while their requests stay declared in the descriptions.
 */

const NEXT_CURSOR = Symbol('agentCallNextCursor');

type PageItems = INodeExecutionData[] & { [NEXT_CURSOR]?: string };

/** Parameters that identify what an operation is about, most specific first (for 404 messages). */
const SUBJECT_PARAMETERS: Array<[parameter: string, label: string]> = [
	['messageId', 'message'],
	['callId', 'call'],
	['aiCallId', 'call'],
	['webhookId', 'webhook'],
	['conversationId', 'SMS conversation'],
	['scheduleId', 'schedule'],
	['scheduleNumberId', 'phone number'],
	['numberId', 'phone number'],
	['smsNumberId', 'phone number'],
	['callFrom', 'phone number'],
	['contactId', 'contact'],
	['memoryContactId', 'contact'],
	['memoryId', 'memory'],
	['candidateId', 'memory candidate'],
	['briefId', 'brief'],
];

/**
 * Contact > Get by Phone: a number AgentCall has never seen has no contact yet, which is news
 * about the caller rather than a wrong ID, so its 404 says so.
 */
function unknownPhoneSubject(context: IExecuteSingleFunctions): FailureSubject | undefined {
	const raw = context.getNodeParameter('contactPhone', '') as unknown;
	if (typeof raw !== 'string' || raw.trim() === '') return undefined;
	const parsed = toE164(raw);
	const phone = parsed.ok ? parsed.e164 : raw.trim();
	return {
		label: 'contact',
		notFound: {
			message: `No contact with the phone number ${phone} yet`,
			description:
				'AgentCall makes a contact the first time a number calls or texts one of your numbers, or is called by one. Check the number, or send such items down a separate path with the node\'s On Error setting (Continue (using error output)).',
		},
	};
}

function subjectOf(context: IExecuteSingleFunctions): FailureSubject | undefined {
	const phone = unknownPhoneSubject(context);
	if (phone) return phone;
	for (const [parameter, label] of SUBJECT_PARAMETERS) {
		// Read raw: extractValue throws for parameters the operation does not have.
		const raw = context.getNodeParameter(parameter, '') as unknown;
		const value = raw && typeof raw === 'object' ? (raw as IDataObject).value : raw;
		if (typeof value === 'string' && value.trim() !== '') return { label, id: value.trim() };
	}
	return undefined;
}

function isListOperation(context: IExecuteSingleFunctions | IExecutePaginationFunctions): boolean {
	return context.getNodeParameter('returnAll', null) !== null;
}

/**
 * First postReceive of every operation: turns a non-2xx answer into our mapped error, and a 2xx
 * that is not the JSON the operation expects (a list for Get Many, else an object) into an error
 * that says what came back. An empty 202/204 becomes an empty object, never a string item.
 */
export async function raiseForStatus(
	this: IExecuteSingleFunctions,
	items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
): Promise<INodeExecutionData[]> {
	keepAnswerHeaders(this, response.headers);
	const statusCode = Number(response.statusCode);
	const answer = { statusCode, body: response.body, headers: response.headers };
	const context = { itemIndex: this.getItemIndex(), subject: subjectOf(this) };
	if (statusCode >= 400) throw agentCallApiError(this.getNode(), answer, context);
	checkAnswer(this.getNode(), answer, isListOperation(this) ? 'list' : 'object', context);
	return typeof response.body === 'object' && response.body !== null ? items : [{ json: {} }];
}

/**
 * postReceive for list operations: one item per element, whichever wrapper the API used, each
 * passed through `shape`; remembers the next-page cursor for `sendRoutedRequest`.
 */
export function listItems(shape: (item: IDataObject) => IDataObject = (item) => item): PostReceiveAction {
	return async function (this: IExecuteSingleFunctions, _items, response) {
		const page: PageItems = extractList(response.body).map((item) => ({ json: shape(item) }));
		// A bare-array page can only carry its cursor in a header.
		page[NEXT_CURSOR] = extractNextCursor(response.body, response.headers as IDataObject);
		return page;
	};
}

async function sendOnce(
	context: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
): Promise<PageItems> {
	try {
		return await context.makeRoutingRequest(requestData);
	} catch (error) {
		throw noteUncertainEffect(toNodeError(context.getNode(), error, { itemIndex: context.getItemIndex() }), requestData.options);
	}
}

/** Runs a routed request with rate-limit retries; for Get Many, follows cursors up to the limit. */
export async function sendRoutedRequest(
	this: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
): Promise<INodeExecutionData[]> {
	const isList = isListOperation(this);
	const returnAll = this.getNodeParameter('returnAll', false) === true;
	const wanted = returnAll ? Infinity : Number(this.getNodeParameter('limit', Infinity));
	const gateKey = rateLimitKey(this.getNode());
	const results: INodeExecutionData[] = [];
	let cursor: string | undefined;

	do {
		const qs: IDataObject = { ...(requestData.options.qs ?? {}) };
		if (isList) qs.limit = Math.min(PAGE_SIZE_MAX, wanted - results.length);
		if (cursor !== undefined) qs.cursor = cursor;
		const options = { ...requestData.options, qs };
		const page = await retryOnRateLimit(
			gateKey,
			async () => await retryInterruptedOnce(options.method, async () => await sendOnce(this, { ...requestData, options })),
			{ headersOf: () => keptAnswerHeaders(this) },
		);
		results.push(...page);
		cursor = isList ? page[NEXT_CURSOR] : undefined;
	} while (cursor !== undefined && results.length < wanted);

	return isList ? results.slice(0, wanted) : results;
}

/**
 * postReceive for deletes and releases: the API may answer 204 with no body, so the item says what
 * happened, e.g. `{ id, deleted: true }`, merged over whatever body came back.
 */
export function confirmAction(idParameter: string, flag: string): PostReceiveAction {
	return async function (this: IExecuteSingleFunctions, _items, response) {
		const id = String(this.getNodeParameter(idParameter, '', { extractValue: true })).trim();
		const body = response.body && typeof response.body === 'object' ? (response.body as IDataObject) : {};
		return [{ json: { ...body, id, [flag]: true } }];
	};
}

/**
 * postReceive of the Simplify parameter: each item through `shape` when Simplify is on. Changes
 * the items in place so a list page keeps what `listItems` attached to it (the next-page cursor).
 */
export function simplifyItems(shape: (json: IDataObject) => IDataObject): PostReceiveAction {
	return async function (this: IExecuteSingleFunctions, items) {
		if (this.getNodeParameter('simple', true) !== true) return items;
		for (const item of items) item.json = shape(item.json);
		return items;
	};
}
