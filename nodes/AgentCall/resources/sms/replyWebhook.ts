import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { enforceGuardrails } from '../../shared/guardrailEnforcer';
import { toE164 } from '../../shared/phone';
import { toMessage } from '../../shared/shapes';
import { agentCallRequest } from '../../shared/transport';
import type { VerifiedDelivery } from '../../shared/waitHooks';
import { answerAndKeepWaiting, deleteWaitHook } from '../../shared/waitHooks';
import { askAgainText, DEFAULT_APPROVE_WORDS, DEFAULT_DECLINE_WORDS } from './sendAndWaitForReply';

/**
 * Resuming SMS > Send and Wait for Reply: a verified `sms.inbound` from the recipient to the
 * sending number resumes the execution with one item. Anything else is answered 200 (AgentCall
 * must not retry it) and the execution keeps waiting; other waits have their own webhooks, so
 * nothing they wait for is lost here.
 */

/** Lower case, letters and digits only, single spaces: "  Yes!! " and "yes" compare equal. */
export function normaliseAnswer(text: string): string {
	return text
		.normalize('NFKD')
		.toLowerCase()
		.replace(/[^\p{L}\p{N}]+/gu, ' ')
		.trim();
}

function wordList(list: string): string[] {
	return list
		.split(',')
		.map(normaliseAnswer)
		.filter((word) => word !== '');
}

/**
 * true (approve), false (decline) or undefined (neither). The whole answer may be a word of a list,
 * or start with one ("Yes please", "No, not today"); an answer that starts with both kinds of
 * word at once (a list holding the same word twice) counts as neither.
 */
export function matchApproval(answer: string, approveWords: string, declineWords: string): boolean | undefined {
	const text = normaliseAnswer(answer);
	if (text === '') return undefined;
	const starts = (words: string[]) => words.some((word) => text === word || text.startsWith(`${word} `));
	const approve = starts(wordList(approveWords));
	const decline = starts(wordList(declineWords));
	return approve === decline ? undefined : approve;
}

function samePhone(a: unknown, b: unknown): boolean {
	const left = toE164(a);
	const right = toE164(b);
	return left.ok && right.ok && left.e164 === right.e164;
}

/** Whether the inbound SMS came from the recipient and reached the number the question went out from. */
function isTheReply(message: IDataObject, recipient: string, numbers: string[]): boolean {
	if (!samePhone(message.from, recipient)) return false;
	return numbers.some((number) => number === message.numberId || samePhone(number, message.to));
}

async function askAgain(context: IWebhookFunctions, message: IDataObject, recipient: string, text: string): Promise<void> {
	const from = String(message.numberId ?? message.to ?? '');
	// A reply that reaches a person goes through the guardrails like every other SMS.
	await enforceGuardrails(context, { action: 'sms', to: recipient }, 0);
	await agentCallRequest.call(context, { method: 'POST', path: '/v1/sms/send', body: { from, to: recipient, body: text } });
}

export async function resumeWithReply(context: IWebhookFunctions, delivery: VerifiedDelivery): Promise<IWebhookResponseData> {
	const { state, event, payload } = delivery;
	if (event !== 'sms.inbound') return answerAndKeepWaiting(context, 200, 'Not a reply; still waiting');
	const message = toMessage(payload);
	if (!isTheReply(message, state.subject, state.numbers)) {
		return answerAndKeepWaiting(context, 200, 'Not from the person this execution waits for; still waiting');
	}
	const answer = String(message.body ?? '');
	let approved: boolean | null = null;
	if (context.getNodeParameter('replyType', 'approval') === 'approval') {
		const approveWords = context.getNodeParameter('approveWords', DEFAULT_APPROVE_WORDS) as string;
		const declineWords = context.getNodeParameter('declineWords', DEFAULT_DECLINE_WORDS) as string;
		const matched = matchApproval(answer, approveWords, declineWords);
		if (matched === undefined && context.getNodeParameter('onOtherAnswer', 'askAgain') === 'askAgain') {
			try {
				const options = context.getNodeParameter('options', {}) as IDataObject;
				await askAgain(context, message, state.subject, askAgainText(options, approveWords, declineWords));
			} catch (error) {
				context.logger.warn(`AgentCall: could not ask again after an unrecognised reply (${(error as Error).message}); still waiting`);
			}
			return answerAndKeepWaiting(context, 200, 'Answer not recognised; asked again, still waiting');
		}
		approved = matched ?? null;
	}
	await deleteWaitHook(context, state.webhookId);
	const json: IDataObject = {
		replied: true,
		timedOut: false,
		...(approved !== undefined && context.getNodeParameter('replyType', 'approval') === 'approval' ? { approved } : {}),
		replyText: answer,
		from: message.from,
		to: message.to,
		receivedAt: message.receivedAt,
		reply: message,
		waitingNode: context.getNode().name,
	};
	return { workflowData: [[{ json, pairedItem: { item: 0 } }]] };
}
