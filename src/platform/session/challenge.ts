import type { ErrorKind } from '../errors/error-catalogue';

/**
 * The `WWW-Authenticate` challenge HTTP requires on every 401 (RFC 9110, 15.5.2). The APIs take
 * bearer tokens (RFC 6750, 3): a client tells a token that must be renewed (`invalid_token`)
 * from a request it built wrong (`invalid_request`) by the challenge alone. The token route
 * takes `Basic` client credentials instead, and says so itself (BASIC_CHALLENGE).
 */
const BEARER_CHALLENGES: Partial<Record<ErrorKind, string>> = {
  AuthorizationMissing: 'Bearer',
  AuthorizationMalformed: 'Bearer error="invalid_request"',
  SessionNotFound: 'Bearer error="invalid_token"',
  NotClientApplicationSession: 'Bearer error="invalid_token"',
  NotAgentSession: 'Bearer error="invalid_token"',
  NotAdministratorSession: 'Bearer error="invalid_token"',
};

/** The challenge of a 401 of this kind on a bearer-token API, if its kind has one. */
export function bearerChallenge(kind: ErrorKind): string | undefined {
  return BEARER_CHALLENGES[kind];
}

/** RFC 7617: Basic needs a realm; the credentials are read as UTF-8. */
export const BASIC_CHALLENGE = 'Basic realm="clientapplications", charset="UTF-8"';
