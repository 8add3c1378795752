import { claimDelivery, DEDUPE_CAP, DEDUPE_TRIGGERS_MAX, dedupeScope, forgetDeliveries } from '../../nodes/AgentCall/triggers/dedupe';

/** The AgentCall Trigger's process memory of delivered events: bounds and what it merges. */
describe('duplicate memory (triggers/dedupe.ts)', () => {
	let n = 0;
	const scope = () => dedupeScope('wf-unit', `node-${++n}`, 'wh-1');

	it('claims a key once; the claim returns the keys to store, newest last', () => {
		const s = scope();
		expect(claimDelivery(s, 'a', undefined)).toBe('a');
		expect(claimDelivery(s, 'b', 'a')).toBe('a,b');
		expect(claimDelivery(s, 'a', 'a,b')).toBeUndefined();
		// A request that loaded an older copy of the static data still sees both.
		expect(claimDelivery(s, 'b', 'a')).toBeUndefined();
	});

	it('merges keys saved by another process or before a restart', () => {
		const s = scope();
		expect(claimDelivery(s, 'x', 'p,q')).toBe('p,q,x');
		expect(claimDelivery(s, 'q', 'p')).toBeUndefined();
	});

	it(`keeps at most ${DEDUPE_CAP} keys per trigger, dropping the oldest`, () => {
		const s = scope();
		let stored: string | undefined;
		for (let i = 0; i < DEDUPE_CAP + 10; i++) stored = claimDelivery(s, `k${i}`, stored) ?? stored;
		expect(stored!.split(',')).toHaveLength(DEDUPE_CAP);
		expect(claimDelivery(s, 'k10', stored)).toBeUndefined();
		expect(claimDelivery(s, 'k9', stored)).toBeDefined();
	});

	it('forgets a trigger on deactivation; its static data still knows the keys', () => {
		const s = scope();
		const stored = claimDelivery(s, 'a', undefined);
		forgetDeliveries(s);
		expect(claimDelivery(s, 'a', '')).toBe('a');
		forgetDeliveries(s);
		expect(claimDelivery(s, 'a', stored)).toBeUndefined();
	});

	it(`remembers at most ${DEDUPE_TRIGGERS_MAX} triggers, dropping the least recently used`, () => {
		const first = scope();
		const second = scope();
		claimDelivery(first, 'a', undefined);
		claimDelivery(second, 'a', undefined);
		for (let i = 0; i < DEDUPE_TRIGGERS_MAX - 1; i++) {
			claimDelivery(scope(), 'a', undefined);
			if (i === 0) claimDelivery(first, 'touch', undefined); // used again: now the newest
		}
		expect(claimDelivery(first, 'a', '')).toBeUndefined();
		expect(claimDelivery(second, 'a', '')).toBe('a');
	});

	it('keeps scopes apart: another workflow, node or registration is another trigger', () => {
		claimDelivery(dedupeScope('wf-a', 'n', 'wh'), 'k', undefined);
		expect(claimDelivery(dedupeScope('wf-b', 'n', 'wh'), 'k', undefined)).toBe('k');
		expect(claimDelivery(dedupeScope('wf-a', 'm', 'wh'), 'k', undefined)).toBe('k');
		expect(claimDelivery(dedupeScope('wf-a', 'n', 'wh-test'), 'k', undefined)).toBe('k');
	});
});
