import { createHash } from 'crypto';
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { toE164 } from '../shared/phone';
import { canonicalCallStatus, toMessage, toReport } from '../shared/shapes';
import { hasValidSignature } from '../shared/signature';
import { claimDelivery, dedupeScope } from './dedupe';
import { listAccountNumbers } from './numbers';
import { selectedEvents, storedRegistration } from './registration';

/**
 * Receiving one AgentCall delivery: signature, event choice, number filter, duplicate check, item.
 * Static data written here (`recent`, `numberMap`) is saved by n8n after the request, like the
 * registration; every write replaces the whole value so n8n notices the change. The duplicate
 * check itself is the process memory of ./dedupe.ts; `recent` is its copy for restarts.
 */

const WELL_FORMED = /^(?:sha256=)?[0-9a-f]{64}$/i;

function isObject(value: unknown): value is IDataObject {
	return !!value && typeof value === 'object' && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
	if (typeof value === 'number') return String(value);
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** The event's own fields: under `data`, or at the root in older deliveries. */
export function eventPayload(body: IDataObject): IDataObject {
	if (isObject(body.data)) return body.data;
	const rest: IDataObject = {};
	for (const [key, value] of Object.entries(body)) {
		if (key !== 'event' && key !== 'timestamp') rest[key] = value;
	}
	return rest;
}

/**
 * What makes two deliveries the same event: the event name plus its natural id (message id,
 * call id with sequence or status, number), else the event's fields without the envelope
 * timestamp, which a retry may change. Hashed to keep the stored list small.
 */
export function dedupeKey(event: string, payload: IDataObject): string {
	const message = isObject(payload.message) ? payload.message : undefined;
	const parts = [event];
	const callId = text(payload.callId);
	const id = text(payload.id) ?? text(message?.id);
	if (callId) {
		parts.push('call', callId);
		if (payload.sequence !== undefined && payload.sequence !== null) parts.push('sequence', String(payload.sequence));
		if (payload.status !== undefined && payload.status !== null) parts.push('status', canonicalCallStatus(payload.status));
	} else if (id) {
		parts.push('id', id);
	} else if (event === 'number.released' && (text(payload.numberId) ?? text(payload.number))) {
		parts.push('number', String(text(payload.numberId) ?? text(payload.number)));
	} else {
		parts.push('fields', JSON.stringify(payload));
	}
	return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 24);
}

/**
 * The output item: `{ event, timestamp, ...fields }`; SMS events in the stable message shape, a
 * ready report in the flat shape of Call > Get Report.
 */
export function eventItem(event: string, timestamp: unknown, payload: IDataObject): IDataObject {
	const fields =
		event === 'sms.inbound' || event === 'sms.otp' ? toMessage(payload) : event === 'call.report.ready' ? toReport(payload) : payload;
	const item: IDataObject = { event, timestamp: text(timestamp) ?? null, ...fields };
	item.event = event;
	return item;
}

function reject(this: IWebhookFunctions, hint: string): IWebhookResponseData {
	this.logger.warn(`AgentCall Trigger: rejected a request to "${this.getNode().name}" with 401. ${hint}`);
	this.getResponseObject().status(401).send('Invalid or missing X-AgentCall-Signature');
	return { noWebhookResponse: true };
}

function signatureProblem(header: string, secret: string, rawBody: Buffer, allowBareHex: boolean): string {
	if (header === '') return 'The X-AgentCall-Signature header is missing: the request did not come from AgentCall.';
	if (!WELL_FORMED.test(header)) return 'The X-AgentCall-Signature header is not of the form sha256=<64 hex characters>.';
	if (!allowBareHex && !header.toLowerCase().startsWith('sha256=') && hasValidSignature(rawBody, header, secret, { allowBareHex: true })) {
		return 'The signature is valid but lacks the sha256= prefix. Turn on "Allow Unprefixed Signature" under Options if this sender omits it.';
	}
	return 'The signature does not match the signing secret stored for this trigger. The secret may have been rotated outside n8n (for example with Rotate Secret): deactivate and re-activate the workflow to register the webhook again.';
}

function selectedNumbers(options: IDataObject): { ids: Set<string>; phones: Set<string> } {
	const raw = options.numberIds;
	const list = Array.isArray(raw) ? raw : String(raw ?? '').split(',');
	const ids = new Set<string>();
	const phones = new Set<string>();
	for (const value of list.map((entry) => String(entry).trim()).filter((entry) => entry !== '')) {
		const parsed = value.startsWith('+') ? toE164(value) : undefined;
		if (parsed?.ok) phones.add(parsed.e164);
		else ids.add(value);
	}
	return { ids, phones };
}

