import { createHash } from 'crypto';
import type { IExecuteFunctions } from 'n8n-workflow';

import type { InputCheckContext } from './fields';
import { inputError } from './fields';

/** The longest idempotency key AgentCall takes. */
export const IDEMPOTENCY_KEY_MAX_LENGTH = 200;

/**
 * The idempotency key used when the user sets none: the same for every attempt at one item of one
 * node run (so Retry On Fail, or a retried request, never acts twice) and different for every
 * other item, run, node, workflow and `parts` (e.g. the pair of numbers). None without an
 * execution ID: a key that repeats across executions would silently swallow tomorrow's request.
 */
export function defaultIdempotencyKey(context: IExecuteFunctions, itemIndex: number, ...parts: string[]): string | undefined {
	const executionId = String(context.getExecutionId() ?? '').trim();
	if (executionId === '') return undefined;
	const runIndex = Number(context.getWorkflowDataProxy(itemIndex).$runIndex ?? 0);
	const scope = [context.getWorkflow().id ?? '', context.getNode().name, ...parts].join('\u0000');
	const fingerprint = createHash('sha256').update(scope).digest('hex').slice(0, 16);
	const key = `n8n-${executionId}-${runIndex}-${itemIndex}-${fingerprint}`;
	return key.length <= IDEMPOTENCY_KEY_MAX_LENGTH && /^[\w.:-]+$/.test(key)
		? key
		: `n8n-${createHash('sha256').update(`${executionId}\u0000${runIndex}\u0000${itemIndex}\u0000${scope}`).digest('hex')}`;
}

/** The Idempotency Key the user set (trimmed; empty when none), checked against AgentCall's limit. */
export function readOwnIdempotencyKey(site: InputCheckContext, raw: unknown, hint: string): string {
	const key = typeof raw === 'string' ? raw.trim() : typeof raw === 'number' ? String(raw) : '';
	if (key.length > IDEMPOTENCY_KEY_MAX_LENGTH) {
		throw inputError(site, `"Idempotency Key" has ${key.length} characters - at most ${IDEMPOTENCY_KEY_MAX_LENGTH} are allowed`, hint);
	}
	return key;
}
