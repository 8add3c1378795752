import type { IDataObject, IPollFunctions } from 'n8n-workflow';

import { rateBudgetOf, rateLimitKey } from '../shared/rateLimit';

/**
 * Whether one poll fits the API key's rate-limit budget. The SMS Trigger reads every watched inbox
 * at once and the key's gate spreads the reads over the budget, so a poll never pushes the key
 * over its limit; but when the inboxes need more requests than the budget holds per poll interval,
 * polls run into each other and every workflow using the key waits. That is worth a warning.
 */

const MINUTE = 60_000;

/** The shortest interval of the node's Poll Times, when it can be read without a cron parser. */
export function pollIntervalMs(this: IPollFunctions): number | undefined {
	const times = this.getNodeParameter('pollTimes', {}) as IDataObject;
	const items = Array.isArray(times.item) ? (times.item as IDataObject[]) : [];
	const each = items.map((item) => {
		switch (item.mode) {
			case 'everyMinute':
				return MINUTE;
			case 'everyHour':
				return 60 * MINUTE;
			case 'everyDay':
				return 24 * 60 * MINUTE;
			case 'everyWeek':
				return 7 * 24 * 60 * MINUTE;
			case 'everyX':
				return Number(item.value) * (item.unit === 'hours' ? 60 * MINUTE : MINUTE);
			default:
				return undefined;
		}
	});
	const known = each.filter((ms): ms is number => typeof ms === 'number' && ms > 0);
	return known.length && known.length === each.length ? Math.min(...known) : undefined;
}

/** Workflow+node → when the warning was last logged: once an hour is enough for a log reader. */
const warned = new Map<string, number>();

/** A warning when `requests` per poll exceed what the key's budget allows per poll interval. */
export async function overBudget(this: IPollFunctions, requests: number): Promise<string | undefined> {
	const interval = pollIntervalMs.call(this);
	if (interval === undefined) return undefined;
	const budget = rateBudgetOf(rateLimitKey(this.getNode()));
	const perPoll = Math.floor(budget.limit * Math.max(1, interval / budget.windowMs));
	if (requests <= perPoll) return undefined;
	const window = budget.windowMs % MINUTE === 0 ? `${budget.windowMs / MINUTE} min` : `${budget.windowMs / 1000} s`;
	return (
		`AgentCall SMS Trigger: a poll needs ${requests} requests (one per watched number), but the API key allows ${budget.limit} per ${window}` +
		` (${budget.source === 'documented' ? 'AgentCall\'s documented limit' : 'as AgentCall has shown'}), ${perPoll} per poll interval.` +
		' The reads wait for the budget, so a poll takes longer than its interval and other workflows using this key wait too.' +
		' Watch fewer numbers, poll less often, or use the AgentCall Trigger (webhooks).'
	);
}

/** Logs `overBudget`'s warning at most once an hour per trigger. */
export async function warnIfOverBudget(this: IPollFunctions, requests: number): Promise<void> {
	const message = await overBudget.call(this, requests);
	if (!message) return;
	const key = `${this.getWorkflow().id ?? ''}#${this.getNode().id ?? this.getNode().name}`;
	const now = Date.now();
	if ((warned.get(key) ?? 0) > now - 60 * MINUTE) return;
	if (warned.size >= 100) warned.clear();
	warned.set(key, now);
	this.logger.warn(message, { requests });
}
