import type { INodeProperties } from 'n8n-workflow';

import { showFor } from '../../shared/fields';
import { confirmAction } from '../../shared/routing';
import { webhookIdField } from './webhookId';

export const webhookDeleteDescription: INodeProperties[] = [
	webhookIdField(showFor('webhook', ['delete']), '', [confirmAction('webhookId', 'deleted')]),
];
