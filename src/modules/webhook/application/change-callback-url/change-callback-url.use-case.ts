import { Injectable } from '@nestjs/common';
import { AppConfig, blockPrivateCallbackAddresses } from '../../../../platform/config/app-config';
import { CallbackChange } from '../callback-change';
import { ChangeCallbackUrlCommand, type RequestedCallbackUrl } from './change-callback-url.command';

export interface ChangedCallbackUrl {
  /** Set only when this change created the application's first signing secret: shown once. */
  signingSecret?: string;
  /** To call once the caller's transaction has committed: wakes delivery, tells every process. */
  afterCommit(): void;
}

/**
 * Sets, changes or clears an application's callback URL (and format) for another module's
 * API, such as the administration of client applications: exactly what the callback
 * settings API does (CallbackChange), authentication left as it is (so a stored Basic
 * password does not follow the URL to another origin). Runs in the caller's
 * transaction, so it commits or rolls back with the rest of the caller's change.
 */
@Injectable()
export class ChangeCallbackUrl {
  constructor(private readonly change: CallbackChange, private readonly config: AppConfig) {}

  async execute(clientApplicationId: string, requested: RequestedCallbackUrl, correlationId: string): Promise<ChangedCallbackUrl> {
    const command = ChangeCallbackUrlCommand.create(requested, { blockPrivateAddresses: blockPrivateCallbackAddresses(this.config) });
    if (!command.changesSomething) return { afterCommit: () => undefined };
    const applied = await this.change.apply(clientApplicationId, (current) => ({ url: command.urlAfter(current), format: command.format ?? current.format, authentication: current.authentication }), correlationId);
    return { ...(applied.signingSecret ? { signingSecret: applied.signingSecret } : {}), afterCommit: () => this.change.afterCommit(applied) };
  }
}
