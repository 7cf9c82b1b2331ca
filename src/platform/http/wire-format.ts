import type { Request } from 'express';

export type WireFormat = 'json' | 'xml';
/** The media types answers are sent as: XML under the name the client's Accept chose. */
export type AnswerType = 'application/json' | 'application/xml' | 'text/xml';
export type BodyFormat = 'json' | 'xml' | 'multipart' | 'form';

/** The names an XML document is taken and answered under (RFC 7303 makes them one format); the OpenAPI document lists both wherever XML is spoken. */
export const XML_MEDIA_TYPES = ['application/xml', 'text/xml'] as const satisfies readonly AnswerType[];

/** What the negotiation and body middlewares learned about one request. */
export interface RequestContext {
  format: WireFormat;
  /** The media type of the answer, when Accept chose one (else the format's `application/…` type). */
  answerType?: AnswerType;
  language: string;
  bodyFormat?: BodyFormat;
  /** Root element name of an XML body (the body itself is the root's content). */
  xmlRoot?: string;
  /** Who is calling, once a guard has authenticated the request (e.g. `client_application:12`). */
  principal?: string;
}

/** The media type an answer in `ctx`'s format is sent as; Express adds `; charset=utf-8`. */
export function answerTypeOf(ctx: Pick<RequestContext, 'format' | 'answerType'> | undefined): AnswerType {
  if (ctx?.format === 'xml') return ctx.answerType === 'text/xml' ? 'text/xml' : 'application/xml';
  return 'application/json';
}

const contexts = new WeakMap<Request, RequestContext>();

export function setRequestContext(req: Request, ctx: RequestContext): void {
  contexts.set(req, ctx);
}

export function requestContextOf(req: Request): RequestContext | undefined {
  return contexts.get(req);
}

/** Bodies read from XML, where every value is text: the request classes read their types' XML forms from them. */
const xmlBodies = new WeakSet<object>();

export function markXmlBody(body: unknown): void {
  if (body !== null && typeof body === 'object') xmlBodies.add(body);
}

export function isXmlBody(body: unknown): boolean {
  return body !== null && typeof body === 'object' && xmlBodies.has(body);
}
