import { useEngineSuite } from '../harness/setup';

describe('AgentCall API credential', () => {
	const suite = useEngineSuite();

	it('passes the Test button with the right key, sending it as a Bearer token', async () => {
		const result = await suite.engine.testCredential(suite.credentials);
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		const log = suite.sandbox.requestLog();
		expect(log.map((entry) => `${entry.method} ${entry.path} ${entry.status}`)).toEqual(['GET /v1/numbers 200']);
		expect(log[0].query).toMatchObject({ limit: '1' });
	});

	it('fails the Test button with an actionable message for a wrong key', async () => {
		const result = await suite.engine.testCredential({ ...suite.credentials, apiKey: 'ac_live_wrong_key' });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/AgentCall rejected the API key/);
		expect(result.message).not.toContain('ac_live_wrong_key');
		expect(suite.sandbox.requestLog().every((entry) => entry.status === 401)).toBe(true);
	});

	it('tolerates a Base URL with a trailing slash', async () => {
		const result = await suite.engine.testCredential({ ...suite.credentials, baseUrl: suite.sandbox.url + '/' });
		expect(result.status).toBe('OK');
		expect(suite.sandbox.requestLog()[0].path).toBe('/v1/numbers');
	});

	it('says where to look when the Base URL answers 404', async () => {
		const result = await suite.engine.testCredential({ ...suite.credentials, baseUrl: suite.sandbox.url + '/nothing-here' });
		expect(result).toEqual({ status: 'Error', message: expect.stringMatching(/No AgentCall API answered at this Base URL/) });
	});
});
