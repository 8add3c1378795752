/* eslint-disable @typescript-eslint/no-explicit-any -- in-memory what-ifs reach into n8n-core and n8n-workflow internals on purpose */
import { RoutingNode } from 'n8n-core';
import { Expression } from 'n8n-workflow';
import type { ICredentialType, INodeTypeDescription } from 'n8n-workflow';

/**
 * Why a routed AgentCall operation costs more per item than the HTTP Request node: counts the
 * expression evaluations per item and measures in-memory what-ifs, each undone after use. Nothing
 * on disk changes. Two what-ifs put back what the package did before 1.0 (to show what removing
 * it bought), one stands for the upstream n8n-core change proposed in test/bench/NOTES.md.
 */

/** Counts Expression#resolveSimpleParameterValue calls (one per `={{ }}` evaluated) while `fn` runs. */
export async function countEvaluations<T>(fn: () => Promise<T>): Promise<{ value: T; count: number; byExpression: Map<string, number> }> {
	const proto = Expression.prototype as any;
	const original = proto.resolveSimpleParameterValue;
	let count = 0;
	const byExpression = new Map<string, number>();
	proto.resolveSimpleParameterValue = function (this: unknown, value: unknown, ...rest: unknown[]) {
		count++;
		const key = String(value).slice(0, 60);
		byExpression.set(key, (byExpression.get(key) ?? 0) + 1);
		return original.call(this, value, ...rest);
	};
	try {
		const value = await fn();
		return { value, count, byExpression };
	} finally {
		proto.resolveSimpleParameterValue = original;
	}
}

export type WhatIf = 'expressionBaseUrl' | 'genericAuth' | 'coreBaseUrlOnce';

export const WHAT_IFS: Record<WhatIf, string> = {
	expressionBaseUrl: 'base URL as an expression in requestDefaults again (`={{ $credentials.baseUrl.replace(…) }}`, as before)',
	genericAuth: 'Authorization by the generic `=Bearer {{$credentials.apiKey}}` again (as before)',
	coreBaseUrlOnce: 'n8n-core: RoutingNode.resolveBaseUrl evaluates only the base URL, once per run (upstream)',
};

/** Applies what-ifs to the loaded AgentCall node type, its credential type and n8n-core; returns the undo. */
export function applyWhatIfs(target: { description: INodeTypeDescription; credentialType: ICredentialType }, whatIfs: WhatIf[]): () => void {
	const undo: Array<() => void> = [];
	if (whatIfs.includes('expressionBaseUrl')) {
		const defaults = target.description.requestDefaults as Record<string, unknown>;
		defaults.baseURL = '={{ $credentials.baseUrl.replace(/\\/+$/, "") }}';
		undo.push(() => delete defaults.baseURL);
	}
	if (whatIfs.includes('genericAuth')) {
		// An own property shadows the class's authenticate method until deleted.
		(target.credentialType as any).authenticate = { type: 'generic', properties: { headers: { Authorization: '=Bearer {{$credentials.apiKey}}' } } };
		undo.push(() => delete (target.credentialType as any).authenticate);
	}
	if (whatIfs.includes('coreBaseUrlOnce')) {
		const proto = RoutingNode.prototype as any;
		const previous = proto.resolveBaseUrl;
		const cache = new WeakMap<object, unknown>();
		proto.resolveBaseUrl = function (this: any, itemIndex: number, runIndex: number, executeData: unknown, _thisArgs: unknown, keys: unknown) {
			if (!cache.has(this)) {
				const baseURL = this.nodeType.description.requestDefaults?.baseURL;
				cache.set(this, baseURL === undefined ? undefined : this.getParameterValue(baseURL, itemIndex, runIndex, executeData, keys, false));
			}
			return cache.get(this);
		};
		undo.push(() => (proto.resolveBaseUrl = previous));
	}
	return () => undo.reverse().forEach((step) => step());
}
