import type { CallbackFormat } from '../../domain/callback-settings';
import { checkCallbackFormat, checkCallbackUrl } from '../callback-field-rules';

/** A callback URL and format as another API names them (`callbackUrl`, `callbackFormat`); absent members stay as they are. */
export interface RequestedCallbackUrl {
  callbackUrl?: string | null;
  callbackFormat?: string;
}

/**
 * A new callback URL and/or format, checked by the same rules as the callback settings
 * API (absolute http(s), no credentials, no fragment, private addresses as configured).
 * The authentication settings are left as they are.
 */
export class ChangeCallbackUrlCommand {
  private constructor(
    readonly url: string | null | undefined,
    readonly format: CallbackFormat | undefined,
  ) {}

  static create(raw: RequestedCallbackUrl, policy: { blockPrivateAddresses: boolean }): ChangeCallbackUrlCommand {
    if (raw.callbackUrl !== undefined && raw.callbackUrl !== null) checkCallbackUrl('callbackUrl', raw.callbackUrl, policy);
    const format = raw.callbackFormat === undefined ? undefined : checkCallbackFormat('callbackFormat', raw.callbackFormat);
    return new ChangeCallbackUrlCommand(raw.callbackUrl, format);
  }

  /** Whether the request touches the callback at all. */
  get changesSomething(): boolean {
    return this.url !== undefined || this.format !== undefined;
  }
}
