import type {
	IAuthenticateRuleResponseCode,
	IAuthenticateRuleResponseSuccessBody,
	Icon,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import { trimBaseUrl } from '../nodes/AgentCall/shared/baseUrl';
import { GUARDRAIL_DEFAULTS as DEFAULTS, GUARDRAIL_FIELDS as FIELDS } from '../nodes/AgentCall/shared/guardrails';

const WEB_PAGE_MESSAGE =
	"The Base URL answered with a web page, not with AgentCall's JSON. Use https://api.agentcall.co (the API, not the website) and check any proxy between n8n and AgentCall.";

const CUT_SHORT_MESSAGE =
	'The Base URL answered with JSON that was cut short. Check the Base URL (https://api.agentcall.co) and any proxy between n8n and AgentCall.';

const PLAIN_TEXT_MESSAGE =
	"The Base URL answered with plain text, not with AgentCall's JSON. Use https://api.agentcall.co and check any proxy or health-check page between n8n and AgentCall.";

/** First characters of a plain-text answer (a letter or digit); JSON starts with "{" or "[". */
const PLAIN_TEXT_STARTS = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'];

/** What the Test button reports for answers that are not a working AgentCall API. */
const TEST_RULES: Array<IAuthenticateRuleResponseCode | IAuthenticateRuleResponseSuccessBody> = [
	{
		type: 'responseCode',
		properties: {
			value: 401,
			message:
				'AgentCall rejected the API key. Copy it again from the AgentCall dashboard (it starts with ac_live_) and check it was not revoked.',
		},
	},
	{
		type: 'responseCode',
		properties: {
			value: 404,
			message:
				'No AgentCall API answered at this Base URL. Use https://api.agentcall.co unless you run the AgentCall sandbox or a proxy.',
		},
	},
	// n8n compares one field of the answer with a value. An answer that is not JSON stays a
	// string, and field "0" of a string is its first character: "<" is a web page (a website or
	// a proxy at the Base URL), "{" or "[" is JSON cut short. AgentCall's JSON never has a "0".
	{ type: 'responseSuccessBody', properties: { key: '0', value: '<', message: WEB_PAGE_MESSAGE } },
	{ type: 'responseSuccessBody', properties: { key: '0', value: '{', message: CUT_SHORT_MESSAGE } },
	{ type: 'responseSuccessBody', properties: { key: '0', value: '[', message: CUT_SHORT_MESSAGE } },
	// Plain text such as a proxy's "OK": one rule per possible first character.
	...PLAIN_TEXT_STARTS.map(
		(first): IAuthenticateRuleResponseSuccessBody => ({ type: 'responseSuccessBody', properties: { key: '0', value: first, message: PLAIN_TEXT_MESSAGE } }),
	),
];

/**
 * The guardrails: set once by the owner of the credential, applied to every node, AI Agent tool
 * and trigger reply that uses it, and out of reach of workflow builders and models.
 */
const guardrailProperties: INodeProperties[] = [
	{
		displayName:
			'<b>Guardrails</b> apply to every SMS, call and AI call sent with this credential, by any workflow or AI agent. A refused request fails before anything is sent.',
		name: 'guardrailsNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Allowed Destinations',
		name: FIELDS.allowedDestinations,
		type: 'string',
		default: DEFAULTS.allowedDestinations,
		placeholder: 'e.g. +1, +44, +4915112345678',
		description:
			'Country codes, prefixes or exact numbers, separated by commas, that may be texted or called. Leave empty to allow every number that is not blocked.',
	},
	{
		displayName: 'Blocked Prefixes',
		name: FIELDS.blockedPrefixes,
		type: 'string',
		typeOptions: { rows: 2 },
		default: DEFAULTS.blockedPrefixes,
		description:
			'Numbers starting with one of these are always refused, even if allowed above. The default lists premium-rate, satellite and other high-cost ranges (see the README).',
	},
	{
		displayName: 'Max SMS per Execution',
		name: FIELDS.maxSms,
		type: 'number',
		typeOptions: { minValue: 0 },
		default: DEFAULTS.maxSms,
		description: 'Most SMS one workflow execution may send with this credential, so a looping workflow or agent stops. 0 forbids SMS.',
	},
	{
		displayName: 'Max Calls per Execution',
		name: FIELDS.maxCalls,
		type: 'number',
		typeOptions: { minValue: 0 },
		default: DEFAULTS.maxCalls,
		description: 'Most calls (Call > Make) one workflow execution may place. 0 forbids calls.',
	},
	{
		displayName: 'Max AI Call Minutes per Execution',
		name: FIELDS.maxAiMinutes,
		type: 'number',
		typeOptions: { minValue: 0 },
		default: DEFAULTS.maxAiMinutes,
		description:
			"Most AI-call minutes one workflow execution may request: each AI call counts its Max Duration (10 minutes if not set). 0 forbids AI calls.",
	},
	{
		displayName: 'Quiet Hours',
		name: FIELDS.quietHours,
		type: 'options',
		options: [
			{ name: 'Off', value: 'off' },
			{ name: 'Calls and AI Calls', value: 'calls' },
			{ name: 'Calls, AI Calls and SMS', value: 'all' },
		],
		default: DEFAULTS.quietHours,
		description: "What is refused during quiet hours in the recipient's time zone",
	},
	{
		displayName: 'Quiet From',
		name: FIELDS.quietFrom,
		type: 'string',
		default: DEFAULTS.quietFrom,
		placeholder: 'e.g. 21:00',
		description: "Start of quiet hours, 24-hour time in the recipient's time zone. 21:00-08:00 follows the US telemarketing rule.",
		displayOptions: { hide: { [FIELDS.quietHours]: ['off'] } },
	},
	{
		displayName: 'Quiet Until',
		name: FIELDS.quietUntil,
		type: 'string',
		default: DEFAULTS.quietUntil,
		placeholder: 'e.g. 08:00',
		description: "End of quiet hours, 24-hour time in the recipient's time zone",
		displayOptions: { hide: { [FIELDS.quietHours]: ['off'] } },
	},
	{
		displayName: 'Time Zone',
		name: FIELDS.timeZone,
		type: 'string',
		default: DEFAULTS.timeZone,
		placeholder: 'e.g. America/New_York',
		description:
			"Time zone for recipients whose zone the number does not tell (toll-free numbers, countries with several zones). Leave empty for the workflow's time zone.",
		displayOptions: { hide: { [FIELDS.quietHours]: ['off'] } },
	},
];

export class AgentCallApi implements ICredentialType {
	name = 'agentCallApi';

	displayName = 'AgentCall API';

	icon: Icon = { light: 'file:../icons/agentcall.svg', dark: 'file:../icons/agentcall.dark.svg' };

	documentationUrl = 'https://github.com/agentcall/n8n-nodes-agentcall#credentials';

	// Only this package's nodes (and their AI Agent tool variants) may use the key: an HTTP Request
	// node with this credential would send SMS and calls around the guardrails.
	restrictToSupportedNodes = true as const;

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			placeholder: 'e.g. ac_live_xxxxxxxxxxxxx',
			description:
				'Your AgentCall API key. Create one in the AgentCall dashboard under API Keys; it starts with <code>ac_live_</code>.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.agentcall.co',
			placeholder: 'e.g. https://api.agentcall.co',
			description:
				'Leave as is for the AgentCall cloud. Change it only for the local AgentCall sandbox or a proxy in front of the API.',
		},
		...guardrailProperties,
	];

	/**
	 * Sends the key as a Bearer token and, for a request without a base URL of its own (the
	 * AgentCall node's routed operations), aims it at the Base URL, with or without a trailing
	 * slash. Code rather than n8n's generic `=Bearer {{$credentials.apiKey}}` and a
	 * `requestDefaults.baseURL` expression: n8n evaluated those three expressions for every item
	 * (test/bench/NOTES.md, finding B).
	 */
	async authenticate(credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
		if (!requestOptions.baseURL && !/^[a-z][a-z\d+.-]*:\/\//i.test(requestOptions.url)) {
			requestOptions.baseURL = trimBaseUrl(credentials.baseUrl);
		}
		requestOptions.headers = { ...requestOptions.headers, Authorization: `Bearer ${String(credentials.apiKey)}` };
		return requestOptions;
	}

	// Listing one number is the cheapest authenticated call: it proves the key without side effects.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/v1/numbers',
			qs: { limit: 1 },
		},
		// n8n's type wants one kind of rule per list, but its tester reads each rule's own type.
		rules: TEST_RULES as IAuthenticateRuleResponseCode[],
	};
}
