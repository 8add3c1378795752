import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import { requireSeconds, showFor } from '../../shared/fields';
import { runPerItem } from '../../shared/items';
import { toReport } from '../../shared/shapes';
import { agentCallRequest } from '../../shared/transport';
import { isObject, readCallId } from './callApi';

/**
 * Get Report: the structured post-call report of an AI call. AgentCall answers 202
 * `{ status: "extracting" }` while the call runs and for 5-30 s after it ends; with Wait for
 * Report the node asks again until the report is ready or Max Wait passes (bounded like Wait for
 * OTP). Either way the item says `ready`: the report's fields when true, `status` and the wait
 * when false, so an IF node can branch instead of the workflow failing.
 */

const displayOptions = showFor('call', ['getReport']);

export const REPORT_MAX_WAIT_SECONDS = 300;
const REPORT_DEFAULT_WAIT_SECONDS = 60;

/** How often the report is asked for again while AgentCall extracts it. */
const POLL_INTERVAL_MS = 2_000;

export const callGetReportDescription: INodeProperties[] = [
	{
		displayName: 'Wait for Report',
		name: 'waitForReport',
		type: 'boolean',
		default: true,
		description:
			'Whether to wait while AgentCall is still writing the report (5-30 seconds after the call ends). Off: output a "ready": false item at once when it is not ready yet.',
		displayOptions,
	},
	{
		displayName: 'Max Wait',
		name: 'reportMaxWait',
		type: 'number',
		default: REPORT_DEFAULT_WAIT_SECONDS,
		typeOptions: { minValue: 1, maxValue: REPORT_MAX_WAIT_SECONDS },
		description: `How many seconds to wait for the report at most, from 1 to ${REPORT_MAX_WAIT_SECONDS}. The node answers as soon as it is ready.`,
		hint: 'A report that is still not ready then gives an item with "ready" false, not an error',
		displayOptions: { show: { ...displayOptions.show, waitForReport: [true] } },
	},
];

function readMaxWaitSeconds(context: IExecuteFunctions, itemIndex: number): number {
	return requireSeconds(
		{ getNode: () => context.getNode(), getItemIndex: () => itemIndex },
		'Max Wait',
		context.getNodeParameter('reportMaxWait', itemIndex, REPORT_DEFAULT_WAIT_SECONDS),
		REPORT_MAX_WAIT_SECONDS,
		"To wait longer, loop back to this node while \"ready\" is false, or start the workflow with the AgentCall Trigger's AI Call Report Ready event instead.",
	);
}

function stopped(context: IExecuteFunctions, callId: string, itemIndex: number): NodeOperationError {
	return new NodeOperationError(context.getNode(), `Stopped waiting for the report of call "${callId}" because the execution was cancelled`, {
		itemIndex,
	});
}

async function getReportOne(context: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const callId = readCallId(context, itemIndex);
	const wait = context.getNodeParameter('waitForReport', itemIndex, true) === true;
	const maxWaitMs = wait ? readMaxWaitSeconds(context, itemIndex) * 1000 : 0;
	const signal = context.getExecutionCancelSignal();
	const started = Date.now();

	for (;;) {
		const { statusCode, body } = await agentCallRequest.call(context, {
			method: 'GET',
			path: `/v1/calls/${encodeURIComponent(callId)}/report`,
			itemIndex,
			subject: { label: 'call', id: callId },
		});
		const answer = isObject(body) ? body : {};
		if (statusCode !== 202) return toReport(answer, callId);
		const remaining = started + maxWaitMs - Date.now();
		if (remaining <= 0) {
			return {
				callId,
				ready: false,
				status: typeof answer.status === 'string' ? answer.status : 'extracting',
				waitedSeconds: Math.round((Date.now() - started) / 100) / 10,
			};
		}
		await sleep(Math.min(POLL_INTERVAL_MS, remaining));
		if (signal?.aborted) throw stopped(context, callId, itemIndex);
	}
}

/** The custom operation n8n runs for resource "call", operation "getReport". */
export async function getReport(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runPerItem(this, async (itemIndex) => ({ json: await getReportOne(this, itemIndex) }));
}
