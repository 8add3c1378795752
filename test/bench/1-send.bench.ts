import type { INodeExecutionData } from 'n8n-workflow';

import type { Engine } from './lib/engine';
import { benchEngine, errorOf, httpNode, loadBaseNodes, loadSnapshotPackage, outputOf, sameWorkflowModule, sendSmsNodes } from './lib/engine';
import type { WhatIf } from './lib/diagnosis';
import { applyWhatIfs, countEvaluations, WHAT_IFS } from './lib/diagnosis';
import { fmt, median, profiled, progress, Scenario, timed } from './lib/measure';
import { SandboxProcess } from './lib/sandbox';

/**
 * 1. Per-item cost: AgentCall > SMS > Send over 1,000 items vs the HTTP Request node making the
 * same POST /v1/sms/send per item. The sandbox's rate limit is out of the way.
 */

const ITEMS = 1000;
const WARMUP_ITEMS = 300;
const ORDER: Array<'ours' | 'http'> = ['ours', 'http', 'http', 'ours', 'ours', 'http'];
/** The diagnosis: what-ifs measured over fewer items. */
const DIAGNOSIS_ITEMS = 500;
const DIAGNOSIS_ROUNDS = 3;
const VARIANTS: Array<{ label: string; whatIfs: WhatIf[] }> = [
	{ label: 'AgentCall as built', whatIfs: [] },
	{ label: `+ ${WHAT_IFS.uniqueNames}`, whatIfs: ['uniqueNames'] },
	{ label: `+ ${WHAT_IFS.noReread}`, whatIfs: ['noReread'] },
	{ label: `+ ${WHAT_IFS.literalBaseUrl}`, whatIfs: ['literalBaseUrl'] },
	{ label: 'all three fixes in our code', whatIfs: ['uniqueNames', 'noReread', 'literalBaseUrl'] },
	{ label: `only ${WHAT_IFS.coreBaseUrlOnce}`, whatIfs: ['coreBaseUrlOnce'] },
	{ label: 'our three fixes + the n8n-core one', whatIfs: ['uniqueNames', 'noReread', 'literalBaseUrl', 'coreBaseUrlOnce'] },
];

function items(count: number): INodeExecutionData[] {
	return Array.from({ length: count }, (_, index) => ({
		json: { to: `+1415555${String(index % 10000).padStart(4, '0')}`, message: `Bench message ${index}: your table is booked.` },
	}));
}

