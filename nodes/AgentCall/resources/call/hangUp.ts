import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { agentCallApiError } from '../../shared/errors';
import { runPerItem } from '../../shared/items';
import { isFinalCallStatus } from '../../shared/shapes';
import { agentCallRequest } from '../../shared/transport';
import { getCall, isObject, readCallId } from './callApi';

/**
 * Hang Up runs in code because AgentCall may answer a hang-up of an ended call with 200 (the call)
 * or 409: either way the user gets the call with its final status, not an error.
 */

async function hangUpOne(context: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData> {
	const callId = readCallId(context, itemIndex);
	const subject = { label: 'call', id: callId };
	const response = await agentCallRequest.call(context, {
		method: 'POST',
		path: `/v1/calls/${encodeURIComponent(callId)}/hangup`,
		body: {},
		itemIndex,
		subject,
		acceptStatuses: [409],
	});
	if (response.statusCode !== 409) {
		// An empty reply (204) still deserves the call's status in the output.
		if (isObject(response.body) && Object.keys(response.body).length > 0) return { json: response.body };
		return { json: await getCall(context, callId, itemIndex) };
	}
	const call = await getCall(context, callId, itemIndex);
	if (!isFinalCallStatus(call.status)) {
		throw agentCallApiError(context.getNode(), response, { itemIndex, subject });
	}
	return { json: { ...call, alreadyEnded: true } };
}

/** The custom operation n8n runs for resource "call", operation "hangUp". */
export async function hangUp(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runPerItem(this, async (itemIndex) => await hangUpOne(this, itemIndex));
}
