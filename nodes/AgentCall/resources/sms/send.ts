import type {
	IDataObject,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	INodeExecutionData,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { InputCheckContext } from '../../shared/fields';
import { defaultCountryOption, fromAndToBody, fromAndToFields, guardrailsNotice, sentParties, showFor } from '../../shared/fields';
import { guardrailPreSend } from '../../shared/guardrailEnforcer';
import { toMessage } from '../../shared/shapes';

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

/** The checked text of each item's message, for `sentMessage` (same context object, see `sentParties`). */
const sentText = new WeakMap<IExecuteSingleFunctions, string>();

/** The checked text of a message, or the field's error (nothing is sent). */
export function checkMessage(context: InputCheckContext, value: unknown): string {
	const text = messageText(value);
	const count = characterCount(text);
	if (text.trim() === '') {
		throw new NodeOperationError(context.getNode(), '"Message" is empty - enter the text to send', {
			itemIndex: context.getItemIndex(),
			description: 'If the text comes from an expression, check that the field it reads exists in this item.',
		});
	}
	if (count > SMS_MAX_CHARACTERS) {
		throw new NodeOperationError(
			context.getNode(),
			`"Message" is too long: ${count} characters - an SMS can have at most ${SMS_MAX_CHARACTERS}`,
			{
				itemIndex: context.getItemIndex(),
				description: `Shorten the text by ${count - SMS_MAX_CHARACTERS} character${count - SMS_MAX_CHARACTERS === 1 ? '' : 's'}, or split it over several Send operations. Nothing was sent.`,
			},
		);
	}
	return text;
}

async function validateMessage(this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
	const text = checkMessage(this, this.getNodeParameter('message', ''));
	sentText.set(this, text);
	requestOptions.body = { ...((requestOptions.body ?? {}) as IDataObject), body: text };
	return requestOptions;
}

/**
 * The sent message in the shared message shape. A minimal reply (`{ id, status }`) is completed
 * with what was sent, so later steps can always read `to`, `body` and `from`; what was sent comes
 * from the preSends, not from the parameters again (each read is an expression evaluation).
 */
async function sentMessage(
	this: IExecuteSingleFunctions,
	_items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
): Promise<INodeExecutionData[]> {
	const reply =
		response.body && typeof response.body === 'object' && !Array.isArray(response.body) ? (response.body as IDataObject) : {};
	const parties = sentParties(this);
	const sent: IDataObject = {
		direction: 'outbound',
		from: parties?.fromIsPhoneNumber ? parties.from : null,
		to: parties?.to ?? null,
		body: sentText.get(this) ?? null,
	};
	const numberId = parties && !parties.fromIsPhoneNumber ? parties.from : undefined;
	return [{ json: toMessage({ ...sent, ...reply }, numberId) }];
}

/**
 * Send's routing sits on the operation, not on its fields: RoutingNode reads every routed field's
 * value once more per item (and again for its base-URL pass), so From, To and Message are read
 * once each, here.
 */
export const smsSendRouting: INodePropertyOptions['routing'] = {
	request: { method: 'POST', url: '/v1/sms/send' },
	send: { preSend: [fromAndToBody('sms'), validateMessage, guardrailPreSend('sms')] },
	output: { postReceive: [sentMessage] },
};

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
