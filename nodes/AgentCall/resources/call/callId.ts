import type { IDisplayOptions, INodeProperties, PostReceiveAction } from 'n8n-workflow';

import { validateIdParameter } from '../../shared/fields';

/**
 * The Call ID field: `callId` of Call > Get, Hang Up and Get Recording (one definition for the
 * three), `aiCallId` of AI Call > Get Transcript. With `route` it builds a routed request; code
 * operations read it themselves.
 */
export function callIdField(
	name: 'callId' | 'aiCallId',
	displayOptions: IDisplayOptions,
	route?: { urlSuffix: string; postReceive?: PostReceiveAction[] },
): INodeProperties {
	const field: INodeProperties = {
		displayName: 'Call ID',
		name,
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. cmq7frsx3005dpe01xdmdleaj',
		description: 'ID of the call, as returned by Call > Make, AI Call > Start or Call > Get Many',
		displayOptions,
	};
	if (route) {
		field.routing = {
			request: { url: `=/v1/calls/{{ encodeURIComponent(String($value).trim()) }}${route.urlSuffix}` },
			send: { preSend: [validateIdParameter(name, 'Call ID')] },
			...(route.postReceive ? { output: { postReceive: route.postReceive } } : {}),
		};
	}
	return field;
}
