import type {
	IDataObject,
	IExecuteSingleFunctions,
	IN8nHttpFullResponse,
	INodeExecutionData,
} from 'n8n-workflow';

import { webhookIdRouting } from './webhookId';

/** The new secret may come at the top level or nested; the item always has it as `secret`. */
async function exposeNewSecret(
	this: IExecuteSingleFunctions,
	items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
): Promise<INodeExecutionData[]> {
	const body = (response.body && typeof response.body === 'object' ? response.body : {}) as IDataObject;
	const nested = [body.webhook, body.data].find((value) => value && typeof value === 'object') as IDataObject | undefined;
	const id = this.getNodeParameter('webhookId', '') as string;
	return [{ json: { ...(nested ?? {}), ...body, id: body.id ?? nested?.id ?? id.trim(), secret: body.secret ?? nested?.secret ?? null } }];
}

export const webhookRotateSecretRouting = webhookIdRouting('POST', '/rotate', [exposeNewSecret]);
