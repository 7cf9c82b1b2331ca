import { Injectable } from '@nestjs/common';
import { ReadCallbackSettings, type CallbackView } from '../../../webhook';
import type { ClientApplicationSettings } from '../../domain/configuration';
import { ClientApplicationSettingsRepository } from '../client-application-settings.repository';
import { found } from '../found';

export interface ApplicationCallback {
  /** The application, for its version (ETag): the callback is part of it. */
  application: ClientApplicationSettings;
  /** The callback settings and state, secrets masked. */
  callback: CallbackView;
}

/**
 * An application's callback, through the webhook module's ReadCallbackSettings, with the
 * application whose version a callback change sends back in If-Match. The application is read
 * first: a change committed between the two readings then shows in the callback but not in the
 * version, so a change sent with that version is refused (412) rather than made over a callback
 * the administrator never saw.
 */
@Injectable()
export class ReadApplicationCallback {
  constructor(private readonly applications: ClientApplicationSettingsRepository, private readonly read: ReadCallbackSettings) {}

  async execute(id: string): Promise<ApplicationCallback> {
    const application = found(await this.applications.byId(id), 'client application', id);
    return { application, callback: await this.read.execute(id) };
  }
}
