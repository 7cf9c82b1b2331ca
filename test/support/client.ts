import { connect } from 'node:net';
import { parseXml, toXml } from '../../src/platform/http/xml-codec';
import type { Stack } from './stack';

export type BodyEncoding = 'json' | 'xml' | 'multipart' | 'multipart-xml';
/** Multipart twice: its one part holds the JSON or the XML document, by the part's own type. */
export const ENCODINGS: BodyEncoding[] = ['json', 'xml', 'multipart', 'multipart-xml'];

export interface HttpResult {
  status: number;
  headers: Headers;
  /** Parsed JSON, or for XML the content of the root element. */
  body: any;
  xmlRoot?: string;
  text: string;
}

/** Encodes one start document the three ways clients send it. */
export function encode(doc: unknown, encoding: BodyEncoding): { body: string | FormData; headers: Record<string, string> } {
  switch (encoding) {
    case 'json':
      return { body: JSON.stringify(doc), headers: { 'Content-Type': 'application/json' } };
    case 'xml':
      return { body: toXml('conversation', doc), headers: { 'Content-Type': 'application/xml' } };
    case 'multipart': {
      const form = new FormData();
      form.append('conversation', new Blob([JSON.stringify(doc)], { type: 'application/json' }), 'conversation.json');
      return { body: form, headers: {} };
    }
    case 'multipart-xml': {
      const form = new FormData();
      form.append('conversation', new Blob([toXml('conversation', doc)], { type: 'application/xml' }), 'conversation.xml');
      return { body: form, headers: {} };
    }
  }
}

export async function http(url: string, init: RequestInit = {}): Promise<HttpResult> {
  const res = await fetch(url, init);
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  let body: unknown = text;
  let xmlRoot: string | undefined;
  if (type.includes('json') && text) body = JSON.parse(text);
  if (type.includes('xml') && text) {
    const parsed = parseXml(text);
    body = parsed.content;
    xmlRoot = parsed.root;
  }
  return { status: res.status, headers: res.headers, body, xmlRoot, text };
}

export async function login(stack: Stack, key = stack.credentials.chatClientKey, secret = stack.credentials.chatClientSecret): Promise<string> {
  const res = await http(`${stack.clientApiUrl}/authentication/oauth2/token`, {
    method: 'POST',
    headers: { Authorization: `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${res.text}`);
  return res.body.access_token as string;
}

export async function lastModified(stack: Stack, token: string, entryPointId = '1001'): Promise<string> {
  const res = await http(`${stack.clientApiUrl}/messaging/configuration?entrypoint=${entryPointId}`, { headers: { Authorization: `Bearer ${token}` } });
  if (res.status !== 200) throw new Error(`configuration failed: ${res.status} ${res.text}`);
  return res.body.entryPointConfiguration[0].lastModified.date as string;
}

/** A client application session and the entry point's lastModified, ready for starts. */
export async function clientOf(stack: Stack, entryPointId = '1001'): Promise<{ token: string; lm: string; entryPointId: string }> {
  const token = await login(stack);
  return { token, lm: await lastModified(stack, token, entryPointId), entryPointId };
}

export interface StartOptions {
  token?: string;
  query?: string;
  encoding?: BodyEncoding;
  headers?: Record<string, string>;
  /** A raw body, sent as is instead of encoding `doc`. */
  raw?: string | FormData | Uint8Array;
}

export async function start(stack: Stack, doc: unknown, options: StartOptions = {}): Promise<HttpResult> {
  const encoded = options.raw !== undefined ? { body: options.raw, headers: {} } : encode(doc, options.encoding ?? 'json');
  const headers: Record<string, string> = { ...encoded.headers, ...options.headers };
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  const query = options.query ? `?${options.query}` : '';
  return http(`${stack.clientApiUrl}/messaging/conversation/start${query}`, { method: 'POST', headers, body: encoded.body });
}

/** A start whose body goes out exactly as given (text or a multipart form), with the Content-Type named, if any. */
export function rawStart(
  stack: Stack,
  token: string,
  body: string | FormData | Uint8Array,
  contentType: string | undefined,
  query = 'anonymousCustomer=yes',
  headers: Record<string, string> = {},
): Promise<HttpResult> {
  return start(stack, undefined, { token, query, raw: body, headers: { ...(contentType ? { 'Content-Type': contentType } : {}), ...headers } });
}

/**
 * Sends an anonymous start whose body goes out in `pieces`, one every `intervalMs`, reading nothing
 * until all of it is written, as a client that sends its whole request before it reads does;
 * resolves with what it then reads, or with the error one of its writes met.
 */
export function uploadInPieces(stack: Stack, token: string, contentType: string, pieces: Buffer[], intervalMs: number): Promise<{ text: string; writeError?: string }> {
  const { hostname, port } = new URL(stack.baseUrl);
  const path = '/system/ws/v19/clientapplications/messaging/conversation/start?anonymousCustomer=yes';
  const length = pieces.reduce((n, piece) => n + piece.length, 0);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    socket.on('error', (e: NodeJS.ErrnoException) => resolve({ text: '', writeError: e.code }));
    socket.write(`POST ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Type: ${contentType}\r\nContent-Length: ${length}\r\n\r\n`);
    let sent = 0;
    const send = () => {
      if (sent === pieces.length) return read();
      socket.write(pieces[sent++], () => setTimeout(send, intervalMs));
    };
    const read = () => {
      let text = '';
      socket.on('data', (c: Buffer) => (text += c.toString('utf8')));
      socket.on('end', () => resolve({ text }));
    };
    send();
  });
}

/** A start document for entry point 1001 with the given activity. */
export function startDocument(lastModifiedDate: string, activity?: Record<string, unknown>, entryPointId = '1001'): Record<string, unknown> {
  return {
    entryPointConfiguration: { entryPoint: { id: entryPointId }, lastModified: { date: lastModifiedDate } },
    ...(activity ? { activity } : {}),
  };
}

let counter = 0;
/** A customer no earlier test has used. */
export function uniqueEmail(tag = 'c'): string {
  return `${tag}.${process.pid}.${Date.now()}.${counter++}@example.com`;
}

export function customerWithEmail(email: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { contacts: { contact: [{ firstName: 'Ada', lastName: 'Lovelace', email: [{ emailAddress: email }], ...extra }] } };
}
