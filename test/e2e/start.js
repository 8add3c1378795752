#!/usr/bin/env node
'use strict';
/**
 * `npm start`: the local demo. Installs devDependencies if missing, builds and packs the package,
 * starts the AgentCall sandbox, installs the package into a real n8n like the community installer,
 * starts n8n with a persistent user folder, signs up the owner, creates an AgentCall credential for
 * the sandbox and imports the example workflows. A second run reuses all of it. Ctrl-C stops n8n
 * and the sandbox.
 *
 * Env: N8N_PORT (5678), AGENTCALL_SANDBOX_PORT (4010), AGENTCALL_DEMO_DIR (<repo>/.n8n-demo),
 * AGENTCALL_N8N_CACHE (runtime cache, see test/e2e/README.md), AGENTCALL_E2E_TARBALL (install this
 * tarball instead of building), AGENTCALL_DEMO_VERBOSE=1 (show every step's log lines).
 */
const crypto = require('crypto');
const fs = require('fs');
const net = require('net');
const path = require('path');
const { spawnSync } = require('child_process');

const REPO_DIR = path.resolve(__dirname, '..', '..');
const DEMO_DIR = path.resolve(process.env.AGENTCALL_DEMO_DIR || path.join(REPO_DIR, '.n8n-demo'));
const STATE_FILE = path.join(DEMO_DIR, 'demo.json');
const N8N_PORT = Number(process.env.N8N_PORT || 5678);
const SANDBOX_PORT = Number(process.env.AGENTCALL_SANDBOX_PORT || 4010);
const VERBOSE = process.env.AGENTCALL_DEMO_VERBOSE === '1';
const CREDENTIAL_NAME = 'AgentCall sandbox';
/** Demo-friendly sandbox: readable IDs, AI calls of ~4 s, webhook retries after 0.1-1.6 s. */
const SANDBOX_CONFIG = { idFormat: 'prefixed', timeScale: 0.5, deliveryBackoffScale: 0.1 };

const out = (line = '') => process.stdout.write(`${line}\n`);
const detail = (line) => {
	if (VERBOSE) process.stdout.write(`    ${line}\n`);
};
const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

function readState() {
	try {
		return JSON.parse(fs.readFileSync(STATE_FILE, 'utf8'));
	} catch {
		return {};
	}
}

