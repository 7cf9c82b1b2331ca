import { AppError } from '../errors/app-error';

/** The token of `Authorization: Bearer <token>`; 401 with the precise reason otherwise. */
export function bearerToken(header: string | undefined): string {
  if (header === undefined || header.trim() === '') throw new AppError('AuthorizationMissing', 'Authorization header missing', 'Authorization');
  // RFC 6750, 2.1: the scheme, in any case, then one or more spaces (1*SP), then the token.
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i.exec(header.trim());
  if (!match) throw new AppError('AuthorizationMalformed', 'Authorization must be "Bearer <access_token>"', 'Authorization');
  return match[1];
}
