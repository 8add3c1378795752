/* eslint-disable @typescript-eslint/no-explicit-any -- in-memory what-ifs reach into n8n-core and n8n-workflow internals on purpose */
import { RoutingNode } from 'n8n-core';
import { Expression } from 'n8n-workflow';
import type { INodeProperties, INodeTypeDescription } from 'n8n-workflow';

/**
 * Why a routed AgentCall operation costs more per item than the HTTP Request node: counts the
 * expression evaluations per item and measures in-memory what-ifs, each undone after use. Nothing
 * on disk changes; the what-ifs stand for the fixes proposed in BENCHMARKS.md.
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

export type WhatIf = 'literalBaseUrl' | 'uniqueNames' | 'noReread' | 'coreBaseUrlOnce';

export const WHAT_IFS: Record<WhatIf, string> = {
	literalBaseUrl: 'base URL not an expression (requestDefaults.baseURL a plain string)',
	uniqueNames: 'one property per parameter name (the other resources\' `to`/`from` not evaluated)',
	noReread: 'Send\'s output built without re-reading To and Message (postReceive uses what preSend resolved)',
	coreBaseUrlOnce: 'n8n-core: RoutingNode.resolveBaseUrl evaluates only the base URL, once per run (upstream)',
};

/** Applies what-ifs to the loaded AgentCall node type and n8n-core; returns the undo. */
export function applyWhatIfs(description: INodeTypeDescription, literalBaseUrl: string, whatIfs: WhatIf[]): () => void {
	const undo: Array<() => void> = [];
	const defaults = description.requestDefaults as Record<string, unknown>;
	if (whatIfs.includes('literalBaseUrl')) {
		const previous = defaults.baseURL;
		defaults.baseURL = literalBaseUrl;
		undo.push(() => (defaults.baseURL = previous));
	}
	if (whatIfs.includes('uniqueNames')) {
		const previous = description.properties;
		description.properties = previous.filter(
			(property) => !(['to', 'from'].includes(property.name) && !JSON.stringify(property.displayOptions ?? {}).includes('"sms"')),
		);
		undo.push(() => (description.properties = previous));
	}
	if (whatIfs.includes('noReread')) {
		const message = description.properties.find(
			(property: INodeProperties) => property.name === 'message' && JSON.stringify(property.displayOptions ?? {}).includes('"send"'),
		) as any;
		const output = message.routing.output;
		const previous = output.postReceive;
		output.postReceive = [async (_items: unknown, response: { body: Record<string, unknown> }) => [{ json: { ...response.body, direction: 'outbound' } }]];
		undo.push(() => (output.postReceive = previous));
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
