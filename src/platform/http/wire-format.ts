import type { Request } from 'express';

export type WireFormat = 'json' | 'xml';
export type BodyFormat = 'json' | 'xml' | 'multipart' | 'form';

/** What the negotiation and body middlewares learned about one request. */
export interface RequestContext {
  format: WireFormat;
  language: string;
  bodyFormat?: BodyFormat;
  /** Root element name of an XML body (the body itself is the root's content). */
  xmlRoot?: string;
  /** Who is calling, once a guard has authenticated the request (e.g. `client_application:12`). */
  principal?: string;
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
