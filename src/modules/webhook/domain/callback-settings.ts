import { isPrivateHostLiteral } from '../../../platform/security/address-policy';
import { ANY_CONTROL } from '../../../platform/text/text-rules';

/**
 * A client application's callback: where events go, in which format, how the platform
 * authenticates to the receiver, and the secret the requests are signed with.
 */
export const CALLBACK_FORMATS = ['json', 'xml'] as const;
export type CallbackFormat = (typeof CALLBACK_FORMATS)[number];

export const CALLBACK_AUTH_TYPES = ['none', 'basic', 'oauth2'] as const;
export type CallbackAuthType = (typeof CALLBACK_AUTH_TYPES)[number];

/** Which of an application's stored callback secrets. */
export type StoredCallbackSecret = 'signing' | 'previous signing' | 'credentials';

/**
 * A stored secret that no configured key opens (sealed with a key since lost, or altered):
 * named, never used. It stands in for the value so that the settings can still be read,
 * replaced and rotated without it; a request that needs it is not sent.
 */
export class UnreadableSecret {
  constructor(
    readonly secret: StoredCallbackSecret,
    /** Which stored value and why, never the value. */
    readonly reason: string,
  ) {}
}

/** A stored secret as read back: its value, or what stands in for it when no key opens it. */
export type StoredSecret = string | UnreadableSecret;

export type CallbackAuthentication<S extends StoredSecret = string> =
  | { type: 'none' }
  | { type: 'basic'; username: string; password: S }
  | { type: 'oauth2'; tokenUrl: string; clientId: string; clientSecret: S; scope?: string };

export type CallbackState = 'active' | 'deactivated';

/** The settings as stored: a secret no configured key opens is an UnreadableSecret. */
export interface CallbackSettings {
  clientApplicationId: string;
  url: string | null;
  format: CallbackFormat;
  authentication: CallbackAuthentication<StoredSecret>;
  signingSecret: StoredSecret | null;
  /** The secret a rotation replaced, while it still signs beside the current one. */
  previousSigningSecret: { value: StoredSecret; validUntil: Date } | null;
  state: CallbackState;
  consecutiveFailures: number;
}

/** Settings whose every secret was opened: the only ones a request is made with. */
export interface ReadableCallbackSettings extends CallbackSettings {
  authentication: CallbackAuthentication;
  signingSecret: string | null;
  previousSigningSecret: { value: string; validUntil: Date } | null;
}

/** The stored secrets no configured key opens, in the order signing, previous signing, credentials. */
export function unreadableSecretsOf(settings: CallbackSettings): UnreadableSecret[] {
  const auth = settings.authentication;
  const credential = auth.type === 'basic' ? auth.password : auth.type === 'oauth2' ? auth.clientSecret : undefined;
  return [settings.signingSecret, settings.previousSigningSecret?.value, credential].filter((s): s is UnreadableSecret => s instanceof UnreadableSecret);
}

export function isReadable(settings: CallbackSettings): settings is ReadableCallbackSettings {
  return unreadableSecretsOf(settings).length === 0;
}

/** The secrets a request is signed with: the current one, then the one being retired, if any. */
export function signingSecretsOf(settings: { signingSecret: string; previousSigningSecret: ReadableCallbackSettings['previousSigningSecret'] }): [string, ...string[]] {
  return settings.previousSigningSecret ? [settings.signingSecret, settings.previousSigningSecret.value] : [settings.signingSecret];
}

/**
 * Whether a request made with `a` goes where, and as, a request made with `b` would: the same
 * URL, format, credentials and signing secrets. A receiver's answer to one says nothing of the
 * other when they differ (a URL fixed, credentials or a secret replaced). Secrets compare as
 * sameSecret does.
 */
export function sameTarget(a: CallbackSettings, b: CallbackSettings): boolean {
  return (
    a.url === b.url &&
    a.format === b.format &&
    sameAuthentication(a.authentication, b.authentication) &&
    sameSecret(a.signingSecret, b.signingSecret) &&
    sameSecret(a.previousSigningSecret?.value ?? null, b.previousSigningSecret?.value ?? null)
  );
}

