import type { IWebhookDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { resumeWithCallEnd } from '../resources/aiCall/parkedWait';
import { resumeWithReply } from '../resources/sms/replyWebhook';
import { answerAndKeepWaiting, isVerified, verifyDelivery, WAIT_WEBHOOK_PATH } from './waitHooks';

/**
 * AgentCall Wait's restart webhook: n8n calls it for a request to a parked execution's resume
 * URL (`/webhook-waiting/<execution>/<node id>`). Never throws: n8n would resume the execution
 * with the error, whereas a bad request must leave it waiting.
 */
export const restartWebhooks: IWebhookDescription[] = [
	{
		name: 'default',
		httpMethod: 'POST',
		responseMode: 'onReceived',
		path: WAIT_WEBHOOK_PATH,
		restartWebhook: true,
		isFullPath: true,
	},
];

export async function resumeWaitingExecution(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	try {
		const delivery = verifyDelivery(this);
		if (!isVerified(delivery)) return delivery;
		if (delivery.state.kind === 'aiCall') return await resumeWithCallEnd(this, delivery);
		return await resumeWithReply(this, delivery);
	} catch (error) {
		this.logger.warn(`AgentCall: a delivery to "${this.getNode().name}" could not be handled (${(error as Error).message}); the execution keeps waiting`);
		return answerAndKeepWaiting(this, 500, 'Could not handle the delivery; still waiting');
	}
}
