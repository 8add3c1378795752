import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { enforceAiCallGuardrails } from '../../shared/guardrailEnforcer';
import { runPerItem } from '../../shared/items';
import { AI_CALL_TEMPLATE_FIELDS, applyTemplate, readTemplate } from '../../shared/promptTemplate';
import { agentCallRequest } from '../../shared/transport';
import { isObject } from '../call/callApi';
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
	const started: IDataObject = { ...reply, ...(replayed ? { idempotencyReplayed: true } : {}) };
	if (!input.waitForCompletion) return { json: started };
	return { json: await waitForCompletion(context, started, callId, sent, itemIndex, input) };
}

/** The custom operation n8n runs for resource "aiCall", operation "start". */
export async function start(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runPerItem(this, async (itemIndex) => await startOne(this, itemIndex));
}
