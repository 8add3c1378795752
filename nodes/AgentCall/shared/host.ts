import * as workflow from 'n8n-workflow';
import type { INode, INodeProperties, INodeType, NodeConnectionType } from 'n8n-workflow';

/**
 * What the nodes need from the n8n that loads them, found out once at load. n8n hands a community
 * package its own n8n-workflow, so an older n8n lacks exports the nodes use; reading a missing one
 * while n8n builds a node's description would throw and take the whole package down with it.
 * Here every such export is read defensively: on a host that lacks one, the nodes still load, say
 * at the top of their parameters which n8n they need, and refuse to run with the same message.
 *
 * The minimum is the oldest n8n the package is tested on (test/e2e/n8n-runtime/matrix.json); it is
 * also package.json's engines.n8n (a unit test keeps the two equal).
 */
export const MINIMUM_N8N_VERSION = '1.123.0';

/** The n8n-workflow values the compiled nodes use at run time (types vanish at compile time). */
const NEEDED_EXPORTS = ['NodeConnectionTypes', 'NodeOperationError', 'NodeApiError', 'sleep', 'WAIT_INDEFINITELY'] as const;

// A namespace read of an absent export is undefined, where `NodeConnectionTypes.Main` would throw.
const exported = workflow as Partial<typeof workflow>;

/** The exports this n8n lacks, in NEEDED_EXPORTS order; empty on a supported n8n. */
export const missingHostExports: readonly string[] = NEEDED_EXPORTS.filter((name) => exported[name] === undefined);

/** The message for a host that lacks something, in n8n's voice; undefined on a supported n8n. */
export const hostProblem: string | undefined = missingHostExports.length
	? `AgentCall needs n8n ${MINIMUM_N8N_VERSION} or later: this n8n lacks ${missingHostExports.join(', ')}. Update n8n to ${MINIMUM_N8N_VERSION} or later to use this node.`
	: undefined;

/** The main connection, as `NodeConnectionTypes.Main` where it exists; n8n before it took the string 'main'. */
export const MAIN_CONNECTION = (exported.NodeConnectionTypes?.Main ?? 'main') as NodeConnectionType;

/** The methods through which n8n runs a node; on a host without what they need each one refuses. */
const RUN_METHODS = ['execute', 'poll', 'trigger', 'webhook'] as const;

function refuse(this: { getNode(): INode }): never {
	const message = hostProblem ?? '';
	throw exported.NodeOperationError ? new exported.NodeOperationError(this.getNode(), message) : new Error(message);
}

/**
 * Called by every node's constructor. On a supported n8n it does nothing. On one that lacks
 * something it puts the message on top of the parameters, offers no AI Agent tool variant, and
 * replaces each way of running the node by a refusal: its run methods and a trigger's webhook
 * set-up (so activation fails with the message). The declarative AgentCall node has no run method:
 * it gets an `execute` in place of its custom operations, which n8n prefers over its routing, so a
 * half-supported RoutingNode never runs.
 */
export function guardHost(node: INodeType): void {
	if (!hostProblem) return;
	const notice: INodeProperties = { displayName: hostProblem, name: 'hostNotice', type: 'notice', default: '' };
	node.description.properties = [notice, ...node.description.properties];
	// n8n before 1.85 (the n8n-workflow without NodeConnectionTypes) builds the tool variant with
	// structuredClone, which throws on the functions in a description (routing hooks) and stops n8n.
	node.description.usableAsTool = undefined;
	const runnable = node as unknown as Record<string, unknown>;
	const present = RUN_METHODS.filter((name) => typeof runnable[name] === 'function');
	for (const name of present.length ? present : (['execute'] as const)) runnable[name] = refuse;
	// n8n runs a custom operation in place of execute, and rejects a node type that has both.
	delete runnable.customOperations;
	for (const hooks of Object.values(node.webhookMethods ?? {})) {
		for (const name of Object.keys(hooks)) (hooks as Record<string, unknown>)[name] = refuse;
	}
}
