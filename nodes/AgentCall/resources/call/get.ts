import type { INodeProperties } from 'n8n-workflow';

import { showFor } from '../../shared/fields';
import { callIdField } from './callId';

export const callGetDescription: INodeProperties[] = [callIdField(showFor('call', ['get']), { urlSuffix: '' })];
