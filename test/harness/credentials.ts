import type {
	ICredentialDataDecryptedObject,
	ICredentials,
	ICredentialType,
	IHttpRequestOptions,
	INode,
	INodeParameters,
	INodeProperties,
	IRequestOptionsSimplified,
	Workflow,
} from 'n8n-workflow';
import { ICredentialsHelper, NodeHelpers } from 'n8n-workflow';

/** The AgentCall credential as a test stores it: `{ apiKey, baseUrl }` and any guardrail settings. */
export interface AgentCallCredentialData extends ICredentialDataDecryptedObject {
	apiKey: string;
	baseUrl: string;
}

/**
 * Guardrail settings that let everything through, for tests about something else: they must pass
 * at any time of day (quiet hours) and send as many items and to as many countries as they need.
 * test/engine/guardrails.test.ts covers the guardrails, including their defaults.
 */
export const OPEN_GUARDRAILS = {
	allowedDestinations: '',
	blockedPrefixes: '',
	maxSmsPerExecution: 1_000_000,
	maxCallsPerExecution: 1_000_000,
	maxAiCallMinutesPerExecution: 1_000_000,
	quietHours: 'off',
};

/**
 * Resolves every credential to the data a test chose and applies the credential type's own
 * `authenticate` — including the declarative `generic` kind, which n8n's test helpers skip.
 */
export class TestCredentialsHelper extends ICredentialsHelper {
	constructor(
		private readonly credentialTypes: Record<string, ICredentialType>,
		public data: AgentCallCredentialData,
	) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const options = requestOptions as IHttpRequestOptions;
		const auth = this.credentialTypes[typeName]?.authenticate;
		if (typeof auth === 'function') return await auth(credentials, options);
		if (!auth || !workflow || !node) return options;
		for (const [target, entries] of Object.entries(auth.properties ?? {})) {
			const resolved: Record<string, unknown> = {};
			for (const [key, raw] of Object.entries(entries as Record<string, unknown>)) {
				resolved[key] = workflow.expression.getSimpleParameterValue(
					node,
					raw as string,
					'internal',
					{ $credentials: credentials },
					undefined,
					'',
				);
			}
			const holder = options as unknown as Record<string, Record<string, unknown> | undefined>;
			holder[target] = { ...(holder[target] ?? {}), ...resolved };
		}
		return options;
	}

	async preAuthentication(): Promise<ICredentialDataDecryptedObject | undefined> {
		return undefined;
	}

	async runPreAuthentication(): Promise<ICredentialDataDecryptedObject | undefined> {
		return undefined;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('getCredentials is not used by the engine harness');
	}

	/** Like n8n's CredentialsHelper: the stored data with the credential type's defaults filled in. */
	async getDecrypted(_additionalData: unknown, _nodeCredentials: unknown, type: string): Promise<ICredentialDataDecryptedObject> {
		const properties = this.credentialTypes[type]?.properties ?? [];
		const withDefaults = NodeHelpers.getNodeParameters(properties, { ...this.data } as INodeParameters, true, false, null, null);
		return { ...(withDefaults as ICredentialDataDecryptedObject) };
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(): INodeProperties[] {
		return [];
	}
}
