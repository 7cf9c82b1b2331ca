import { applyDecorators, type Type } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiExtension, ApiHeader, ApiOperation, ApiProduces, ApiQuery, ApiResponse, ApiSecurity, type ApiHeaderOptions, type ApiQueryOptions } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger';
import type { ErrorKind } from '../errors/error-catalogue';
import { XML_MEDIA_TYPES, type BodyFormat } from '../http/wire-format';
import { AUTH_ERRORS, BODY_ERRORS, COMMON_ERRORS, NEGOTIATION_ERRORS, SECURITY_SCHEMES, UNWANTED_BODY_ERRORS, type EndpointAuth } from './error-groups';

export const X_ERRORS = 'x-ws-errors';
export const X_REQUEST = 'x-ws-request';
export const X_RESPONSE = 'x-ws-response';

const MEDIA: Record<BodyFormat, readonly string[]> = {
  json: ['application/json'],
  xml: XML_MEDIA_TYPES,
  multipart: ['multipart/form-data'],
  form: ['application/x-www-form-urlencoded'],
};

export interface EndpointBody {
  type?: Type<unknown>;
  schema?: SchemaObject;
  /** A JSON example; the XML and multipart examples are derived from it. */
  example: Record<string, unknown>;
  /** Root element of the XML form of the body. */
  xmlRoot?: string;
  /** The formats the route accepts; BodyFormatGuard's default (json, xml, multipart) when absent. */
  formats?: BodyFormat[];
}

export interface EndpointAnswer {
  status?: number;
  description?: string;
  type?: Type<unknown>;
  schema?: SchemaObject;
  /** A JSON example of the answer (the XML one is derived from it), or the text of a non-JSON answer. */
  example?: Record<string, unknown> | string;
  /** A body that is neither JSON nor XML (metrics text, HTML). */
  mediaType?: string;
  /** Headers of the answer a client may use (e.g. `Location`). */
  headers?: Record<string, { description: string; schema: SchemaObject }>;
}

export interface EndpointDoc {
  summary: string;
  description?: string;
  auth: EndpointAuth;
  /** Query parameters (path parameters are documented by Nest from the route). */
  query?: ApiQueryOptions[];
  /** Request headers the route reads beside the API's own (e.g. `If-Match`). */
  headers?: ApiHeaderOptions[];
  body?: EndpointBody;
  ok: EndpointAnswer;
  /** Further answers that are not WSError documents (e.g. a 503 health report). */
  otherAnswers?: EndpointAnswer[];
  /** Error kinds this endpoint raises itself; the authentication, body and negotiation errors are added. */
  errors?: ErrorKind[];
  /** False for routes that answer in one fixed format whatever Accept and Accept-Language say (no 406). */
  negotiated?: boolean;
  /**
   * False for the operations endpoints (health, metrics): they report an unreachable MySQL or
   * Redis in their own answer, or leave it out, instead of answering 503-101.
   */
  unavailableError?: boolean;
}

/**
 * Describes one route for the OpenAPI document: operation, security, request and answer
 * with examples, and every WSError code the route can answer. The document builder turns
 * the `x-ws-*` extensions into JSON and XML media types (see openapi-document.ts).
 */
export function ApiEndpoint(doc: EndpointDoc): MethodDecorator {
  // A route of one fixed format negotiates nothing, so it never answers 406.
  const common = doc.negotiated === false ? COMMON_ERRORS.filter((k) => !NEGOTIATION_ERRORS.includes(k)) : COMMON_ERRORS;
  const errors = new Set<ErrorKind>([
    ...AUTH_ERRORS[doc.auth],
    // Every body is read before routing, the health and metrics routes' too.
    ...(doc.body ? BODY_ERRORS() : UNWANTED_BODY_ERRORS),
    ...(doc.errors ?? []),
    ...common,
    // A database or queue that does not answer, or REQUEST_TIMEOUT_MS reached (with Retry-After).
    ...(doc.unavailableError === false ? [] : (['ServiceUnavailable'] as const)),
  ]);
  const decorators: (MethodDecorator | ClassDecorator)[] = [
    ApiOperation({ summary: doc.summary, description: doc.description }),
    ApiExtension(X_ERRORS, [...errors]),
  ];
  for (const q of doc.query ?? []) decorators.push(ApiQuery(q));
  for (const h of doc.headers ?? []) decorators.push(ApiHeader(h));
  const scheme = SECURITY_SCHEMES[doc.auth];
  if (scheme?.type === 'bearer') decorators.push(ApiBearerAuth(scheme.name));
  if (scheme?.type === 'basic') decorators.push(ApiSecurity(scheme.name));
  if (doc.body) {
    const formats = doc.body.formats ?? ['json', 'xml', 'multipart'];
    decorators.push(
      ApiConsumes(...formats.flatMap((f) => MEDIA[f])),
      doc.body.type ? ApiBody({ type: doc.body.type }) : ApiBody({ schema: doc.body.schema ?? { type: 'object' } }),
      ApiExtension(X_REQUEST, { example: doc.body.example, xmlRoot: doc.body.xmlRoot, formats }),
    );
  }
  const answers = [doc.ok, ...(doc.otherAnswers ?? [])];
  for (const answer of answers) {
    const status = answer.status ?? 200;
    const description = answer.description ?? 'OK';
    const headers = answer.headers;
    if (answer.type) decorators.push(ApiResponse({ status, description, type: answer.type, headers }));
    else if (answer.schema) decorators.push(ApiResponse({ status, description, schema: answer.schema, headers }));
    else decorators.push(ApiResponse({ status, description, headers }));
  }
  decorators.push(
    ApiExtension(
      X_RESPONSE,
      answers.map((a) => ({ status: a.status ?? 200, example: a.example, mediaType: a.mediaType })),
    ),
  );
  if (doc.negotiated !== false && !doc.ok.mediaType) decorators.push(ApiProduces(...MEDIA.json, ...MEDIA.xml));
  return applyDecorators(...decorators) as MethodDecorator;
}
