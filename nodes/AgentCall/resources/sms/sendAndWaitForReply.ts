import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { toNodeError } from '../../shared/errors';
import { defaultCountryOf, defaultCountryOption, itemSite, readFromAndTo, showFor } from '../../shared/fields';
import { enforceGuardrails } from '../../shared/guardrailEnforcer';
import { agentCallRequest } from '../../shared/transport';
import { deleteWaitHook, registerWaitHook, saveState } from '../../shared/waitHooks';
import { readWaitLimit, waitLimitFields, waitTillDate } from '../../shared/waitLimit';
import { checkSmsText } from './send';

/**
 * AgentCall Wait > SMS > Send and Wait for Reply: sends one SMS (for the first input item, like n8n's Send and Wait
 * nodes), registers a webhook for `sms.inbound` at this execution's resume URL, and parks the
 * execution. `replyWebhook.ts` resumes it with the recipient's reply to that number.
 *
 * The operation's value is not `sendAndWait`: n8n gives that value its own signed-URL handling and
 * a generated human-in-the-loop tool, neither of which fits a reply that comes by SMS.
 */

export const SEND_AND_WAIT_OPERATION = 'sendAndWaitForReply';

const displayOptions = showFor('sms', [SEND_AND_WAIT_OPERATION]);

export const DEFAULT_APPROVE_WORDS = 'YES, Y, APPROVE, APPROVED, OK';
export const DEFAULT_DECLINE_WORDS = 'NO, N, DECLINE, DECLINED, REJECT';

/** From, To and Message are Send's fields (shown for both operations); these are the rest. */
export const smsSendAndWaitDescription: INodeProperties[] = [
	{
		displayName: 'Reply Type',
		name: 'replyType',
		type: 'options',
		default: 'approval',
		options: [
			{
				name: 'Approval',
				value: 'approval',
				description: 'The person answers yes or no; the output says "approved" true or false',
			},
			{ name: 'Free Text', value: 'freeText', description: 'Any answer; the output has its text' },
		],
		description: 'What kind of answer you expect',
		hint: 'Ask for it in the message, e.g. "Reply YES to approve or NO to decline".',
		displayOptions,
	},
	{
		displayName: 'Approve Words',
		name: 'approveWords',
		type: 'string',
		default: DEFAULT_APPROVE_WORDS,
		description: 'Answers that approve, separated by commas. Case, spaces and punctuation do not matter ("yes!" and " Yes." match YES).',
		displayOptions: { show: { ...displayOptions.show, replyType: ['approval'] } },
	},
	{
		displayName: 'Decline Words',
		name: 'declineWords',
		type: 'string',
		default: DEFAULT_DECLINE_WORDS,
		description: 'Answers that decline, separated by commas. An answer starting with one of these words counts too ("No thanks").',
		displayOptions: { show: { ...displayOptions.show, replyType: ['approval'] } },
	},
	{
		displayName: 'On Other Answers',
		name: 'onOtherAnswer',
		type: 'options',
		default: 'askAgain',
		options: [
			{
				name: 'Ask Again and Keep Waiting',
				value: 'askAgain',
				description: 'Text back "Please reply YES or NO." (or your text under Options) and wait for the next answer',
			},
			{
				name: 'Count as a Reply',
				value: 'countAsReply',
				description: 'Continue with "approved" empty (null) and the text of the answer',
			},
		],
		description: 'What to do with an answer that is neither an approve word nor a decline word',
		displayOptions: { show: { ...displayOptions.show, replyType: ['approval'] } },
	},
	...waitLimitFields('reply', displayOptions, 'the reply'),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions,
		options: [
			{
				displayName: 'Ask Again Text',
				name: 'askAgainText',
				type: 'string',
				default: '',
				placeholder: 'e.g. Please reply YES or NO.',
				description: 'The text sent back after an answer that matched no word. Empty: "Please reply" with your first approve and decline words.',
			},
			defaultCountryOption,
		],
	},
];

function firstWord(list: string): string {
	return list.split(',').map((word) => word.trim()).find((word) => word !== '') ?? '';
}

/** The text that asks again, from the option or from the first approve and decline words. */
export function askAgainText(options: IDataObject, approveWords: string, declineWords: string): string {
	const custom = typeof options.askAgainText === 'string' ? options.askAgainText.trim() : '';
	return custom || `Please reply ${firstWord(approveWords) || 'YES'} or ${firstWord(declineWords) || 'NO'}.`;
}

/** AgentCall Wait's execute() for resource "sms", operation "sendAndWaitForReply". */
export async function sendAndWaitForReply(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	try {
		await sendAndPark(this);
	} catch (caught) {
		const error = caught instanceof NodeOperationError ? caught : toNodeError(this.getNode(), caught, { itemIndex: 0 });
		// Continue On Fail: an error item, and the execution goes on without waiting.
		if (this.continueOnFail()) return [[{ json: {}, error, pairedItem: { item: 0 } }]];
		throw error;
	}
	// On a timeout n8n passes these input items on unchanged; a reply replaces them (replyWebhook.ts).
	return [this.getInputData()];
}

async function sendAndPark(context: IExecuteFunctions): Promise<void> {
	const itemIndex = 0;
	const check = itemSite(context, itemIndex);
	const parties = readFromAndTo(check, 'sms', defaultCountryOf(check));
	const text = checkSmsText(check, 'Message', context.getNodeParameter('message', itemIndex, ''));
	const limit = readWaitLimit(context, 'reply');
	if (context.getNodeParameter('replyType', itemIndex, 'approval') === 'approval') {
		const words = `${context.getNodeParameter('approveWords', itemIndex, '') as string},${context.getNodeParameter('declineWords', itemIndex, '') as string}`;
		if (words.replace(/[\s,]/g, '') === '') {
			throw new NodeOperationError(context.getNode(), '"Approve Words" and "Decline Words" are empty', {
				itemIndex,
				description: 'Enter at least one word for each, e.g. YES and NO. Nothing was sent.',
			});
		}
	}
	await enforceGuardrails(context, { action: 'sms', to: parties.to }, itemIndex);

	// Registered before the SMS goes out, so that even an instant answer finds the webhook.
	const numbers = [parties.from];
	const state = await registerWaitHook(context, { kind: 'smsReply', events: ['sms.inbound'], waitTill: limit, subject: parties.to, numbers });
	try {
		const { body } = await agentCallRequest.call(context, {
			method: 'POST',
			path: '/v1/sms/send',
			body: { from: parties.from, to: parties.to, body: text },
			itemIndex,
			subject: { label: 'phone number', id: parties.from },
		});
		const sentFrom = (body as IDataObject | null)?.from;
		if (!parties.fromIsPhoneNumber && typeof sentFrom === 'string' && sentFrom !== '') {
			// The sender's E.164 number too: a reply event may name only the number it reached.
			state.numbers.push(sentFrom);
			saveState(context, state);
		}
	} catch (error) {
		await deleteWaitHook(context, state.webhookId);
		throw toNodeError(context.getNode(), error, { itemIndex });
	}
	await context.putExecutionToWait(waitTillDate(limit));
}
