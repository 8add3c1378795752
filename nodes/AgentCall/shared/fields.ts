import type {
	IDataObject,
	IDisplayOptions,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodeProperties,
	PreSendAction,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { COUNTRY_CALLING_CODES, DEFAULT_COUNTRY, toE164 } from './phone';

/**
 * Field builders and input checks shared by the resources. Every check runs as a preSend, i.e.
 * before any request leaves n8n, and names the field, the value and the item.
 */

export function showFor(resource: string, operations: string[]): IDisplayOptions {
	return { show: { resource: [resource], operation: operations } };
}

/** What an input check needs to report: enough for routed preSends and for code operations alike. */
export type InputCheckContext = Pick<IExecuteSingleFunctions, 'getNode' | 'getItemIndex'>;

function invalidInput(context: InputCheckContext, field: string, value: unknown, why: string, hint: string) {
	const shown = typeof value === 'string' ? `"${value}"` : JSON.stringify(value ?? '');
	return new NodeOperationError(context.getNode(), `"${field}" is not valid: ${shown} - ${why}`, {
		itemIndex: context.getItemIndex(),
		description: hint,
	});
}

/** Reads the Default Country option of the current operation, if it has one. */
function defaultCountryOf(context: IExecuteSingleFunctions): string {
	const options = context.getNodeParameter('options', {}) as IDataObject;
	return typeof options.defaultCountry === 'string' && options.defaultCountry !== ''
		? options.defaultCountry
		: DEFAULT_COUNTRY;
}

/** Normalises a phone number into E.164 or throws the field's error. */
export function requirePhone(context: IExecuteSingleFunctions, field: string, value: unknown): string {
	return checkPhone(context, field, value, defaultCountryOf(context));
}

/** `requirePhone` for code operations, which read their Default Country themselves. */
export function checkPhone(context: InputCheckContext, field: string, value: unknown, defaultCountry: string): string {
	const parsed = toE164(value, defaultCountry || DEFAULT_COUNTRY);
	if (!parsed.ok) {
		throw invalidInput(
			context,
			field,
			value,
			parsed.reason,
			'Use international format with the country code, e.g. +14155551234. Numbers without a country code are read with the Default Country under Options.',
		);
	}
	return parsed.e164;
}

/** preSend: normalises the phone numbers in the request body (`bodyKey` → field label). */
export function normalizePhoneBody(fields: Record<string, string>): PreSendAction {
	return async function (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) {
		const body = (requestOptions.body ?? {}) as IDataObject;
		for (const [key, label] of Object.entries(fields)) {
			body[key] = requirePhone(this, label, body[key]);
		}
		requestOptions.body = body;
		return requestOptions;
	};
}

/** Checks an AgentCall ID: opaque, but never empty and never able to change the request path. */
export function requireId(context: InputCheckContext, field: string, value: unknown): string {
	const id = typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
	if (id === '' || /[\s/?#\\]/.test(id)) {
		throw invalidInput(
			context,
			field,
			value,
			id === '' ? 'it is empty' : 'an ID has no spaces, slashes, ? or #',
			'Pick the item from the list, or map the "id" field of an earlier AgentCall step.',
		);
	}
	return id;
}

/** preSend: validates the ID parameter that the operation's URL is built from. */
export function validateIdParameter(parameter: string, label: string): PreSendAction {
	return async function (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) {
		requireId(this, label, this.getNodeParameter(parameter, '', { extractValue: true }));
		return requestOptions;
	};
}

/** Picks one of the account's numbers: a searchable list, an ID, or (where the API takes one) an E.164 number. */
export function phoneNumberLocator(options: {
	name: string;
	displayName: string;
	description: string;
	displayOptions: IDisplayOptions;
	acceptPhoneNumber?: boolean;
	routing?: INodeProperties['routing'];
}): INodeProperties {
	return {
		displayName: options.displayName,
		name: options.name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: options.description,
		displayOptions: options.displayOptions,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchPhoneNumbers', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. cmpm572gz0001na01exn8yone',
			},
			...(options.acceptPhoneNumber
				? [
						{
							displayName: 'By Phone Number',
							name: 'phoneNumber',
							type: 'string' as const,
							placeholder: 'e.g. +14155551234',
						},
					]
				: []),
		],
		routing: options.routing,
	};
}

/**
 * preSend for a number locator sent in the body: IDs pass as they are, phone numbers become E.164.
 * The locator always names an AgentCall number, and those are all US or Canadian, so a number
 * typed without a country code is read as +1 whatever the Default Country (which is for To).
 */
export function normalizeNumberLocatorBody(parameter: string, bodyKey: string, label: string): PreSendAction {
	return async function (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) {
		const locator = this.getNodeParameter(parameter, {}) as IDataObject;
		const body = (requestOptions.body ?? {}) as IDataObject;
		body[bodyKey] =
			locator.mode === 'phoneNumber'
				? checkPhone(this, label, locator.value, DEFAULT_COUNTRY)
				: requireId(this, label, locator.value);
		requestOptions.body = body;
		return requestOptions;
	};
}

export const defaultCountryOption: INodeProperties = {
	displayName: 'Default Country',
	name: 'defaultCountry',
	type: 'options',
	default: DEFAULT_COUNTRY,
	description:
		'Country used for the To number when it is entered without a country code, such as (415) 555-1234. Your own AgentCall numbers are always read as US or Canadian.',
	options: Object.keys(COUNTRY_CALLING_CODES)
		.sort()
		.map((code) => ({ name: `${code} (+${COUNTRY_CALLING_CODES[code]})`, value: code })),
};

/** Tells the builder of a sending operation that the credential's owner sets limits they cannot override. */
export function guardrailsNotice(displayOptions: IDisplayOptions): INodeProperties {
	return {
		displayName:
			"The AgentCall credential's guardrails apply: allowed destinations, limits per execution and quiet hours. Its owner sets them in the credential.",
		name: 'guardrailsNotice',
		type: 'notice',
		default: '',
		displayOptions,
	};
}

/** The standard Return All / Limit pair; `sendRoutedRequest` pages and caps with them. */
export function returnAllAndLimit(displayOptions: IDisplayOptions): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
			displayOptions,
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			default: 50,
			typeOptions: { minValue: 1 },
			description: 'Max number of results to return',
			displayOptions: { show: { ...displayOptions.show, returnAll: [false] } },
			routing: { output: { maxResults: '={{$value}}' } },
		},
	];
}

/**
 * From (one of your numbers: list, ID or E.164) and To (any phone number), as Send SMS, Make Call
 * and Start AI Call ask for them. `routed` adds the body routing and input checks; code operations
 * read and check the values themselves.
 */
export function fromAndToFields(options: {
	displayOptions: IDisplayOptions;
	routed: boolean;
	fromDescription: string;
	toDescription: string;
}): INodeProperties[] {
	const { displayOptions, routed } = options;
	return [
		phoneNumberLocator({
			name: 'from',
			displayName: 'From',
			description: options.fromDescription,
			displayOptions,
			acceptPhoneNumber: true,
			routing: routed ? { send: { preSend: [normalizeNumberLocatorBody('from', 'from', 'From')] } } : undefined,
		}),
		{
			displayName: 'To',
			name: 'to',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. +14155551234',
			description: options.toDescription,
			displayOptions,
			routing: routed ? { send: { type: 'body', property: 'to', preSend: [normalizePhoneBody({ to: 'To' })] } } : undefined,
		},
	];
}