/**
 * Whether `next` leaves the settings an administrator sets (URL, format, authentication with its
 * secrets) as `current` has them. Members are compared whatever their order, secrets as
 * sameSecret does: a change that keeps an unreadable secret (the one read, written back as
 * stored) changes nothing, one that gives it again does.
 */
export function sameSettings(current: Pick<CallbackSettings, 'url' | 'format' | 'authentication'>, next: Pick<CallbackSettings, 'url' | 'format' | 'authentication'>): boolean {
  return current.url === next.url && current.format === next.format && sameAuthentication(current.authentication, next.authentication);
}

/**
 * Stored secrets are the same when their values are. An UnreadableSecret is the same only as
 * itself (the stored value it was read from, kept): its value cannot be compared, and two values
 * no key opens look alike (the same row and purpose named) even when they differ.
 */
function sameSecret(a: StoredSecret | null, b: StoredSecret | null): boolean {
  return a === b;
}

/** The same type and members, whatever their order; an absent member and an undefined one are the same. */
function sameAuthentication(a: CallbackAuthentication<StoredSecret>, b: CallbackAuthentication<StoredSecret>): boolean {
  const members = (auth: CallbackAuthentication<StoredSecret>) => Object.entries(auth).filter(([, v]) => v !== undefined) as [string, StoredSecret][];
  const theirs = new Map(members(b));
  const ours = members(a);
  return ours.length === theirs.size && ours.every(([name, value]) => theirs.has(name) && sameSecret(value, theirs.get(name)!));
}

/** What stands in for a stored secret in every answer: secrets are write-only. */
export const SECRET_MASK = '********';

export type MaskedAuthentication =
  | { type: 'none' }
  | { type: 'basic'; username: string; password: string }
  | { type: 'oauth2'; tokenUrl: string; clientId: string; clientSecret: string; scope?: string };

export function maskAuthentication(auth: CallbackAuthentication<StoredSecret>): MaskedAuthentication {
  switch (auth.type) {
    case 'none':
      return { type: 'none' };
    case 'basic':
      return { type: 'basic', username: auth.username, password: SECRET_MASK };
    case 'oauth2':
      return { type: 'oauth2', tokenUrl: auth.tokenUrl, clientId: auth.clientId, clientSecret: SECRET_MASK, ...(auth.scope ? { scope: auth.scope } : {}) };
  }
}

/**
 * Whether a stored secret may stay when the address it is sent to changes from `previous`
 * to `next`: only within one origin (scheme, host and port). Secrets are write-only, so
 * whoever moves the address elsewhere gives the secret again; otherwise a changed URL would
 * carry a password nobody re-entered to a host of the changer's choosing.
 */
export function secretMayFollow(previous: string | null, next: string | null): boolean {
  if (previous === null || next === null) return false;
  try {
    return new URL(previous).origin === new URL(next).origin;
  } catch {
    return false;
  }
}

const MAX_URL_LENGTH = 2048;

/**
 * Why a callback (or token) URL is unusable, or undefined when it is fine: absolute
 * http(s), no credentials inside (they belong in the authentication settings), no fragment,
 * no control character and no space around it.
 */
export function callbackUrlProblem(value: string, blockPrivateAddresses = false): string | undefined {
  if (value.length === 0 || value.length > MAX_URL_LENGTH) return `must be 1 to ${MAX_URL_LENGTH} characters`;
  // The URL parser drops tabs and line breaks and trims spaces and control characters at the
  // ends without a word: the URL shown in the settings would not be the URL called.
  if (ANY_CONTROL.test(value) || value.trim() !== value) return 'must not contain control characters or surrounding spaces';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must use http or https';
  if (url.username || url.password) return 'must not carry credentials; use the authentication settings';
  if (url.hash) return 'must not have a fragment';
  if (blockPrivateAddresses && isPrivateHostLiteral(url.hostname)) return 'must not point to a loopback, link-local or private address';
  return undefined;
}
