/**
 * `npm start` (test/e2e/start.js), as a user runs it: a second n8n with its own demo folder and
 * ports. First start imports everything, the first suggestion works, Ctrl-C stops n8n and the
 * sandbox, a second start reuses everything without duplicates.
 */
import { DEMO_OWNER, EXAMPLES, waitFor } from './agentcall';
import { demoSetup, pidAlive, removeDemo, startDemo } from './demo';
import { getN8n, nodeOutput } from './helpers';
import { N8nClient } from './n8n';
import { n8nUnderTest } from './versions';

interface Workflow {
	id: string;
	name: string;
	active: boolean;
}

type Setup = Awaited<ReturnType<typeof demoSetup>>;
type Demo = Awaited<ReturnType<typeof startDemo>>;

const NAMES = ['AI agent with a phone', 'AI appointment call', 'AI receptionist checks the calendar', 'Approve a refund by SMS', 'Call report to CRM', 'Event log', 'OTP QA', 'SMS auto-reply'];

let setup: Setup;
let demo: Demo | undefined;
let firstIds: Record<string, string>;

async function portAnswers(url: string): Promise<boolean> {
	try {
		await fetch(url, { signal: AbortSignal.timeout(2000) });
		return true;
	} catch {
		return false;
	}
}

async function demoView() {
	const state = demo!.state();
	const client = new N8nClient({ baseUrl: `http://127.0.0.1:${setup.n8nPort}`, apiKey: state.apiKey });
	const workflows: Workflow[] = (await client.request('get', '/api/v1/workflows')).data;
	const credentials: Array<{ id: string; name: string; type: string }> = (await client.request('get', '/api/v1/credentials')).data;
	// registration with AgentCall runs in the background of the activation (~1 s)
	const hooks: Array<{ url: string }> = await waitFor(
		async () => {
			const body = (await (await fetch(`http://127.0.0.1:${setup.sandboxPort}/_sandbox/webhooks`)).json()) as { data: Array<{ url: string }> };
			const list = body.data;
			// Two AgentCall Triggers register: Event log and Call report to CRM.
			return list.length >= 2 ? list : false;
		},
		{ timeoutMs: 15000, what: 'the webhook registrations of Event log and Call report to CRM at the sandbox' },
	);
	return { state, client, workflows, credentials, hooks };
}

beforeAll(async () => {
	const { state } = await getN8n();
	setup = await demoSetup({ tarball: state.tarball });
});

afterAll(async () => {
	if (demo) await demo.stop().catch(() => undefined);
	if (setup) removeDemo(setup);
});

// `npm start` runs the main n8n version (README); the older ones are for the suite, not the demo.
(n8nUnderTest().isMain ? describe : describe.skip)('npm start', () => {
	it('starts the sandbox and n8n, signs up the owner, creates the credential and imports the examples', async () => {
		demo = await startDemo(setup);
		const output = demo.output();
		expect(output).toContain(`AgentCall sandbox on http://127.0.0.1:${setup.sandboxPort}`);
		expect(output).toContain(`Open http://127.0.0.1:${setup.n8nPort} and sign in as ${DEMO_OWNER.email} / ${DEMO_OWNER.password}`);
		expect(output).toContain('8 imported; active: Call report to CRM, Event log, SMS auto-reply');
		expect(output).toContain('Base URL to https://api.agentcall.co');

		const { state, client, workflows, credentials, hooks } = await demoView();
		expect(workflows.map((w) => w.name).sort()).toEqual(NAMES);
		expect(workflows.filter((w) => w.active).map((w) => w.name).sort()).toEqual(['Call report to CRM', 'Event log', 'SMS auto-reply']);
		expect(Object.keys(state.workflows).sort()).toEqual(Object.keys(EXAMPLES).sort());
		for (const key of ['otpQa', 'aiAppointmentCall']) expect(output).toContain(`/workflow/${state.workflows[key]}`);
		expect(credentials).toEqual([expect.objectContaining({ name: 'AgentCall sandbox', type: 'agentCallApi' })]);
		expect(await client.testCredential(credentials[0].id)).toEqual({ status: 'OK', message: 'Connection successful!' });
		const hookUrl = expect.stringMatching(new RegExp(`^http://127\\.0\\.0\\.1:${setup.n8nPort}/webhook/.+/webhook$`));
		expect(hooks.map((hook) => hook.url)).toEqual([hookUrl, hookUrl]);
		firstIds = state.workflows;
	});

	it('"Try first": OTP QA runs green for the printed login', async () => {
		const client = new N8nClient({ baseUrl: `http://127.0.0.1:${setup.n8nPort}`, apiKey: demo!.state().apiKey });
		await client.login(DEMO_OWNER);
		const executionId = await client.runWorkflow(firstIds.otpQa, EXAMPLES.otpQa.trigger);
		const execution = await client.waitForExecution(executionId, { timeoutMs: 60000 });
		expect(execution.status).toBe('success');
		expect(nodeOutput(execution, 'QA passed')).toEqual([expect.objectContaining({ result: 'passed', numberReleased: true })]);
	});

	it('a second npm start on the same demo folder refuses to run and leaves the first one alone', async () => {
		await expect(startDemo(setup, { timeoutMs: 60000 })).rejects.toThrow(/npm start is already running for .* \(pid \d+\)/);
		expect(pidAlive(demo!.state().n8n.pid)).toBe(true);
		expect(await portAnswers(`http://127.0.0.1:${setup.n8nPort}/healthz`)).toBe(true);
	});

	it('Ctrl-C stops n8n and the sandbox', async () => {
		const n8nPid = demo!.state().n8n.pid;
		expect(pidAlive(n8nPid)).toBe(true);
		const code = await demo!.stop('SIGINT');
		expect(code).toBe(0);
		expect(demo!.output()).toContain('Stopped. Run npm start again to continue where you left off.');
		expect(pidAlive(n8nPid)).toBe(false);
		expect(await portAnswers(`http://127.0.0.1:${setup.n8nPort}/healthz`)).toBe(false);
		expect(await portAnswers(`http://127.0.0.1:${setup.sandboxPort}/`)).toBe(false);
		demo = undefined;
	});

	it('a second start reuses the owner, credential and workflows, and registers the Event log again', async () => {
		demo = await startDemo(setup);
		expect(demo.output()).toContain('all there from last time; active: Call report to CRM, Event log, SMS auto-reply');
		expect(demo.output()).not.toContain('first start sets up its database');
		const { state, workflows, credentials, hooks } = await demoView();
		expect(state.workflows).toEqual(firstIds);
		expect(workflows.map((w) => w.name).sort()).toEqual(NAMES);
		expect(credentials).toHaveLength(1);
		// the sandbox starts empty every time: both triggers registered themselves with the new one
		expect(hooks).toHaveLength(2);
		expect(await demo.stop('SIGINT')).toBe(0);
		demo = undefined;
	});
});
