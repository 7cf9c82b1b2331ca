import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import { AppError } from '../errors/app-error';
import { echoed } from '../errors/echoed-value';
import { xmlSyntaxErrorMessage } from '../errors/syntax-error-message';
import { FORBIDDEN_MEMBER_NAMES, checkXmlDepth, forbiddenMemberName } from './document-shape';
import {
  NOT_XML_CHAR,
  checkDeclaration,
  outsideRoot,
  refuseCharactersXmlForbids,
  refuseContentAfterSelfClosingRoot,
  refuseDeclaredEncoding,
} from './xml-document-checks';
import { markupOf } from './xml-markup';
import { isQualifiedName, refuseUnqualifiedNames } from './xml-qualified-names';

/**
 * The JSON <-> XML mapping of this API family: child elements mirror JSON names,
 * a JSON array is the same element repeated, an `id` may be an attribute or a child.
 * These element names are always arrays, even when they occur once.
 */
export const XML_ARRAY_ELEMENTS: ReadonlySet<string> = new Set([
  'contact', 'email', 'phone', 'social', 'customAttribute', 'attribValue', 'link', 'message',
]);

/**
 * Elements that hold one list and nothing else (`{"contacts": {"contact": [...]}}`): empty, they
 * are the empty list, as JSON writes it (`{"customAttribute": []}`) and as an XML writer writes
 * that (`<customAttributes/>`), not an empty text where an object is expected.
 */
export const XML_LIST_CONTAINERS: Readonly<Record<string, string>> = {
  contacts: 'contact', customAttributes: 'customAttribute', attribValues: 'attribValue',
};

const FORBIDDEN = /<!(?:DOCTYPE|ENTITY|ELEMENT|ATTLIST|NOTATION)/i;
const ATTRIBUTE = '@_';
const TEXT = '#text';
const LAYOUT = /^[ \t\r\n]*$/;
// The target of an XML declaration, which may only open the document.
const XML_DECLARATION = /^xml(?:[ \t\r\n]|$)/i;
// A reference, or a bare `&` (no name and `;` after it), which is not well-formed.
const REFERENCE = /&(?:(#x[0-9A-Fa-f]+|#[0-9]+|[^;&\s]+);)?/g;
const CHARACTER_REFERENCE = /^#(?:x[0-9A-Fa-f]+|[0-9]+)$/;
// XML 1.0, 3.3.3: a white space character in an attribute value (a line break as CR LF, CR or
// LF) is read as a space; one sent as a character reference (`&#10;`) stays what it is.
const ATTRIBUTE_WHITESPACE = /\r\n|[\t\n\r]/g;
// xsi:nil="true" marks an element as null, the XML form of a JSON null.
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
// The parser keeps elements and attributes as members of plain objects: besides the names
// refused in every document it refuses (as a plain Error, a 500) or renames (`toString` to
// `__toString`) the names of Object.prototype's members, so those reach it marked instead
// (REFUSED_MARK + the local name, harmless as a member name) and are refused by toPlain
// under the name the client sent, with their path as in JSON.
const REFUSED_NAMES: ReadonlySet<string> = new Set([...FORBIDDEN_MEMBER_NAMES, ...Object.getOwnPropertyNames(Object.prototype)]);
const REFUSED_MARK = '\u0000refused\u0000';

// Entities are decoded by `decodeReferences` below, not by the parser: with no DTD there
// are only the five predefined ones and character references, anything else is refused.
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: ATTRIBUTE,
  // Prefixes are resolved by toPlain, which needs them to tell foreign attributes apart.
  removeNSPrefix: false,
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: false,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // Text is kept as sent, as a JSON string would be; the whitespace that indents elements
  // (text beside child elements) is dropped by toPlain.
  trimValues: false,
  transformTagName: (name: string) => allowedName(name),
  transformAttributeName: (name: string) => ATTRIBUTE + allowedName(name.slice(ATTRIBUTE.length)),
  onDangerousProperty: (name: string) => {
    throw forbiddenMemberName(name);
  },
  // A root element is never an array, even when its name is (a document of one `message`).
  isArray: (name: string, jPath: unknown) => XML_ARRAY_ELEMENTS.has(localName(name)) && String(jPath).includes('.'),
});

