import type { CallbackAuthentication, CallbackFormat, CallbackSettings, StoredSecret } from '../domain/callback-settings';

export interface CallbackSettingsChange {
  url: string | null;
  format: CallbackFormat;
  /** An UnreadableSecret in it (the stored one, left as it is) is written back as stored. */
  authentication: CallbackAuthentication<StoredSecret>;
}

/** The callback columns of a client application, which this module owns. */
export abstract class CallbackSettingsRepository {
  /** With `lock`, the row stays locked until the caller's transaction ends. */
  abstract find(clientApplicationId: string, options?: { lock?: boolean }): Promise<CallbackSettings | undefined>;
  /**
   * Writes the settings, the failure count back to zero; with `settingsChanged`, records now as
   * when the settings were last set (the administration API shows it, in the application's version).
   */
  abstract update(clientApplicationId: string, change: CallbackSettingsChange, options: { settingsChanged: boolean }): Promise<void>;
  /**
   * Replaces the signing secret. With `keepPreviousForSeconds`, the secret it replaces keeps
   * signing beside the new one for that long (by the database's clock).
   */
  abstract setSigningSecret(clientApplicationId: string, secret: string, keepPreviousForSeconds?: number): Promise<void>;
  /** Active again, with the failure count back to zero. */
  abstract activate(clientApplicationId: string): Promise<void>;
  abstract recordSuccess(clientApplicationId: string): Promise<void>;
  /** Counts a failed delivery; deactivates the URL when the count reaches `deactivateAt`. */
  abstract recordFailure(clientApplicationId: string, deactivateAt: number): Promise<{ failures: number; deactivated: boolean }>;
}
