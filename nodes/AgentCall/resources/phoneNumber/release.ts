import type { INodeProperties } from 'n8n-workflow';

import { phoneNumberLocator, showFor, validateIdParameter } from '../../shared/fields';
import { confirmAction } from '../../shared/routing';

const displayOptions = showFor('phoneNumber', ['release']);

export const phoneNumberReleaseDescription: INodeProperties[] = [
	{
		displayName:
			'Releasing a number is permanent: it stops billing, the number stops receiving SMS and calls, and it can never be provisioned again',
		name: 'releaseNotice',
		type: 'notice',
		default: '',
		displayOptions,
	},
	phoneNumberLocator({
		name: 'numberId',
		displayName: 'Phone Number',
		description: 'The phone number to release',
		displayOptions,
		routing: {
			request: { url: '=/v1/numbers/{{ encodeURIComponent($value) }}' },
			send: { preSend: [validateIdParameter('numberId', 'Phone Number')] },
			output: { postReceive: [confirmAction('numberId', 'released')] },
		},
	}),
];