const builder = new XMLBuilder({ ignoreAttributes: true, suppressEmptyNode: false, format: false });

export interface ParsedXml { root: string; content: unknown }

/**
 * `limitBytes` is the body limit the text was read under, which bounds how many elements and
 * attributes it may hold (xmlNodeBound); text the api wrote itself needs none.
 */
export function parseXml(text: string, limitBytes = Number.POSITIVE_INFINITY): ParsedXml {
  if (FORBIDDEN.test(text)) {
    throw new AppError('XmlForbiddenConstruct', 'XML with a DOCTYPE or entity declaration is refused');
  }
  checkXmlDepth(text, limitBytes);
  refuseCharactersXmlForbids(text);
  checkDeclaration(text);
  refuseDeclaredEncoding(text);
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new AppError('BodyMalformed', `XML is not well-formed: ${xmlSyntaxErrorMessage(valid.err)}`);
  }
  refuseContentAfterSelfClosingRoot(text);
  const source = /<!\[CDATA\[|\]\]>|[\s\S]<\?xml/i.test(text) ? readMarkup(text) : text;
  const doc = parse(source);
  refuseUnqualifiedNames(doc, ATTRIBUTE, TEXT);
  // Beside a processing instruction, the parser keeps the line breaks between the document's
  // top-level markup as text of the document itself: layout, as inside elements. Any other text
  // there is outside the root element, which XML does not allow.
  if (Object.hasOwn(doc, TEXT)) {
    if (typeof doc[TEXT] !== 'string' || !LAYOUT.test(doc[TEXT])) throw new AppError('BodyMalformed', 'XML is not well-formed: text outside the root element');
    delete doc[TEXT];
  }
  const roots = Object.keys(doc);
  if (roots.length !== 1 || Array.isArray(doc[roots[0]])) throw new AppError('BodyMalformed', 'XML document must have exactly one root element');
  if (roots[0].startsWith(REFUSED_MARK)) throw forbiddenMemberName(roots[0].slice(REFUSED_MARK.length));
  const content = toPlain(doc[roots[0]], roots[0], NO_NAMESPACES, '');
  // A root holding only whitespace (besides dropped attributes) is as empty as `<conversation/>`.
  return { root: localName(roots[0]), content: typeof content === 'string' && LAYOUT.test(content) ? '' : content };
}

/**
 * The parser's reading of a document the validator passed. The validator does not look past a
 * root element that closes itself (`<c/><!--`), nor at a processing instruction after the root
 * (`<c></c><?pi`), so markup left open there reaches the parser, which throws a plain Error: a
 * document that is not well-formed, not a fault of the api. Its message quotes the text around
 * the fault, which a client's answer never repeats (a password may be in it).
 */
function parse(source: string): Record<string, unknown> {
  try {
    return parser.parse(source) as Record<string, unknown>;
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError('BodyMalformed', 'XML is not well-formed: a comment, CDATA section, processing instruction or declaration that is not closed');
  }
}

/**
 * CDATA content is literal text: it is escaped, so that one decoding pass serves all text. What
 * the validator lets through though XML does not allow it is refused: an XML declaration
 * after the start of the document, a "]]>" in text.
 */
function readMarkup(text: string): string {
  // How many elements are open: a CDATA section outside the root element is text where XML allows none.
  let depth = 0;
  let read = '';
  let at = 0;
  // A CDATA section, or what may hold the text "<![CDATA[" without being one: a comment, a
  // processing instruction, a tag (its quoted attribute values included); and, outside all of
  // them, a "]]>", which XML allows in text only as "]]&gt;". The document has passed the
  // validator when this runs, so these are read left to right as a parser would.
  for (const { start, end, instruction, content } of markupOf(text)) {
    const markup = text.slice(start, end);
    read += text.slice(at, start);
    at = end;
    if (content !== undefined) {
      if (depth === 0) throw outsideRoot();
      read += escapeText(content);
      continue;
    }
    if (markup === ']]>') throw new AppError('BodyMalformed', 'XML is not well-formed: "]]>" in text (write it as ]]&gt;)');
    if (instruction !== undefined && start !== 0 && XML_DECLARATION.test(instruction)) {
      throw new AppError('BodyMalformed', 'XML is not well-formed: an XML declaration after the start of the document');
    }
    if (instruction === undefined && !markup.startsWith('<!--')) {
      if (markup.startsWith('</')) depth--;
      else if (!markup.endsWith('/>')) depth++;
    }
    read += markup;
  }
  return read + text.slice(at);
}

