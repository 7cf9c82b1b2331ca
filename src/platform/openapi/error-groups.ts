import type { ErrorKind } from '../errors/error-catalogue';
import { NOT_A_SESSION_OF } from '../session/session';

type SessionAuth = 'client-application' | 'agent' | 'administrator';
/** `<kind>-logout`: the bearer token of a session of that kind, which the route ends; an unknown or ended one is not an error. */
export type EndpointAuth = 'none' | 'client-credentials' | SessionAuth | `${SessionAuth}-logout`;

/** Security schemes of the document; one per kind of credential, so each operation says which token it wants. */
export const SESSION_SCHEMES = {
  'client-application': { name: 'clientApplicationSession', type: 'bearer', description: 'access_token from POST .../clientapplications/authentication/oauth2/token' },
  agent: { name: 'agentSession', type: 'bearer', description: 'access_token from POST .../agent/authentication/login' },
  administrator: { name: 'administratorSession', type: 'bearer', description: 'access_token from POST .../administration/authentication/login' },
} as const;

export const SECURITY_SCHEMES: Record<EndpointAuth, { name: string; type: 'bearer' | 'basic'; description: string } | undefined> = {
  none: undefined,
  'client-credentials': { name: 'clientCredentials', type: 'basic', description: 'HTTP Basic with the client application\'s client id and secret' },
  ...SESSION_SCHEMES,
  'client-application-logout': SESSION_SCHEMES['client-application'],
  'agent-logout': SESSION_SCHEMES.agent,
  'administrator-logout': SESSION_SCHEMES.administrator,
};

const BEARER: ErrorKind[] = ['AuthorizationMissing', 'AuthorizationMalformed', 'SessionNotFound'];

/** What the guards of each kind of endpoint answer before the handler runs. */
export const AUTH_ERRORS: Record<EndpointAuth, ErrorKind[]> = {
  none: [],
  'client-credentials': ['AuthorizationMissing', 'AuthorizationMalformed', 'InvalidClientCredentials'],
  'client-application': [...BEARER, NOT_A_SESSION_OF.client_application],
  agent: [...BEARER, NOT_A_SESSION_OF.agent],
  administrator: [...BEARER, NOT_A_SESSION_OF.administrator],
  'client-application-logout': ['AuthorizationMissing', 'AuthorizationMalformed', NOT_A_SESSION_OF.client_application],
  'agent-logout': ['AuthorizationMissing', 'AuthorizationMalformed', NOT_A_SESSION_OF.agent],
  'administrator-logout': ['AuthorizationMissing', 'AuthorizationMalformed', NOT_A_SESSION_OF.administrator],
};

/** What reading a body can answer (see BodyParserMiddleware, BodyFormatGuard, validateBody). */
export function BODY_ERRORS(): ErrorKind[] {
  return [
    'BodyMissing',
    'BodyMalformed',
    'BodyInvalid',
    // Every body is read before routing, in whatever format it comes: an XML or multipart body
    // sent to a route that takes neither (the token route) is refused for its DOCTYPE (400-114)
    // or its parts (400-113) before the route's own 415-101.
    'XmlForbiddenConstruct',
    'MultipartInvalid',
    'BodyTooLarge',
    'UnsupportedContentType',
    // A body not all received at REQUEST_TIMEOUT_MS (RequestTimeoutMiddleware).
    'RequestTimeout',
    // A body framed with a transfer coding besides chunked (answerUnreadableRequests).
    'UnsupportedTransferCoding',
  ];
}

/**
 * What a body sent to a route that takes none can answer: every body is read before routing
 * (BodyParserMiddleware), so one that is malformed, too large or of an unsupported type is
 * refused there, whatever the route.
 */
export const UNWANTED_BODY_ERRORS: ErrorKind[] = ['BodyMalformed', 'XmlForbiddenConstruct', 'MultipartInvalid', 'BodyTooLarge', 'UnsupportedContentType', 'RequestTimeout', 'UnsupportedTransferCoding'];

/** What negotiating Accept and Accept-Language can answer (NegotiationMiddleware). */
export const NEGOTIATION_ERRORS: ErrorKind[] = ['UnsupportedAccept', 'InvalidAcceptLanguage'];

/** What any route can answer: negotiation of Accept and Accept-Language, and an internal failure. */
export const COMMON_ERRORS: ErrorKind[] = [...NEGOTIATION_ERRORS, 'InternalError'];
