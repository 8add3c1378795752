import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

type RunItem = (itemIndex: number) => Promise<INodeExecutionData>;

/** A failure of one item as n8n reports it: a node error that names its item. */
function itemError(context: IExecuteFunctions, caught: unknown, itemIndex: number): NodeApiError | NodeOperationError {
	const error =
		caught instanceof NodeApiError || caught instanceof NodeOperationError
			? caught
			: new NodeOperationError(context.getNode(), caught as Error, { itemIndex });
	error.context.itemIndex ??= itemIndex;
	return error;
}

/** One item's output, or with Continue On Fail its error item (n8n shows `error.message` as json.error). */
function settle(
	context: IExecuteFunctions,
	itemIndex: number,
	outcome: PromiseSettledResult<INodeExecutionData>,
): INodeExecutionData {
	if (outcome.status === 'fulfilled') return { ...outcome.value, pairedItem: { item: itemIndex } };
	const error = itemError(context, outcome.reason, itemIndex);
	if (context.continueOnFail()) return { json: {}, error, pairedItem: { item: itemIndex } };
	throw error;
}

/**
 * The item loop of a custom operation, behaving like n8n's routed operations: one call of `run`
 * per input item, in order; each output paired with its input; an error names its item; with
 * Continue On Fail a failed item becomes an error item and the next item still runs.
 */
export async function runPerItem(context: IExecuteFunctions, run: RunItem): Promise<INodeExecutionData[][]> {
	const items = context.getInputData();
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const [outcome] = await Promise.allSettled([run(itemIndex)]);
		output.push(settle(context, itemIndex, outcome));
	}
	return [output];
}

/**
 * Like `runPerItem`, but every item's `run` starts at once, as n8n's routed operations and the
 * HTTP Request node send items: for one-request operations where waiting for each answer in turn
 * would make a bulk send as slow as the sum of its round trips. Each `run` starts in item order and
 * reaches its first `await` before the next starts, so whatever it decides before that (and the
 * rate-limit gate and the guardrail counters, which queue in call order) sees the items in order.
 * Without Continue On Fail the first failed item's error is thrown once all have settled.
 */
export async function runItemsConcurrently(context: IExecuteFunctions, run: RunItem): Promise<INodeExecutionData[][]> {
	const items = context.getInputData();
	const outcomes = await Promise.allSettled(items.map(async (_item, itemIndex) => await run(itemIndex)));
	return [outcomes.map((outcome, itemIndex) => settle(context, itemIndex, outcome))];
}
