/**
 * Pieces of the seeded fuzz e2e tests (start-conversation.fuzz, api.fuzz): a seeded generator,
 * documents written as JSON or XML with what a serializer would never write (a member twice,
 * numbers as written), and the mutations of a document, its headers and its bytes. A seed gives
 * the same cases whatever runs them: the generator is called in the same order.
 */

import { lastOutput, type RunningProcess } from './stack';

/** What is wrong with the answer to one case (nothing: an empty list), and the code it got. */
export interface CaseResult {
  problems: string[];
  code: string;
  /** The api exited: the cases after it would all go unanswered. */
  apiGone?: boolean;
}

/** A case no answer came to: why, and whether the api exited, with its last lines. */
export async function unanswered(api: RunningProcess, label: string, err: unknown): Promise<CaseResult> {
  const problems = [`${label}: no answer (${(err as Error).message}; ${(err as { cause?: Error }).cause?.message ?? ''})`];
  await new Promise((resolve) => setTimeout(resolve, 200));
  const apiGone = api.child.exitCode !== null || api.child.signalCode !== null;
  if (apiGone) problems.push(`the api exited (${api.child.exitCode ?? api.child.signalCode}); ${lastOutput(api, 15)}`);
  return { problems, code: 'no answer', apiGone };
}

export { generator } from './seeded-random';

/** A member written twice, in JSON as in XML: `node[DUPLICATE] = name`. */
export const DUPLICATE = Symbol('duplicate');
/** A JSON number written as given, digits JSON.parse cannot keep included. */
export class RawNumber {
  constructor(readonly text: string) {}
}

export type Doc = Record<string | symbol, unknown>;
/** Changes `target` in place and says how, for the case's label. */
export type Mutation<T> = (r: () => number, target: T) => string;
/** What document mutations change: the document. */
export interface DocumentTarget {
  doc: Doc;
}
/** What header mutations change: undefined leaves a header as the request has it, null sends none. */
export interface HeaderTarget {
  accept?: string;
  acceptLanguage?: string;
  contentType?: string | null;
}
/** What byte mutations change: changes applied once the body is written, or a text sent instead. */
export interface BytesTarget {
  bytes: ((body: Buffer) => Buffer)[];
  text?: string;
}

export function toJson(value: unknown): string {
  if (value instanceof RawNumber) return value.text;
  if (Array.isArray(value)) return `[${value.map(toJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const node = value as Doc;
    const members = Object.keys(node).map((k) => `${JSON.stringify(k)}:${toJson(node[k])}`);
    const twice = node[DUPLICATE] as string | undefined;
    if (twice !== undefined && twice in node) members.push(`${JSON.stringify(twice)}:${toJson(node[twice])}`);
    return `{${members.join(',')}}`;
  }
  // Lone surrogates are written as \ud800 escapes (well-formed JSON.stringify).
  return JSON.stringify(value);
}

/** XML text: markup escaped, and what UTF-8 cannot carry (a lone surrogate) as a character reference. */
export function xmlText(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, (c) => `&#x${c.charCodeAt(0).toString(16)};`);
}

export function toXmlElement(name: string, value: unknown): string {
  if (Array.isArray(value)) return value.map((v) => toXmlElement(name, v)).join('');
  if (value === null) return `<${name} xsi:nil="true" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>`;
  if (value instanceof RawNumber) return `<${name}>${value.text}</${name}>`;
  if (typeof value === 'object') {
    const node = value as Doc;
    let children = Object.keys(node).map((k) => toXmlElement(k, node[k])).join('');
    const twice = node[DUPLICATE] as string | undefined;
    if (twice !== undefined && twice in node) children += toXmlElement(twice, node[twice]);
    return `<${name}>${children}</${name}>`;
  }
  return `<${name}>${xmlText(String(value))}</${name}>`;
}

/** Accept values and the type the answer must have (undefined: refused, 406-102 in JSON). */
export const ACCEPTS: [string | undefined, string | undefined][] = [
  [undefined, 'application/json'],
  ['application/json', 'application/json'],
  ['application/xml', 'application/xml'],
  ['text/xml', 'text/xml'],
  ['*/*', 'application/json'],
  ['application/*', 'application/json'],
  ['text/*', 'text/xml'],
  ['', 'application/json'],
  [' , ', 'application/json'],
  ['application/xml;q=0.9, application/json', 'application/json'],
  ['application/json;q=0.1, text/xml', 'text/xml'],
  ['application/json; charset=utf-8', 'application/json'],
  ['text/html', undefined],
  ['application/soap+xml', undefined],
  ['application/problem+json', undefined],
  ['application/json; charset=iso-8859-1', undefined],
  ['application/json;q=0, application/xml;q=0', undefined],
  ['application/json, application/xml;q=2', undefined],
  ['*/xml', undefined],
];

/** Accept-Language values and whether they are refused (406-101). */
export const LANGUAGES: [string | undefined, boolean][] = [
  [undefined, false], ['fr', false], ['de-AT', false], ['es;q=0.5, fr', false], ['*', false], ['', false], ['zh, *', false],
  ['*, en;q=0', false], ['EN-gb', false], ['it', true], ['en;q=2', true], ['en_US', true], ['fr;q=0', true], ['en;level=1', true],
];

