import type { CallbackMessage } from '../domain/callback-message';
import type { ReadableCallbackSettings } from '../domain/callback-settings';
import type { AttemptResult } from '../domain/retry-policy';

export interface CallbackRequest {
  settings: ReadableCallbackSettings & { url: string; signingSecret: string };
  /** The `webhook-id`: the same for every attempt of one batch. */
  id: string;
  messages: CallbackMessage[];
}

/** Renders, signs, authenticates and POSTs one callback request; never throws for the receiver's faults. */
export abstract class CallbackSender {
  abstract send(request: CallbackRequest): Promise<AttemptResult>;
}
