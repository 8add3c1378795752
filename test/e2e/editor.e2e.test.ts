/**
 * The n8n editor in a real browser (Debian chromium + playwright-core): sign in, find AgentCall in
 * the node picker, open our node and execute a step, run the OTP QA example from the canvas, see the
 * credential's guardrails, show the "AI agent with a phone" example on the canvas.
 * Screenshots: test-artifacts/e2e/editor/ (docs/editor.png and docs/agent.png with
 * AGENTCALL_UPDATE_DOCS_SCREENSHOT=1).
 */
import type { Sandbox } from '../sandbox';
import { createOpenAiCredential } from './agent-workflow';
import { createAgentCallCredential, prepareExample, readExample, sandboxApi, startTestSandbox, waitForExecutions } from './agentcall';
import { imageLoaded, launchEditorBrowser, saveDocsScreenshot } from './browser';
import { getN8n, nodeOutput, OWNER } from './helpers';
import { n8nAtLeast } from './versions';
import { TOOL_DESCRIPTIONS } from '../../nodes/AgentCall/shared/toolDescriptions';

type Editor = Awaited<ReturnType<typeof launchEditorBrowser>>;

let sandbox: Sandbox;
let editor: Editor;
let baseUrl: string;
let line: { id: string; number: string };
let listWorkflowId: string;
let otpWorkflowId: string;
let agentWorkflowId: string;
let credentialId: string;

const testId = (id: string) => `[data-test-id="${id}"]`;

