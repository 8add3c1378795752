import type { IExecuteSingleFunctions, IHttpRequestOptions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

const showOnlyForUsage = { show: { resource: ['usage'] } };

/** The billing period as YYYY-MM; empty means the current month (UTC), sent explicitly. */
async function resolvePeriod(this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
	const raw = String(this.getNodeParameter('period', '') ?? '').trim();
	const period = raw === '' ? new Date().toISOString().slice(0, 7) : raw;
	if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(period)) {
		throw new NodeOperationError(this.getNode(), `"Period" is not valid: "${raw}" - use the form YYYY-MM, e.g. 2026-11`, {
			itemIndex: this.getItemIndex(),
			description: 'Leave Period empty for the current month.',
		});
	}
	requestOptions.qs = { ...(requestOptions.qs ?? {}), period };
	return requestOptions;
}

export const usageDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: showOnlyForUsage,
		options: [
			{
				name: 'Get',
				value: 'get',
				action: 'Get usage',
				description: 'Get what the account used and spent in a month: numbers, SMS, voice and AI voice minutes, recording',
				routing: { request: { method: 'GET', url: '/v1/usage' } },
			},
		],
		default: 'get',
	},
	{
		displayName: 'Period',
		name: 'period',
		type: 'string',
		default: '',
		placeholder: 'e.g. 2026-11',
		description: 'Month to report, as YYYY-MM. Leave empty for the current month (UTC).',
		displayOptions: { show: { resource: ['usage'], operation: ['get'] } },
		routing: { send: { preSend: [resolvePeriod] } },
	},
];
