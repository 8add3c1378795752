/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- reads the e2e runtime specs and README.md from the repository */
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';

/**
 * test/e2e/n8n-runtime/matrix.json lists the n8n versions the real-n8n suite runs on. Offline
 * checks that each entry can be installed as declared (its spec pins that n8n, its lockfile
 * resolves to it, its Node satisfies that n8n's engines.node as recorded in the lockfile), that
 * the smoke files exist, and that README's tested-versions table names every version with its Node.
 */

interface Entry {
	node: string;
	why: string;
	/** Below the package's minimum: only test/e2e/below-minimum.e2e.test.ts runs on it. */
	probe?: boolean;
	env?: Record<string, string>;
}
interface Matrix {
	main: string;
	versions: Record<string, Entry>;
	smoke: string[];
}
interface Lockfile {
	packages: Record<string, { version?: string; engines?: { node?: string } }>;
}

const REPO_ROOT = join(__dirname, '..', '..');
const E2E = join(REPO_ROOT, 'test', 'e2e');
const SPEC_ROOT = join(E2E, 'n8n-runtime');
const matrix = JSON.parse(readFileSync(join(SPEC_ROOT, 'matrix.json'), 'utf8')) as Matrix;
const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;
const specDir = (version: string) => (version === matrix.main ? SPEC_ROOT : join(SPEC_ROOT, 'versions', version));

type Triple = [number, number, number];

/** `1.2.3`, `1.2`, `24.x` → a triple and how many of its parts were given (x counts as absent). */
function partial(text: string): { v: Triple; given: number } {
	const parts = text.split('.').filter((p) => p !== '' && p !== 'x' && p !== '*');
	const v = [0, 1, 2].map((i) => Number(parts[i] ?? 0)) as Triple;
	return { v, given: parts.length };
}

function compare(a: Triple, b: Triple): number {
	for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] - b[i];
	return 0;
}

/**
 * Whether `version` satisfies an engines range made of space-separated comparators (>=, <=, >, <
 * with x-ranges), the only form n8n's engines.node has used; anything else fails the test loudly.
 */
function satisfies(version: string, range: string): boolean {
	const v = partial(version).v;
	const comparators = range.replace(/(>=|<=|>|<)\s+/g, '$1').trim().split(/\s+/);
	return comparators.every((comparator) => {
		const m = /^(>=|<=|>|<)?(\d+(?:\.(?:\d+|x|\*))*)$/.exec(comparator);
		if (!m) throw new Error(`engines range not understood: ${range}`);
		const { v: bound, given } = partial(m[2]);
		// `<=24.x` means below 25; `<=24.1` below 24.2
		const upper = [...bound] as Triple;
		if (given < 3) upper[Math.max(given - 1, 0)] += 1;
		switch (m[1]) {
			case '>=':
				return compare(v, bound) >= 0;
			case '>':
				return given < 3 ? compare(v, upper) >= 0 : compare(v, bound) > 0;
			case '<':
				return compare(v, bound) < 0;
			case '<=':
				return given < 3 ? compare(v, upper) < 0 : compare(v, bound) <= 0;
			default:
				return given < 3 ? compare(v, bound) >= 0 && compare(v, upper) < 0 : compare(v, bound) === 0;
		}
	});
}

describe('engines range check used below', () => {
	it.each([
		['24.22.3', '>=24.0.0', true],
		['22.23.5', '>=24.0.0', false],
		['22.23.5', '>=20.19 <= 24.x', true],
		['24.22.3', '>=20.19 <= 24.x', true],
		['25.0.0', '>=20.19 <= 24.x', false],
		['20.18.9', '>=20.19 <= 24.x', false],
	])('%s in %s → %s', (version, range, expected) => {
		expect(satisfies(version, range)).toBe(expected);
	});
});

describe('n8n version matrix of the real-n8n suite', () => {
	const versions = Object.keys(matrix.versions);

	it('has the main version, the newest 1.123.x and an oldest supported 2.x', () => {
		expect(versions).toContain(matrix.main);
		expect(versions.some((v) => v.startsWith('1.123.'))).toBe(true);
		expect(versions.some((v) => v.startsWith('2.') && v !== matrix.main)).toBe(true);
	});

	it.each(Object.keys(matrix.versions))('n8n %s: spec pins it, lockfile resolves it, its Node is in engines.node', (version) => {
		const dir = specDir(version);
		const pkg = readJson<{ dependencies: Record<string, string> }>(join(dir, 'package.json'));
		expect(pkg.dependencies).toEqual({ n8n: version });
		const lock = readJson<Lockfile>(join(dir, 'package-lock.json'));
		const n8n = lock.packages['node_modules/n8n'];
		expect(n8n.version).toBe(version);
		const engines = n8n.engines?.node;
		expect(engines).toEqual(expect.any(String));
		expect({ node: matrix.versions[version].node, engines, ok: satisfies(matrix.versions[version].node, String(engines)) }).toEqual(
			expect.objectContaining({ ok: true }),
		);
		expect(matrix.versions[version].why.length).toBeGreaterThan(5);
	});

	it('lists smoke files that exist', () => {
		expect(matrix.smoke.length).toBeGreaterThan(0);
		for (const file of matrix.smoke) expect(existsSync(join(E2E, file))).toBe(true);
	});

	it("README's Compatibility section names every tested n8n version with its Node version", () => {
		const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
		const start = readme.indexOf('## Compatibility');
		expect(start).toBeGreaterThan(-1);
		const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
		for (const [version, { node }] of Object.entries(matrix.versions).filter(([, entry]) => !entry.probe)) {
			const row = section.split('\n').find((line) => line.startsWith(`| ${version} |`));
			expect({ version, row }).toEqual({ version, row: expect.stringContaining(node) });
		}
	});

	it('has a below-minimum probe: older than engines.n8n, its n8n-workflow older than 1.83 (the first with NodeConnectionTypes)', () => {
		const minimum = readJson<{ engines: { n8n: string } }>(join(REPO_ROOT, 'package.json')).engines.n8n.replace(/^>=/, '');
		const probes = Object.keys(matrix.versions).filter((version) => matrix.versions[version].probe);
		expect(probes.length).toBeGreaterThan(0);
		for (const version of probes) {
			expect({ version, below: compare(partial(version).v, partial(minimum).v) < 0 }).toEqual({ version, below: true });
			const lock = readJson<Lockfile>(join(specDir(version), 'package-lock.json'));
			const workflow = String(lock.packages['node_modules/n8n-workflow'].version);
			expect({ version, workflow, lacks: compare(partial(workflow).v, [1, 83, 0]) < 0 }).toEqual(expect.objectContaining({ lacks: true }));
		}
		expect(matrix.versions[matrix.main].probe).toBeUndefined();
	});
});
