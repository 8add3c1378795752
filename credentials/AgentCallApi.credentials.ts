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

import { trimBaseUrl } from '../nodes/AgentCall/shared/transport';

const WEB_PAGE_MESSAGE =
	"The Base URL answered with a web page, not with AgentCall's JSON. Use https://api.agentcall.co (the API, not the website) and check any proxy between n8n and AgentCall.";

const CUT_SHORT_MESSAGE =
	'The Base URL answered with JSON that was cut short. Check the Base URL (https://api.agentcall.co) and any proxy between n8n and AgentCall.';

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
];

export class AgentCallApi implements ICredentialType {
	name = 'agentCallApi';

	displayName = 'AgentCall API';

	icon: Icon = { light: 'file:../icons/agentcall.svg', dark: 'file:../icons/agentcall.dark.svg' };

	documentationUrl = 'https://github.com/agentcall/n8n-nodes-agentcall#credentials';

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
