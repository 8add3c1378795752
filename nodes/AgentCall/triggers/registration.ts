import type { IDataObject, IHookFunctions, IWebhookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { extractList, extractNextCursor, PAGE_SIZE_MAX } from '../shared/lists';
import { agentCallRequest } from '../shared/transport';
import { dedupeScope, forgetDeliveries } from './dedupe';

/**
 * The AgentCall Trigger's webhook registration. Static data (node) holds `webhookId`, `secret`,
 * `url` and `events` of the registration this trigger made; nothing else knows the secret.
 * AgentCall has no "get one webhook" route, so existence is checked on the list.
 */

export interface Registration {
	webhookId: string;
	secret: string;
	url: string;
	events: string[];
}

const MAX_LIST_PAGES = 20;

function isObject(value: unknown): value is IDataObject {
	return !!value && typeof value === 'object' && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
	if (typeof value === 'number') return String(value);
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** A field of a webhook reply, at the top level or nested under `data` / `webhook`. */
function field(body: unknown, ...keys: string[]): string | undefined {
	const holders = isObject(body) ? [body, body.data, body.webhook] : [];
	for (const holder of holders) {
		if (!isObject(holder)) continue;
		for (const key of keys) {
			const value = text(holder[key]);
			if (value) return value;
		}
	}
	return undefined;
}

export function sameUrl(a: unknown, b: unknown): boolean {
	return String(a ?? '').replace(/\/+$/, '') === String(b ?? '').replace(/\/+$/, '');
}

function sameEvents(a: string[], b: string[]): boolean {
	const left = [...new Set(a)].sort();
	const right = [...new Set(b)].sort();
	return left.length === right.length && left.every((event, index) => event === right[index]);
}

export function storedRegistration(data: IDataObject): Registration | undefined {
	const webhookId = text(data.webhookId);
	if (!webhookId) return undefined;
	return {
		webhookId,
		secret: typeof data.secret === 'string' ? data.secret : '',
		url: String(data.url ?? ''),
		events: Array.isArray(data.events) ? data.events.map(String) : [],
	};
}

function clearRegistration(data: IDataObject): void {
	for (const key of ['webhookId', 'secret', 'url', 'events', 'numberMap']) {
		if (key in data) delete data[key];
	}
}

export function selectedEvents(this: IHookFunctions | IWebhookFunctions): string[] {
	const raw = this.getNodeParameter('events', []) as unknown;
	const list = Array.isArray(raw) ? raw : String(raw ?? '').split(',');
	return [...new Set(list.map((event) => String(event).trim()).filter((event) => event !== ''))];
}

function webhookUrl(this: IHookFunctions): string {
	const url = this.getNodeWebhookUrl('default');
	if (!url) throw new NodeOperationError(this.getNode(), 'n8n could not work out the URL of this trigger');
	return url;
}

async function listWebhooks(this: IHookFunctions): Promise<IDataObject[]> {
	const hooks: IDataObject[] = [];
	let cursor: string | undefined;
	for (let page = 0; page < MAX_LIST_PAGES; page++) {
		const qs: IDataObject = { limit: PAGE_SIZE_MAX };
		if (cursor) qs.cursor = cursor;
		const { body, headers } = await agentCallRequest.call(this, { method: 'GET', path: '/v1/webhooks', qs, expect: 'list' });
		hooks.push(...extractList(body));
		const next = extractNextCursor(body, headers);
		if (!next || next === cursor) break;
		cursor = next;
	}
	return hooks;
}

/** DELETE one registration; an already deleted one (404) counts as deleted. */
async function deleteWebhook(this: IHookFunctions, webhookId: string): Promise<void> {
	await agentCallRequest.call(this, {
		method: 'DELETE',
		path: `/v1/webhooks/${encodeURIComponent(webhookId)}`,
		subject: { label: 'webhook', id: webhookId },
		acceptStatuses: [404],
	});
}

/**
 * True only when AgentCall still has this trigger's registration for this URL and these events,
 * and the secret is known. Any other registration for this trigger's URL (left by a lost state, or
 * for other events) is deleted so that no event is delivered twice or signed with an unknown secret.
 */
export async function registrationExists(this: IHookFunctions): Promise<boolean> {
	const data = this.getWorkflowStaticData('node');
	const url = webhookUrl.call(this);
	const events = selectedEvents.call(this);
	const stored = storedRegistration(data);
	let exists = false;
	for (const hook of await listWebhooks.call(this)) {
		const id = text(hook.id);
		if (!id) continue;
		if (stored && id === stored.webhookId && !sameUrl(stored.url, url) && sameUrl(hook.url, stored.url)) {
			this.logger.warn(
				`AgentCall Trigger: the n8n webhook URL changed, so the registration ${id} for the old URL is no longer used by this trigger. Delete it in AgentCall if nothing else uses it.`,
				{ webhookId: id },
			);
			continue;
		}
		if (!sameUrl(hook.url, url)) continue;
		const remoteEvents = Array.isArray(hook.events) ? hook.events.map(String) : (stored?.events ?? []);
		const ours = stored && id === stored.webhookId && stored.secret !== '';
		if (ours && sameEvents(remoteEvents, events) && sameEvents(stored.events, events)) {
			exists = true;
			continue;
		}
		try {
			await deleteWebhook.call(this, id);
		} catch (error) {
			this.logger.warn(`AgentCall Trigger: could not delete the outdated registration ${id}: ${(error as Error).message}`, {
				webhookId: id,
			});
		}
	}
	if (!exists) clearRegistration(data);
	return exists;
}

/** Registers the URL for the chosen events and keeps the id and signing secret. */
export async function createRegistration(this: IHookFunctions): Promise<boolean> {
	const data = this.getWorkflowStaticData('node');
	const url = webhookUrl.call(this);
	const events = selectedEvents.call(this);
	if (!events.length) {
		throw new NodeOperationError(this.getNode(), 'Choose at least one event to listen for', {
			description: 'Pick the AgentCall events under "Events".',
		});
	}
	const { body } = await agentCallRequest.call(this, { method: 'POST', path: '/v1/webhooks', body: { url, events } });
	const webhookId = field(body, 'id', 'webhookId');
	if (!webhookId) {
		throw new NodeOperationError(this.getNode(), 'AgentCall registered the webhook but returned no ID for it', {
			description: 'Activate the workflow again; the trigger removes registrations it cannot use when it starts.',
		});
	}
	let secret = field(body, 'secret', 'signingSecret');
	if (!secret) {
		// The secret is shown once, on creation or rotation; rotating at once gets us one.
		const rotated = await agentCallRequest.call(this, {
			method: 'POST',
			path: `/v1/webhooks/${encodeURIComponent(webhookId)}/rotate`,
			subject: { label: 'webhook', id: webhookId },
		});
		secret = field(rotated.body, 'secret', 'signingSecret');
	}
	if (!secret) {
		await deleteWebhook.call(this, webhookId);
		throw new NodeOperationError(this.getNode(), 'AgentCall returned no signing secret for the new webhook', {
			description: 'Without the secret the trigger cannot tell real AgentCall deliveries from forged ones, so the registration was removed again.',
		});
	}
	data.webhookId = webhookId;
	data.secret = secret;
	data.url = url;
	data.events = events;
	return true;
}

/** Removes the registration; one already gone counts as removed. Returns false if AgentCall refused. */
export async function deleteRegistration(this: IHookFunctions): Promise<boolean> {
	const data = this.getWorkflowStaticData('node');
	const stored = storedRegistration(data);
	if (!stored) return true;
	// The workflow stops receiving either way; static data keeps the keys for the next activation.
	forgetDeliveries(dedupeScope(this.getWorkflow().id, this.getNode().id, stored.webhookId));
	try {
		await deleteWebhook.call(this, stored.webhookId);
	} catch (error) {
		this.logger.warn(
			`AgentCall Trigger: could not delete webhook ${stored.webhookId} in AgentCall (${(error as Error).message}). It is removed the next time this workflow is activated, or delete it in AgentCall.`,
			{ webhookId: stored.webhookId },
		);
		return false;
	}
	clearRegistration(data);
	return true;
}
