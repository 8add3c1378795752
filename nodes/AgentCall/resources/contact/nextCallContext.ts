import type { IDataObject, IExecuteSingleFunctions, IN8nHttpFullResponse, INodeExecutionData } from 'n8n-workflow';

/**
 * AgentCall documents two shapes for a contact's next-call context:
 * `{ contactId, phone, numberId, contextBlock, contextBlockChars, isEmpty }` and
 * `{ contactId, brief, updatedAt }`. The item always has the first set of fields (plus whatever
 * else came back), so a workflow reads `contextBlock` and `isEmpty` whichever shape answered.
 */
export async function toNextCallContext(
	this: IExecuteSingleFunctions,
	items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
): Promise<INodeExecutionData[]> {
	const body = (response.body && typeof response.body === 'object' ? response.body : {}) as IDataObject;
	const raw = body.contextBlock ?? body.brief;
	const contextBlock = typeof raw === 'string' ? raw : '';
	const contactId = body.contactId ?? String(this.getNodeParameter('contactId', '')).trim();
	return [
		{
			json: {
				...body,
				contactId,
				phone: body.phone ?? null,
				numberId: body.numberId ?? null,
				contextBlock,
				contextBlockChars: typeof body.contextBlockChars === 'number' ? body.contextBlockChars : contextBlock.length,
				isEmpty: typeof body.isEmpty === 'boolean' ? body.isEmpty : contextBlock.trim() === '',
			},
		},
	];
}
