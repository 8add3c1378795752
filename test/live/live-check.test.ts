/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions -- test code runs in Node: it runs `npm run test:live` as a child process */
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import type { ConfigPatch, Sandbox } from '../sandbox';
import { startSandbox } from '../sandbox';

/**
 * `npm run test:live` run as a maintainer runs it (the real command, a child process), pointed by
 * AGENTCALL_BASE_URL at a sandbox: one in the default variant must show no difference, one set to
 * other UNKNOWN variants must show exactly those, with the sandbox settings that imitate them.
 */

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { seedAccount } = require('./check') as { seedAccount: (sandbox: Sandbox) => Promise<void> };

const ROOT = path.resolve(__dirname, '..', '..');
const SANDBOX_KEY = ['ac_live', 'live_check', 'do_not_print_0123456789'].join('_');

interface Finding {
	id: string;
	verdict: 'same' | 'differs' | 'unknown';
	live: unknown;
	sandbox: unknown;
	nodesHandle: boolean | null;
}
interface Report {
	calls: Array<{ name: string; method: string; status: number | null }>;
	findings: Finding[];
	suggestedSandboxConfig: Record<string, unknown>;
}

function runLive(env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string; report?: Report }> {
	const jsonFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'agentcall-live-')), 'report.json');
	// Not `AGENTCALL_API_KEY: undefined`: child_process would pass the string "undefined".
	const childEnv: NodeJS.ProcessEnv = { ...process.env };
	delete childEnv.AGENTCALL_API_KEY;
	delete childEnv.AGENTCALL_BASE_URL;
	Object.assign(childEnv, env);
	return new Promise((resolve) => {
		execFile('npm', ['run', '--silent', 'test:live', '--', '--json', jsonFile], { cwd: ROOT, env: childEnv, timeout: 60000 }, (error, stdout, stderr) => {
			const code = error ? Number((error as NodeJS.ErrnoException & { code?: number }).code ?? 1) : 0;
			const report = fs.existsSync(jsonFile) ? (JSON.parse(fs.readFileSync(jsonFile, 'utf8')) as Report) : undefined;
			resolve({ code, stdout, stderr, report });
		});
	});
}

/** The other variant of every UNKNOWN the check can see (test/sandbox/config.js settings). */
const VARIANT: ConfigPatch = {
	listWrappers: { numbers: 'data', inbox: 'bare', calls: 'calls', webhooks: 'numbers' },
	pagination: 'cursor',
	cursorField: 'next_cursor',
	idFormat: 'prefixed',
	listOrder: 'oldest',
	messageTimestamps: 'createdAt',
	messageOtpField: false,
	otpTimeoutReply: '204',
	errorMessage: false,
	webhookExtraFields: true,
};

