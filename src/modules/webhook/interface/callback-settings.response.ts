import type { CallbackView } from '../application/callback-view';

/** The callback resource; `signingSecret.value` appears only in the answer that created it. */
export function callbackDocument(view: CallbackView, signingSecret?: string) {
  return {
    callback: {
      clientApplication: { id: view.clientApplicationId },
      ...(view.url !== null ? { url: view.url } : {}),
      format: view.format,
      authentication: view.authentication,
      signingSecret: {
        configured: view.signingSecretConfigured || signingSecret !== undefined,
        ...(signingSecret ? { value: signingSecret } : {}),
        ...previousValidUntil(view.previousSigningSecretValidUntil),
      },
      ...(view.unreadableSecrets.length > 0 ? { unreadableSecrets: view.unreadableSecrets } : {}),
      state: view.state,
      consecutiveFailures: view.consecutiveFailures,
      pendingEvents: view.pendingEvents,
      rejectedEvents: view.rejectedEvents,
    },
  };
}

/** While a replaced signing secret still signs: until when. */
function previousValidUntil(until: Date | null | undefined) {
  return until ? { previousValidUntil: { date: until.toISOString() } } : {};
}