describe('1. Per-item cost: Send SMS', () => {
	let sandbox: SandboxProcess;
	let engine: Engine;

	beforeAll(async () => {
		sandbox = await SandboxProcess.start();
		const base = await loadBaseNodes();
		expect(await sameWorkflowModule(base)).toBe(true);
		engine = await benchEngine(await loadSnapshotPackage(), base, sandbox);
	});
	afterAll(async () => await sandbox?.close());

	it(`sends ${ITEMS} items through each`, async () => {
		const scenario = await new Scenario(
			'1',
			`Per-item cost: Send SMS for ${ITEMS.toLocaleString('en-US')} items`,
			'HTTP Request node (v4.5, Header Auth credential, JSON body from three key/value parameters), one POST /v1/sms/send per item',
			sandbox,
		).begin();
		const number = await sandbox.provision();

		const send = sendSmsNodes(sandbox.url, number.id);
		const workflowFor = (side: 'ours' | 'http') =>
			engine.workflow([side === 'ours' ? send.ours() : httpNode('Send', send.httpParameters())]);

		async function round(side: 'ours' | 'http', count: number) {
			await sandbox.clearRequestLog();
			const workflow = workflowFor(side);
			const result = await profiled(`1-send-${side}`, async () => await timed(async () => await engine.run(workflow, 'Send', items(count)), sandbox));
			const log = await sandbox.requestLog();
			expect(errorOf(result.value)).toBeUndefined();
			expect(outputOf(result.value, 'Send')).toHaveLength(count);
			expect(log.filter((entry) => entry.path === '/v1/sms/send' && entry.status < 300)).toHaveLength(count);
			expect(log).toHaveLength(count);
			return result;
		}

		await round('ours', WARMUP_ITEMS);
		await round('http', WARMUP_ITEMS);
		const rounds: Record<'ours' | 'http', Array<Awaited<ReturnType<typeof round>>>> = { ours: [], http: [] };
		for (const side of ORDER) {
			const result = await round(side, ITEMS);
			rounds[side].push(result);
			progress(`1 ${side}: ${fmt(result.wallMs, 0)} ms wall, ${fmt(result.cpuMs, 0)} ms CPU, sandbox ${fmt(result.sandboxCpuMs, 0)} ms CPU`);
		}

		const perItem = (side: 'ours' | 'http', key: 'wallMs' | 'cpuMs' | 'sandboxCpuMs') => rounds[side].map((result) => result[key] / ITEMS);
		scenario.row({
			measure: 'Wall time per item',
			unit: 'ms',
			ours: median(perItem('ours', 'wallMs')),
			alt: median(perItem('http', 'wallMs')),
			oursRounds: perItem('ours', 'wallMs'),
			altRounds: perItem('http', 'wallMs'),
			lowerIsBetter: true,
		});
		scenario.row({
			measure: 'Client CPU per item (n8n process)',
			unit: 'ms',
			ours: median(perItem('ours', 'cpuMs')),
			alt: median(perItem('http', 'cpuMs')),
			oursRounds: perItem('ours', 'cpuMs'),
			altRounds: perItem('http', 'cpuMs'),
			lowerIsBetter: true,
		});
		scenario.detail(
			`Requests: ${ITEMS} POST /v1/sms/send per round on both sides, all 2xx, ${ITEMS} output items. ` +
				`Sandbox CPU per item (same work on both sides): ours ${fmt(median(perItem('ours', 'sandboxCpuMs')), 3)} ms, HTTP Request ${fmt(median(perItem('http', 'sandboxCpuMs')), 3)} ms.`,
		);
		scenario.detail(
			'Both nodes start every item\'s request before awaiting any (n8n\'s RoutingNode does so for declarative nodes, the HTTP Request node itself), so wall time differs mainly by the CPU each item costs in the n8n process.',
		);

		// Diagnosis: expression evaluations per item and the what-ifs (in memory, undone after each).
		const description = engine.nodeTypes.getByNameAndVersion('n8n-nodes-agentcall.agentCall', 1).description;
		const lines: string[] = [];
		const evaluations = async (side: 'ours' | 'http') => {
			const counted = await countEvaluations(async () => await engine.run(workflowFor(side), 'Send', items(20)));
			return counted.count / 20;
		};
		const httpEvaluations = await evaluations('http');
		const httpCpu: number[] = [];
		const evaluationsPerItem: number[] = [];
		const cpu: number[][] = VARIANTS.map(() => []);
		for (const [index, variant] of VARIANTS.entries()) {
			const undo = applyWhatIfs(description, sandbox.url, variant.whatIfs);
			try {
				evaluationsPerItem[index] = await evaluations('ours');
			} finally {
				undo();
			}
		}
		// Rounds interleave the variants, so a change in the machine's load touches all of them alike.
		for (let repeat = 0; repeat < DIAGNOSIS_ROUNDS; repeat++) {
			httpCpu.push((await round('http', DIAGNOSIS_ITEMS)).cpuMs / DIAGNOSIS_ITEMS);
			for (const [index, variant] of VARIANTS.entries()) {
				const undo = applyWhatIfs(description, sandbox.url, variant.whatIfs);
				try {
					cpu[index].push((await round('ours', DIAGNOSIS_ITEMS)).cpuMs / DIAGNOSIS_ITEMS);
				} finally {
					undo();
				}
			}
		}
		for (const [index, variant] of VARIANTS.entries()) {
			lines.push(`| ${variant.label} | ${fmt(evaluationsPerItem[index], 0)} | ${fmt(median(cpu[index]), 2)} | ${fmt(median(cpu[index]) / median(httpCpu), 2)} |`);
			progress(`1 diagnosis ${variant.label}: ${evaluationsPerItem[index]} evaluations/item, ${fmt(median(cpu[index]), 2)} ms CPU/item`);
		}
		lines.push(`| HTTP Request node | ${fmt(httpEvaluations, 0)} | ${fmt(median(httpCpu), 2)} | 1.00 |`);
		scenario.detail(
			`Diagnosis (${DIAGNOSIS_ITEMS} items, median of ${DIAGNOSIS_ROUNDS} rounds; what-ifs applied in memory to the loaded package and n8n-core, see test/bench/lib/diagnosis.ts):\n\n` +
				'  | Variant | Expression evaluations per item | Client CPU per item (ms) | ÷ HTTP Request |\n  |---|---:|---:|---:|\n' +
				lines.map((line) => `  ${line}`).join('\n') +
				'\n',
		);
		scenario.detail(`Rounds (${ITEMS} items each, order ${ORDER.join(', ')}; one ${WARMUP_ITEMS}-item warm-up round each first).`);
		await scenario.finish();
	});
});
