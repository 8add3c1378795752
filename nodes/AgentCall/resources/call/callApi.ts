import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { requireId } from '../../shared/fields';
import type { AgentCallContext } from '../../shared/transport';
import { agentCallRequest } from '../../shared/transport';

/** Helpers of the call operations that run in code (Hang Up, Get Recording, AI Call > Start). */

export function isObject(value: unknown): value is IDataObject {
	return !!value && typeof value === 'object' && !Array.isArray(value);
}

/** The Call ID parameter (`callId`) of a code operation, checked before any request. */
export function readCallId(context: IExecuteFunctions, itemIndex: number): string {
	return requireId(
		{ getNode: () => context.getNode(), getItemIndex: () => itemIndex },
		'Call ID',
		context.getNodeParameter('callId', itemIndex, ''),
	);
}

/** GET /v1/calls/:id; a 404 names the call. */
export async function getCall(context: AgentCallContext, callId: string, itemIndex: number): Promise<IDataObject> {
	const { body } = await agentCallRequest.call(context, {
		method: 'GET',
		path: `/v1/calls/${encodeURIComponent(callId)}`,
		itemIndex,
		subject: { label: 'call', id: callId },
	});
	return isObject(body) ? body : { id: callId };
}
