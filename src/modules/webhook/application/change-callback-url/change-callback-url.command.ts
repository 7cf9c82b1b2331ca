import { secretMayFollow, type CallbackFormat, type CallbackSettings } from '../../domain/callback-settings';
import { checkCallbackFormat, checkCallbackUrl, invalidCallbackField } from '../callback-field-rules';

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

  /**
   * The URL once the change is made. The stored authentication stays, and with Basic its
   * password goes to the URL: a URL on another origin needs the password given again,
   * through the callback settings API (secretMayFollow).
   */
  urlAfter(current: Pick<CallbackSettings, 'url' | 'authentication'>): string | null {
    if (this.url === undefined) return current.url;
    if (current.authentication.type === 'basic' && this.url !== null && !secretMayFollow(current.url, this.url)) {
      throw invalidCallbackField('callbackUrl', 'moves the callback to another origin, and its stored Basic password would go with it: set the URL and its authentication together with PUT …/callback');
    }
    return this.url;
  }

  /** Whether the request touches the callback at all. */
  get changesSomething(): boolean {
    return this.url !== undefined || this.format !== undefined;
  }
}
