import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

/** Memory types: the report fields AgentCall proposes memory from (facts, preferences, decisions, commitments). */
export const MEMORY_TYPE_OPTIONS: INodePropertyOptions[] = [
	{ name: 'Commitment', value: 'commitment' },
	{ name: 'Decision', value: 'decision' },
	{ name: 'Fact', value: 'fact' },
	{ name: 'Preference', value: 'preference' },
];

export const CANDIDATE_STATUS_OPTIONS: INodePropertyOptions[] = [
	{ name: 'Approved', value: 'approved' },
	{ name: 'Proposed', value: 'proposed', description: 'Waiting for your approval' },
	{ name: 'Rejected', value: 'rejected' },
];

export const URGENCY_OPTIONS: INodePropertyOptions[] = [
	{ name: 'High', value: 'high' },
	{ name: 'Low', value: 'low' },
	{ name: 'Medium', value: 'medium' },
];

/** Call intents of reports and post-call summaries (§4.5). */
export const INTENT_OPTIONS: INodePropertyOptions[] = [
	{ name: 'Complaint', value: 'complaint' },
	{ name: 'General Inquiry', value: 'general_inquiry' },
	{ name: 'Other', value: 'other' },
	{ name: 'Quote Request', value: 'quote_request' },
	{ name: 'Scheduling', value: 'scheduling' },
	{ name: 'Service Request', value: 'service_request' },
	{ name: 'Spam', value: 'spam' },
];

export const BRIEF_STATUS_OPTIONS: INodePropertyOptions[] = [
	{ name: 'Acknowledged', value: 'acknowledged' },
	{ name: 'Open', value: 'open' },
	{ name: 'Resolved', value: 'resolved' },
];

/** Filters → Contact ID of the memory-candidate and report lists, sent trimmed. */
export function contactIdFilter(description: string): INodeProperties {
	return {
		displayName: 'Contact ID',
		name: 'contactId',
		type: 'string',
		default: '',
		description,
		routing: { send: { type: 'query', property: 'contactId', value: '={{ String($value).trim() }}' } },
	};
}

/** Filters → Urgency of the brief and report lists. */
export const urgencyFilter: INodeProperties = {
	displayName: 'Urgency',
	name: 'urgency',
	type: 'options',
	default: 'high',
	options: URGENCY_OPTIONS,
	routing: { send: { type: 'query', property: 'urgency' } },
};
