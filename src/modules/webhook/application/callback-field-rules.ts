import { AppError } from '../../../platform/errors/app-error';
import { CALLBACK_FORMATS, callbackUrlProblem, type CallbackFormat } from '../domain/callback-settings';

/** A member of a callback change that breaks a rule, named as the caller's API names it. */
export function invalidCallbackField(field: string, reason: string): AppError {
  return new AppError('BodyInvalid', `${field}: ${reason}`, field, { field });
}

/** A callback (or token) URL by the callback rules: absolute http(s), no credentials, no fragment, no control character or surrounding space, private addresses as configured. */
export function checkCallbackUrl(field: string, url: string, policy: { blockPrivateAddresses: boolean }): void {
  const problem = callbackUrlProblem(url, policy.blockPrivateAddresses);
  if (problem) throw invalidCallbackField(field, problem);
}

export function checkCallbackFormat(field: string, format: string): CallbackFormat {
  if (!(CALLBACK_FORMATS as readonly string[]).includes(format)) throw invalidCallbackField(field, `must be one of ${CALLBACK_FORMATS.join(', ')}`);
  return format as CallbackFormat;
}