beforeAll(async () => {
	sandbox = await startTestSandbox();
	line = await sandboxApi(sandbox, 'POST', '/v1/numbers/provision', { type: 'local', label: 'Browser line' });
	const n8n = await getN8n();
	baseUrl = n8n.baseUrl;
	const credential = await createAgentCallCredential(n8n.client, { name: 'AgentCall sandbox', apiKey: sandbox.apiKey, baseUrl: sandbox.url });
	credentialId = credential.id;
	const ref = { agentCallApi: { id: credential.id, name: credential.name } };
	listWorkflowId = (
		await n8n.client.createWorkflow({
			name: 'Browser: list numbers',
			nodes: [
				{ id: 'm', name: 'Manual', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
				{
					id: 'a',
					name: 'List numbers',
					type: 'n8n-nodes-agentcall.agentCall',
					typeVersion: 1,
					position: [260, 0],
					parameters: { resource: 'phoneNumber', operation: 'getAll', limit: 10 },
					credentials: ref,
				},
			],
			connections: { Manual: { main: [[{ node: 'List numbers', type: 'main', index: 0 }]] } },
		})
	).id;
	otpWorkflowId = (await n8n.client.createWorkflow(prepareExample('otpQa', { credential, sandboxUrl: sandbox.url }))).id;
	// Only shown, never run: the OpenAI credential points nowhere.
	const openAiCredential = await createOpenAiCredential(n8n.client, { name: 'OpenAI account', url: 'http://127.0.0.1:9/v1' });
	agentWorkflowId = (await n8n.client.createWorkflow(prepareExample('aiAgent', { credential, openAiCredential }))).id;
	editor = await launchEditorBrowser();
});

afterAll(async () => {
	await editor?.close();
	await sandbox?.close();
});

// The page's test ids are those of n8n 2.x's editor (1.123's node details view closes differently).
(n8nAtLeast('2.0.0') ? describe : describe.skip)('n8n editor in a real browser', () => {
	it('signs in through the sign-in form', async () => {
		const { page, shot } = editor;
		await page.goto(`${baseUrl}/signin`);
		await page.locator(`${testId('emailOrLdapLoginId')} input, input${testId('emailOrLdapLoginId')}`).first().fill(OWNER.email);
		await page.locator(`${testId('password')} input, input${testId('password')}`).first().fill(OWNER.password);
		await page.locator(testId('form-submit-button')).click();
		await page.waitForURL((url: URL) => !url.pathname.startsWith('/signin'));
		await shot('signed-in');
		expect(new URL(page.url()).pathname).not.toBe('/signin');
	});

	it('finds AgentCall in the node picker, with its icon and its actions', async () => {
		const { page, shot } = editor;
		await page.goto(`${baseUrl}/workflow/${listWorkflowId}`);
		await page.locator(`${testId('canvas-node')}[data-node-name="List numbers"]`).waitFor();
		await page.locator(testId('node-creator-plus-button')).click();
		await page.locator(`input${testId('node-creator-search-bar')}, ${testId('node-creator-search-bar')} input`).first().fill('AgentCall');
		// n8n merges the action node and the AgentCall Trigger into one "AgentCall" entry
		const item = page.locator(testId('item-iterator-item')).filter({ has: page.locator(testId('node-creator-item-name'), { hasText: /^AgentCall$/ }) });
		await item.waitFor();
		const icon = item.locator('img').first();
		// The picker re-renders while its five AgentCall entries arrive: wait for the icon to show.
		await icon.waitFor({ state: 'visible', timeout: 10_000 });
		await expect(icon.isVisible()).resolves.toBe(true);
		expect(await icon.getAttribute('src')).toMatch(/n8n-nodes-agentcall\/dist\/icons\/agentcall(\.dark)?\.svg$/);
		expect(await imageLoaded(icon)).toBe(true);
		const names = await page.locator(testId('node-creator-item-name')).allInnerTexts();
		expect(names).toEqual(expect.arrayContaining(['AgentCall', 'AgentCall SMS Trigger', 'AgentCall Wait', 'AgentCall Phone Agent Trigger']));
		await page.waitForTimeout(300);
		await shot('node-picker-search');

		await item.click();
		for (const action of ['Wait for an OTP code', 'Start an AI call', 'Send an SMS', 'Provision a phone number']) {
			// The list of actions is longer than the panel: scroll each into view first.
			const entry = page.getByText(action, { exact: true }).first();
			await entry.scrollIntoViewIfNeeded({ timeout: 10_000 });
			await expect(entry.isVisible()).resolves.toBe(true);
		}
		// the texts written for AI models (docs/agent-tools.md) stay out of the panel
		for (const text of [TOOL_DESCRIPTIONS.sms.waitForOtp, TOOL_DESCRIPTIONS.sms.send]) {
			await expect(page.getByText(text.slice(0, 40)).count()).resolves.toBe(0);
		}
		await page.waitForTimeout(600); // the details panel slides in
		await shot('node-picker-actions');
		await page.keyboard.press('Escape');
	});

	it('opens our node and executes a step: the output shows the number from AgentCall', async () => {
		const { page, shot } = editor;
		await page.goto(`${baseUrl}/workflow/${listWorkflowId}`);
		await page.locator(`${testId('canvas-node')}[data-node-name="List numbers"]`).dblclick();
		const ndv = page.locator(testId('ndv'));
		await ndv.waitFor();
		await expect(ndv.locator(testId('node-credentials-select')).locator('input').inputValue()).resolves.toBe('AgentCall sandbox');
		await ndv.locator(testId('node-execute-button')).click();
		const output = ndv.locator(testId('output-panel'));
		await output.locator(testId('node-run-status-success')).waitFor();
		await output.getByText(line.id, { exact: true }).waitFor();
		const text = await output.innerText();
		expect(text).toContain('1 item');
		expect(text).toContain(line.number);
		expect(text).toContain('Browser line');
		await shot('execute-step-output');
		await ndv.locator(testId('ndv-close-button')).click();
	});

	it("shows the credential's guardrails with their defaults in the credential dialog", async () => {
		const { page, shot } = editor;
		await page.goto(`${baseUrl}/home/credentials/${credentialId}`);
		const dialog = page.getByRole('dialog');
		await dialog.getByText('Blocked Prefixes').first().waitFor();
		const text = await dialog.innerText();
		for (const label of ['apply to every SMS, call and AI call', 'Allowed Destinations', 'Max SMS per Execution', 'Max Calls per Execution', 'Max AI Call Minutes per Execution', 'Quiet Hours']) {
			expect(text).toContain(label);
		}
		const fields = await dialog.locator('input, textarea').evaluateAll((inputs) => inputs.map((input) => (input as unknown as { value: string }).value));
		expect(fields).toEqual(expect.arrayContaining(['+1', '20', '5', '30', expect.stringMatching(/^\+1900, \+1268, .*\+979$/)]));
		await shot('credential-guardrails');
		await page.keyboard.press('Escape');
	});

	it('runs the OTP QA example from the canvas: Wait for OTP shows the code that was texted', async () => {
		const { page, shot } = editor;
		const { client } = await getN8n();
		await page.goto(`${baseUrl}/workflow/${otpWorkflowId}`);
		await page.locator(`${testId('canvas-node')}[data-node-name="Wait for OTP"]`).waitFor();
		await page.locator(testId('execute-workflow-button')).click();
		const [execution] = await waitForExecutions(client, otpWorkflowId, 1, { timeoutMs: 60000 });
		const full = await client.getExecution(execution.id);
		expect(full.status).toBe('success');
		const [otp] = nodeOutput(full, 'Wait for OTP');
		expect(otp.otp).toMatch(/^\d{6}$/);
		await page.locator(`${testId('canvas-node')}[data-node-name="QA passed"]`).waitFor();
		await shot('otp-qa-canvas-after-run');

		await page.locator(`${testId('canvas-node')}[data-node-name="Wait for OTP"]`).dblclick();
		const ndv = page.locator(testId('ndv'));
		await ndv.waitFor();
		const output = ndv.locator(testId('output-panel'));
		await output.getByText(otp.otp, { exact: true }).first().waitFor();
		expect(await output.innerText()).toContain(otp.otp);
		await saveDocsScreenshot(page);
		await shot('wait-for-otp-output');
	});

	it('shows the "AI agent with a phone" example: the AI Agent with its AgentCall tools on the canvas', async () => {
		const { page, shot } = editor;
		await page.goto(`${baseUrl}/workflow/${agentWorkflowId}`);
		const example = readExample('aiAgent') as { nodes: Array<{ name: string; type: string }> };
		const shown = example.nodes.filter((n) => n.type !== 'n8n-nodes-base.stickyNote').map((n) => n.name);
		for (const name of shown) await page.locator(`${testId('canvas-node')}[data-node-name="${name}"]`).waitFor();
		const tools = example.nodes.filter((n) => n.type === 'n8n-nodes-agentcall.agentCallTool').map((n) => n.name);
		expect(tools).toEqual(['List my numbers', 'Read texts', 'Send an SMS', 'Wait for OTP', 'Phone call with AI']);
		// Every tool node shows our icon, and is drawn connected (n8n draws one edge per connection).
		for (const name of tools) {
			const icon = page.locator(`${testId('canvas-node')}[data-node-name="${name}"] img`).first();
			expect(await icon.getAttribute('src')).toMatch(/n8n-nodes-agentcall\/dist\/icons\/agentcall(\.dark)?\.svg$/);
			expect(await imageLoaded(icon)).toBe(true);
		}
		await expect(page.locator(testId('edge')).count()).resolves.toBeGreaterThanOrEqual(tools.length + 4);
		await page.waitForTimeout(500); // the canvas fits the view after the nodes are drawn
		await saveDocsScreenshot(page, 'agent');
		await shot('ai-agent-example-canvas');
	});
});