type Namespaces = Readonly<Record<string, string>>;
const NO_NAMESPACES: Namespaces = {};

// A name that is not a qualified name is left as sent, for refuseUnqualifiedNames to refuse.
function allowedName(name: string): string {
  return isQualifiedName(name) && REFUSED_NAMES.has(localName(name)) ? REFUSED_MARK + localName(name) : name;
}

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

/** The namespace a prefixed name is in; an undeclared prefix stands for a namespace of its own. */
function namespaceOf(name: string, scope: Namespaces, unprefixed: string | undefined): string | undefined {
  const colon = name.indexOf(':');
  if (colon < 0) return unprefixed;
  const prefix = name.slice(0, colon);
  return prefix === 'xml' ? 'http://www.w3.org/XML/1998/namespace' : (scope[prefix] ?? `(undeclared prefix ${prefix})`);
}

/**
 * The content of element `name`: child elements and attributes become ordinary members by
 * their local names, references are decoded. Namespaces are ignored, except that an
 * attribute in a namespace other than its element's (`xsi:schemaLocation`, `xml:lang`, and
 * the `xmlns` declarations themselves) is not part of the document and is dropped.
 * Whitespace-only text beside child elements is layout (pretty-printing), not content;
 * other text there stays, as a `#text` member no request knows.
 * `path` is the element's path below the root, as the JSON form's members are named in errors
 * (`activity.customer.contacts.contact.0.externalId`), so a fault names the member it is in.
 */
function toPlain(value: unknown, name: string, inherited: Namespaces, path: string): unknown {
  if (typeof value === 'string') return decodeReferences(value);
  if (Array.isArray(value)) return value.map((item, i) => toPlain(item, name, inherited, `${path}.${i}`));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  let scope = inherited;
  for (const [key, child] of entries) {
    if (key === `${ATTRIBUTE}xmlns` || key.startsWith(`${ATTRIBUTE}xmlns:`)) {
      if (scope === inherited) scope = { ...inherited };
      (scope as Record<string, string>)[key.slice(ATTRIBUTE.length + 6)] = attributeValue(String(child));
    }
  }
  const out: Record<string, unknown> = {};
  let layout: string | undefined;
  for (const [key, child] of entries) {
    if (key.startsWith(ATTRIBUTE)) continue;
    if (key === TEXT && typeof child === 'string' && LAYOUT.test(child)) {
      layout = child;
      continue;
    }
    const member = localName(key);
    const field = pathOf(path, member);
    if (member.startsWith(REFUSED_MARK)) throw forbiddenMemberName(pathOf(path, member.slice(REFUSED_MARK.length)));
    if (Object.hasOwn(out, member)) throw new AppError('BodyInvalid', `${field} is given more than once`, field, { field });
    const content = toPlain(child, key, scope, field);
    const item = Object.hasOwn(XML_LIST_CONTAINERS, member) ? XML_LIST_CONTAINERS[member] : undefined;
    out[member] = item !== undefined && typeof content === 'string' && LAYOUT.test(content) ? { [item]: [] } : content;
  }
  const elementNamespace = namespaceOf(name, scope, scope['']);
  let nil = false;
  for (const [key, child] of entries) {
    if (!key.startsWith(ATTRIBUTE)) continue;
    const attribute = key.slice(ATTRIBUTE.length);
    // Every attribute must be well-formed, the dropped ones included.
    const value = attributeValue(String(child));
    if (attribute === 'xmlns' || attribute.startsWith('xmlns:')) continue;
    // An unprefixed attribute belongs to its element; a prefixed one only if in the element's namespace.
    if (attribute.includes(':') && namespaceOf(attribute, scope, undefined) !== elementNamespace) {
      if (localName(attribute) === 'nil' && namespaceOf(attribute, scope, undefined) === XSI && (value === 'true' || value === '1')) nil = true;
      continue;
    }
    const member = localName(attribute);
    const field = pathOf(path, member);
    if (member.startsWith(REFUSED_MARK)) throw forbiddenMemberName(pathOf(path, member.slice(REFUSED_MARK.length)));
    if (Object.hasOwn(out, member)) throw new AppError('BodyInvalid', `${field} is given both as an attribute and as an element`, field, { field });
    out[member] = value;
  }
  const members = Object.keys(out);
  if (nil) {
    // XML Schema (Part 1, 3.3.4) allows a nilled element no character children, white space
    // included: `<url xsi:nil="true"> </url>` is as contradictory as one holding text.
    const field = path || localName(name);
    if (members.length > 0 || layout !== undefined) throw new AppError('BodyInvalid', `${field} is marked xsi:nil but has content`, field, { field });
    return null;
  }
  // Without the attributes dropped above, the element is what it would have been without
  // them: its text (`<subject xml:lang="en">Hi</subject>` is "Hi"), or empty text, whitespace kept.
  if (members.length === 0) return layout ?? '';
  if (members.length === 1 && members[0] === TEXT && typeof out[TEXT] === 'string') return out[TEXT];
  return out;
}

