import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { toNodeError } from '../../shared/errors';
import type { TranscriptEntry } from '../../shared/shapes';
import { canonicalCallStatus, isFinalCallStatus, simpleTranscript, toTranscript, transcriptAsText } from '../../shared/shapes';
import { agentCallRequest } from '../../shared/transport';
import { getCall, isObject } from '../call/callApi';

/**
 * Wait for Completion. n8n gives a community node no way to suspend an execution and resume it
 * on a third party's webhook, so the node polls the call with `sleep` until it ends (or Max Wait
 * passes), then reads the transcript once, and returns everything as one item.
 */

export interface WaitSettings {
	maxWaitMs: number;
	pollIntervalMs: number;
	includeTranscriptText: boolean;
	/** Simplify: the result through `simpleTranscript`. */
	simple: boolean;
}

/** Status checks that may fail in a row (5xx, no answer) before the wait gives up. */
const MAX_TRANSIENT_FAILURES = 5;

/** The transcript is written right after the call ends: a few short retries cover the gap. */
const TRANSCRIPT_ATTEMPTS = 6;
const TRANSCRIPT_RETRY_MAX_MS = 5_000;

function isTransient(error: unknown): boolean {
	if (!(error instanceof NodeApiError)) return false;
	return error.httpCode === 'none' || Number(error.httpCode) >= 500;
}

function stopped(context: IExecuteFunctions, callId: string, itemIndex: number): NodeOperationError {
	return new NodeOperationError(context.getNode(), `Stopped waiting for call "${callId}" because the execution was cancelled`, {
		itemIndex,
		description: 'The call itself was not ended. Use Call > Hang Up with this call ID to end it.',
	});
}

/** Polls until the call reaches a final status or the deadline; returns the last call seen. */
async function pollUntilFinal(
	context: IExecuteFunctions,
	started: IDataObject,
	callId: string,
	itemIndex: number,
	settings: WaitSettings,
): Promise<{ call: IDataObject; timedOut: boolean }> {
	const deadline = Date.now() + settings.maxWaitMs;
	const signal = context.getExecutionCancelSignal();
	let call = started;
	let failures = 0;
	while (!isFinalCallStatus(call.status)) {
		const remaining = deadline - Date.now();
		if (remaining <= 0) return { call, timedOut: true };
		await sleep(Math.min(settings.pollIntervalMs, remaining));
		if (signal?.aborted) throw stopped(context, callId, itemIndex);
		try {
			call = { ...call, ...(await getCall(context, callId, itemIndex)) };
			failures = 0;
		} catch (error) {
			if (!isTransient(error) || ++failures >= MAX_TRANSIENT_FAILURES) throw toNodeError(context.getNode(), error, { itemIndex });
			context.logger.warn(`AgentCall: checking call ${callId} failed (${(error as Error).message}); trying again`);
			continue;
		}
		context.logger.debug(`AgentCall: call ${callId} is ${String(call.status)}`);
	}
	return { call, timedOut: false };
}

/** GET /v1/calls/:id/transcript, retried briefly while AgentCall answers "not ready" (202 or 404). */
async function fetchTranscript(
	context: IExecuteFunctions,
	callId: string,
	itemIndex: number,
	settings: WaitSettings,
): Promise<IDataObject | undefined> {
	const signal = context.getExecutionCancelSignal();
	const retryMs = Math.min(settings.pollIntervalMs, TRANSCRIPT_RETRY_MAX_MS);
	for (let attempt = 1; attempt <= TRANSCRIPT_ATTEMPTS; attempt++) {
		const { statusCode, body } = await agentCallRequest.call(context, {
			method: 'GET',
			path: `/v1/calls/${encodeURIComponent(callId)}/transcript`,
			itemIndex,
			subject: { label: 'call', id: callId },
			acceptStatuses: [404],
		});
		if (statusCode !== 202 && statusCode !== 404 && isObject(body)) return body;
		if (attempt < TRANSCRIPT_ATTEMPTS) {
			await sleep(retryMs);
			if (signal?.aborted) throw stopped(context, callId, itemIndex);
		}
	}
	context.logger.warn(`AgentCall: no transcript for call ${callId} after ${TRANSCRIPT_ATTEMPTS} attempts`);
	return undefined;
}

/**
 * One item for the finished call: everything AgentCall says about it, plus `entries`, `summary`
 * and `insights` in one stable shape. Calls that never connected (busy, no answer, failed) and
 * waits that ran out carry empty transcript fields instead of an error.
 */
export async function waitForCompletion(
	context: IExecuteFunctions,
	started: IDataObject,
	callId: string,
	sent: IDataObject,
	itemIndex: number,
	settings: WaitSettings,
): Promise<IDataObject> {
	const { call, timedOut } = await pollUntilFinal(context, started, callId, itemIndex, settings);
	const raw = !timedOut && canonicalCallStatus(call.status) === 'completed' ? await fetchTranscript(context, callId, itemIndex, settings) : undefined;
	return finishedCallItem({ call, raw, callId, sent, timedOut }, settings);
}

/** The item of a waited-for call, whichever way the wait ended (polling here, or a parked execution resumed). */
export function finishedCallItem(
	found: { call: IDataObject; raw: IDataObject | undefined; callId: string; sent: IDataObject; timedOut: boolean },
	settings: Pick<WaitSettings, 'includeTranscriptText' | 'simple'>,
): IDataObject {
	const { call, raw, callId, sent, timedOut } = found;
	const transcript = raw ? toTranscript(raw, callId) : undefined;
	const entries = (transcript?.entries ?? []) as TranscriptEntry[];
	const result: IDataObject = {
		callId,
		...call,
		status: call.status ?? null,
		from: call.from ?? sent.from,
		to: call.to ?? sent.to,
		duration: transcript?.duration ?? call.duration ?? null,
		metadata: call.metadata ?? raw?.metadata ?? sent.metadata ?? null,
		entries,
		summary: transcript?.summary ?? null,
		insights: transcript?.insights ?? null,
		transcriptAvailable: transcript !== undefined,
		timedOut,
	};
	if (settings.simple) return simpleTranscript(result);
	if (settings.includeTranscriptText) result.transcriptText = transcriptAsText(entries);
	return result;
}