function writeState(state) {
	fs.mkdirSync(DEMO_DIR, { recursive: true });
	fs.writeFileSync(STATE_FILE, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
}

function portFree(port) {
	return new Promise((resolve) => {
		const server = net.createServer();
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

function pidAlive(pid) {
	if (!pid) return false;
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return error.code === 'EPERM';
	}
}

class DemoError extends Error {}

/** What this process started; stopped on Ctrl-C, on failure, or when n8n dies. */
const running = { sandbox: undefined, n8n: undefined };
async function stopAll() {
	if (running.n8n) {
		await running.n8n.stop().catch(() => undefined);
		running.n8n = undefined;
		const current = readState();
		if (current.n8n) delete current.n8n.pid;
		if (current.startPid === process.pid) delete current.startPid;
		writeState(current);
	}
	if (running.sandbox) await running.sandbox.close().catch(() => undefined);
	running.sandbox = undefined;
}

async function main() {
	const t0 = Date.now();
	out('AgentCall for n8n: local demo');

	// 1. devDependencies (fresh clone): before anything that needs axios or TypeScript
	const install = spawnSync(process.execPath, [path.join(REPO_DIR, 'test', 'ensure-install.js')], { cwd: REPO_DIR, stdio: 'inherit' });
	if (install.status !== 0) throw new DemoError('installing devDependencies failed (see above)');

	const { startSandbox } = require('../sandbox');
	const { ensureRuntime, runtimeInfo } = require('./runtime');
	const { N8nClient, N8nProcess, N8nRequestError, buildAndPackRepo, installPackageLikeCommunity, startN8n, freePort } = require('./n8n');
	const { DEMO_OWNER: OWNER, EXAMPLES, prepareExample } = require('./agentcall');

	const state = readState();
	state.encryptionKey = state.encryptionKey || crypto.randomBytes(24).toString('hex');
	state.workflows = state.workflows || {};
	writeState(state);

	if (state.startPid && state.startPid !== process.pid && pidAlive(state.startPid)) {
		let cmdline = '';
		try {
			cmdline = fs.readFileSync(`/proc/${state.startPid}/cmdline`, 'utf8');
		} catch {}
		if (cmdline.includes('start.js')) {
			throw new DemoError(`npm start is already running for ${DEMO_DIR} (pid ${state.startPid}). Stop it with Ctrl-C first.`);
		}
	}
	state.startPid = process.pid;
	writeState(state);

	// a demo n8n left running by a start that was killed hard
	if (state.n8n && pidAlive(state.n8n.pid)) {
		let cmdline = '';
		try {
			cmdline = fs.readFileSync(`/proc/${state.n8n.pid}/cmdline`, 'utf8');
		} catch {}
		if (cmdline.includes('n8n')) {
			out(`  · stopping the demo n8n left running by an earlier start (pid ${state.n8n.pid})`);
			await N8nProcess.attach(state.n8n, { log: detail }).stop();
		}
	}
	for (const [port, what, variable] of [
		[N8N_PORT, 'n8n', 'N8N_PORT'],
		[SANDBOX_PORT, 'the AgentCall sandbox', 'AGENTCALL_SANDBOX_PORT'],
	]) {
		if (!(await portFree(port))) {
			throw new DemoError(`port ${port} (for ${what}) is in use on 127.0.0.1. Stop what uses it, or choose another: ${variable}=<port> npm start`);
		}
	}

	let stopping = false;
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
		process.on(signal, () => {
			if (stopping) return;
			stopping = true;
			out('\nStopping n8n and the sandbox…');
			stopAll().then(
				() => {
					out('Stopped. Run npm start again to continue where you left off.');
					process.exit(0);
				},
				() => process.exit(1),
			);
		});
	}

	// 2. build + pack
	let t = Date.now();
	fs.mkdirSync(path.join(DEMO_DIR, 'pack'), { recursive: true });
	for (const old of fs.readdirSync(path.join(DEMO_DIR, 'pack'))) fs.rmSync(path.join(DEMO_DIR, 'pack', old), { force: true });
	const tarball = process.env.AGENTCALL_E2E_TARBALL
		? path.resolve(process.env.AGENTCALL_E2E_TARBALL)
		: await buildAndPackRepo({ destDir: path.join(DEMO_DIR, 'pack'), log: detail });
	const version = JSON.parse(fs.readFileSync(path.join(REPO_DIR, 'package.json'), 'utf8')).version;
	out(
		process.env.AGENTCALL_E2E_TARBALL
			? `  ✓ using ${tarball}`
			: `  ✓ built and packed n8n-nodes-agentcall@${version} (${seconds(t)})`,
	);

	// 3. sandbox
	const sandbox = await startSandbox({ port: SANDBOX_PORT, host: '127.0.0.1', config: SANDBOX_CONFIG });
	running.sandbox = sandbox;
	const demoLine = await provisionDemoLine(sandbox);
	out(`  ✓ AgentCall sandbox on ${sandbox.url} (its demo line: ${demoLine.number})`);

	// 4. runtime (first run: minutes)
	const info = runtimeInfo();
	const fresh = !fs.existsSync(path.join(info.dir, '.complete'));
	if (fresh) {
		out(`  … first run: installing Node ${info.nodeVersion} + n8n ${info.n8nVersion} into ${info.root}`);
		out('    (once per machine, about 3-7 minutes; later starts take seconds)');
	}
	t = Date.now();
	const runtime = await ensureRuntime({ log: (line) => out(`    ${line.replace(/^\[n8n-runtime\]\s*/, '')}`) });
	if (fresh) out(`  ✓ n8n runtime installed (${seconds(t)})`);

	// 5. community-style install + start
	const userFolder = path.join(DEMO_DIR, 'user');
	await installPackageLikeCommunity(tarball, userFolder, { runtime, log: detail });
	const firstStart = !fs.existsSync(path.join(userFolder, '.n8n', 'database.sqlite'));
	out(`  … starting n8n ${runtime.n8nVersion}${firstStart ? ' (first start sets up its database: ~30 s)' : ''}`);
	t = Date.now();
	const n8n = await startN8n({
		runtime,
		userFolder,
		port: N8N_PORT,
		brokerPort: await freePort(),
		env: { N8N_ENCRYPTION_KEY: state.encryptionKey },
		logFile: path.join(DEMO_DIR, 'n8n.log'),
		log: detail,
	});
	running.n8n = n8n;
	state.n8n = n8n.toJSON();
	writeState(state);
	out(`  ✓ n8n running with the package installed as a community node (${seconds(t)})`);

	// 6. owner, API key, credential, workflows
	const client = new N8nClient({ baseUrl: n8n.baseUrl, apiKey: state.apiKey });
	const apiKeyWorks = state.apiKey
		? await client.request('get', '/api/v1/workflows', { params: { limit: 1 } }).then(
				() => true,
				() => false,
			)
		: false;
	if (!apiKeyWorks) {
		try {
			await client.login(OWNER);
		} catch (loginError) {
			try {
				await client.setupOwner(OWNER);
			} catch {
				throw new DemoError(
					`could not sign in as ${OWNER.email} (${loginError.message}). If you changed the password, sign in yourself; to start the demo over, delete ${DEMO_DIR}`,
				);
			}
		}
		state.apiKey = await client.createApiKey({ label: 'npm start (demo)' });
		writeState(state);
	}

	const notes = [];
	let credential;
	if (state.credentialId) {
		credential = await client.request('get', `/api/v1/credentials/${state.credentialId}`).catch((error) => {
			if (error instanceof N8nRequestError && error.status === 404) return undefined;
			throw error;
		});
	}
	if (!credential) {
		// The demo only reaches the sandbox: quiet hours off, so the AI call example works at any hour
		// (the other guardrails keep their defaults and show in the credential).
		const data = { apiKey: sandbox.apiKey, baseUrl: sandbox.url, quietHours: 'off' };
		credential = await client.createCredential({ name: CREDENTIAL_NAME, type: 'agentCallApi', data });
		state.credentialId = credential.id;
		state.sandboxUrl = sandbox.url;
		writeState(state);
	} else if (state.sandboxUrl && state.sandboxUrl !== sandbox.url) {
		notes.push(
			`The credential "${credential.name}" and the OTP QA workflow were set up for the sandbox at ${state.sandboxUrl}; ` +
				`start with AGENTCALL_SANDBOX_PORT=${new URL(state.sandboxUrl).port} npm start, or edit them.`,
		);
	}

	const created = [];
	const links = {};
	for (const [key, spec] of Object.entries(EXAMPLES)) {
		const workflowJson = prepareExample(key, { credential: { id: credential.id, name: credential.name }, sandboxUrl: sandbox.url });
		let id = state.workflows[key];
		if (id) {
			id = await client.getWorkflow(id).then(
				(workflow) => (workflow.isArchived ? undefined : workflow.id),
				() => undefined,
			);
		}
		if (!id) {
			const sameName = await client.request('get', '/api/v1/workflows', { params: { name: workflowJson.name } });
			id = ((sameName.data || []).find((w) => w.name === workflowJson.name && !w.isArchived) || {}).id;
		}
		if (!id) {
			id = (await client.createWorkflow(workflowJson)).id;
			if (spec.activate) await client.activate(id);
			created.push(workflowJson.name);
		}
		state.workflows[key] = id;
		links[key] = { name: workflowJson.name, url: `${n8n.baseUrl}/workflow/${id}` };
	}
	writeState(state);

	// n8n re-registers a webhook trigger at start-up only when its own webhook table lacks it, and
	// the sandbox forgets everything when it stops: re-publish the active AgentCall Trigger
	// workflows (same published version) so that they register with this sandbox again.
	const activeWorkflows = (await client.request('get', '/api/v1/workflows', { params: { active: true } })).data;
	for (const workflow of activeWorkflows) {
		if (created.includes(workflow.name) || !workflow.nodes.some((node) => node.type === 'n8n-nodes-agentcall.agentCallTrigger')) continue;
		await client.deactivate(workflow.id);
		await client.request('post', `/api/v1/workflows/${workflow.id}/activate`, {
			data: workflow.activeVersionId ? { versionId: workflow.activeVersionId } : {},
		});
		detail(`re-registered the AgentCall Trigger of "${workflow.name}" with the sandbox`);
	}
	const active = activeWorkflows.map((w) => w.name).sort();
	out(
		`  ✓ owner, credential "${credential.name}" and ${Object.keys(EXAMPLES).length} example workflows ` +
			`(${created.length ? `${created.length} imported` : 'all there from last time'}; active: ${active.join(', ') || 'none'})`,
	);

	// 7. what to do now
	const curl = `curl -s -X POST ${sandbox.controlUrl}/sms/inbound -H 'content-type: application/json' -d '{"to":"${demoLine.number}","from":"+13105550123","body":"Hi! Are you open on Saturday?"}'`;
	out('');
	out(`Ready in ${seconds(t0)}. Open ${n8n.baseUrl} and sign in as ${OWNER.email} / ${OWNER.password}`);
	out('');
	out('Try first:');
	out(`  1. ${links.otpQa.name}: ${links.otpQa.url}`);
	out('     Click "Execute workflow": a test number is provisioned, texted a code, "Wait for OTP" catches it, the number is released.');
	out(`  2. ${links.aiAppointmentCall.name}: ${links.aiAppointmentCall.url}`);
	out('     Click "Execute workflow": an AI receptionist books a slot; open "Summary" for the outcome and the transcript.');
	out(`  3. ${links.aiAgent.name}: ${links.aiAgent.url}`);
	out('     Pick your OpenAI credential in "OpenAI Chat Model", then "Open chat": the agent texts, calls and reads codes through the sandbox.');
	out(`  3. Text the sandbox's demo line, then look at the Executions of "${links.eventLog.name}" (at once) and "${links.smsAutoReply.name}" (within a minute):`);
	out(`     ${curl}`);
	out('');
	out(`Use your real AgentCall account: Overview > Credentials > "${credential.name}": set API Key to your ac_live_… key`);
	out('and Base URL to https://api.agentcall.co. (OTP QA texts itself through the sandbox: replace that step with your app.)');
	for (const note of notes) out(`Note: ${note}`);
	out('');
	const logFile = path.join(DEMO_DIR, 'n8n.log');
	const shownLog = logFile.startsWith(process.cwd() + path.sep) ? path.relative(process.cwd(), logFile) : logFile;
	out(`n8n log: ${shownLog}. Ctrl-C stops n8n and the sandbox.`);

	// exit when n8n dies on its own
	const watch = setInterval(() => {
		if (!stopping && running.n8n && !pidAlive(running.n8n.pid)) {
			clearInterval(watch);
			out(`\nn8n stopped unexpectedly; see ${path.join(DEMO_DIR, 'n8n.log')}. Stopping the sandbox.`);
			running.n8n = undefined;
			stopAll().then(() => process.exit(1));
		}
	}, 2000);

	async function provisionDemoLine(sb) {
		const res = await fetch(`${sb.url}/v1/numbers/provision`, {
			method: 'POST',
			headers: { authorization: `Bearer ${sb.apiKey}`, 'content-type': 'application/json' },
			body: JSON.stringify({ type: 'local', label: 'Demo line' }),
		});
		if (!res.ok) throw new DemoError(`the sandbox refused to provision the demo line: ${res.status} ${await res.text()}`);
		return res.json();
	}
}

main().catch(async (error) => {
	process.stderr.write(`\nnpm start failed: ${error instanceof DemoError ? error.message : error.stack || error}\n`);
	await stopAll();
	process.exit(1);
});