describe('npm run test:live (read-only check of the real API)', () => {
	let sandbox: Sandbox | undefined;
	afterEach(async () => {
		await sandbox?.close();
		sandbox = undefined;
	});

	async function seeded(config: ConfigPatch = {}) {
		sandbox = await startSandbox({ port: 0, host: '127.0.0.1', apiKey: SANDBOX_KEY, config });
		await seedAccount(sandbox);
		sandbox.clearRequestLog();
		return sandbox;
	}

	it('is skipped without AGENTCALL_API_KEY, asks nothing, and is not part of npm test', async () => {
		const target = await seeded();
		const run = await runLive({ AGENTCALL_BASE_URL: target.url });
		expect(run).toMatchObject({ code: 0, report: undefined });
		expect(run.stdout).toContain('test:live skipped: set AGENTCALL_API_KEY');
		expect(target.requestLog()).toEqual([]);
		const scripts = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
		expect(scripts['test:live']).toBe('node test/live/run.js');
		expect(Object.entries(scripts).filter(([name, command]) => name !== 'test:live' && command.includes('test/live'))).toEqual([]);
	});

	it('reports no difference against a sandbox in its default variant, with GET requests only', async () => {
		const target = await seeded();
		const run = await runLive({ AGENTCALL_API_KEY: SANDBOX_KEY, AGENTCALL_BASE_URL: `${target.url}/` });
		expect(run.code).toBe(0);
		const report = run.report!;
		expect(report.findings.filter((f) => f.verdict !== 'same')).toEqual([]);
		expect(report.findings.length).toBeGreaterThanOrEqual(20);
		expect(report.suggestedSandboxConfig).toEqual({});
		expect(report.calls.every((call) => call.method === 'GET' && call.status !== null)).toBe(true);
		expect(run.stdout).toContain('0 differ, 0 could not be told');
		const log = target.requestLog();
		expect(log.length).toBe(report.calls.length);
		expect(new Set(log.map((entry) => entry.method))).toEqual(new Set(['GET']));
		expect(log.every((entry) => entry.auth === 'valid')).toBe(true);
		expect(`${run.stdout}${run.stderr}${JSON.stringify(report)}`).not.toContain(SANDBOX_KEY);
	});

	it('reports each UNKNOWN where the API answers in another variant, and the settings that imitate it', async () => {
		const target = await seeded(VARIANT);
		const run = await runLive({ AGENTCALL_API_KEY: SANDBOX_KEY, AGENTCALL_BASE_URL: target.url });
		expect(run.code).toBe(0);
		const report = run.report!;
		const differs = report.findings.filter((f) => f.verdict === 'differs').map((f) => f.id).sort();
		expect(differs).toEqual(
			[
				'lists.wrapper.numbers',
				'lists.wrapper.inbox',
				'lists.wrapper.calls',
				'lists.wrapper.webhooks',
				'lists.cursor',
				'ids.format',
				'lists.order.inbox',
				'lists.order.calls',
				'message.fields',
				'message.timestamps',
				'message.otp',
				'webhook.fields',
				'otp.timeout',
				'errors.body',
			].sort(),
		);
		expect(report.findings.find((f) => f.id === 'lists.wrapper.inbox')).toMatchObject({ live: 'bare', sandbox: 'messages', nodesHandle: true });
		expect(report.findings.find((f) => f.id === 'otp.timeout')).toMatchObject({ live: '204', sandbox: 'null', nodesHandle: true });
		expect(report.findings.find((f) => f.id === 'message.fields')).toMatchObject({ missing: ['otp', 'receivedAt'], extra: [] });
		expect(report.suggestedSandboxConfig).toEqual(VARIANT);
		expect(run.stdout).toContain('[DIFFERS] lists.wrapper.inbox');
		expect(run.stdout).toContain(`Sandbox settings that match this API: ${JSON.stringify(report.suggestedSandboxConfig)}`);
		expect(new Set(target.requestLog().map((entry) => entry.method))).toEqual(new Set(['GET']));
		expect(`${run.stdout}${run.stderr}${JSON.stringify(report)}`).not.toContain(SANDBOX_KEY);
	});

	it('flags an answer the nodes do not handle, and fails when the key is refused', async () => {
		const target = await seeded({ faults: [{ method: 'GET', path: '/v1/numbers/:id', status: 500, times: 2 }] });
		const run = await runLive({ AGENTCALL_API_KEY: SANDBOX_KEY, AGENTCALL_BASE_URL: target.url });
		expect(run.report!.findings.find((f) => f.id === 'errors.not-found-status')).toMatchObject({ verdict: 'differs', live: 500, nodesHandle: false });
		expect(run.stdout).toContain('The nodes do not handle: ');

		const refused = await runLive({ AGENTCALL_API_KEY: 'ac_live_not_a_valid_key', AGENTCALL_BASE_URL: target.url });
		expect(refused.code).toBe(1);
		expect(refused.stdout).toContain('The API answered 401');
		expect(refused.stdout).not.toContain('ac_live_not_a_valid_key');
	});
});
