import type { IDataObject, IExecuteFunctions, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { extractList, extractNextCursor, PAGE_SIZE_MAX } from './lists';
import { hasValidSignature } from './signature';
import type { AgentCallContext } from './transport';
import { agentCallRequest } from './transport';

/**
 * Parked executions resumed by AgentCall (AgentCall Wait: SMS › Send and Wait for Reply, AI Call ›
 * Start and Wait). Each waiting execution registers its own account webhook whose URL is
 * the execution's resume URL, so a delivery can only ever resume that one execution, and nothing
 * another execution waits for is consumed by it.
 *
 * The webhook's id, signing secret and what the wait is for live in ONE execution custom-data key
 * (n8n keeps at most 10 per execution): the id and secret never leave n8n's database.
 *
 * n8n runs no node code when a wait limit passes, so the webhook of a timed-out execution cannot
 * be deleted then. Its URL carries `agentcallWaitUntil=<epoch seconds>` (0 = no limit); every new
 * wait first deletes this package's webhooks whose limit passed: at once when this n8n says their
 * execution no longer waits, otherwise (another n8n, or no answer) a grace after the limit. For
 * limitless ones it asks this n8n the same, so a deleted or cancelled execution's webhook goes too.
 */

/** The webhook's path under the resume URL: the node id, so a late call cannot resume a later wait. */
export const WAIT_WEBHOOK_PATH = '={{ $nodeId }}';

/** Query parameter marking a webhook as one of this package's waits, with its limit. */
export const WAIT_MARKER = 'agentcallWaitUntil';

/** n8n resumes timed-out executions about once a minute; a webhook is kept this long after its limit. */
const EXPIRY_GRACE_MS = 5 * 60_000;

const STATE_KEY = 'agentcallWait';

const MAX_LIST_PAGES = 20;

export type WaitKind = 'smsReply' | 'aiCall';

/** What `webhook()` needs to verify a delivery and tell whether it is the awaited one. */
export interface WaitState {
	kind: WaitKind;
	webhookId: string;
	secret: string;
	/** smsReply: the recipient's E.164 number. aiCall: the call ID. */
	subject: string;
	/** smsReply: the sending number's ID and/or E.164 number (a reply must reach one of them). */
	numbers: string[];
}

function isObject(value: unknown): value is IDataObject {
	return !!value && typeof value === 'object' && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
	if (typeof value === 'number') return String(value);
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** The execution's resume URL for this node, with the limit marker (see the module comment). */
export function resumeUrl(context: IExecuteFunctions, waitTill: Date | undefined): string {
	const base = String(context.evaluateExpression('{{ $execution.resumeUrl }}', 0) ?? '');
	let url: URL;
	try {
		url = new URL(base);
	} catch {
		throw new NodeOperationError(context.getNode(), 'n8n could not work out the URL at which this execution is resumed', {
			description: 'Set WEBHOOK_URL for n8n to the address AgentCall can reach it at.',
		});
	}
	url.pathname = `${url.pathname.replace(/\/+$/, '')}/${context.getNode().id}`;
	url.searchParams.set(WAIT_MARKER, waitTill ? String(Math.ceil(waitTill.getTime() / 1000)) : '0');
	return url.toString();
}

/**
 * The execution's custom data keeps the wait's state. n8n offers it to nodes from 2.16 on; before,
 * a resumed execution's webhook call cannot read what the node saved (tested on 1.123 and 2.0:
 * the execution parks but no reply could ever resume it), so a wait must not start there.
 */
export function requireCustomData(context: IExecuteFunctions): void {
	if ((context as Partial<IExecuteFunctions>).customData !== undefined) return;
	throw new NodeOperationError(context.getNode(), 'AgentCall Wait needs n8n 2.16 or later', {
		description:
			"This n8n cannot hand a waiting execution's data back when a reply resumes it, so nothing was sent. Update n8n to 2.16 or later, or use AgentCall › SMS › Send and the AgentCall Trigger (SMS Received) in a second workflow.",
	});
}

/** Keeps the wait's state with the execution (again after a change, e.g. the sender's number learnt). */
export function saveState(context: IExecuteFunctions, state: WaitState): void {
	const packed = JSON.stringify([state.kind, state.webhookId, state.secret, state.subject, state.numbers]);
	context.customData.set(STATE_KEY, packed);
	if (context.customData.get(STATE_KEY) !== packed) {
		throw new NodeOperationError(context.getNode(), 'This execution has no room left for the wait\'s custom data', {
			description: 'n8n keeps at most 10 custom data keys per execution and this wait needs one. Remove an Execution Data node that sets other keys.',
		});
	}
}

export function readState(context: IWebhookFunctions): WaitState | undefined {
	try {
		const [kind, webhookId, secret, subject, numbers] = JSON.parse(String(context.customData.get(STATE_KEY) ?? '')) as unknown[];
		if ((kind !== 'smsReply' && kind !== 'aiCall') || !text(webhookId) || !text(secret)) return undefined;
		return {
			kind,
			webhookId: String(webhookId),
			secret: String(secret),
			subject: String(subject ?? ''),
			numbers: Array.isArray(numbers) ? numbers.map(String) : [],
		};
	} catch {
		return undefined;
	}
}

async function listWebhooks(context: AgentCallContext): Promise<IDataObject[]> {
	const hooks: IDataObject[] = [];
	let cursor: string | undefined;
	for (let page = 0; page < MAX_LIST_PAGES; page++) {
		const qs: IDataObject = { limit: PAGE_SIZE_MAX };
		if (cursor) qs.cursor = cursor;
		const { body, headers } = await agentCallRequest.call(context, { method: 'GET', path: '/v1/webhooks', qs, expect: 'list' });
		hooks.push(...extractList(body));
		const next = extractNextCursor(body, headers);
		if (!next || next === cursor) break;
		cursor = next;
	}
	return hooks;
}

/** Deletes one of our webhooks; gone already (404) counts as deleted. Never throws: logs instead. */
export async function deleteWaitHook(context: AgentCallContext, webhookId: string): Promise<boolean> {
	try {
		await agentCallRequest.call(context, {
			method: 'DELETE',
			path: `/v1/webhooks/${encodeURIComponent(webhookId)}`,
			subject: { label: 'webhook', id: webhookId },
			acceptStatuses: [404],
		});
		return true;
	} catch (error) {
		context.logger.warn(`AgentCall: could not delete the wait's webhook ${webhookId} (${(error as Error).message}); the next wait removes it`, {
			webhookId,
		});
		return false;
	}
}

/**
 * Whether the execution behind a limitless wait's URL is gone. An unsigned POST reaches the
 * node's `webhook()` only while the execution waits (it answers 401 then); n8n itself answers
 * 404 for a deleted execution and 409 for a finished one.
 */
async function executionGone(context: IExecuteFunctions, url: string): Promise<boolean> {
	try {
		const response = (await context.helpers.httpRequest({
			method: 'POST',
			url,
			body: {},
			json: true,
			timeout: 5_000,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		})) as { statusCode: number };
		return response.statusCode === 404 || response.statusCode === 409;
	} catch {
		return false;
	}
}

/**
 * Removes the webhooks of this package's waits that can no longer resume anything: limit passed,
 * or (limitless) their execution is gone. Only URLs of this n8n's waiting endpoint are probed.
 */
export async function removeStaleWaitHooks(context: IExecuteFunctions, ownUrl: string, now = Date.now()): Promise<number> {
	const ownBase = ownUrl.slice(0, ownUrl.indexOf('/', ownUrl.indexOf('//') + 2));
	let removed = 0;
	for (const hook of await listWebhooks(context)) {
		const id = text(hook.id);
		const url = text(hook.url);
		if (!id || !url) continue;
		let marker: string | null;
		try {
			marker = new URL(url).searchParams.get(WAIT_MARKER);
		} catch {
			continue;
		}
		if (marker === null || !/^\d+$/.test(marker)) continue;
		const until = Number(marker) * 1000;
		// Past its limit plus the grace: gone whichever n8n it belongs to. Past its limit (or
		// limitless) and at this n8n: gone once n8n says its execution no longer waits.
		const stale = (until > 0 && until + EXPIRY_GRACE_MS < now) || (until <= now && url.startsWith(ownBase) && (await executionGone(context, url)));
		if (stale && (await deleteWaitHook(context, id))) removed++;
	}
	return removed;
}

/**
 * Registers the webhook for this wait and keeps its state with the execution. The secret comes
 * with the creation (or a rotation right after, as the trigger does it).
 */
export async function registerWaitHook(
	context: IExecuteFunctions,
	options: { kind: WaitKind; events: string[]; waitTill: Date | undefined; subject: string; numbers?: string[] },
): Promise<WaitState> {
	const url = resumeUrl(context, options.waitTill);
	await removeStaleWaitHooks(context, url);
	const { body } = await agentCallRequest.call(context, { method: 'POST', path: '/v1/webhooks', body: { url, events: options.events } });
	const holder = isObject(body) && isObject(body.data) ? body.data : isObject(body) ? body : {};
	const webhookId = text(holder.id) ?? text(holder.webhookId);
	if (!webhookId) {
		throw new NodeOperationError(context.getNode(), 'AgentCall registered the webhook for the wait but returned no ID for it', {
			description: 'Nothing was sent. Run the workflow again; the next wait removes webhooks left behind.',
		});
	}
	let secret = text(holder.secret) ?? text(holder.signingSecret);
	if (!secret) {
		const rotated = await agentCallRequest.call(context, { method: 'POST', path: `/v1/webhooks/${encodeURIComponent(webhookId)}/rotate` });
		const rotatedHolder = isObject(rotated.body) && isObject(rotated.body.data) ? rotated.body.data : isObject(rotated.body) ? rotated.body : {};
		secret = text(rotatedHolder.secret) ?? text(rotatedHolder.signingSecret);
	}
	if (!secret) {
		await deleteWaitHook(context, webhookId);
		throw new NodeOperationError(context.getNode(), 'AgentCall returned no signing secret for the wait\'s webhook', {
			description: 'Without it a forged request could resume the execution, so the webhook was removed and nothing was sent.',
		});
	}
	const state: WaitState = { kind: options.kind, webhookId, secret, subject: options.subject, numbers: options.numbers ?? [] };
	try {
		saveState(context, state);
	} catch (error) {
		await deleteWaitHook(context, webhookId);
		throw error instanceof NodeOperationError ? error : new NodeOperationError(context.getNode(), error as Error);
	}
	return state;
}

/** A verified delivery: the event name and its fields (under `data`, or at the root in older ones). */
export interface VerifiedDelivery {
	state: WaitState;
	event: string;
	payload: IDataObject;
}

/** Answers the request with a status and a short text, and keeps the execution waiting. */
export function answerAndKeepWaiting(context: IWebhookFunctions, status: number, message: string): IWebhookResponseData {
	context.getResponseObject().status(status).json({ message });
	return { noWebhookResponse: true };
}

/**
 * Checks a request to the resume URL: the wait's state, the raw body and the signature. Returns
 * the delivery, or the answer for a request that must not resume (401 for anything unsigned or
 * forged, so AgentCall would retry a delivery the secret did not match and no forger learns more).
 */
export function verifyDelivery(context: IWebhookFunctions): VerifiedDelivery | IWebhookResponseData {
	const state = readState(context);
	const rawBody = context.getRequestObject().rawBody as Buffer | undefined;
	const header = context.getHeaderData()['x-agentcall-signature'];
	if (!state || !rawBody || !Buffer.isBuffer(rawBody) || !hasValidSignature(rawBody, header, state.secret)) {
		context.logger.warn(`AgentCall: a request to the resume URL of "${context.getNode().name}" had no valid X-AgentCall-Signature; the execution keeps waiting`);
		return answerAndKeepWaiting(context, 401, 'Invalid or missing X-AgentCall-Signature');
	}
	let body: unknown;
	try {
		body = JSON.parse(rawBody.toString('utf8'));
	} catch {
		body = {};
	}
	const envelope = isObject(body) ? body : {};
	const payload: IDataObject = isObject(envelope.data) ? envelope.data : envelope;
	return { state, event: text(envelope.event) ?? '', payload };
}

export function isVerified(value: VerifiedDelivery | IWebhookResponseData): value is VerifiedDelivery {
	return 'state' in value && 'event' in value;
}
