import type {
	IDataObject,
	IDisplayOptions,
	IExecuteFunctions,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodeProperties,
	PostReceiveAction,
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

/** The error of an input check: names the item, says what to do; nothing has been sent. */
export function inputError(context: InputCheckContext, message: string, description: string): NodeOperationError {
	return new NodeOperationError(context.getNode(), message, { itemIndex: context.getItemIndex(), description });
}

function invalidInput(context: InputCheckContext, field: string, value: unknown, why: string, hint: string) {
	const shown = typeof value === 'string' ? `"${value}"` : JSON.stringify(value ?? '');
	return new NodeOperationError(context.getNode(), `"${field}" is not valid: ${shown} - ${why}`, {
		itemIndex: context.getItemIndex(),
		description: hint,
	});
}

/** What the input checks need of one item: its node, its index and its parameters. */
export type ItemSite = InputCheckContext & { getNodeParameter(name: string, fallback: IDataObject | string): unknown };

/** One item's view of a custom operation's context, shaped like a routed operation's. */
export function itemSite(context: IExecuteFunctions, itemIndex: number): ItemSite {
	return {
		getNode: () => context.getNode(),
		getItemIndex: () => itemIndex,
		getNodeParameter: (name, fallback) => context.getNodeParameter(name, itemIndex, fallback),
	};
}

/** The Default Country under Options, for numbers given without a country code. */
export function defaultCountryOf(site: ItemSite): string {
	return defaultCountryIn(site.getNodeParameter('options', {}) as IDataObject);
}

/** The Default Country of an Options value already read. */
export function defaultCountryIn(options: IDataObject): string {
	return typeof options.defaultCountry === 'string' && options.defaultCountry !== '' ? options.defaultCountry : DEFAULT_COUNTRY;
}

/** Normalises a phone number into E.164 or throws the field's error. */
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

/** A number of seconds from 1 to `max` (a field such as Timeout or Max Wait), checked before any request. */
export function requireSeconds(context: InputCheckContext, field: string, raw: unknown, max: number, hint: string): number {
	const seconds = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
	if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 1 || seconds > max) {
		throw invalidInput(context, field, raw, `it must be a number of seconds from 1 to ${max}`, hint);
	}
	return seconds;
}

/** The name of the binary field an operation puts its file in ("Put Output File in Field"). */
export function requireBinaryFieldName(context: InputCheckContext, value: unknown): string {
	const name = String(value ?? '').trim();
	if (name === '') {
		throw new NodeOperationError(context.getNode(), '"Put Output File in Field" is empty - enter a field name such as data', {
			itemIndex: context.getItemIndex(),
		});
	}
	return name;
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

/** The From locator's value for the API: IDs pass as they are, phone numbers become E.164. */
function fromLocatorValue(context: InputCheckContext, locator: IDataObject): string {
	// Every AgentCall number is US or Canadian, so a number typed without a country code is read
	// as +1 whatever the Default Country (which is for To).
	return locator.mode === 'phoneNumber'
		? checkPhone(context, 'From', locator.value, DEFAULT_COUNTRY)
		: requireId(context, 'From', locator.value);
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
 * Simplify (`simple`), n8n's usual choice for large outputs; `kept` lists what a simplified item
 * has. On by default, as n8n's own nodes and its linter have it, and above all for an AI Agent's
 * tool, whose whole output the model reads. Off gives the full output.
 */
export function simplifyField(displayOptions: IDisplayOptions, kept: string, postReceive?: PostReceiveAction): INodeProperties {
	return {
		displayName: 'Simplify',
		name: 'simple',
		type: 'boolean',
		default: true,
		description: 'Whether to return a simplified version of the response instead of the raw data',
		hint: `Simplified: ${kept}. Turn off for everything AgentCall returned.`,
		displayOptions,
		...(postReceive ? { routing: { output: { postReceive: [postReceive] } } } : {}),
	};
}

/** The resources that ask for From and To; each names its own pair (`smsFrom`, `callTo`, …). */
export type PartiesPrefix = 'sms' | 'call' | 'aiCall';

/** The From and To parameter names of one resource. */
function partyParameters(prefix: PartiesPrefix): { from: string; to: string } {
	return { from: `${prefix}From`, to: `${prefix}To` };
}

/**
 * From (one of your numbers: list, ID or E.164) and To (any phone number), as Send SMS, Make Call
 * and Start AI Call ask for them. Each resource has its own parameter names: n8n's RoutingNode
 * evaluates a parameter's value once per property *definition* of that name, for every item, so
 * a name shared by three resources cost three evaluations where one is needed. The fields carry
 * no routing of their own for the same reason (a routed field is read again per item and pass);
 * routed operations send them with `fromAndToBody`, code operations with `readFromAndTo`.
 */
export function fromAndToFields(options: {
	prefix: PartiesPrefix;
	displayOptions: IDisplayOptions;
	fromDescription: string;
	toDescription: string;
}): INodeProperties[] {
	const names = partyParameters(options.prefix);
	return [
		phoneNumberLocator({
			name: names.from,
			displayName: 'From',
			description: options.fromDescription,
			displayOptions: options.displayOptions,
			acceptPhoneNumber: true,
		}),
		{
			displayName: 'To',
			name: names.to,
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. +14155551234',
			description: options.toDescription,
			displayOptions: options.displayOptions,
		},
	];
}

/** From and To of one item as sent: `from` is the number ID or E.164 number the API got. */
interface SentParties {
	from: string;
	/** Whether From was given as a phone number rather than a number ID. */
	fromIsPhoneNumber: boolean;
	to: string;
}

/** Reads, checks and normalises From and To of one item (each parameter read once). */
export function readFromAndTo(
	context: ItemSite,
	prefix: PartiesPrefix,
	defaultCountry: string,
): SentParties {
	const names = partyParameters(prefix);
	const locator = context.getNodeParameter(names.from, {}) as IDataObject;
	const from = fromLocatorValue(context, locator);
	const to = checkPhone(context, 'To', context.getNodeParameter(names.to, ''), defaultCountry);
	return { from, fromIsPhoneNumber: locator.mode === 'phoneNumber', to };
}

/** preSend of a routed operation with From and To: checks both and puts them in the body. */
export function fromAndToBody(prefix: PartiesPrefix): PreSendAction {
	return async function (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) {
		const parties = readFromAndTo(this, prefix, defaultCountryOf(this));
		requestOptions.body = { ...((requestOptions.body ?? {}) as IDataObject), from: parties.from, to: parties.to };
		return requestOptions;
	};
}

/**
 * A voice picker fed by AgentCall's voice catalogue (`getVoices`, built-in list as fallback). The
 * values are the voice IDs the node always used, so existing workflows keep their voice.
 */
export function voiceField(options: {
	name: string;
	description: string;
	displayOptions?: IDisplayOptions;
}): INodeProperties {
	return {
		displayName: 'Voice Name or ID',
		name: options.name,
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getVoices' },
		default: 'shimmer',
		description: `${options.description} Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>`,
		...(options.displayOptions ? { displayOptions: options.displayOptions } : {}),
	};
}