/** A member's path for an error: each name cut as echoed names are, since they are the caller's. */
function pathOf(parent: string, member: string): string {
  return parent ? `${parent}.${echoed(member)}` : echoed(member);
}

/**
 * An attribute's value as XML reads it. The validator checks its quotes only, so a `<` or a
 * bare `&` in it, which XML does not allow there, is refused here.
 */
function attributeValue(raw: string): string {
  if (raw.includes('<')) throw new AppError('BodyMalformed', 'XML is not well-formed: an attribute value holding "<"');
  return decodeReferences(raw.replace(ATTRIBUTE_WHITESPACE, ' '));
}

function decodeReferences(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(REFERENCE, (_m, name: string | undefined) => {
    if (name === undefined) throw new AppError('BodyMalformed', 'XML is not well-formed: a "&" that starts no reference (write it as &amp;)');
    if (name[0] !== '#') {
      const predefined = PREDEFINED[name];
      if (predefined === undefined) throw new AppError('BodyMalformed', 'XML is not well-formed: a reference to an entity XML does not predefine (only lt, gt, amp, quot, apos)');
      return predefined;
    }
    // XML 1.0, 4.1: `&#` digits `;` or `&#x` hex digits `;`, nothing else (no sign, no `X`, no
    // trailing letters, which parseInt would skip, nor an empty number).
    if (!CHARACTER_REFERENCE.test(name)) throw new AppError('BodyMalformed', 'XML is not well-formed: a malformed character reference (&#digits; or &#xhex;)');
    const code = name[1] === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    const char = code <= 0x10ffff ? String.fromCodePoint(code) : '';
    if (char === '' || (code >= 0xd800 && code <= 0xdfff) || char.replace(NOT_XML_CHAR, '') === '') {
      throw new AppError('BodyMalformed', 'XML is not well-formed: a character reference to a character XML does not allow');
    }
    return char;
  });
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Serializes `{ root: {...} }` as `<root>...</root>`; arrays become repeated elements.
 * Text is escaped; characters XML cannot carry (e.g. control characters echoed from a
 * request in an error message) become U+FFFD so the document stays well-formed.
 */
export function toXml(rootName: string, content: unknown): string {
  const xml = '<?xml version="1.0" encoding="UTF-8"?>' + builder.build({ [rootName]: content ?? '' });
  // Every CR of the output is text (the builder writes no line breaks of its own); as a
  // reference it survives the line-end normalization of XML readers (XML 1.0, 2.11).
  return xml.replace(NOT_XML_CHAR, '\uFFFD').replace(/\r/g, '&#13;');
}
