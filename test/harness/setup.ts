import { startSandbox } from '../sandbox';
import type { AgentCallCredentialData } from './credentials';
import { OPEN_GUARDRAILS } from './credentials';
import { Engine } from './engine';

export type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

export interface EngineSuite {
	sandbox: Sandbox;
	engine: Engine;
	credentials: AgentCallCredentialData;
}

/**
 * Jest wiring for an engine test file: one sandbox on a free 127.0.0.1 port and one engine for the
 * file, state reset before each test. Read the fields inside tests (they are set in beforeAll).
 */
export function useEngineSuite(options: { sandboxConfig?: Record<string, unknown> } = {}): EngineSuite {
	const suite = {} as EngineSuite;
	beforeAll(async () => {
		suite.sandbox = await startSandbox({ port: 0, config: options.sandboxConfig });
		suite.credentials = { apiKey: suite.sandbox.apiKey, baseUrl: suite.sandbox.url, ...OPEN_GUARDRAILS };
		suite.engine = await Engine.create({ credentials: suite.credentials });
	});
	beforeEach(() => {
		suite.sandbox.reset({ keepConfig: false });
		suite.engine.useCredentials(suite.credentials);
	});
	afterAll(async () => {
		await suite.sandbox?.close();
	});
	return suite;
}
