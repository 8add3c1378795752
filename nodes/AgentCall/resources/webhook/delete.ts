import { confirmAction } from '../../shared/routing';
import { webhookIdRouting } from './webhookId';

export const webhookDeleteRouting = webhookIdRouting('DELETE', '', [confirmAction('webhookId', 'deleted')]);
