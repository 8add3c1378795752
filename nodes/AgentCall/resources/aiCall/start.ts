import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { enforceAiCallGuardrails } from '../../shared/guardrailEnforcer';
import { runPerItem } from '../../shared/items';
import { AI_CALL_TEMPLATE_FIELDS, applyTemplate, readTemplate } from '../../shared/promptTemplate';
import { agentCallRequest } from '../../shared/transport';
import { deleteWaitHook } from '../../shared/waitHooks';
import { isObject } from '../call/callApi';
import { parkUntilCallEnds, prepareParkedWait } from './parkedWait';
import { readStartInput } from './startInput';
import { waitForCompletion } from './waitForCompletion';

/**
 * AI Call > Start: `POST /v1/calls/ai` with an idempotency key, so that no retry ever dials the
 * same person twice, then (with Wait for Completion) the finished call with its transcript.
 */

function headerValue(headers: IDataObject, name: string): string | undefined {
	const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
	return key === undefined ? undefined : String(headers[key]);
}

async function startOne(context: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData> {
	const input = readStartInput(context, itemIndex);
	const { body: sent } = input;
	const template = await readTemplate(context, itemIndex, AI_CALL_TEMPLATE_FIELDS, 'outbound');
	if (template) applyTemplate(sent, template);
	await enforceAiCallGuardrails(context, sent, itemIndex);
	const { json: started, callId } = await placeCall(context, sent, itemIndex);
	if (!input.waitForCompletion) return { json: started };
	return { json: await waitForCompletion(context, started, callId, sent, itemIndex, input) };
}

/** POST /v1/calls/ai (after the guardrails) and the started call with its ID. */
async function placeCall(context: IExecuteFunctions, sent: IDataObject, itemIndex: number): Promise<{ json: IDataObject; callId: string }> {
	const response = await agentCallRequest.call(context, {
		method: 'POST',
		path: '/v1/calls/ai',
		body: sent,
		itemIndex,
		subject: { label: 'phone number', id: String(sent.from) },
	});
	const reply = isObject(response.body) ? response.body : {};
	const callId = [reply.id, reply.callId].find((value) => typeof value === 'string' && value !== '') as string | undefined;
	if (callId === undefined) {
		const message = 'AgentCall accepted the AI call but its answer had no call ID';
		throw new NodeApiError(context.getNode(), { message, statusCode: response.statusCode }, {
			message,
			description: sent.idempotencyKey
				? 'The call may have been placed. Running the node again is safe: it sends the same idempotency key, so AgentCall returns the original call instead of dialling again.'
				: 'The call may have been placed: check Call > Get Many before running the node again.',
			httpCode: String(response.statusCode),
			itemIndex,
		});
	}
	const replayed = headerValue(response.headers, 'x-agentcall-idempotency-replayed')?.toLowerCase() === 'true';
	return { json: { ...reply, ...(replayed ? { idempotencyReplayed: true } : {}) }, callId };
}

/** The custom operation n8n runs for resource "aiCall", operation "start". */
export async function start(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runPerItem(this, async (itemIndex) => await startOne(this, itemIndex));
}

/**
 * AgentCall Wait > AI Call > Start and Wait: the first item's call, with its webhook registered
 * first; the execution waits until the call's final event (parkedWait.ts). On a wait limit n8n
 * passes the input item on unchanged.
 */
export async function startAndPark(context: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const input = readStartInput(context, 0, { waitForCompletion: true });
	let parked: Awaited<ReturnType<typeof prepareParkedWait>> | undefined;
	try {
		await enforceAiCallGuardrails(context, input.body, 0);
		parked = await prepareParkedWait(context, input.maxWaitMs);
		const { callId } = await placeCall(context, input.body, 0);
		await parkUntilCallEnds(context, parked.state, callId, parked.waitTill);
	} catch (caught) {
		if (parked) await deleteWaitHook(context, parked.state.webhookId);
		const error = caught instanceof NodeOperationError || caught instanceof NodeApiError ? caught : new NodeOperationError(context.getNode(), caught as Error, { itemIndex: 0 });
		if (context.continueOnFail()) return [[{ json: {}, error, pairedItem: { item: 0 } }]];
		throw error;
	}
	return [context.getInputData()];
}