export const CONTENT_TYPES: (string | null)[] = [
  null, 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=iso-8859-1', 'application/json; charset=UTF-8',
  'APPLICATION/JSON', 'application/json;charset="utf-8"', 'application/xml', 'text/xml; charset=utf8', 'text/xml', 'application/problem+json',
  'multipart/form-data', 'multipart/form-data; boundary=other', 'application/json;;', 'application/json; charset=utf-16', 'application/octet-stream',
  '', 'application/json, application/xml', 'text/xml; charset=UTF-8',
];

export const NAMES = ['unknown', 'id', 'value', 'date', 'subject', 'customer', 'case', 'contact', 'email', 'activity', '__proto__', 'constructor', 'toString', 'Subject', 'a:b', 'x y', '', 'é', '\u202e'];

/** Code points at the 255 boundary: 4-byte characters, a variation selector, a combining mark. */
export const STRINGS: string[] = [
  '', ' ', '\t', 'x', 'x'.repeat(256), 'x'.repeat(5000), 'x'.repeat(70000),
  '\ud800', 'a\udc00b', '\uffff', '\ufffe', '\u0000', 'a\u0000b', '\u001b[31m', '\u0085', '\u2028', '\u200f\u05e9\u05dc\u05d5\u05dd', '\u202eevil',
  '😀'.repeat(255), '😀'.repeat(256), `${'a'.repeat(254)}😀`, `${'a'.repeat(255)}😀`, `${'a'.repeat(254)}❤️`, 'e\u0301'.repeat(128),
  '<b>x</b>', 'a < b', ']]>', '&amp;', '&nbsp;', '\r\n', '{"a":1}', '1001', '01001', '-1', '9'.repeat(20), 'true', 'yes',
  '2026-02-30T10:00:00Z', '2026-01-05T10:00:00.000+01:00', '@ada', 'a@b', `${'a'.repeat(65)}@example.com`, '+', 'ß@EXAMPLE.com', 'İ'.repeat(200),
];

export const VALUES: unknown[] = [
  0, -1, 1.5, 1001, new RawNumber('1e21'), new RawNumber('9007199254740993'), new RawNumber('-0'), true, false, null,
  [], ['x'], [{}], [null], {}, { value: 'x' }, { id: '1001' }, { date: 'x' }, [[[]]],
];

/** A deep copy that keeps RawNumber (structuredClone would make it a plain object). */
export function copy<T>(value: T): T {
  if (value === null || typeof value !== 'object' || value instanceof RawNumber) return value;
  if (Array.isArray(value)) return value.map(copy) as T;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, copy(v)])) as T;
}

export function pick<T>(r: () => number, list: readonly T[]): T {
  return list[Math.floor(r() * list.length)];
}

/** Every object and array of the document with its path. */
export function nodes(value: unknown, path = '', out: { node: Doc | unknown[]; path: string }[] = []): { node: Doc | unknown[]; path: string }[] {
  if (value === null || typeof value !== 'object' || value instanceof RawNumber) return out;
  out.push({ node: value as Doc, path: path || '(root)' });
  for (const [k, v] of Object.entries(value)) nodes(v, path ? `${path}.${k}` : k, out);
  return out;
}

/** A member (or element) of the document, and a name for the case's description. */
export function member(r: () => number, doc: Doc): { node: Doc | unknown[]; key: string; path: string } | undefined {
  const candidates = nodes(doc).filter(({ node }) => Object.keys(node).length > 0);
  if (candidates.length === 0) return undefined;
  const { node, path } = pick(r, candidates);
  const key = pick(r, Object.keys(node));
  return { node, key, path: `${path}.${key}` };
}

/** An own member, even one named __proto__ (an assignment would set the prototype). */
export function setAt(node: Doc | unknown[], key: string, value: unknown): void {
  Object.defineProperty(node, key, { value, enumerable: true, writable: true, configurable: true });
}

export function nest(depth: number, inner: unknown, asArray: boolean): unknown {
  let value = inner;
  for (let i = 0; i < depth; i++) value = asArray ? [value] : { a: value };
  return value;
}

export function strings(value: unknown, path = '', out: { node: Doc | unknown[]; key: string; path: string }[] = []): typeof out {
  if (value === null || typeof value !== 'object') return out;
  for (const [k, v] of Object.entries(value)) {
    const p = path ? `${path}.${k}` : k;
    if (typeof v === 'string') out.push({ node: value as Doc, key: k, path: p });
    else strings(v, p, out);
  }
  return out;
}

