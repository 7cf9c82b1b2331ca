import { AppError } from '../errors/app-error';
import { echoedPath } from '../errors/echoed-value';
import { isAsciiLetter } from '../text/character-classes';

/** No request document of this API family nests deeper than this; deeper ones are refused before any mapping. */
export const MAX_DOCUMENT_DEPTH = 32;

/**
 * Walks a parsed document without recursion and refuses documents nested deeper than
 * MAX_DOCUMENT_DEPTH, naming the path where the limit was passed. (A JSON null is taken
 * as an absent member by validateBody.) The walk keeps member names, not paths: a node's
 * ancestors are the last nodes taken at each lesser depth, so `names` holds its path, which is
 * joined only for a refusal (building one per node cost about 4 µs a start).
 */
export function checkDocumentShape(document: unknown): void {
  if (document === null || typeof document !== 'object') return;
  const values: object[] = [document];
  const keys: string[] = [''];
  const depths: number[] = [0];
  const names: string[] = [];
  while (values.length > 0) {
    const value = values.pop()!;
    const key = keys.pop()!;
    const depth = depths.pop()!;
    if (depth > 0) names[depth - 1] = key;
    if (depth >= MAX_DOCUMENT_DEPTH) {
      const field = echoedPath(joinedPath(names, depth));
      throw new AppError('BodyInvalid', `document nested deeper than ${MAX_DOCUMENT_DEPTH} levels`, field, { field });
    }
    const record = value as Record<string, unknown>;
    for (const name of Object.keys(record)) {
      const child = record[name];
      if (child === null || typeof child !== 'object') continue;
      values.push(child);
      keys.push(name);
      depths.push(depth + 1);
    }
  }
}

/** The first `depth` names as a dotted path; an empty name at the start is left out, not followed by a dot. */
function joinedPath(names: readonly string[], depth: number): string {
  let path = '';
  for (let i = 0; i < depth; i++) path = path ? `${path}.${names[i]}` : names[i];
  return path;
}

/** Member names that could reach an object's prototype: refused in every request document. */
export const FORBIDDEN_MEMBER_NAMES: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** The refusal of a member at `path` (or the bare name where the path is not known). */
export function forbiddenMemberName(path: string): AppError {
  const field = echoedPath(path);
  return new AppError('BodyInvalid', `${field}: this name is not allowed`, field, { field });
}

// Only unpaired surrogates are of category Cs in a u-flag regex; a pair is one code point.
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Refuses a document holding a lone surrogate in any member name or string value. JSON
 * (`"\ud800"`) can spell one although no UTF-8 text can carry it, and nothing behind the
 * HTTP layer (the database's JSON and text columns, webhooks) can store or send it.
 * Walks without recursion.
 */
export function checkDocumentText(document: unknown): void {
  const stack: unknown[] = [document];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value === 'string') {
      if (LONE_SURROGATE.test(value)) throw loneSurrogate();
    } else if (Array.isArray(value)) {
      for (const item of value) stack.push(item);
    } else if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        if (LONE_SURROGATE.test(key)) throw loneSurrogate();
        stack.push(child);
      }
    }
  }
}

function loneSurrogate(): AppError {
  return new AppError('BodyMalformed', 'request body holds a lone surrogate (U+D800..U+DFFF), which UTF-8 cannot encode');
}

/** A tag as the depth check reads one: an end tag, or a start tag that closes itself or not. */
export interface XmlTag {
  closing: boolean;
  selfClosing: boolean;
}

/**
 * The tags of raw XML, left to right: `<` or `</` then a name's first letter (or `_`), up to the
 * first `>` after it; a `/` just before that `>` closes the element. Read by one scan rather than
 * a regular expression: each `<` would be tried up to the end of the text, and a pattern reading
 * the name and the rest of the tag as two runs of overlapping characters backtracks through every
 * split of them, so `<a` repeated over a body took hours.
 */
export function* xmlTags(xml: string): Generator<XmlTag> {
  let at = xml.indexOf('<');
  while (at >= 0) {
    const closing = xml[at + 1] === '/';
    const name = closing ? at + 2 : at + 1;
    if (!isTagNameStart(xml.charCodeAt(name))) {
      at = xml.indexOf('<', at + 1);
      continue;
    }
    const end = xml.indexOf('>', name + 1);
    // Without a `>` after it no `<` opens a tag, this one or any later one.
    if (end < 0) return;
    yield { closing, selfClosing: xml[end - 1] === '/' };
    at = xml.indexOf('<', end + 1);
  }
}

/** A-Z, a-z or `_`. */
function isTagNameStart(code: number): boolean {
  return isAsciiLetter(code) || code === 0x5f;
}

