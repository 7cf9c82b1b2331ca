import type { INestApplication, Type } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { HeadersObject, MediaTypeObject, OperationObject, ResponseObject } from '@nestjs/swagger';
import { ERROR_CATALOGUE, RETRY_AFTER, type ErrorKind } from '../errors/error-catalogue';
import { XML_MEDIA_TYPES } from '../http/wire-format';
import { toXml } from '../http/xml-codec';
import { IDEMPOTENCY_ERRORS, X_IDEMPOTENT } from '../idempotency/idempotent.interceptor';
import { Localizer } from '../i18n/localizer';
import { X_ERRORS, X_REQUEST, X_RESPONSE } from './api-endpoint.decorator';
import { BASIC_CHALLENGE, bearerChallenge } from '../session/challenge';
import { SECURITY_SCHEMES } from './error-groups';
import { schemaModels, schemaNameClashes } from './schema-names';
import { describeValidationBounds } from './validation-constraints';

const JSON_TYPE = 'application/json';
const WS_ERROR_REF = { $ref: '#/components/schemas/WSError' };
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head'] as const;
const BASIC_SCHEME = SECURITY_SCHEMES['client-credentials']!.name;

const DESCRIPTION = `Start conversation API of the asynchronous messaging platform (Interaction API family, v19), with the
client application, agent, administration and operations endpoints.

* Every request and answer may be JSON or XML: send \`Content-Type: application/xml\` (or \`text/xml\`) for an XML body
  (its root element is named in each operation) and \`Accept: application/xml\` (or \`text/xml\`, answered as such) for an
  XML answer. Document bodies may also be sent as the
  single part of a \`multipart/form-data\` request.
* Every failure is a **WSError** document (\`code\` \`<status>-<number>\`, \`developerMessage\`, \`userMessage\` localized by
  \`Accept-Language\`, \`details\`). Each operation lists the codes it can answer, with examples in both formats.
* Any request that carries a body, even on a route that takes none, is read first and may get 400-111, 400-113, 400-114, 413-101 or 415-101 (listed on every route).`;

/** The OpenAPI document of every route the api maps, finished with WSError answers and XML examples. */
export function buildOpenApiDocument(app: INestApplication, version: string): OpenAPIObject {
  const controllers = controllersOf(app);
  assertOneClassPerSchemaName(controllers);
  const builder = new DocumentBuilder().setTitle('Messaging backend').setVersion(version).setDescription(DESCRIPTION);
  for (const scheme of new Set(Object.values(SECURITY_SCHEMES))) {
    if (!scheme) continue;
    // Session tokens are opaque (looked up, not decoded); @nestjs/swagger would call them JWT.
    if (scheme.type === 'bearer') builder.addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'opaque', description: scheme.description }, scheme.name);
    else builder.addBasicAuth({ type: 'http', scheme: 'basic', description: scheme.description }, scheme.name);
  }
  const document = SwaggerModule.createDocument(app, builder.build(), {
    operationIdFactory: (controller: string, method: string) => `${controller.replace(/Controller$/, '')}_${method}`,
  });
  describeValidationBounds(document.components?.schemas ?? {}, schemaModels(controllers));
  finishDocument(document, app.get(Localizer));
  return document;
}

function controllersOf(app: INestApplication): Type<unknown>[] {
  return [...app.get(ModulesContainer).values()].flatMap((module) => [...module.controllers.values()].map((wrapper) => wrapper.metatype as Type<unknown>));
}

/**
 * Refuses to describe two classes under one schema name: @nestjs/swagger would give both the
 * shape of the first it met, silently. Stops the api at start-up, so every test run catches it.
 */
function assertOneClassPerSchemaName(controllers: Type<unknown>[]): void {
  const clashes = schemaNameClashes(controllers);
  if (clashes.length === 0) return;
  const named = clashes.map((c) => `${c.name} (${c.classes.length} classes)`).join(', ');
  throw new Error(`OpenAPI: schema names given to more than one class: ${named}; give each class its own name, or share one class`);
}

