/** What other modules may use of the webhook module. */
export { WebhookModule } from './webhook.module';
export { WebhookWorkerModule } from './webhook-worker.module';
export { WebhookEventsModule } from './webhook-events.module';
export { CallbackOutbox, type CallbackEvent } from './application/callback-outbox';
export { ChangeCallbackUrl, type ChangedCallbackUrl } from './application/change-callback-url/change-callback-url.use-case';
export type { RequestedCallbackUrl } from './application/change-callback-url/change-callback-url.command';
export { RotateSigningSecret, type RotatedSecret } from './application/rotate-signing-secret/rotate-signing-secret.use-case';
export { resealCallbackSecrets } from './infrastructure/reseal-callback-secrets';