export const DOCUMENT_MUTATIONS: Mutation<DocumentTarget>[] = [
  function drop(r, req) {
    const m = member(r, req.doc);
    if (!m) return 'drop: nothing';
    if (Array.isArray(m.node)) m.node.splice(Number(m.key), 1);
    else delete m.node[m.key];
    return `drop ${m.path}`;
  },
  function duplicate(r, req) {
    const m = member(r, req.doc);
    if (!m) return 'duplicate: nothing';
    if (Array.isArray(m.node)) m.node.push(copy(m.node[Number(m.key)]));
    else m.node[DUPLICATE] = m.key;
    return `duplicate ${m.path}`;
  },
  function rename(r, req) {
    const m = member(r, req.doc);
    if (!m || Array.isArray(m.node)) return 'rename: nothing';
    const name = pick(r, NAMES);
    const value = m.node[m.key];
    delete m.node[m.key];
    setAt(m.node, name, value);
    return `rename ${m.path} to ${JSON.stringify(name)}`;
  },
  function wrongType(r, req) {
    const m = member(r, req.doc);
    if (!m) return 'wrong type: nothing';
    const was = m.node[m.key as never];
    // A string where an object or array stood, or anything else where a string stood.
    const value = typeof was === 'object' && r() < 0.4 ? pick(r, STRINGS.slice(0, 20)) : copy(pick(r, VALUES));
    setAt(m.node, m.key, value);
    return `set ${m.path} to ${toJson(value).slice(0, 40)}`;
  },
  function edgeString(r, req) {
    const all = strings(req.doc);
    if (all.length === 0) return 'string: none';
    const m = pick(r, all);
    const value = pick(r, STRINGS);
    setAt(m.node, m.key, value);
    return `set ${m.path} to ${JSON.stringify(value.slice(0, 12))}… (${[...value].length} code points)`;
  },
  function deepNesting(r, req) {
    const m = member(r, req.doc);
    if (!m) return 'nest: nothing';
    const depth = pick(r, [5, 30, 33, 40, 500]);
    const asArray = r() < 0.5;
    setAt(m.node, m.key, nest(depth, m.node[m.key as never], asArray));
    return `nest ${m.path} ${depth} ${asArray ? 'arrays' : 'objects'} deep`;
  },
  function addMember(r, req) {
    const candidates = nodes(req.doc).filter(({ node }) => !Array.isArray(node));
    const { node, path } = pick(r, candidates);
    const name = pick(r, NAMES);
    const value = copy(pick(r, [...VALUES, 'x']));
    setAt(node, name, value);
    return `add ${path}.${name} = ${toJson(value).slice(0, 40)}`;
  },
  function growList(r, req) {
    const lists = nodes(req.doc).filter(({ node }) => Array.isArray(node) && node.length > 0) as { node: unknown[]; path: string }[];
    if (lists.length === 0) return 'grow: no list';
    const { node, path } = pick(r, lists);
    const size = pick(r, [0, 2, 20, 101]);
    const first = node[0];
    node.length = 0;
    for (let i = 0; i < size; i++) node.push(copy(first));
    return `grow ${path} to ${size}`;
  },
];

export const HEADER_MUTATIONS: Mutation<HeaderTarget>[] = [
  function accept(r, req) {
    req.accept = pick(r, ACCEPTS)[0];
    return `Accept ${JSON.stringify(req.accept)}`;
  },
  function acceptLanguage(r, req) {
    req.acceptLanguage = pick(r, LANGUAGES)[0];
    return `Accept-Language ${JSON.stringify(req.acceptLanguage)}`;
  },
  function contentType(r, req) {
    req.contentType = pick(r, CONTENT_TYPES);
    return `Content-Type ${JSON.stringify(req.contentType)}`;
  },
];

export const BYTE_MUTATIONS: Mutation<BytesTarget>[] = [
  function truncate(r, req) {
    const share = r();
    req.bytes.push((b) => b.subarray(0, Math.floor(b.length * share)));
    return `truncated to ${Math.round(share * 100)}%`;
  },
  function invalidUtf8(r, req) {
    const bad = pick(r, [[0xff], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82], [0x00]]);
    const share = r();
    req.bytes.push((b) => {
      const at = Math.floor(b.length * share);
      return Buffer.concat([b.subarray(0, at), Buffer.from(bad), b.subarray(at)]);
    });
    return `bytes ${bad.map((x) => x.toString(16)).join(' ')} at ${Math.round(share * 100)}%`;
  },
  function prefix(r, req) {
    const text = pick(r, ['\ufeff', ' \n', '<!DOCTYPE conversation>', '<?xml version="1.0" encoding="ISO-8859-1"?>', '<!-- c -->', 'x', '\ufeff\ufeff']);
    req.bytes.push((b) => Buffer.concat([Buffer.from(text), b]));
    return `prefixed ${JSON.stringify(text)}`;
  },
  function suffix(r, req) {
    const text = pick(r, ['}', ' ', 'x', '<a/>', '\u0000', '<!--', '{}']);
    req.bytes.push((b) => Buffer.concat([b, Buffer.from(text)]));
    return `followed by ${JSON.stringify(text)}`;
  },
  function replaceBody(r, req) {
    req.text = pick(r, ['', 'null', '{}', '[]', '"x"', '<conversation/>', '<WSError/>', '{"a":', 'x'.repeat(66000), '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]']);
    return `body ${JSON.stringify(req.text.slice(0, 20))}`;
  },
];
