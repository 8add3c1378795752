import type { INodeProperties, INodePropertyRouting } from 'n8n-workflow';

import { showFor } from '../../shared/fields';
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
];

/** Release confirms what it did (the API may answer 204 with no body). */
export const phoneNumberReleaseOutput: INodePropertyRouting['output'] = { postReceive: [confirmAction('numberId', 'released')] };
