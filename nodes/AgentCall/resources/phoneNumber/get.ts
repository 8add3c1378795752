import type { INodeProperties } from 'n8n-workflow';

import { phoneNumberLocator, showFor, validateIdParameter } from '../../shared/fields';

/**
 * The number of Get and Release: one definition for both, since RoutingNode evaluates a value
 * once per definition of its name. Release adds its output on the operation.
 */
export const phoneNumberGetDescription: INodeProperties[] = [
	phoneNumberLocator({
		name: 'numberId',
		displayName: 'Phone Number',
		description: 'Your AgentCall number to get or release',
		displayOptions: showFor('phoneNumber', ['get', 'release']),
		routing: {
			request: { url: '=/v1/numbers/{{ encodeURIComponent($value) }}' },
			send: { preSend: [validateIdParameter('numberId', 'Phone Number')] },
		},
	}),
];
