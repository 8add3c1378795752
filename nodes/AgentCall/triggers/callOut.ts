import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { toE164 } from '../shared/phone';
import { hasValidSignature } from '../shared/signature';
import type { AgentKind } from './agentProperties';
import { TOOL_BUDGET_MS, agentKind, contextTimeoutMs } from './agentProperties';
import { answerInTime } from './answerInTime';
import { claimDelivery, dedupeScope } from './dedupe';
import { isObject, storedWiring } from './inboundWiring';

/**
 * One call-out from AgentCall to the Phone Agent Trigger: signature, the item, and the answer.
 * Items name AgentCall's `arguments` and `caller` as `args` and `callerPhone`: n8n 2.41 refuses
 * every expression that contains the word `arguments` or `caller` (n8n-workflow's
 * unsafeObjectProperties), so a workflow could not read them under their own names.
 * Tool calls and caller context are answered from the run (./answerInTime.ts); relayed texts are
 * acknowledged at once, each message once per process (./dedupe.ts), since AgentCall retries
 * a non-2xx push up to 5 times.
 */

const DEFAULT_FALLBACK_RESULT = 'The tool did not answer in time. Tell the caller you cannot check this right now.';

/** Time kept back from AgentCall's limit for the network and n8n's own work before webhook(). */
export function answerMarginMs(limitMs: number): number {
	return Math.min(250, Math.round(limitMs / 4));
}

function reject(this: IWebhookFunctions, hint: string): IWebhookResponseData {
	this.logger.warn(`AgentCall Phone Agent Trigger: rejected a request to "${this.getNode().name}" with 401. ${hint}`);
	this.getResponseObject().status(401).send('Invalid or missing X-AgentCall-Signature');
	return { noWebhookResponse: true };
}

function parsedBody(this: IWebhookFunctions, rawBody: Buffer): IDataObject {
	const body = this.getBodyData() as unknown;
	if (isObject(body) && Object.keys(body).length) return body;
	try {
		const parsed = JSON.parse(rawBody.toString('utf8')) as unknown;
		return isObject(parsed) ? parsed : {};
	} catch {
		return {};
	}
}

/** Tool arguments arrive as an object, or as the JSON string the model produced. */
function toolArguments(value: unknown): IDataObject {
	if (isObject(value)) return value;
	if (typeof value === 'string' && value.trim() !== '') {
		try {
			const parsed = JSON.parse(value) as unknown;
			if (isObject(parsed)) return parsed;
		} catch {
			return { input: value };
		}
	}
	return {};
}

function relayItem(body: IDataObject): IDataObject {
	const message = isObject(body.message) ? body.message : {};
	const conversation = isObject(body.conversation) ? body.conversation : {};
	const phone = toE164(conversation.contactPhone ?? message.from);
	return {
		message,
		conversation,
		contact: { phone: phone.ok ? phone.e164 : String(conversation.contactPhone ?? message.from ?? '') },
		context: isObject(body.context) ? body.context : { channel: 'sms' },
	};
}

function answerFromRun(this: IWebhookFunctions, kind: Exclude<AgentKind, 'smsRelay'>, item: IDataObject): IWebhookResponseData {
	const limitMs = kind === 'toolCall' ? TOOL_BUDGET_MS : contextTimeoutMs.call(this);
	const options = kind === 'toolCall' ? (this.getNodeParameter('options', {}) as IDataObject) : {};
	const fallback = kind === 'toolCall' ? String(options.fallbackResult ?? DEFAULT_FALLBACK_RESULT) : '';
	const started = Date.now();
	const label = kind === 'toolCall' ? `tool call "${String(item.tool ?? '')}"` : 'caller context request';
	answerInTime(this.getResponseObject(), {
		field: kind === 'toolCall' ? 'result' : 'contextBlock',
		fallback,
		deadlineMs: limitMs - answerMarginMs(limitMs),
		onAnswer: (how) => {
			if (how === 'workflow') return;
			this.logger.warn(
				`AgentCall Phone Agent Trigger: answered the ${label} with the fallback after ${Date.now() - started} ms: the workflow ${how === 'deadline' ? 'had not finished' : 'failed or gave no item'}.`,
			);
		},
	});
	return { workflowData: [this.helpers.returnJsonArray([item])] };
}

export async function receiveCallOut(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const data = this.getWorkflowStaticData('node');
	const wiring = storedWiring(data);
	const rawBody = this.getRequestObject().rawBody as Buffer | undefined;
	const header = this.getHeaderData()['x-agentcall-signature'];
	if (!wiring) {
		return reject.call(this, 'No signing secret is stored for this trigger. Deactivate and re-activate the workflow to wire the number again.');
	}
	if (!rawBody || !Buffer.isBuffer(rawBody)) return reject.call(this, 'n8n did not keep the raw request body, which the signature check needs.');
	if (!hasValidSignature(rawBody, header, wiring.secret)) {
		return reject.call(this, 'The X-AgentCall-Signature header is missing or does not match the secret this trigger gave the number.');
	}

	const body = parsedBody.call(this, rawBody);
	const kind = agentKind.call(this);
	if (kind === 'toolCall') {
		return answerFromRun.call(this, kind, {
			tool: String(body.tool ?? ''),
			args: toolArguments(body.arguments),
			context: isObject(body.context) ? body.context : {},
		});
	}
	if (kind === 'callerContext') {
		const { caller, numberId, callId, timestamp, ...rest } = body;
		const phone = toE164(caller);
		return answerFromRun.call(this, kind, {
			...rest,
			callerPhone: phone.ok ? phone.e164 : (caller ?? null),
			numberId: numberId ?? wiring.numberId,
			callId: callId ?? null,
			timestamp: timestamp ?? null,
		});
	}

	const item = relayItem(body);
	const messageId = String((item.message as IDataObject).id ?? '');
	// No `await` from here to the claim: the check and the set are one step for this process.
	const scope = dedupeScope(this.getWorkflow().id, this.getNode().id, wiring.url);
	const recent = claimDelivery(scope, messageId || rawBody.toString('base64').slice(0, 64), data.recent);
	if (recent === undefined) {
		this.logger.debug('AgentCall Phone Agent Trigger: ignored a repeated push of a relayed text', { messageId });
		return {};
	}
	data.recent = recent;
	// Acknowledge before n8n builds the run, so the static data holding `recent` is saved (see delivery.ts).
	this.getResponseObject().status(200).end();
	return { noWebhookResponse: true, workflowData: [this.helpers.returnJsonArray([item])] };
}
