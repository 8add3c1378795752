import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

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

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.apiKey}}',
			},
		},
	};

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
