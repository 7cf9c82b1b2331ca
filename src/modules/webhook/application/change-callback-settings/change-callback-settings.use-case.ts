import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { CallbackChange } from '../callback-change';
import type { CallbackView } from '../callback-view';
import { ReadCallbackSettings } from '../read-callback-settings/read-callback-settings.use-case';
import type { ChangeCallbackSettingsCommand } from './change-callback-settings.command';

export interface ChangedCallbackSettings {
  view: CallbackView;
  /** Set only when this change created the application's first signing secret: shown once. */
  signingSecret?: string;
}

/**
 * Replaces an application's callback settings (URL, format, authentication) through
 * CallbackChange: the first time a URL is set a signing secret is generated and returned,
 * once; the failure count starts again from zero and a waiting retry is forgotten, so a
 * fixed URL gets what is pending at once.
 */
@Injectable()
export class ChangeCallbackSettings {
  constructor(
    private readonly change: CallbackChange,
    private readonly read: ReadCallbackSettings,
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
  ) {}

  async execute(clientApplicationId: string, command: ChangeCallbackSettingsCommand, correlationId: string): Promise<ChangedCallbackSettings> {
    const applied = await this.txHost.withTransaction(() =>
      this.change.apply(clientApplicationId, (current) => ({ url: command.url, format: command.format, authentication: command.authentication(current) }), correlationId),
    );
    this.change.afterCommit(applied);
    return { view: await this.read.execute(clientApplicationId), ...(applied.signingSecret ? { signingSecret: applied.signingSecret } : {}) };
  }
}
