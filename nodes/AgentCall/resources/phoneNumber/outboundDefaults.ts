import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, INodePropertyRouting } from 'n8n-workflow';

import { showFor } from '../../shared/fields';
import { runPerItem } from '../../shared/items';
import { applyTemplate, NUMBER_TEMPLATE_FIELDS, readTemplate } from '../../shared/promptTemplate';
import { confirmAction } from '../../shared/routing';
import { agentCallRequest } from '../../shared/transport';
import { isObject } from '../call/callApi';
import { agentVoiceOptions, missingPromptError, readAgentSystemPrompt, readAgentVoiceOptions, readNumberId, siteOf } from './agentFields';
import { appendToUrl } from './inboundAi';

/**
 * Phone Number > Get / Set / Remove Outbound Defaults: the outbound AI agent saved on a number,
 * which AI Call > Start uses with Use Saved Agent. Set and Get run in code (Set may start from a
 * template; Get answers `null` when nothing is saved); Remove is routed.
 */

export const outboundDefaultsDescription: INodeProperties[] = [
	{
		displayName:
			'These are the defaults for AI calls from this number with Use Saved Agent on (AI Call > Start). Setting them replaces the saved defaults as a whole. Saved defaults need the Pro plan.',
		name: 'outboundDefaultsNotice',
		type: 'notice',
		default: '',
		displayOptions: showFor('phoneNumber', ['setOutboundDefaults']),
	},
	{
		displayName: 'Outbound Defaults Fields',
		name: 'outboundDefaultsFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: showFor('phoneNumber', ['setOutboundDefaults']),
		options: agentVoiceOptions('outbound'),
	},
];

export const outboundDefaultsRemoveRouting: INodePropertyRouting = {
	request: { method: 'DELETE' },
	send: { preSend: [appendToUrl('/outbound-defaults')] },
	output: { postReceive: [confirmAction('numberId', 'outboundDefaultsRemoved')] },
};

const pathOf = (numberId: string) => `/v1/numbers/${encodeURIComponent(numberId)}/outbound-defaults`;

/** The saved defaults in a GET answer, whatever the wrapper; undefined when none are saved. */
export function savedDefaultsOf(body: unknown): IDataObject | undefined {
	if (!isObject(body)) return undefined;
	for (const key of ['outboundDefaults', 'defaults', 'config']) {
		if (key in body) return isObject(body[key]) ? (body[key] as IDataObject) : undefined;
	}
	return Object.keys(body).length > 0 ? body : undefined;
}

async function getOne(context: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData> {
	const numberId = readNumberId(context, itemIndex);
	const { body } = await agentCallRequest.call(context, {
		method: 'GET',
		path: pathOf(numberId),
		itemIndex,
		subject: { label: 'phone number', id: numberId },
		expect: 'objectOrNull',
	});
	const saved = savedDefaultsOf(body);
	return { json: { numberId, hasOutboundDefaults: saved !== undefined, ...(saved ?? {}) } };
}

async function setOne(context: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData> {
	const site = siteOf(context, itemIndex);
	const numberId = readNumberId(context, itemIndex);
	const body = readAgentVoiceOptions(site, context.getNodeParameter('outboundDefaultsFields', itemIndex, {}) as IDataObject);
	const systemPrompt = readAgentSystemPrompt(context, itemIndex);
	if (systemPrompt !== '') body.systemPrompt = systemPrompt;
	const template = await readTemplate(context, itemIndex, NUMBER_TEMPLATE_FIELDS, 'outbound');
	if (template) {
		applyTemplate(body, template);
		body.templateId = template.templateId;
	}
	if (body.systemPrompt === undefined) throw missingPromptError(site, 'the saved outbound agent');
	const { body: answer } = await agentCallRequest.call(context, {
		method: 'POST',
		path: pathOf(numberId),
		body,
		itemIndex,
		subject: { label: 'phone number', id: numberId },
	});
	const saved = savedDefaultsOf(answer);
	return { json: { numberId, ...(saved ?? body) } };
}

/** The custom operation n8n runs for resource "phoneNumber", operation "getOutboundDefaults". */
export async function getOutboundDefaults(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runPerItem(this, async (itemIndex) => await getOne(this, itemIndex));
}

/** The custom operation n8n runs for resource "phoneNumber", operation "setOutboundDefaults". */
export async function setOutboundDefaults(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runPerItem(this, async (itemIndex) => await setOne(this, itemIndex));
}