/** Whether the event concerns one of the chosen numbers, by number ID or by phone number. */
async function concernsNumbers(this: IWebhookFunctions, payload: IDataObject, options: IDataObject): Promise<boolean> {
	const { ids, phones } = selectedNumbers(options);
	if (!ids.size && !phones.size) return true;
	const message = isObject(payload.message) ? payload.message : {};
	if ([payload.numberId, message.numberId].some((id) => ids.has(String(id ?? '')))) return true;
	const eventPhones = [payload.to, payload.from, payload.number, message.to, message.from]
		.map((value) => toE164(value))
		.flatMap((parsed) => (parsed.ok ? [parsed.e164] : []));
	if (!eventPhones.length) return false;
	if (ids.size) {
		// IDs are matched against phone numbers too (call events carry only from/to); cached per ID.
		const data = this.getWorkflowStaticData('node');
		let map = new Map<string, string>(Array.isArray(data.numberMap) ? (data.numberMap as Array<[string, string]>) : []);
		if ([...ids].some((id) => !map.has(id))) {
			// An ID no longer on the account is kept with no number, so it is not looked up on every event.
			const numbers = new Map((await listAccountNumbers.call(this)).map((number) => [number.id, number.number]));
			map = new Map([...ids].map((id) => [id, numbers.get(id) ?? '']));
			data.numberMap = [...map];
		}
		for (const id of ids) {
			const phone = map.get(id);
			if (phone) phones.add(phone);
		}
	}
	return eventPhones.some((phone) => phones.has(phone));
}

export async function receiveDelivery(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const data = this.getWorkflowStaticData('node');
	const options = this.getNodeParameter('options', {}) as IDataObject;
	const stored = storedRegistration(data);
	const rawBody = this.getRequestObject().rawBody as Buffer | undefined;
	const header = this.getHeaderData()['x-agentcall-signature'];
	const headerText = (Array.isArray(header) ? String(header[0] ?? '') : String(header ?? '')).trim();
	const allowBareHex = options.allowUnprefixedSignature === true;

	if (!stored?.secret) {
		return reject.call(
			this,
			'No signing secret is stored for this trigger, so no delivery can be verified. Deactivate and re-activate the workflow to register the webhook again.',
		);
	}
	if (!rawBody || !Buffer.isBuffer(rawBody)) {
		return reject.call(this, 'n8n did not keep the raw request body, which the signature check needs.');
	}
	if (!hasValidSignature(rawBody, headerText, stored.secret, { allowBareHex })) {
		return reject.call(this, signatureProblem(headerText, stored.secret, rawBody, allowBareHex));
	}

	let body = this.getBodyData() as unknown;
	if (!isObject(body) || !('event' in body)) {
		try {
			body = JSON.parse(rawBody.toString('utf8')) as unknown;
		} catch {
			body = {};
		}
	}
	const envelope = isObject(body) ? body : {};
	const event = text(envelope.event);
	// Signed but not for this workflow: answer 200 so AgentCall does not retry, start nothing.
	if (!event || !selectedEvents.call(this).includes(event)) return {};
	const payload = eventPayload(envelope);
	if (!(await concernsNumbers.call(this, payload, options))) return {};

	// No `await` from here to the claim: the check and the set are one step for this process.
	const scope = dedupeScope(this.getWorkflow().id, this.getNode().id, stored.webhookId);
	const recent = claimDelivery(scope, dedupeKey(event, payload), data.recent);
	if (recent === undefined) {
		this.logger.debug(`AgentCall Trigger: ignored a repeated delivery of ${event}`, { event });
		return {};
	}
	// One string, not an array: n8n wraps static data in proxies, and walking 500 proxied array
	// entries per delivery cost more than everything else the trigger does.
	data.recent = recent;
	// Acknowledge before n8n starts the run: n8n saves static data when the response goes out, and
	// building the run resets its change flag, so an answer sent after that would lose `recent`.
	this.getResponseObject().status(200).end();
	return {
		noWebhookResponse: true,
		workflowData: [this.helpers.returnJsonArray([eventItem(event, envelope.timestamp, payload)])],
	};
}
