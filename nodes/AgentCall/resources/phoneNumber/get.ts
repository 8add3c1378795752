import type { INodeProperties } from 'n8n-workflow';

import { phoneNumberLocator, showFor, validateIdParameter } from '../../shared/fields';

/**
 * The number of every Phone Number operation but Get Many and Provision: one definition for all,
 * since RoutingNode evaluates a value once per definition of its name. Operations on a part of
 * the number (inbound AI, outbound defaults) append it to this URL with a preSend; the ones run
 * in code read the value themselves.
 */
export const NUMBER_OPERATIONS = [
	'get',
	'release',
	'update',
	'getInboundAi',
	'setInboundAi',
	'removeInboundAi',
	'getOutboundDefaults',
	'setOutboundDefaults',
	'removeOutboundDefaults',
];

export const phoneNumberGetDescription: INodeProperties[] = [
	phoneNumberLocator({
		name: 'numberId',
		displayName: 'Phone Number',
		description: 'Your AgentCall number',
		displayOptions: showFor('phoneNumber', NUMBER_OPERATIONS),
		routing: {
			request: { url: '=/v1/numbers/{{ encodeURIComponent($value) }}' },
			send: { preSend: [validateIdParameter('numberId', 'Phone Number')] },
		},
	}),
];
