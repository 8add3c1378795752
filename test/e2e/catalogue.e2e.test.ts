/**
 * In a real n8n: the voice and prompt template dropdowns, as the editor loads them
 * (POST /rest/dynamic-node-parameters/options), come from AgentCall's catalogue through the
 * user's credential, follow the operation (inbound or outbound templates), and fall back to the
 * built-in lists when the catalogue fails; and an AI call started from a template sends the
 * filled prompt.
 */
import type { Sandbox } from '../sandbox';
import { createAgentCallCredential, runAgentCallNode, sandboxApi, startTestSandbox } from './agentcall';
import { getN8n, nodeOutput } from './helpers';

interface Credential {
	id: string;
	name: string;
}
interface Option {
	name: string;
	value: string;
	description?: string;
}

let sandbox: Sandbox;
let credential: Credential;

async function dropdown(methodName: string, path: string, currentNodeParameters: Record<string, unknown>): Promise<Option[]> {
	const { client } = await getN8n();
	const answer = await client.request('post', '/rest/dynamic-node-parameters/options', {
		data: {
			nodeTypeAndVersion: { name: 'n8n-nodes-agentcall.agentCall', version: 1 },
			path,
			methodName,
			currentNodeParameters,
			credentials: { agentCallApi: { id: credential.id, name: credential.name } },
		},
	});
	return (answer.data ?? answer) as Option[];
}

beforeAll(async () => {
	sandbox = await startTestSandbox();
	const { client } = await getN8n();
	credential = await createAgentCallCredential(client, { name: 'catalogue', apiKey: sandbox.apiKey, baseUrl: sandbox.url });
});

afterAll(async () => {
	await sandbox?.close();
});

describe('voice and prompt template dropdowns in a real n8n', () => {
	it('lists the catalogue voices, and the built-in ones when the catalogue fails', async () => {
		sandbox.clearRequestLog();
		const voices = await dropdown('getVoices', 'voice', { resource: 'aiCall', operation: 'start' });
		expect(voices.map((voice) => voice.value)).toEqual(['alloy', 'ash', 'ballad', 'cedar', 'coral', 'echo', 'marin', 'sage', 'shimmer', 'verse']);
		expect(voices.find((voice) => voice.value === 'coral')).toMatchObject({ description: expect.stringContaining('best for sales') });
		expect(sandbox.requestLog().map((entry) => entry.path)).toEqual(['/v1/calls/voices']);

		sandbox.addFault({ path: '/v1/calls/voices', reply: 'html' });
		const fallback = await dropdown('getVoices', 'voice', { resource: 'aiCall', operation: 'start' });
		expect(fallback.map((voice) => voice.value)).toEqual(voices.map((voice) => voice.value));
		expect(fallback.find((voice) => voice.value === 'coral')?.description).toBe('Bright and upbeat, friendly for sales calls');
		sandbox.clearFaults();
	});

	it('lists the inbound templates for Set Inbound AI and the outbound ones for AI calls', async () => {
		const inbound = await dropdown('getPromptTemplates', 'numberPromptTemplateId', { resource: 'phoneNumber', operation: 'setInboundAi' });
		expect(inbound.map((template) => template.value)).toContain('receptionist');
		const outbound = await dropdown('getPromptTemplates', 'promptTemplateId', { resource: 'aiCall', operation: 'start' });
		expect(outbound.map((template) => template.value).sort()).toEqual(['outbound-appointment-booker', 'outbound-callback-confirmation', 'outbound-info-request']);
	});

	it('starts an AI call from a template with its placeholders filled', async () => {
		const { client } = await getN8n();
		const line = await sandboxApi(sandbox, 'POST', '/v1/numbers/provision', { type: 'local' });
		sandbox.clearRequestLog();
		const execution = await runAgentCallNode(client, {
			name: 'template call',
			credential,
			parameters: {
				resource: 'aiCall',
				operation: 'start',
				aiCallFrom: { __rl: true, mode: 'id', value: line.id },
				aiCallTo: '+14155550199',
				promptSource: 'template',
				promptTemplateId: 'outbound-info-request',
				templatePlaceholders: { values: [{ name: 'BUSINESS_NAME', value: 'Bright Dental' }, { name: 'QUESTION', value: 'whether Tuesday suits' }] },
			},
		});
		expect(execution.status).toBe('success');
		expect(nodeOutput(execution, 'AgentCall')[0]).toMatchObject({ status: 'initiated', voice: 'shimmer' });
		const post = sandbox.requestLog().find((entry) => entry.path === '/v1/calls/ai');
		expect(post?.body).toMatchObject({
			systemPrompt: 'You are calling to ask whether Tuesday suits and note the answer.',
			firstMessage: 'Hi, I am calling from Bright Dental.',
			maxDurationSecs: 600,
		});
	});
});
