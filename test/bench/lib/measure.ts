/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- benchmark code runs in Node: clocks, CPU counters, result files, profiler */
import * as fs from 'fs';
import * as inspector from 'inspector';
import * as os from 'os';
import * as path from 'path';

import { busyShare, cpuTimes } from './machine';
import { PROFILES, RESULTS } from './paths';
import type { SandboxProcess } from './sandbox';

export const sleep = async (ms: number) => await new Promise<void>((resolve) => setTimeout(resolve, ms));

export function median(values: number[]): number {
	const sorted = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
	if (!sorted.length) return NaN;
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function cpuMsNow(): number {
	const usage = process.cpuUsage();
	return (usage.user + usage.system) / 1000;
}

export interface Timed<T> {
	value: T;
	wallMs: number;
	/** CPU of this (client) process: the engine, our nodes or n8n's. */
	cpuMs: number;
	/** CPU of the sandbox process serving the requests. */
	sandboxCpuMs: number;
}

/** Runs `fn` once, timing wall clock, this process's CPU and the sandbox's CPU. */
export async function timed<T>(fn: () => Promise<T>, sandbox?: SandboxProcess): Promise<Timed<T>> {
	const sandboxBefore = sandbox ? await sandbox.cpuMs() : 0;
	const cpuBefore = cpuMsNow();
	const started = performance.now();
	const value = await fn();
	const wallMs = performance.now() - started;
	const cpuMs = cpuMsNow() - cpuBefore;
	const sandboxCpuMs = sandbox ? (await sandbox.cpuMs()) - sandboxBefore : 0;
	return { value, wallMs, cpuMs, sandboxCpuMs };
}

/** With BENCH_PROFILE=<label substring>, records a V8 CPU profile of `fn` to test-artifacts/bench/profiles. */
export async function profiled<T>(label: string, fn: () => Promise<T>): Promise<T> {
	const wanted = process.env.BENCH_PROFILE;
	if (!wanted || !label.includes(wanted)) return await fn();
	const session = new inspector.Session();
	session.connect();
	const post = async (method: string, params: object = {}) =>
		await new Promise<unknown>((resolve, reject) =>
			session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))),
		);
	await post('Profiler.enable');
	await post('Profiler.setSamplingInterval', { interval: 200 });
	await post('Profiler.start');
	try {
		return await fn();
	} finally {
		const { profile } = (await post('Profiler.stop')) as { profile: unknown };
		fs.mkdirSync(PROFILES, { recursive: true });
		const file = path.join(PROFILES, `${label.replace(/[^a-z0-9-]+/gi, '_')}.cpuprofile`);
		fs.writeFileSync(file, JSON.stringify(profile));
		session.disconnect();
	}
}

export interface Row {
	measure: string;
	unit: string;
	ours: number;
	alt: number;
	/** true: a smaller figure is better (times, requests); false: larger is better (rates). */
	lowerIsBetter: boolean;
	oursRounds?: number[];
	altRounds?: number[];
	/** Fixed goal for "ours", e.g. "0" or ">= 90 %". */
	goal?: string;
	goalMet?: boolean;
	note?: string;
}

export interface ScenarioResult {
	id: string;
	title: string;
	alternative: string;
	rows: Row[];
	details: string[];
	load?: LoadNote;
	durationMs?: number;
}

export interface LoadNote {
	/** Share of all cores busy during the scenario (everything on the machine). */
	machineBusy: number | null;
	/** Share of all cores used by this process and by the sandbox process. */
	benchShare: number;
	sandboxShare: number;
	/** What the rest of the machine used: machineBusy minus the two above. */
	otherShare: number | null;
	loadavg1: number;
}

/** Tracks the machine while a scenario runs and writes its result file. */
export class Scenario {
	private readonly started = performance.now();

	private readonly cpu0 = cpuMsNow();

	private readonly proc0 = cpuTimes() as unknown;

	private sandboxCpu0 = 0;

	/** CPU of child processes the scenario ran itself (counted as the bench's). */
	private childCpuMs = 0;

	readonly rows: Row[] = [];

	readonly details: string[] = [];

	constructor(
		readonly id: string,
		readonly title: string,
		public alternative: string,
		private readonly sandbox?: SandboxProcess,
	) {}

	async begin(): Promise<this> {
		this.sandboxCpu0 = this.sandbox ? await this.sandbox.cpuMs() : 0;
		return this;
	}

	addChildCpu(ms: number): void {
		this.childCpuMs += ms;
	}

	row(row: Row): void {
		this.rows.push(row);
	}

	detail(line: string): void {
		this.details.push(line);
	}

	async finish(): Promise<ScenarioResult> {
		const wallMs = performance.now() - this.started;
		const cores = os.cpus().length;
		const capacity = wallMs * cores;
		const sandboxCpu = this.sandbox ? (await this.sandbox.cpuMs()) - this.sandboxCpu0 : 0;
		const benchShare = (cpuMsNow() - this.cpu0 + this.childCpuMs) / capacity;
		const sandboxShare = sandboxCpu / capacity;
		const machineBusy = busyShare(this.proc0 as never, cpuTimes() as never) as number | null;
		const result: ScenarioResult = {
			id: this.id,
			title: this.title,
			alternative: this.alternative,
			rows: this.rows,
			details: this.details,
			durationMs: wallMs,
			load: {
				machineBusy,
				benchShare,
				sandboxShare,
				otherShare: machineBusy === null ? null : Math.max(0, machineBusy - benchShare - sandboxShare),
				loadavg1: os.loadavg()[0],
			},
		};
		fs.mkdirSync(RESULTS, { recursive: true });
		fs.writeFileSync(path.join(RESULTS, `${this.id}.json`), JSON.stringify(result, null, 2));
		return result;
	}
}

export const fmt = (value: number, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');

/** Progress on stderr: a bench run is long, and jest shows nothing until a file ends. */
export function progress(line: string): void {
	process.stderr.write(`[bench] ${line}\n`);
}
