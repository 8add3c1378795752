import type { INodeProperties } from 'n8n-workflow';

import { returnAllAndLimit, showFor } from '../../shared/fields';

export const callGetManyDescription: INodeProperties[] = [...returnAllAndLimit(showFor('call', ['getAll']))];
