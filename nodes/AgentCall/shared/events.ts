import type { INodePropertyOptions } from 'n8n-workflow';

/** Every event AgentCall delivers to account webhooks, with what it means for a workflow. */
export const AGENTCALL_EVENTS: INodePropertyOptions[] = [
	{ name: 'AI Call Report Ready', value: 'call.report.ready', description: 'The post-call report (tasks, facts, next action) is ready, 5-30 s after the transcript' },
	{ name: 'AI SMS Reply Sent', value: 'sms.ai_reply', description: 'The AI answered an inbound SMS on a number with AI SMS enabled' },
	{ name: 'Call Ringing', value: 'call.ringing', description: 'A call started ringing' },
	{ name: 'Call Status Changed', value: 'call.status', description: 'A call changed status: in progress, completed, busy, no answer, failed' },
	{ name: 'Call Transcript Ready', value: 'call.transcript', description: 'An AI call ended; carries the transcript and summary' },
	{ name: 'Inbound Call', value: 'call.inbound', description: 'One of your numbers received a call' },
	{ name: 'Live Transcript Line', value: 'transcript.partial', description: 'A line of speech during an AI call started with Live Transcript' },
	{ name: 'Number Released', value: 'number.released', description: 'A phone number was released from the account' },
	{ name: 'OTP Code Received', value: 'sms.otp', description: 'An inbound SMS contained a one-time code' },
	{ name: 'Recording Ready', value: 'call.recording', description: 'A call recording is available' },
	{ name: 'SMS Received', value: 'sms.inbound', description: 'One of your numbers received an SMS' },
];
