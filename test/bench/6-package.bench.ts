/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions -- benchmark code runs in Node: it measures files and spawns fresh Node processes (cold loads, npm pack --dry-run) */
import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

import { baseNodesDir } from './lib/engine';
import { fmt, median, progress, Scenario } from './lib/measure';
import { SNAPSHOT } from './lib/paths';

/**
 * 6. The package: size of dist/ and of the npm tarball, and the cold load of all our nodes and the
 * credential in a fresh Node process, vs n8n's HTTP Request node loaded the same way.
 */

const ROUNDS = 7;
const MODES = ['ours', 'http', 'oursLoader', 'baseline'] as const;
type Mode = (typeof MODES)[number];

interface Load {
	mode: Mode;
	/** require + instantiate, in the process (n8n-workflow already loaded) */
	ms: number;
	files: number;
	bytes: number;
	/** spawn to exit, Node start-up included */
	processMs: number;
	/** the child's own CPU */
	cpuMs: number;
}

function walk(dir: string): Array<{ file: string; size: number }> {
	const out: Array<{ file: string; size: number }> = [];
	for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) out.push(...walk(full));
		else out.push({ file: full, size: fs.statSync(full).size });
	}
	return out;
}

const isRuntimeFile = (file: string) => !file.endsWith('.map') && !file.endsWith('.d.ts');
const sum = (files: Array<{ size: number }>) => files.reduce((total, entry) => total + entry.size, 0);
const kb = (bytes: number) => bytes / 1024;

async function coldLoad(mode: Mode): Promise<Load> {
	const started = performance.now();
	const output = await new Promise<string>((resolve, reject) => {
		const child = spawn(process.execPath, [path.join(__dirname, 'lib', 'coldLoad.js'), mode, SNAPSHOT, baseNodesDir()], {
			stdio: ['ignore', 'pipe', 'pipe'],
			env: { ...process.env, NODE_OPTIONS: '' },
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		child.on('error', reject);
		child.on('exit', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`coldLoad ${mode} exited ${code}: ${stderr}`))));
	});
	const processMs = performance.now() - started;
	return { ...(JSON.parse(output) as Omit<Load, 'processMs'>), processMs };
}

describe('6. Package', () => {
	it('size and cold load', async () => {
		const scenario = await new Scenario(
			'6',
			'Package: size and cold load',
			"n8n's HTTP Request node (n8n-nodes-base 2.41.1, HttpRequest.node.js with its versions V1-V3), required the same way in a fresh Node process; its folder's own files for size",
		).begin();

		const dist = walk(path.join(SNAPSHOT, 'dist'));
		const distRuntime = dist.filter((entry) => isRuntimeFile(entry.file));
		const httpFolder = walk(path.join(baseNodesDir(), 'HttpRequest')).filter((entry) => isRuntimeFile(entry.file));
		let pack: { size?: number; unpackedSize?: number; entryCount?: number } = {};
		try {
			const json = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: SNAPSHOT, stdio: ['ignore', 'pipe', 'ignore'] }).toString();
			pack = (JSON.parse(json) as Array<typeof pack>)[0] ?? {};
		} catch (error) {
			progress(`6 npm pack --dry-run failed: ${(error as Error).message}`);
		}

		const loads: Record<Mode, Load[]> = { ours: [], http: [], oursLoader: [], baseline: [] };
		for (let round = 0; round < ROUNDS; round++) {
			for (const mode of round % 2 ? [...MODES].reverse() : MODES) {
				const load = await coldLoad(mode);
				scenario.addChildCpu(load.cpuMs);
				loads[mode].push(load);
			}
		}
		const pick = (mode: Mode, key: keyof Omit<Load, 'mode'>) => loads[mode].map((load) => load[key]);
		progress(`6 cold load: ours ${fmt(median(pick('ours', 'ms')), 1)} ms, loader ${fmt(median(pick('oursLoader', 'ms')), 1)} ms, HTTP Request ${fmt(median(pick('http', 'ms')), 1)} ms`);

		scenario.row({
			measure: 'Cold load: require + instantiate (n8n-workflow already loaded)',
			unit: 'ms',
			ours: median(pick('ours', 'ms')),
			alt: median(pick('http', 'ms')),
			oursRounds: pick('ours', 'ms'),
			altRounds: pick('http', 'ms'),
			lowerIsBetter: true,
			note: 'AgentCall: its 3 nodes + the credential; alternative: the one HTTP Request node',
		});
		scenario.row({
			measure: 'Code loaded by that require',
			unit: 'KiB',
			ours: kb(median(pick('ours', 'bytes'))),
			alt: kb(median(pick('http', 'bytes'))),
			lowerIsBetter: true,
			note: `files: AgentCall ${median(pick('ours', 'files'))}, HTTP Request ${median(pick('http', 'files'))} (its dependencies: jsdom, cheerio, undici, lodash, form-data…)`,
		});
		scenario.row({
			measure: 'Fresh process, start to exit',
			unit: 'ms',
			ours: median(pick('ours', 'processMs')),
			alt: median(pick('http', 'processMs')),
			oursRounds: pick('ours', 'processMs'),
			altRounds: pick('http', 'processMs'),
			lowerIsBetter: true,
			note: `Node start-up and n8n-workflow included (a process that loads only n8n-workflow: ${fmt(median(pick('baseline', 'processMs')), 0)} ms)`,
		});
		scenario.row({
			measure: 'Size on disk without source maps and .d.ts',
			unit: 'KiB',
			ours: kb(sum(distRuntime)),
			alt: kb(sum(httpFolder)),
			lowerIsBetter: true,
			note: `AgentCall: all of dist/ (${distRuntime.length} files); HTTP Request: its folder in n8n-nodes-base (${httpFolder.length} files), dependencies not counted`,
		});
		scenario.detail(
			`dist/ as built: ${dist.length} files, ${fmt(kb(sum(dist)), 1)} KiB in all (source maps and .d.ts included). npm tarball (npm pack --dry-run): ${pack.size ? `${fmt(kb(pack.size), 1)} KiB packed, ${fmt(kb(pack.unpackedSize ?? 0), 1)} KiB unpacked, ${pack.entryCount} files` : 'not measured'}. Dependencies: none (n8n-workflow is a peer dependency n8n provides).`,
		);
		scenario.detail(
			`Through n8n-core's PackageDirectoryLoader (what n8n does for a community package: package.json#n8n, node classes, codex JSON, icons; n8n-core itself loaded before the clock): ${fmt(median(pick('oursLoader', 'ms')), 1)} ms (rounds ${pick('oursLoader', 'ms').map((ms) => fmt(ms, 1)).join(', ')}), ${median(pick('oursLoader', 'files'))} files.`,
		);
		scenario.detail(`${ROUNDS} fresh Node ${process.version} processes per variant, interleaved.`);
		await scenario.finish();
	});
});
