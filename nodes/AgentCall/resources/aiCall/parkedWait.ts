import type { IDataObject, IExecuteFunctions, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { canonicalCallStatus, isFinalCallStatus } from '../../shared/shapes';
import { agentCallRequest } from '../../shared/transport';
import type { VerifiedDelivery, WaitState } from '../../shared/waitHooks';
import { answerAndKeepWaiting, deleteWaitHook, registerWaitHook, saveState } from '../../shared/waitHooks';
import { getCall, isObject } from '../call/callApi';
import { finishedCallItem } from './waitForCompletion';

/**
 * AgentCall Wait > AI Call > Start and Wait: instead of polling, the execution is parked (saved as
 * waiting, no worker held) and resumed by the call's final event at a webhook registered for its
 * resume URL; the call and its transcript are then read once.
 */

/** Registers the call's webhook before the call is placed, so no final event can be missed. */
export async function prepareParkedWait(context: IExecuteFunctions, maxWaitMs: number): Promise<{ state: WaitState; waitTill: Date }> {
	const waitTill = new Date(Date.now() + maxWaitMs);
	const state = await registerWaitHook(context, { kind: 'aiCall', events: ['call.status', 'call.transcript'], waitTill, subject: '' });
	return { state, waitTill };
}

/** After the call started: the state learns its ID (deliveries before that were answered 409 by n8n and come again). */
export async function parkUntilCallEnds(context: IExecuteFunctions, state: WaitState, callId: string, waitTill: Date): Promise<void> {
	state.subject = callId;
	saveState(context, state);
	await context.putExecutionToWait(waitTill);
}

/** The transcript once, or undefined while AgentCall still prepares it. */
async function readTranscript(context: IWebhookFunctions, callId: string): Promise<IDataObject | undefined> {
	const { statusCode, body } = await agentCallRequest.call(context, {
		method: 'GET',
		path: `/v1/calls/${encodeURIComponent(callId)}/transcript`,
		subject: { label: 'call', id: callId },
		acceptStatuses: [404],
	});
	return statusCode !== 202 && statusCode !== 404 && isObject(body) ? body : undefined;
}

/**
 * A final event of the awaited call resumes with the same item polling gives. A completed call
 * whose transcript is not ready yet keeps waiting for `call.transcript`, except one that never
 * connected (duration 0), which has none.
 */
export async function resumeWithCallEnd(context: IWebhookFunctions, delivery: VerifiedDelivery): Promise<IWebhookResponseData> {
	const { state, event, payload } = delivery;
	const callId = String(payload.callId ?? payload.id ?? '');
	if (state.subject === '' || callId !== state.subject) return answerAndKeepWaiting(context, 200, 'Not the call this execution waits for');
	const status = canonicalCallStatus(payload.status);
	if (event !== 'call.transcript' && !(event === 'call.status' && isFinalCallStatus(status))) {
		return answerAndKeepWaiting(context, 200, 'The call goes on; still waiting');
	}
	const call = await getCall(context, callId, 0);
	const completed = canonicalCallStatus(call.status) === 'completed';
	const raw = completed ? await readTranscript(context, callId) : undefined;
	if (completed && !raw && event !== 'call.transcript' && Number(call.duration ?? payload.duration ?? 0) > 0) {
		return answerAndKeepWaiting(context, 200, 'Call ended; waiting for its transcript');
	}
	await deleteWaitHook(context, state.webhookId);
	const options = context.getNodeParameter('options', {}) as IDataObject;
	const json = finishedCallItem(
		{ call, raw, callId, sent: {}, timedOut: false },
		{ simple: context.getNodeParameter('simple', true) === true, includeTranscriptText: options.includeTranscriptText === true },
	);
	return { workflowData: [[{ json: { ...json, waitingNode: context.getNode().name }, pairedItem: { item: 0 } }]] };
}
