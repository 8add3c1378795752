import type {
	ICredentialDataDecryptedObject,
	ICredentials,
	ICredentialType,
	IHttpRequestOptions,
	INode,
	INodeProperties,
	IRequestOptionsSimplified,
	Workflow,
} from 'n8n-workflow';
import { ICredentialsHelper } from 'n8n-workflow';

/** The AgentCall credential as a test stores it: `{ apiKey, baseUrl }`. */
export interface AgentCallCredentialData extends ICredentialDataDecryptedObject {
	apiKey: string;
	baseUrl: string;
}

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

	async getDecrypted(): Promise<ICredentialDataDecryptedObject> {
		return { ...this.data };
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(): INodeProperties[] {
		return [];
	}
}
