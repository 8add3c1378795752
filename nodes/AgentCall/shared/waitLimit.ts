import type { IDisplayOptions, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, WAIT_INDEFINITELY } from 'n8n-workflow';

/**
 * "Limit Wait Time" of a parked wait, as n8n's own Send and Wait nodes offer it: none, after an
 * interval, or at a date and time. Undefined = no limit (n8n's "wait indefinitely" date).
 */

const UNIT_MS: Record<string, number> = { minutes: 60_000, hours: 3_600_000, days: 86_400_000 };

export function waitLimitFields(prefix: string, displayOptions: IDisplayOptions, what: string): INodeProperties[] {
	const show = displayOptions.show ?? {};
	return [
		{
			displayName: 'Limit Wait Time',
			name: `${prefix}WaitLimit`,
			type: 'options',
			default: 'afterInterval',
			description: `How long to wait for ${what} at most. When the limit passes, n8n continues with the node's input item unchanged (see "timedOut" in the docs).`,
			options: [
				{ name: 'After a Time Interval', value: 'afterInterval' },
				{ name: 'At a Date and Time', value: 'atDateTime' },
				{ name: 'No Limit', value: 'none', description: 'Wait until it happens, however long that takes' },
			],
			displayOptions,
		},
		{
			displayName: 'Amount',
			name: `${prefix}WaitAmount`,
			type: 'number',
			default: 1,
			typeOptions: { minValue: 0, numberPrecision: 2 },
			description: 'How long to wait, in the unit below',
			displayOptions: { show: { ...show, [`${prefix}WaitLimit`]: ['afterInterval'] } },
		},
		{
			displayName: 'Unit',
			name: `${prefix}WaitUnit`,
			type: 'options',
			default: 'hours',
			options: [
				{ name: 'Minutes', value: 'minutes' },
				{ name: 'Hours', value: 'hours' },
				{ name: 'Days', value: 'days' },
			],
			displayOptions: { show: { ...show, [`${prefix}WaitLimit`]: ['afterInterval'] } },
		},
		{
			displayName: 'Max Date and Time',
			name: `${prefix}WaitUntil`,
			type: 'dateTime',
			default: '',
			description: 'Continue without an answer at this date and time',
			displayOptions: { show: { ...show, [`${prefix}WaitLimit`]: ['atDateTime'] } },
		},
	];
}

/** The date the wait ends at, checked before anything is sent; undefined for no limit. */
export function readWaitLimit(context: IExecuteFunctions, prefix: string, now = Date.now()): Date | undefined {
	const limit = context.getNodeParameter(`${prefix}WaitLimit`, 0, 'afterInterval') as string;
	if (limit === 'none') return undefined;
	if (limit === 'atDateTime') {
		const raw = context.getNodeParameter(`${prefix}WaitUntil`, 0, '') as unknown;
		const date = new Date(String(raw ?? ''));
		if (String(raw ?? '').trim() === '' || Number.isNaN(date.getTime()) || date.getTime() <= now) {
			throw new NodeOperationError(context.getNode(), `"Max Date and Time" is not valid: ${JSON.stringify(raw ?? '')} - it must be a date and time in the future`, {
				itemIndex: 0,
				description: 'Pick a later date, or use a time interval. Nothing was sent.',
			});
		}
		return date;
	}
	const amount = Number(context.getNodeParameter(`${prefix}WaitAmount`, 0, 1));
	const unit = context.getNodeParameter(`${prefix}WaitUnit`, 0, 'hours') as string;
	if (!Number.isFinite(amount) || amount <= 0 || !(unit in UNIT_MS)) {
		throw new NodeOperationError(context.getNode(), `"Amount" is not valid: ${JSON.stringify(amount)} - it must be a number above 0`, {
			itemIndex: 0,
			description: 'Enter how long to wait, or choose No Limit. Nothing was sent.',
		});
	}
	return new Date(now + amount * UNIT_MS[unit]);
}

/** What `putExecutionToWait` takes for this limit. */
export function waitTillDate(limit: Date | undefined): Date {
	return limit ?? WAIT_INDEFINITELY;
}
