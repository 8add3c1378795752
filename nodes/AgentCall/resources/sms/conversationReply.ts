import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { requireId } from '../../shared/fields';
import { enforceGuardrails } from '../../shared/guardrailEnforcer';
import { defaultIdempotencyKey, readOwnIdempotencyKey } from '../../shared/idempotency';
import { runPerItem } from '../../shared/items';
import { toE164 } from '../../shared/phone';
import { agentCallRequest } from '../../shared/transport';
import { isObject } from '../call/callApi';
import { checkSmsText } from './send';

/**
 * SMS > Reply in Conversation: `POST /v1/sms-conversations/:id/reply`. The recipient is the
 * conversation's contact, which the request does not name, so the node reads the conversation
 * first and checks that contact against the credential's guardrails before replying. Every reply
 * carries an idempotency key, so a retry never texts twice.
 */

/** The contact's phone number in a conversation, whichever shape it came in; undefined when none. */
export function contactPhoneOf(body: unknown): string | undefined {
	const root = isObject(body) ? body : {};
	const thread = isObject(root.conversation) ? root.conversation : root;
	const contact = isObject(thread.contact) ? thread.contact : {};
	const inbound = (Array.isArray(root.messages) ? root.messages : []).find(
		(message) => isObject(message) && String(message.direction ?? '').toLowerCase() === 'inbound',
	) as IDataObject | undefined;
	for (const candidate of [thread.contactPhone, contact.phone, thread.phone, inbound?.from]) {
		const parsed = toE164(candidate);
		if (parsed.ok) return parsed.e164;
	}
	return undefined;
}

async function replyOne(context: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData> {
	const site = { getNode: () => context.getNode(), getItemIndex: () => itemIndex };
	const conversationId = requireId(site, 'Conversation ID', context.getNodeParameter('conversationId', itemIndex, ''));
	const text = checkSmsText(site, 'Reply Message', context.getNodeParameter('replyMessage', itemIndex, ''));
	const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const ownKey = readOwnIdempotencyKey(site, options.idempotencyKey, 'Use a short, stable ID such as the ID of the message you answer.');
	const idempotencyKey = ownKey || defaultIdempotencyKey(context, itemIndex, conversationId);
	const subject = { label: 'SMS conversation', id: conversationId };
	const path = `/v1/sms-conversations/${encodeURIComponent(conversationId)}`;

	const { body: conversation } = await agentCallRequest.call(context, { method: 'GET', path, itemIndex, subject });
	const to = contactPhoneOf(conversation);
	if (to === undefined) {
		throw new NodeOperationError(context.getNode(), `Could not tell who conversation "${conversationId}" is with - nothing was sent`, {
			itemIndex,
			description:
				"The node checks every recipient against the credential's guardrails, and AgentCall's answer for this conversation named no contact phone number. Check the conversation with Get Conversation.",
		});
	}
	await enforceGuardrails(context, { action: 'sms', to }, itemIndex);

	const body: IDataObject = { body: text, ...(idempotencyKey ? { idempotencyKey } : {}) };
	const { body: answer } = await agentCallRequest.call(context, { method: 'POST', path: `${path}/reply`, body, itemIndex, subject });
	return { json: { conversationId, to, body: text, ...(idempotencyKey ? { idempotencyKey } : {}), ...(isObject(answer) ? answer : {}) } };
}

/** The custom operation n8n runs for resource "sms", operation "replyToConversation". */
export async function replyToConversation(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runPerItem(this, async (itemIndex) => await replyOne(this, itemIndex));
}
