import type { INodeProperties } from 'n8n-workflow';

import { listItems } from '../../shared/routing';
import { callGetDescription } from './get';
import { callGetManyDescription } from './getAll';
import { callGetRecordingDescription } from './getRecording';
import { callGetReportDescription } from './getReport';
import { callMakeDescription, callMakeRouting } from './make';

const showOnlyForCalls = { show: { resource: ['call'] } };

/** Plain voice calls. Hang Up, Get Recording and Get Report run in code (`customOperations` in the node). */
export const callDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: showOnlyForCalls,
		options: [
			{
				name: 'Get',
				value: 'get',
				action: 'Get a call',
				description: 'Get one call with its status (initiated, ringing, in-progress, completed, busy, no_answer, failed), numbers and duration',
				routing: { request: { method: 'GET' } },
			},
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many calls',
				description: 'List recent calls on your AgentCall account, newest first, inbound and outbound',
				routing: {
					request: { method: 'GET', url: '/v1/calls' },
					output: { postReceive: [listItems()] },
				},
			},
			{
				name: 'Get Recording',
				value: 'getRecording',
				action: 'Get a call recording',
				description:
					'Download the audio of a recorded call as a file (binary data). Only calls made with Record enabled have one, once they have ended.',
			},
			{
				name: 'Get Report',
				value: 'getReport',
				action: 'Get a call report',
				description:
					'Get the structured report AgentCall writes after an AI call: summary, intent, urgency, facts, tasks, commitments and next action. Waits while it is being written.',
			},
			{
				name: 'Hang Up',
				value: 'hangUp',
				action: 'Hang up a call',
				description: 'End a call that is ringing or in progress. A call that already ended is returned with its final status.',
			},
			{
				name: 'Make',
				value: 'make',
				action: 'Make a call',
				description:
					'Place a real outbound phone call from one of your AgentCall numbers: the recipient\'s phone rings. Plain voice, no AI speaks (use AI Call > Start for a conversation). Costs $0.035/min, plus $0.01/min when recorded.',
				routing: callMakeRouting,
			},
		],
		default: 'make',
	},
	...callMakeDescription,
	...callGetManyDescription,
	...callGetDescription,
	...callGetRecordingDescription,
	...callGetReportDescription,
];
