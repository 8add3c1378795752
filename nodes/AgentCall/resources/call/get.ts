import type { INodeProperties } from 'n8n-workflow';

import { showFor } from '../../shared/fields';
import { callIdField } from './callId';

/**
 * Call ID of Get, Hang Up, Get Recording and Get Report: one definition, since RoutingNode evaluates a value
 * once per definition of its name. Its routing serves Get; the others run in code.
 */
export const callGetDescription: INodeProperties[] = [
	callIdField('callId', showFor('call', ['get', 'hangUp', 'getRecording', 'getReport']), { urlSuffix: '' }),
];
