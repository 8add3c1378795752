import type {
	Icon,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import { trimBaseUrl } from '../nodes/AgentCall/shared/transport';

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
		rules: [
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
		],
	};
}
