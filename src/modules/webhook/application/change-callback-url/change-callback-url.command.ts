import { AppError } from '../../../../platform/errors/app-error';
import { CALLBACK_FORMATS, callbackUrlProblem, type CallbackFormat } from '../../domain/callback-settings';

/** A callback URL and format as another API names them (`callbackUrl`, `callbackFormat`); absent members stay as they are. */
export interface RequestedCallbackUrl {
  callbackUrl?: string | null;
  callbackFormat?: string;
}

function invalid(field: string, reason: string): AppError {
  return new AppError('BodyInvalid', `${field}: ${reason}`, field, { field });
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
    if (raw.callbackUrl !== undefined && raw.callbackUrl !== null) {
      const problem = callbackUrlProblem(raw.callbackUrl, policy.blockPrivateAddresses);
      if (problem) throw invalid('callbackUrl', problem);
    }
    if (raw.callbackFormat !== undefined && !(CALLBACK_FORMATS as readonly string[]).includes(raw.callbackFormat)) {
      throw invalid('callbackFormat', `must be one of ${CALLBACK_FORMATS.join(', ')}`);
    }
    return new ChangeCallbackUrlCommand(raw.callbackUrl, raw.callbackFormat as CallbackFormat | undefined);
  }

  /** Whether the request touches the callback at all. */
  get changesSomething(): boolean {
    return this.url !== undefined || this.format !== undefined;
  }
}
