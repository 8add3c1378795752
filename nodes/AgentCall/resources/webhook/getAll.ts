import type { INodeProperties } from 'n8n-workflow';

import { returnAllAndLimit, showFor } from '../../shared/fields';

export const webhookGetManyDescription: INodeProperties[] = [...returnAllAndLimit(showFor('webhook', ['getAll']))];
