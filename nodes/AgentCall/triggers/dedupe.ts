/**
 * Which deliveries already started an execution: the AgentCall Trigger's duplicate memory.
 *
 * n8n gives every webhook request its own copy of the workflow's static data and saves that copy
 * after the request, so with concurrent requests the last save wins: a list kept only in static
 * data loses the keys of the requests that saved earlier, and their redeliveries run again.
 * The memory below lives in the n8n process and is checked and updated in one synchronous step,
 * so within one process no two requests can both claim a key, whatever the concurrency (Node runs
 * one request's JavaScript at a time; there is no `await` between the check and the set).
 * Static data still carries the keys: across restarts, and to other n8n processes (webhook
 * processors in queue mode) once saved, because every claim first merges the keys it finds there.
 */

/** Keys per trigger, newest last; covers far more than one retry cycle (AgentCall retries up to 5 times). */
export const DEDUPE_CAP = 500;

/**
 * Triggers remembered per process (least recently used dropped first). A dropped trigger falls
 * back to its static data, so the limit bounds memory without switching duplicate protection off.
 */
export const DEDUPE_TRIGGERS_MAX = 200;

interface Memory {
	keys: Set<string>;
	/** The static-data value merged or written last: the same string again needs no merge. */
	known: string;
}

const memories = new Map<string, Memory>();

/** One trigger's memory: a workflow's node and the AgentCall registration it receives for. */
export function dedupeScope(workflowId: string | undefined, nodeId: string, registrationId: string): string {
	return [workflowId ?? '', nodeId, registrationId].join('\u0000');
}

function memoryOf(scope: string): Memory {
	let memory = memories.get(scope);
	if (memory) {
		// Re-inserted so the Map's order is least recently used first.
		memories.delete(scope);
	} else {
		memory = { keys: new Set(), known: '' };
	}
	memories.set(scope, memory);
	while (memories.size > DEDUPE_TRIGGERS_MAX) memories.delete(memories.keys().next().value as string);
	return memory;
}

function trim(keys: Set<string>): void {
	for (const key of keys) {
		if (keys.size <= DEDUPE_CAP) return;
		keys.delete(key);
	}
}

/**
 * Claims `key` for one execution. Returns the value to store as static data `recent` when the
 * delivery is new, or undefined for a repeat. `stored` is the static data value this request loaded.
 */
export function claimDelivery(scope: string, key: string, stored: unknown): string | undefined {
	const memory = memoryOf(scope);
	if (typeof stored === 'string' && stored !== '' && stored !== memory.known) {
		for (const known of stored.split(',')) memory.keys.add(known);
		trim(memory.keys);
	}
	if (memory.keys.has(key)) return undefined;
	memory.keys.add(key);
	trim(memory.keys);
	memory.known = [...memory.keys].join(',');
	return memory.known;
}

/** Drops a trigger's memory when its registration goes (deactivation); static data keeps the keys. */
export function forgetDeliveries(scope: string): void {
	memories.delete(scope);
}
