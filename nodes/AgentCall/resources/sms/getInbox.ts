import type {
	IDataObject,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { phoneNumberLocator, returnAllAndLimit, showFor, simplifyField, validateIdParameter } from '../../shared/fields';
import { simplifyItems } from '../../shared/routing';
import { simpleMessage } from '../../shared/shapes';

const displayOptions = showFor('sms', ['getInbox']);

async function sendOtpOnly(this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
	const filters = this.getNodeParameter('filters', {}) as IDataObject;
	if (filters.otpOnly === true) {
		requestOptions.qs = { ...(requestOptions.qs ?? {}), otpOnly: 'true' };
	}
	return requestOptions;
}

function timeOf(item: INodeExecutionData): number {
	const time = Date.parse(String(item.json.receivedAt ?? ''));
	return Number.isNaN(time) ? -Infinity : time;
}

/**
 * Runs after `listItems(toMessage)`: fills in the number the messages belong to when the API
 * leaves it out, and puts the newest message first, since the API's order is not documented.
 * Sorts in place so the page keeps what `listItems` attached to it (the next-page cursor).
 */
async function inboxOrder(this: IExecuteSingleFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const numberId = String(this.getNodeParameter('smsNumberId', '', { extractValue: true })).trim();
	for (const item of items) {
		if (item.json.numberId === null || item.json.numberId === undefined) item.json.numberId = numberId;
	}
	return items.sort((a, b) => timeOf(b) - timeOf(a));
}

export const smsGetInboxDescription: INodeProperties[] = [
	// One definition for Get Inbox and Wait for OTP (RoutingNode evaluates a value once per
	// definition of its name); the routing serves Get Inbox, Wait for OTP runs in code.
	phoneNumberLocator({
		name: 'smsNumberId',
		displayName: 'Phone Number',
		description: 'Your AgentCall number whose received SMS to read',
		displayOptions: showFor('sms', ['getInbox', 'waitForOtp']),
		routing: {
			request: { url: '=/v1/sms/inbox/{{ encodeURIComponent(String($value).trim()) }}' },
			send: { preSend: [validateIdParameter('smsNumberId', 'Phone Number')] },
			output: { postReceive: [inboxOrder] },
		},
	}),
	...returnAllAndLimit(displayOptions),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions,
		options: [
			{
				displayName: 'OTP Only',
				name: 'otpOnly',
				type: 'boolean',
				default: false,
				description: 'Whether to return only messages in which AgentCall found a one-time code (OTP)',
				routing: { send: { preSend: [sendOtpOnly] } },
			},
		],
	},
	// After the number's field: its postReceive (inboxOrder) reads the full messages.
	simplifyField(displayOptions, 'ID, number ID, from, to, text, OTP and received time of each message', simplifyItems(simpleMessage)),
];
