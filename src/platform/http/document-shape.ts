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
 * Elements and attributes together beyond which an XML document is refused before it is parsed:
 * the parser's cost per element or attribute (about 4 µs, which a 64 KiB body of `<a/>`
 * multiplies 16000 times) is not spent. The longest lists of most routes, 1000 items, need about
 * as many, or twice with an `id` attribute each. A start's lists are not bounded by the contract,
 * and at this implementation's maxima (custom attributes of 50 values) a start may hold more,
 * about 5300 within 64 KiB: such a start is refused in XML and not in JSON
 * (docs/start-conversation.md, Body).
 */
export const MAX_XML_NODES = 4096;

// An attribute's `=` and opening quote. Counted over the whole text, so that an `="` in text
// counts too: that only makes the bound stricter for a document no client sends.
const ATTRIBUTE_START = /=[ \t\r\n]*["']/g;

/**
 * Counts element nesting, elements and attributes in raw XML so that a deeply nested document,
 * or one of more elements and attributes than any request holds, is refused before it is parsed.
 */
export function checkXmlDepth(xml: string): void {
  let nodes = xml.includes('=') ? (xml.match(ATTRIBUTE_START)?.length ?? 0) : 0;
  if (nodes > MAX_XML_NODES) throw tooManyNodes();
  let depth = 0;
  for (const tag of xmlTags(xml)) {
    if (tag.closing) depth--;
    else if (++nodes > MAX_XML_NODES) throw tooManyNodes();
    else if (!tag.selfClosing && ++depth > MAX_DOCUMENT_DEPTH + 1) {
      throw new AppError('BodyInvalid', `XML nested deeper than ${MAX_DOCUMENT_DEPTH} levels`, '(body)', { field: '(body)' });
    }
  }
}

function tooManyNodes(): AppError {
  return new AppError('BodyInvalid', `XML holding more than ${MAX_XML_NODES} elements and attributes`, '(body)', { field: '(body)' });
}
