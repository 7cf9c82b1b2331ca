import { AppError } from '../errors/app-error';
import { BASIC_CHALLENGE } from './challenge';

export interface BasicCredentials {
  clientKey: string;
  clientSecret: string;
}

// RFC 9110, 11.4 and RFC 7617: the scheme, in any case, then one or more spaces (1*SP).
const BASIC = /^Basic +([A-Za-z0-9+/]+=*)$/i;

/** `Authorization: Basic base64(clientKey:clientSecret)`, or undefined when the header is not that. */
export function readBasicCredentials(header: unknown): BasicCredentials | undefined {
  if (typeof header !== 'string') return undefined;
  const match = BASIC.exec(header.trim());
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  return { clientKey: decoded.slice(0, colon), clientSecret: decoded.slice(colon + 1) };
}

/** The credentials of a login; 401 with the precise reason otherwise. */
export function basicCredentials(header: string | undefined): BasicCredentials {
  const challenge = { 'WWW-Authenticate': BASIC_CHALLENGE };
  if (header === undefined || header.trim() === '') throw new AppError('AuthorizationMissing', 'Authorization header missing', 'Authorization', {}, challenge);
  const credentials = readBasicCredentials(header);
  if (!credentials) throw new AppError('AuthorizationMalformed', 'Authorization must be "Basic base64(clientKey:clientSecret)"', 'Authorization', {}, challenge);
  return credentials;
}
