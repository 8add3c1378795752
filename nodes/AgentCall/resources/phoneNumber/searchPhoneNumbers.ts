import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { extractList, PAGE_SIZE_MAX } from '../../shared/lists';
import { agentCallRequest } from '../../shared/transport';

/** The number picker: the account's numbers, labelled "Label (+14155551234)", filterable. */
export async function searchPhoneNumbers(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const { body } = await agentCallRequest.call(this, {
		method: 'GET',
		path: '/v1/numbers',
		qs: { limit: PAGE_SIZE_MAX },
		expect: 'list',
	});
	const needle = (filter ?? '').toLowerCase().replace(/[\s()\-.]/g, '');
	const results = extractList(body)
		.map((item: IDataObject) => {
			const number = String(item.number ?? '');
			const label = typeof item.label === 'string' && item.label !== '' ? item.label : undefined;
			return { name: label ? `${label} (${number})` : number || String(item.id), value: String(item.id) };
		})
		.filter((result) => needle === '' || result.name.toLowerCase().replace(/[\s()\-.]/g, '').includes(needle));
	return { results };
}