/**
 * The fewest bytes a valid request spends on one element or attribute, so that a body of
 * BODY_LIMIT_BYTES holds at most BODY_LIMIT_BYTES / MIN_XML_NODE_BYTES of them. The densest
 * valid form is an attribute in a foreign namespace, which every element may carry and the codec
 * drops: ` x:a=""`, 7 bytes (53 one-letter names an element; two-letter ones take 8). A member
 * of a request class takes more: `<id>1</id>` or ` id="1"`, `<attribValue value="a"/>` 12 bytes
 * a node; the one shorter element, `<url/>` (6), comes once, inside a root of more than 7 a
 * node. The spec builds the densest valid documents and fails if this is above what they need.
 */
export const MIN_XML_NODE_BYTES = 7;

/**
 * Elements and attributes together beyond which an XML document read under a body limit of
 * `limitBytes` is refused before it is parsed. The parser's cost per element or attribute
 * (2–4 µs) is then spent only on documents no denser than a valid request can be, never on one of
 * tiny nodes (a 64 KiB body of `<a/>` holds 16 000), and no valid request that fits in the limit
 * is refused, whatever the limit (docs/start-conversation.md, Body).
 */
export function xmlNodeBound(limitBytes: number): number {
  return Math.floor(limitBytes / MIN_XML_NODE_BYTES);
}

// The first character that ends a start tag or opens an attribute's value.
const TAG_END_OR_QUOTE = /[>"']/g;

/**
 * The elements and attributes of raw XML as the parser will read them, counted up to `max` + 1:
 * a start tag is an element, each quoted value inside it an attribute. Comments, CDATA sections
 * and processing instructions are skipped whole, and text is not looked at, so that markup or
 * an `a="b"` written in text (a custom attribute's value may hold `=` and quotes) counts for
 * nothing; a `>` inside a quoted value does not end the tag. Where a comment, section, value or
 * tag is left open the count stops: the document is not well-formed and is refused by the
 * validator, which does not build nodes.
 */
export function xmlNodeCount(xml: string, max: number): number {
  let nodes = 0;
  let at = xml.indexOf('<');
  while (at >= 0 && nodes <= max) {
    let end: number;
    if (xml.startsWith('!--', at + 1)) end = endOf(xml, '-->', at + 4);
    else if (xml.startsWith('![CDATA[', at + 1)) end = endOf(xml, ']]>', at + 9);
    else if (xml[at + 1] === '?') end = endOf(xml, '?>', at + 2);
    else if (xml[at + 1] !== '/' && xml[at + 1] !== '!') {
      // Outside those, a well-formed document has no `<` but markup: a start tag, whatever
      // its name's first character (`<é/>` too), unless it is an end tag or a declaration.
      nodes++;
      TAG_END_OR_QUOTE.lastIndex = at + 2;
      for (;;) {
        const found = TAG_END_OR_QUOTE.exec(xml);
        if (found === null) return nodes;
        if (found[0] === '>') {
          end = found.index + 1;
          break;
        }
        nodes++;
        const close = xml.indexOf(found[0], found.index + 1);
        if (close < 0) return nodes;
        TAG_END_OR_QUOTE.lastIndex = close + 1;
      }
    } else end = at + 1;
    if (end < 0) return nodes;
    at = xml.indexOf('<', end);
  }
  return nodes;
}

/** The index just past the first `terminator` at or after `from`, or -1. */
function endOf(xml: string, terminator: string, from: number): number {
  const found = xml.indexOf(terminator, from);
  return found < 0 ? -1 : found + terminator.length;
}

/**
 * Refuses raw XML nested deeper than MAX_DOCUMENT_DEPTH, or holding more elements and attributes
 * than a valid request read under a body limit of `limitBytes` can, before it is parsed. Text
 * the api wrote itself needs no limit.
 */
export function checkXmlDepth(xml: string, limitBytes = Number.POSITIVE_INFINITY): void {
  const maxNodes = xmlNodeBound(limitBytes);
  if (xmlNodeCount(xml, maxNodes) > maxNodes) {
    throw new AppError('BodyInvalid', `XML holding more elements and attributes than a request of ${limitBytes} bytes can (one per ${MIN_XML_NODE_BYTES} bytes)`, '(body)', { field: '(body)' });
  }
  let depth = 0;
  for (const tag of xmlTags(xml)) {
    if (tag.closing) depth--;
    else if (!tag.selfClosing && ++depth > MAX_DOCUMENT_DEPTH + 1) {
      throw new AppError('BodyInvalid', `XML nested deeper than ${MAX_DOCUMENT_DEPTH} levels`, '(body)', { field: '(body)' });
    }
  }
}
