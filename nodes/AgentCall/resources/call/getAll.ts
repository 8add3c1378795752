import type { INodeProperties } from 'n8n-workflow';

import { returnAllAndLimit, showFor, simplifyField } from '../../shared/fields';
import { simplifyItems } from '../../shared/routing';
import { simpleCall } from '../../shared/shapes';

const displayOptions = showFor('call', ['getAll']);

export const callGetManyDescription: INodeProperties[] = [
	...returnAllAndLimit(displayOptions),
	simplifyField(
		displayOptions,
		'ID, mode, direction, status, from, to, duration, created and ended time of each call',
		simplifyItems(simpleCall),
	),
];
