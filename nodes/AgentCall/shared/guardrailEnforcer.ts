import type {
	IDataObject,
	IExecuteFunctions,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	IWebhookFunctions,
	PreSendAction,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { GuardrailAction, GuardrailCounters, GuardrailPolicy, GuardrailRefusal, GuardrailRequest } from './guardrails';
import { AI_CALL_LIMITS } from '../resources/aiCall/startInput';
import { decide, GuardrailSettingError, readGuardrailPolicy } from './guardrails';
import { CREDENTIAL_NAME } from './transport';

/**
 * The one entry point every sending path calls before its request: SMS > Send and Call > Make as
 * their last preSend, AI Call > Start before it posts.
 *
 * Counters live in this process, per execution and credential. That is where the guarantee rests:
 * an execution runs in one process (in queue mode, on one worker), so its counts are exact; an
 * execution that waits (Wait node, waiting for a webhook) and is resumed later, possibly by another
 * worker or after a restart, starts counting again from zero.
 */

// IWebhookFunctions: Send and Wait for Reply asks again from its resume webhook.
type SendingContext = IExecuteFunctions | IExecuteSingleFunctions | IWebhookFunctions;

interface ExecutionState extends GuardrailCounters {
	/**
	 * The credential's policy, read once per execution: one credential read instead of one per item,
	 * and the same rules for every item of the run.
	 */
	policy?: Promise<GuardrailPolicy | GuardrailSettingError>;
	lastUsed: number;
}

const MAX_TRACKED_EXECUTIONS = 2_000;
const FORGET_AFTER_MS = 24 * 60 * 60_000;

const executions = new Map<string, ExecutionState>();

function stateFor(key: string, now: number): ExecutionState {
	let state = executions.get(key);
	if (state) {
		executions.delete(key);
	} else {
		state = { sms: 0, call: 0, aiCall: 0, refusals: 0, lastUsed: now };
	}
	state.lastUsed = now;
	// Re-inserted on every use, so the Map's order is least recently used first.
	executions.set(key, state);
	for (const [staleKey, stale] of executions) {
		if (executions.size <= MAX_TRACKED_EXECUTIONS && now - stale.lastUsed < FORGET_AFTER_MS) break;
		executions.delete(staleKey);
	}
	return state;
}

function executionKey(context: SendingContext): string {
	const credential = context.getNode().credentials?.[CREDENTIAL_NAME];
	return `${String(context.getExecutionId() ?? '')}#${credential?.id ?? credential?.name ?? ''}`;
}

function refusalError(
	context: SendingContext,
	request: GuardrailRequest,
	refusal: GuardrailRefusal,
	refusals: number,
	itemIndex: number,
): NodeOperationError {
	const error = new NodeOperationError(
		context.getNode(),
		`Refused by the AgentCall credential's guardrails - nothing was sent: ${refusal.message}`,
		{
			itemIndex,
			description: `${refusal.detail} Only the owner of the AgentCall credential can change this, under "${refusal.setting}" in the credential. This is guardrail refusal ${refusals} in this execution.`,
		},
	);
	error.context.guardrail = {
		rule: refusal.rule,
		action: request.action,
		to: request.to,
		setting: refusal.setting,
		refusalsThisExecution: refusals,
	};
	return error;
}

function settingError(error: GuardrailSettingError): GuardrailRefusal {
	return {
		rule: 'invalidSetting',
		message: `the credential's guardrail setting ${error.message}. Do not retry; the user must fix the AgentCall credential.`,
		setting: error.setting,
		detail: 'A guardrail setting that cannot be read refuses every SMS and call, so a typo never switches the guardrails off.',
	};
}

/** The credential's guardrails, or the setting that cannot be read (which refuses everything). */
async function readPolicy(context: SendingContext): Promise<GuardrailPolicy | GuardrailSettingError> {
	const credentials = await context.getCredentials(CREDENTIAL_NAME);
	try {
		return readGuardrailPolicy(credentials, context.getTimezone());
	} catch (error) {
		// Only a setting that cannot be read throws here.
		return error instanceof GuardrailSettingError ? error : new GuardrailSettingError('Guardrails', String(error));
	}
}

/**
 * Checks one request against the credential's guardrails and counts it; throws the refusal as a
 * NodeOperationError for the item (so Continue On Fail turns it into that item's error).
 */
export async function enforceGuardrails(context: SendingContext, request: GuardrailRequest, itemIndex: number): Promise<void> {
	const state = stateFor(executionKey(context), Date.now());
	if (!state.policy) {
		const reading = readPolicy(context);
		state.policy = reading;
		// A failed read (e.g. the credential was deleted) is not kept: the next request tries again.
		reading.catch(() => {
			if (state.policy === reading) state.policy = undefined;
		});
	}
	// Requests waiting for the same read resume in the order they asked, and the decision after it
	// is synchronous: n8n starts every item's preSends at once, yet the first items get the cap.
	const policy = await state.policy;
	let refusal: GuardrailRefusal | undefined;
	if (policy instanceof GuardrailSettingError) {
		state.refusals++;
		refusal = settingError(policy);
	} else {
		refusal = decide(policy, request, state, new Date());
	}
	if (refusal) throw refusalError(context, request, refusal, state.refusals, itemIndex);
}

/** The last preSend of a routed sending operation: the body's `to` is E.164 by then. */
export function guardrailPreSend(action: Exclude<GuardrailAction, 'aiCall'>): PreSendAction {
	return async function (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) {
		const to = String(((requestOptions.body ?? {}) as IDataObject).to ?? '');
		await enforceGuardrails(this, { action, to }, this.getItemIndex());
		return requestOptions;
	};
}

/** AI Call > Start: the minutes an AI call may last, which is what its cap counts. */
export async function enforceAiCallGuardrails(context: IExecuteFunctions, body: IDataObject, itemIndex: number): Promise<void> {
	const seconds = typeof body.maxDurationSecs === 'number' ? body.maxDurationSecs : AI_CALL_LIMITS.defaultMaxDurationSecs;
	await enforceGuardrails(context, { action: 'aiCall', to: String(body.to), aiMinutes: Math.ceil(seconds / 60) }, itemIndex);
}
