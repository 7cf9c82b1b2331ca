import { Injectable } from '@nestjs/common';
import { CallbackChange } from '../callback-change';
import type { ChangeCallbackSettingsCommand } from './change-callback-settings.command';

export interface ChangedCallbackSettings {
  /** Set only when this change created the application's first signing secret: shown once. */
  signingSecret?: string;
  /** To call once the caller's transaction has committed: wakes delivery, tells every process. */
  afterCommit(): void;
}

/**
 * Replaces an application's callback settings (URL, format, authentication) through
 * CallbackChange: the first time a URL is set a signing secret is generated and returned,
 * once; the failure count starts again from zero and a waiting retry is forgotten, so a
 * fixed URL gets what is pending at once. Runs in the caller's transaction (the
 * administration API's, which checks the application's version under the same lock), so it
 * commits or rolls back with it.
 */
@Injectable()
export class ChangeCallbackSettings {
  constructor(private readonly change: CallbackChange) {}

  async execute(clientApplicationId: string, command: ChangeCallbackSettingsCommand, correlationId: string): Promise<ChangedCallbackSettings> {
    const applied = await this.change.apply(clientApplicationId, (current) => ({ url: command.url, format: command.format, authentication: command.authentication(current) }), correlationId);
    return { ...(applied.signingSecret ? { signingSecret: applied.signingSecret } : {}), afterCommit: () => this.change.afterCommit(applied) };
  }
}
