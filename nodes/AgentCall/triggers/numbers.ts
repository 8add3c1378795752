import type { IDataObject, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { searchPhoneNumbers } from '../resources/phoneNumber/searchPhoneNumbers';
import { extractList, extractNextCursor, PAGE_SIZE_MAX } from '../shared/lists';
import type { AgentCallContext } from '../shared/transport';
import { agentCallRequest } from '../shared/transport';

/** The account's numbers as the triggers need them: what to watch, and what a filter compares. */

export interface AccountNumber {
	id: string;
	number: string;
}

/** Stops a misbehaving cursor from looping forever; 50 pages of 100 is far beyond any account. */
const MAX_NUMBER_PAGES = 50;

/** Every active number on the account, following a cursor when the API offers one. */
export async function listAccountNumbers(this: AgentCallContext): Promise<AccountNumber[]> {
	const numbers: AccountNumber[] = [];
	const seen = new Set<string>();
	let cursor: string | undefined;
	for (let page = 0; page < MAX_NUMBER_PAGES; page++) {
		const qs: IDataObject = { limit: PAGE_SIZE_MAX };
		if (cursor) qs.cursor = cursor;
		const { body, headers } = await agentCallRequest.call(this, { method: 'GET', path: '/v1/numbers', qs, expect: 'list' });
		for (const item of extractList(body)) {
			const id = typeof item.id === 'string' || typeof item.id === 'number' ? String(item.id) : '';
			if (id === '' || seen.has(id) || item.status === 'released') continue;
			seen.add(id);
			numbers.push({ id, number: typeof item.number === 'string' ? item.number : '' });
		}
		const next = extractNextCursor(body, headers);
		if (!next || next === cursor) break;
		cursor = next;
	}
	return numbers;
}

/** Options for the multi-number pickers: the same labels as the number picker's list. */
export async function getPhoneNumbers(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const { results } = await searchPhoneNumbers.call(this);
	return results.map((result) => ({ name: result.name, value: result.value }));
}
