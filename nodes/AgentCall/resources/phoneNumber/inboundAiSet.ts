import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { InputCheckContext } from '../../shared/fields';
import { checkPhone, inputError } from '../../shared/fields';
import { runPerItem } from '../../shared/items';
import { DEFAULT_COUNTRY } from '../../shared/phone';
import { inboundConfigPath, readInboundConfig, writableConfig } from '../../shared/inboundConfig';
import { applyTemplate, NUMBER_TEMPLATE_FIELDS, readTemplate } from '../../shared/promptTemplate';
import { agentCallRequest } from '../../shared/transport';
import { isObject } from '../call/callApi';
import { missingPromptError, readAgentSystemPrompt, readAgentVoiceOptions, readNumberId, siteOf } from './agentFields';
import { CONTEXT_SOURCES, INBOUND_WRITE_MODES, MAX_ALLOWED_SENDERS, SMS_MODES } from './inboundAi';

/**
 * Phone Number > Set Inbound AI. AgentCall's POST replaces the whole configuration; "Update Only
 * Given Fields" reads it first, changes the given fields and writes everything back, leaving
 * `signingSecret` out of the webhook blocks (AgentCall keeps a stored secret when it is omitted)
 * and the read-only fields of the GET out of the body.
 */

/** Allowed Senders: a list or text separated by commas, semicolons or new lines, each through the one normaliser. */
export function readAllowedSenders(site: InputCheckContext, raw: unknown): string[] {
	const parts = Array.isArray(raw) ? raw.map((value) => String(value ?? '')) : String(raw ?? '').split(/[,;\n]/);
	const senders = [...new Set(parts.map((part) => part.trim()).filter((part) => part !== '').map((part) => checkPhone(site, 'Allowed Senders', part, DEFAULT_COUNTRY)))];
	if (senders.length > MAX_ALLOWED_SENDERS) {
		throw inputError(site, `"Allowed Senders" has ${senders.length} numbers - AgentCall allows at most ${MAX_ALLOWED_SENDERS}`, 'Keep the numbers that matter most, or leave the field empty to let anyone text.');
	}
	return senders;
}

function oneOf(site: InputCheckContext, field: string, value: unknown, allowed: string[]): string {
	const text = String(value ?? '');
	if (!allowed.includes(text)) throw inputError(site, `"${field}" is not valid: "${text}"`, `Use one of: ${allowed.join(', ')}.`);
	return text;
}

interface GivenFields {
	fields: IDataObject;
	/** `notify` subfields to set; merged into the stored ones in Update Only Given Fields. */
	notify: IDataObject;
	/** Fields the user emptied on purpose (Allowed Senders): removed from the stored setup. */
	cleared: string[];
}

/** Everything the user set in this node for one item, checked, before any request. */
function readGivenFields(context: IExecuteFunctions, itemIndex: number): GivenFields {
	const site = siteOf(context, itemIndex);
	const raw = context.getNodeParameter('inboundAiFields', itemIndex, {}) as IDataObject;
	const fields = readAgentVoiceOptions(site, raw);
	const notify: IDataObject = {};
	const cleared: string[] = [];
	const systemPrompt = readAgentSystemPrompt(context, itemIndex);
	if (systemPrompt !== '') fields.systemPrompt = systemPrompt;
	if (raw.smsMode !== undefined) fields.smsMode = oneOf(site, 'SMS Mode', raw.smsMode, SMS_MODES);
	if (raw.contextSource !== undefined) fields.contextSource = oneOf(site, 'Context Source', raw.contextSource, CONTEXT_SOURCES);
	if (typeof raw.smsSystemPrompt === 'string' && raw.smsSystemPrompt.trim() !== '') fields.smsSystemPrompt = raw.smsSystemPrompt.trim();
	if (raw.liveTranscript !== undefined) fields.liveTranscript = raw.liveTranscript === true;
	if (raw.allowedSenders !== undefined) {
		const senders = readAllowedSenders(site, raw.allowedSenders);
		if (senders.length > 0) fields.allowedSenders = senders;
		else cleared.push('allowedSenders');
	}
	const email = String(raw.notifyEmail ?? '').trim();
	if (email !== '') {
		if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw inputError(site, `"Notify Email" is not valid: "${email}"`, 'Give one email address, e.g. frontdesk@example.com.');
		notify.emailTo = email;
	}
	if (String(raw.notifySms ?? '').trim() !== '') notify.smsTo = checkPhone(site, 'Notify SMS', raw.notifySms, DEFAULT_COUNTRY);
	const businessName = String(raw.notifyBusinessName ?? '').trim();
	if (businessName !== '') notify.businessName = businessName;
	return { fields, notify, cleared };
}

async function setOne(context: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData> {
	const site = siteOf(context, itemIndex);
	const numberId = readNumberId(context, itemIndex);
	const mode = context.getNodeParameter('inboundAiWriteMode', itemIndex, INBOUND_WRITE_MODES.merge);
	const given = readGivenFields(context, itemIndex);
	const template = await readTemplate(context, itemIndex, NUMBER_TEMPLATE_FIELDS, 'inbound');
	if (template) applyTemplate(given.fields, template);

	let body: IDataObject;
	if (mode === INBOUND_WRITE_MODES.replace) {
		if (given.fields.systemPrompt === undefined) throw missingPromptError(site, 'Replace Whole Configuration');
		body = { ...given.fields, ...(Object.keys(given.notify).length ? { notify: given.notify } : {}) };
	} else {
		const stored = writableConfig(await readInboundConfig.call(context, numberId, itemIndex));
		body = { ...stored, ...given.fields };
		for (const key of given.cleared) delete body[key];
		if (Object.keys(given.notify).length) body.notify = { ...(isObject(stored.notify) ? stored.notify : {}), ...given.notify };
		if (typeof body.systemPrompt !== 'string' || body.systemPrompt.trim() === '') {
			throw missingPromptError(site, 'this number has no inbound AI yet, so it');
		}
	}
	body.mode = 'ai';
	const { body: answer } = await agentCallRequest.call(context, {
		method: 'POST',
		path: inboundConfigPath(numberId),
		body,
		itemIndex,
		subject: { label: 'phone number', id: numberId },
	});
	return { json: isObject(answer) ? answer : { numberId } };
}

/** The custom operation n8n runs for resource "phoneNumber", operation "setInboundAi". */
export async function setInboundAi(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runPerItem(this, async (itemIndex) => await setOne(this, itemIndex));
}
