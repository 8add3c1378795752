import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

/**
 * The item loop of a custom operation, behaving like n8n's routed operations: one call of `run`
 * per input item, in order; each output paired with its input; an error names its item; with
 * Continue On Fail a failed item becomes an error item and the next item still runs.
 */
export async function runPerItem(
	context: IExecuteFunctions,
	run: (itemIndex: number) => Promise<INodeExecutionData>,
): Promise<INodeExecutionData[][]> {
	const items = context.getInputData();
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const result = await run(itemIndex);
			output.push({ ...result, pairedItem: { item: itemIndex } });
		} catch (caught) {
			const error =
				caught instanceof NodeApiError || caught instanceof NodeOperationError
					? caught
					: new NodeOperationError(context.getNode(), caught as Error, { itemIndex });
			error.context.itemIndex ??= itemIndex;
			// Same shape as a routed operation's failed item: n8n shows `error.message` as json.error.
			if (context.continueOnFail()) {
				output.push({ json: {}, error, pairedItem: { item: itemIndex } });
				continue;
			}
			throw error;
		}
	}
	return [output];
}
