import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { InputCheckContext } from '../../shared/fields';
import { defaultCountryOf, defaultCountryOption, fromAndToFields, guardrailsNotice, itemSite, readFromAndTo, showFor } from '../../shared/fields';
import { enforceGuardrails } from '../../shared/guardrailEnforcer';
import { runItemsConcurrently } from '../../shared/items';
import { toMessage } from '../../shared/shapes';
import { agentCallRequest } from '../../shared/transport';

/** Send and Wait for Reply sends the same way, so it shows (and reads) the same From, To and Message. */
const displayOptions = showFor('sms', ['send', 'sendAndWaitForReply']);

/** AgentCall's documented limit for one message body. */
export const SMS_MAX_CHARACTERS = 1600;

/**
 * Characters as a person counts them (code points, so an emoji is one), which is also how a
 * JSON-schema `maxLength` counts. If AgentCall counts differently its own 422 still explains it.
 */
function characterCount(text: string): number {
	return Array.from(text).length;
}

function messageText(value: unknown): string {
	return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

/** Checks an SMS text (not empty, not too long) before it is sent; returns it as sent. */
export function checkSmsText(site: InputCheckContext, field: string, value: unknown): string {
	const text = messageText(value);
	const count = characterCount(text);
	if (text.trim() === '') {
		throw new NodeOperationError(site.getNode(), `"${field}" is empty - enter the text to send`, {
			itemIndex: site.getItemIndex(),
			description: 'If the text comes from an expression, check that the field it reads exists in this item.',
		});
	}
	if (count > SMS_MAX_CHARACTERS) {
		throw new NodeOperationError(
			site.getNode(),
			`"${field}" is too long: ${count} characters - an SMS can have at most ${SMS_MAX_CHARACTERS}`,
			{
				itemIndex: site.getItemIndex(),
				description: `Shorten the text by ${count - SMS_MAX_CHARACTERS} character${count - SMS_MAX_CHARACTERS === 1 ? '' : 's'}, or split it over several messages. Nothing was sent.`,
			},
		);
	}
	return text;
}

/**
 * Sends one item's SMS: From, To and Message are each read once and checked, the guardrails
 * decide, then one request. The output is the sent message in the shared message shape; a
 * minimal reply (`{ id, status }`) is completed with what was sent, so later steps can always
 * read `to`, `body` and `from`.
 */
export async function sendSmsItem(context: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const site = itemSite(context, itemIndex);
	const parties = readFromAndTo(site, 'sms', defaultCountryOf(site));
	const text = checkSmsText(site, 'Message', site.getNodeParameter('message', ''));
	await enforceGuardrails(context, { action: 'sms', to: parties.to }, itemIndex);
	const response = await agentCallRequest.call(context, {
		method: 'POST',
		path: '/v1/sms/send',
		body: { from: parties.from, to: parties.to, body: text },
		itemIndex,
		// A 404 here can only be the From number.
		subject: { label: 'phone number', id: parties.from },
	});
	const sent: IDataObject = {
		direction: 'outbound',
		from: parties.fromIsPhoneNumber ? parties.from : null,
		to: parties.to,
		body: text,
	};
	return toMessage({ ...sent, ...(response.body as IDataObject) }, parties.fromIsPhoneNumber ? undefined : parties.from);
}

/**
 * SMS > Send runs in code, not through declarative routing: n8n's RoutingNode evaluates every
 * expression-valued parameter of the node twice per item before any preSend runs (once to build
 * the request, once more for its allowed-domains check), so a routed Send cost three evaluations
 * of To and of Message per item against the HTTP Request node's one (test/bench/NOTES.md finding
 * B). Items are sent concurrently, as routed operations and the HTTP Request node send them.
 */
export async function send(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runItemsConcurrently(this, async (itemIndex) => ({ json: await sendSmsItem(this, itemIndex) }));
}

export const smsSendDescription: INodeProperties[] = [
	guardrailsNotice(displayOptions),
	...fromAndToFields({
		prefix: 'sms',
		displayOptions,
		fromDescription: 'Your AgentCall number that sends the message: pick it, or give its ID or its phone number',
		toDescription:
			'Phone number to text, with its country code. Numbers without one, such as (415) 555-1234, use the Default Country under Options.',
	}),
	{
		displayName: 'Message',
		name: 'message',
		type: 'string',
		default: '',
		required: true,
		typeOptions: { rows: 4 },
		placeholder: 'e.g. Your table for 2 is booked for 7 pm tonight.',
		description: `Text of the SMS, at most ${SMS_MAX_CHARACTERS} characters`,
		hint: 'A real person receives this text. Each message costs $0.015; the Free plan includes 10 a month.',
		displayOptions,
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: showFor('sms', ['send']),
		options: [defaultCountryOption],
	},
];
