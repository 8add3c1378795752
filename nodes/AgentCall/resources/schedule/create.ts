import type { IDataObject, IExecuteSingleFunctions, IHttpRequestOptions, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { checkPhone, defaultCountryOf, requireId } from '../../shared/fields';
import { enforceGuardrails } from '../../shared/guardrailEnforcer';
import type { TimingProblem } from './timing';
import { fireAtInstant, isProblem, recurrenceOf, scheduleZone } from './timing';

/**
 * Schedule > Create: every field is read, checked and put in the body by one preSend (each
 * parameter read once per item), then the guardrails decide, then the request goes out.
 */

/** `{{ name }}` placeholders of a template (dotted paths allowed). */
const PLACEHOLDER = /\{\{\s*([\w.-]+)\s*\}\}/g;

function fail(context: IExecuteSingleFunctions, problem: TimingProblem): never {
	const shown = problem.field;
	throw new NodeOperationError(context.getNode(), `"${shown}" is not valid - ${problem.why}`, {
		itemIndex: context.getItemIndex(),
		description: problem.hint,
	});
}

function text(value: unknown): string {
	return typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
}

/** The number's ID from its locator; every operation of the resource builds its URL from it. */
export function scheduleNumberPath(context: IExecuteSingleFunctions): string {
	const numberId = requireId(context, 'Phone Number', context.getNodeParameter('scheduleNumberId', '', { extractValue: true }));
	return `/v1/numbers/${encodeURIComponent(numberId)}/schedules`;
}

function readPayload(context: IExecuteSingleFunctions): IDataObject {
	const raw = context.getNodeParameter('schedulePayload', {}) as unknown;
	let payload: unknown = raw;
	if (typeof raw === 'string') {
		try {
			payload = raw.trim() === '' ? {} : JSON.parse(raw);
		} catch {
			fail(context, { field: 'Payload', why: 'it is not valid JSON', hint: 'Write a JSON object such as { "firstName": "Ana", "time": "3 pm" }.' });
		}
	}
	if (!payload || typeof payload !== 'object' || Array.isArray(payload)) {
		fail(context, { field: 'Payload', why: 'it must be a JSON object', hint: 'Write a JSON object such as { "firstName": "Ana", "time": "3 pm" }.' });
	}
	return payload as IDataObject;
}

function valueAt(payload: IDataObject, path: string): unknown {
	return path.split('.').reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as IDataObject)[key] : undefined), payload);
}

/** Template (with every placeholder filled by Payload) or Prompt Hint: exactly one goes out. */
function content(context: IExecuteSingleFunctions): IDataObject {
	if (context.getNodeParameter('scheduleContent', 'template') === 'promptHint') {
		const hint = text(context.getNodeParameter('schedulePromptHint', ''));
		if (hint === '') fail(context, { field: 'Prompt Hint', why: 'it is empty', hint: 'Tell the AI what the text should say, e.g. "Remind them of tomorrow\'s appointment".' });
		return { promptHint: hint };
	}
	const template = text(context.getNodeParameter('scheduleTemplate', ''));
	if (template === '') fail(context, { field: 'Template', why: 'it is empty', hint: 'Write the text to send, e.g. "Hi {{firstName}}, see you at {{time}}".' });
	const payload = readPayload(context);
	const missing = [...template.matchAll(PLACEHOLDER)].map((match) => match[1]).filter((path) => valueAt(payload, path) === undefined);
	if (missing.length) {
		fail(context, {
			field: 'Template',
			why: `Payload has no value for ${[...new Set(missing)].map((path) => `{{${path}}}`).join(', ')}`,
			hint: 'Every placeholder of the template is filled from Payload: add the missing keys to Payload, or remove the placeholders.',
		});
	}
	return Object.keys(payload).length ? { template, payload } : { template };
}

/** Fire At (once) or the recurrence and its time zone (recurring): exactly one goes out. */
function timing(context: IExecuteSingleFunctions): IDataObject {
	const zone = scheduleZone(context.getNodeParameter('scheduleTimeZone', ''), context.getTimezone());
	if (isProblem(zone)) fail(context, zone);
	if (context.getNodeParameter('scheduleTiming', 'once') !== 'recurring') {
		const fireAt = fireAtInstant(context.getNodeParameter('scheduleFireAt', ''), zone.zone, Date.now());
		if (isProblem(fireAt)) fail(context, fireAt);
		return { fireAt: fireAt.iso };
	}
	const frequency = context.getNodeParameter('scheduleFrequency', 'daily');
	const recurrence = recurrenceOf({
		frequency,
		hour: context.getNodeParameter('scheduleHour', 9),
		minute: context.getNodeParameter('scheduleMinute', 0),
		dayOfWeek: frequency === 'weekly' ? context.getNodeParameter('scheduleDayOfWeek', 1) : undefined,
	});
	if (isProblem(recurrence)) fail(context, recurrence);
	return { recurrence, timezone: zone.zone };
}

/**
 * The preSend of Create. Guardrails: a schedule is one SMS to Contact Phone, checked and counted
 * when it is created (destination, quiet hours as of now, Max SMS per Execution). The texts it
 * sends later happen outside any execution, so a recurring schedule counts once.
 */
async function scheduleBody(this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
	const url = scheduleNumberPath(this);
	const options = this.getNodeParameter('options', {}) as IDataObject;
	const contactPhone = checkPhone(this, 'Contact Phone', this.getNodeParameter('scheduleContactPhone', ''), defaultCountryOf(this));
	const body: IDataObject = {
		kind: text(options.kind) || 'reminder',
		contactPhone,
		...timing(this),
		...content(this),
	};
	const dedupeKey = text(options.dedupeKey);
	if (dedupeKey !== '') body.dedupeKey = dedupeKey;
	await enforceGuardrails(this, { action: 'sms', to: contactPhone }, this.getItemIndex());
	return { ...requestOptions, url, body };
}

export const scheduleCreateRouting: INodePropertyOptions['routing'] = {
	request: { method: 'POST' },
	send: { preSend: [scheduleBody] },
};
