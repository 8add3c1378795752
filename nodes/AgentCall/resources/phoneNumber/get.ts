import type { INodeProperties } from 'n8n-workflow';

import { phoneNumberLocator, showFor, validateIdParameter } from '../../shared/fields';

export const phoneNumberGetDescription: INodeProperties[] = [
	phoneNumberLocator({
		name: 'numberId',
		displayName: 'Phone Number',
		description: 'The phone number to get',
		displayOptions: showFor('phoneNumber', ['get']),
		routing: {
			request: { url: '=/v1/numbers/{{ encodeURIComponent($value) }}' },
			send: { preSend: [validateIdParameter('numberId', 'Phone Number')] },
		},
	}),
];