function finishDocument(document: OpenAPIObject, localizer: Localizer): void {
  document.components ??= {};
  document.components.schemas = { ...document.components.schemas, WSError: wsErrorSchema() };
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const op = item[method] as (OperationObject & Record<string, unknown>) | undefined;
      if (op) finishOperation(op, localizer);
    }
  }
}

function finishOperation(op: OperationObject & Record<string, unknown>, localizer: Localizer): void {
  const request = op[X_REQUEST] as { example: Record<string, unknown>; xmlRoot?: string; formats: string[] } | undefined;
  if (request && op.requestBody && 'content' in op.requestBody) {
    const content = op.requestBody.content;
    op.requestBody.required = true;
    if (content[JSON_TYPE]) content[JSON_TYPE].example = request.example;
    for (const type of XML_MEDIA_TYPES) if (content[type]) content[type].example = toXml(request.xmlRoot ?? 'request', request.example);
    if (content['multipart/form-data']) {
      content['multipart/form-data'] = {
        schema: { type: 'object', properties: { document: { type: 'string', format: 'binary', description: 'the JSON or XML document, with its own Content-Type' } } },
        encoding: { document: { contentType: [JSON_TYPE, ...XML_MEDIA_TYPES].join(', ') } },
      };
    }
  }
  const answers = (op[X_RESPONSE] as { status: number; example?: Record<string, unknown> | string; mediaType?: string }[] | undefined) ?? [];
  for (const answer of answers) {
    const response = op.responses[String(answer.status)] as ResponseObject | undefined;
    if (!response) continue;
    if (answer.mediaType) {
      response.content = { [answer.mediaType]: { schema: { type: 'string' }, ...(answer.example !== undefined ? { example: answer.example } : {}) } };
    } else if (typeof answer.example === 'object' && response.content) {
      if (response.content[JSON_TYPE]) response.content[JSON_TYPE].example = answer.example;
      for (const type of XML_MEDIA_TYPES) if (response.content[type]) response.content[type].example = xmlOfAnswer(answer.example);
    }
  }
  const kinds = [...new Set([...((op[X_ERRORS] as ErrorKind[] | undefined) ?? []), ...(op[X_IDEMPOTENT] ? IDEMPOTENCY_ERRORS : [])])];
  // A path parameter that is not percent-encoded UTF-8 is refused by the router, before the route runs.
  if ((op.parameters ?? []).some((p) => 'in' in p && p.in === 'path') && !kinds.includes('InvalidRequest')) kinds.push('InvalidRequest');
  for (const [status, group] of groupByStatus(kinds)) {
    const response = errorResponse(group, localizer);
    if (status === 401) response.headers = { ...response.headers, ...challengeHeader(group, op) };
    op.responses[String(status)] = response;
  }
  if (op[X_IDEMPOTENT]) {
    for (const [status, response] of Object.entries(op.responses)) {
      if (/^2\d\d$/.test(status) && response && !('$ref' in response)) response.headers = { ...response.headers, ...REPLAYED_HEADER };
    }
  }
  op['x-error-codes'] = kinds.map((k) => ERROR_CATALOGUE[k].code).sort();
  delete op[X_ERRORS];
  delete op[X_REQUEST];
  delete op[X_RESPONSE];
  delete op[X_IDEMPOTENT];
}

/** Mirrors WireFormatInterceptor: a single top-level key is the root element, otherwise `response`. */
function xmlOfAnswer(example: Record<string, unknown>): string {
  const entries = Object.entries(example);
  return entries.length === 1 ? toXml(entries[0][0], entries[0][1]) : toXml('response', example);
}

function groupByStatus(kinds: ErrorKind[]): Map<number, ErrorKind[]> {
  const groups = new Map<number, ErrorKind[]>();
  for (const kind of kinds) {
    const status = ERROR_CATALOGUE[kind].status;
    groups.set(status, [...(groups.get(status) ?? []), kind]);
  }
  return new Map([...groups.entries()].sort(([a], [b]) => a - b));
}

