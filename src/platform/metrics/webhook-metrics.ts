import { webhookDeliveryFailures } from './registry';

/**
 * Counts one failed delivery attempt to a client application's callback URL. Call it once
 * per failed HTTP attempt (a retried delivery that fails three times counts three).
 */
export function recordWebhookDeliveryFailure(clientApplicationId: string | number): void {
  webhookDeliveryFailures.inc({ client_application_id: String(clientApplicationId) });
}
