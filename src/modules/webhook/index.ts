/** What other modules may use of the webhook module. */
export { WebhookModule } from './webhook.module';
export { WebhookWorkerModule } from './webhook-worker.module';
export { WebhookEventsModule } from './webhook-events.module';
export { CallbackOutbox, type CallbackEvent } from './application/callback-outbox';
export { ChangeCallbackUrl, type ChangedCallbackUrl } from './application/change-callback-url/change-callback-url.use-case';
export type { RequestedCallbackUrl } from './application/change-callback-url/change-callback-url.command';
export { ChangeCallbackSettings, type ChangedCallbackSettings } from './application/change-callback-settings/change-callback-settings.use-case';
export { ChangeCallbackSettingsCommand } from './application/change-callback-settings/change-callback-settings.command';
export { CallbackReactivation, type AppliedReactivation } from './application/callback-reactivation';
export { ReadCallbackSettings } from './application/read-callback-settings/read-callback-settings.use-case';
export type { CallbackView } from './application/callback-view';
export { RotateSigningSecret, type RotatedSecret } from './application/rotate-signing-secret/rotate-signing-secret.use-case';
// The callback document and its body, for the administration API's …/callback routes.
export { ChangeCallbackSettingsRequest } from './interface/callback-settings.request';
export { callbackDocument } from './interface/callback-settings.response';
export { CALLBACK_DOCS } from './interface/callback.api-doc';
export { resealCallbackSecrets } from './infrastructure/reseal-callback-secrets';