function errorResponse(kinds: ErrorKind[], localizer: Localizer): ResponseObject {
  const lines = kinds.map((k) => `* \`${ERROR_CATALOGUE[k].code}\` ${k}: ${localizer.message(k, 'en', {})}`);
  const json: MediaTypeObject = { schema: WS_ERROR_REF, examples: {} };
  const xml: MediaTypeObject = { schema: WS_ERROR_REF, examples: {} };
  for (const kind of kinds) {
    const body = {
      code: ERROR_CATALOGUE[kind].code,
      developerMessage: `${kind} (the English technical reason)`,
      userMessage: localizer.message(kind, 'en', {}),
    };
    json.examples![kind] = { summary: `${body.code} ${kind}`, value: body };
    xml.examples![kind] = { summary: `${body.code} ${kind}`, value: toXml('WSError', body) };
  }
  const content = { [JSON_TYPE]: json, ...Object.fromEntries(XML_MEDIA_TYPES.map((type) => [type, xml])) };
  return { description: lines.join('\n'), content, ...retryAfterHeader(kinds) };
}

/** `Retry-After` on an error answer whose kinds carry it: required when every kind of the status does. */
function retryAfterHeader(kinds: ErrorKind[]): { headers?: HeadersObject } {
  const carrying = kinds.filter((k) => RETRY_AFTER[k] !== undefined);
  if (carrying.length === 0) return {};
  const values = carrying.map((k) => `${ERROR_CATALOGUE[k].code}: ${RETRY_AFTER[k]}`).join('; ');
  const only = carrying.length < kinds.length ? ` Sent with ${carrying.map((k) => ERROR_CATALOGUE[k].code).join(', ')} only.` : '';
  return {
    headers: {
      'Retry-After': {
        description: `Seconds to wait before trying again (${values}).${only}`,
        required: carrying.length === kinds.length,
        schema: { type: 'integer', minimum: 1 },
      },
    },
  };
}

/**
 * `WWW-Authenticate` on a 401 whose kinds carry a challenge (RFC 9110, 15.5.2): `Basic` on the
 * token route, a bearer challenge on the session routes (challenge.ts); required when every kind
 * of the route's 401 carries one (a login's wrong password, sent in the body, carries none).
 */
function challengeHeader(kinds: ErrorKind[], op: OperationObject): HeadersObject {
  const basic = (op.security ?? []).some((scheme) => BASIC_SCHEME in scheme);
  const challenges = kinds.flatMap((k) => {
    const challenge = basic ? BASIC_CHALLENGE : bearerChallenge(k);
    return challenge === undefined ? [] : [`${ERROR_CATALOGUE[k].code}: ${challenge}`];
  });
  if (challenges.length === 0) return {};
  return {
    'WWW-Authenticate': { description: `The authentication challenge (${challenges.join('; ')}).`, required: challenges.length === kinds.length, schema: { type: 'string' } },
  };
}

/** On the success answers of a route that takes `Idempotency-Key`. */
const REPLAYED_HEADER: HeadersObject = {
  'Idempotent-Replayed': {
    description: 'Present on the replay of the first answer to a request with the same Idempotency-Key (nothing was done again); absent otherwise.',
    required: false,
    schema: { type: 'string', enum: ['true'] },
  },
};

function wsErrorSchema() {
  return {
    type: 'object',
    description: 'Every failure of every endpoint; in XML the root element is WSError.',
    xml: { name: 'WSError' },
    required: ['code', 'developerMessage', 'userMessage'],
    properties: {
      code: { type: 'string', pattern: '^\\d{3}-\\d{3}$', enum: [...new Set(Object.values(ERROR_CATALOGUE).map((e) => e.code))].sort(), example: '400-112' },
      developerMessage: { type: 'string', description: 'English, for logs and developers', example: 'activity.subject: subject must be a string' },
      userMessage: { type: 'string', description: 'Localized by Accept-Language', example: 'The field activity.subject is missing or invalid.' },
      details: { type: 'string', description: 'The parameter or field at fault, when there is one', example: 'activity.subject' },
    },
  };
}
