import type { IDataObject, IExecuteSingleFunctions, IHttpRequestOptions, INodeProperties } from 'n8n-workflow';

import { idField, routeById } from '../../shared/byId';
import { requireId, returnAllAndLimit, showFor } from '../../shared/fields';
import { confirmAction, listItems } from '../../shared/routing';
import { CANDIDATE_STATUS_OPTIONS, contactIdFilter, MEMORY_TYPE_OPTIONS } from './options';
import { memoryPatchBody, memoryUpdateDescription } from './update';

/** preSend of Get Current: the contact, checked like any ID, as the `contactId` query parameter. */
async function contactQuery(this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
	const contactId = requireId(this, 'Contact ID', this.getNodeParameter('memoryContactId', ''));
	requestOptions.qs = { ...(requestOptions.qs ?? {}), contactId };
	return requestOptions;
}

/** preSend of Approve and Reject: the optional note or reason, sent only when given. */
function decisionBody(parameter: string, property: string) {
	return async function (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
		const text = String(this.getNodeParameter(parameter, '') ?? '').trim();
		requestOptions.body = { ...((requestOptions.body ?? {}) as IDataObject), ...(text ? { [property]: text } : {}) };
		return requestOptions;
	};
}

const candidatePath = (action: string) => (id: string) => `/v1/memory/candidates/${id}/${action}`;

/**
 * Auditable Call Memory: after each AI call AgentCall proposes memory candidates; approved ones
 * become the contact's current memory, which the voice AI is given on the next call. Every change
 * is on the memory's timeline.
 */
export const memoryDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['memory'] } },
		options: [
			{
				name: 'Approve',
				value: 'approve',
				action: 'Approve a memory candidate',
				description: "Make a proposed memory candidate part of the contact's current memory",
				routing: routeById('candidateId', 'Candidate ID', 'POST', candidatePath('approve'), { preSend: [decisionBody('candidateNote', 'note')] }),
			},
			{
				name: 'Delete',
				value: 'delete',
				action: 'Delete a memory',
				description: 'Remove a memory from the contact\'s current memory (the timeline keeps a record of it)',
				routing: routeById('memoryId', 'Memory ID', 'DELETE', (id) => `/v1/memory/${id}`, { postReceive: [confirmAction('memoryId', 'deleted')] }),
			},
			{
				name: 'Get Candidates',
				value: 'getCandidates',
				action: 'Get memory candidates',
				description: 'List what AgentCall proposed to remember from calls, e.g. those waiting for approval',
				routing: { request: { method: 'GET', url: '/v1/memory/candidates' }, output: { postReceive: [listItems()] } },
			},
			{
				name: 'Get Current',
				value: 'getCurrent',
				action: 'Get current memory',
				description: 'List what AgentCall currently remembers about a contact (approved, not expired, not deleted)',
				routing: { request: { method: 'GET', url: '/v1/memory/current' }, send: { preSend: [contactQuery] }, output: { postReceive: [listItems()] } },
			},
			{
				name: 'Get Timeline',
				value: 'getTimeline',
				action: 'Get a memory timeline',
				description: 'List the audit log of one memory: when it was approved, changed or deleted',
				routing: routeById('memoryId', 'Memory ID', 'GET', (id) => `/v1/memory/${id}/timeline`, { postReceive: [listItems()] }),
			},
			{
				name: 'Reject',
				value: 'reject',
				action: 'Reject a memory candidate',
				description: 'Keep a proposed memory candidate out of the contact\'s memory',
				routing: routeById('candidateId', 'Candidate ID', 'POST', candidatePath('reject'), { preSend: [decisionBody('candidateReason', 'reason')] }),
			},
			{
				name: 'Update',
				value: 'update',
				action: 'Update a memory',
				description: 'Correct the text of a memory or set when it expires',
				routing: routeById('memoryId', 'Memory ID', 'PATCH', (id) => `/v1/memory/${id}`, { preSend: [memoryPatchBody] }),
			},
		],
		default: 'getCurrent',
	},
	idField({
		name: 'memoryContactId',
		displayName: 'Contact ID',
		description: 'ID of the contact, e.g. from Contact > Get by Phone or the "contactId" of a report',
		displayOptions: showFor('memory', ['getCurrent']),
	}),
	idField({
		name: 'memoryId',
		displayName: 'Memory ID',
		description: 'ID of the memory, as returned by Get Current or by Approve (its "memoryId")',
		displayOptions: showFor('memory', ['delete', 'getTimeline', 'update']),
	}),
	idField({
		name: 'candidateId',
		displayName: 'Candidate ID',
		description: 'ID of the memory candidate, as returned by Get Candidates',
		displayOptions: showFor('memory', ['approve', 'reject']),
	}),
	{
		displayName: 'Note',
		name: 'candidateNote',
		type: 'string',
		default: '',
		description: 'Optional note kept on the memory\'s timeline, e.g. why you approved it',
		displayOptions: showFor('memory', ['approve']),
	},
	{
		displayName: 'Reason',
		name: 'candidateReason',
		type: 'string',
		default: '',
		description: 'Optional reason for rejecting, kept with the candidate',
		displayOptions: showFor('memory', ['reject']),
	},
	{
		displayName:
			'Deleting a memory removes it from what the voice AI is told about the contact. AgentCall keeps a record of it on the memory\'s timeline; it cannot be restored from n8n.',
		name: 'memoryDeleteNotice',
		type: 'notice',
		default: '',
		displayOptions: showFor('memory', ['delete']),
	},
	...returnAllAndLimit(showFor('memory', ['getCandidates', 'getCurrent', 'getTimeline'])),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: showFor('memory', ['getCandidates']),
		options: [
			contactIdFilter('Only candidates about this contact'),
			{
				displayName: 'Status',
				name: 'status',
				type: 'options',
				default: 'proposed',
				options: CANDIDATE_STATUS_OPTIONS,
				routing: { send: { type: 'query', property: 'status' } },
			},
			{
				displayName: 'Type',
				name: 'type',
				type: 'options',
				default: 'fact',
				options: MEMORY_TYPE_OPTIONS,
				routing: { send: { type: 'query', property: 'type' } },
			},
		],
	},
	...memoryUpdateDescription,
];
