import type { IDisplayOptions, IHttpRequestMethods, INodeProperties, INodePropertyRouting, PostReceiveAction, PreSendAction } from 'n8n-workflow';

import { validateIdParameter } from './fields';

/**
 * An operation on one AgentCall object by its ID: the ID field (one definition per name, since
 * RoutingNode evaluates a value once per definition of its name) and the operation's routing,
 * which checks the ID before the request and puts it, trimmed and encoded, into the path.
 */

export function idField(options: {
	name: string;
	displayName: string;
	description: string;
	displayOptions: IDisplayOptions;
}): INodeProperties {
	return {
		displayName: options.displayName,
		name: options.name,
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. cmq7frsx3005dpe01xdmdleaj',
		description: options.description,
		displayOptions: options.displayOptions,
	};
}

/** `path` gets the ID placeholder, e.g. `(id) => \`/v1/briefs/${id}/ack\``. */
export function routeById(
	idParameter: string,
	label: string,
	method: IHttpRequestMethods,
	path: (id: string) => string,
	extra: { preSend?: PreSendAction[]; postReceive?: PostReceiveAction[] } = {},
): INodePropertyRouting {
	return {
		request: { method, url: `=${path(`{{ encodeURIComponent(String($parameter.${idParameter}).trim()) }}`)}` },
		send: { preSend: [validateIdParameter(idParameter, label), ...(extra.preSend ?? [])] },
		...(extra.postReceive ? { output: { postReceive: extra.postReceive } } : {}),
	};
}
