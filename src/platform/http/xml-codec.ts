import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import { AppError } from '../errors/app-error';
import { checkXmlDepth } from './document-shape';

/**
 * The JSON <-> XML mapping of this API family: child elements mirror JSON names,
 * a JSON array is the same element repeated, an `id` may be an attribute or a child.
 * These element names are always arrays, even when they occur once.
 */
export const XML_ARRAY_ELEMENTS: ReadonlySet<string> = new Set([
  'contact', 'email', 'phone', 'social', 'customAttribute', 'attribValue', 'link', 'message',
]);

const FORBIDDEN = /<!(?:DOCTYPE|ENTITY|ELEMENT|ATTLIST|NOTATION)/i;
/** A reference to anything but the predefined entities or a character reference. */
const UNKNOWN_ENTITY = /&(?!(?:amp|lt|gt|quot|apos|#\d{1,7}|#x[0-9A-Fa-f]{1,6});)/;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  // DTDs are refused above, so only the five predefined entities and character references
  // are expanded: no XXE, no entity expansion bombs.
  processEntities: true,
  htmlEntities: true, // decodes character references; named ones beyond the five are refused above
  ignoreDeclaration: true,
  ignorePiTags: true,
  trimValues: true,
  // A root element is never an array, even when its name is (a document of one `message`).
  isArray: (name, jPath) => XML_ARRAY_ELEMENTS.has(name) && String(jPath).includes('.'),
});

const builder = new XMLBuilder({ ignoreAttributes: true, suppressEmptyNode: false, format: false });

export interface ParsedXml { root: string; content: unknown }

export function parseXml(text: string): ParsedXml {
  if (FORBIDDEN.test(text)) {
    throw new AppError('XmlForbiddenConstruct', 'XML with a DOCTYPE or entity declaration is refused');
  }
  if (UNKNOWN_ENTITY.test(text)) throw new AppError('BodyMalformed', 'XML refers to an undeclared entity or holds a bare "&"');
  checkXmlDepth(text);
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new AppError('BodyMalformed', `XML is not well-formed: ${valid.err.msg} (line ${valid.err.line})`);
  }
  const doc = parser.parse(text) as Record<string, unknown>;
  const roots = Object.keys(doc);
  if (roots.length !== 1) throw new AppError('BodyMalformed', 'XML document must have exactly one root element');
  return { root: roots[0], content: stripNamespaceDeclarations(doc[roots[0]]) };
}

function stripNamespaceDeclarations(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripNamespaceDeclarations);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === 'xmlns' || k.startsWith('xmlns:')) continue;
    out[k] = stripNamespaceDeclarations(v);
  }
  return out;
}

/** Serializes `{ root: {...} }` as `<root>...</root>`; arrays become repeated elements. */
export function toXml(rootName: string, content: unknown): string {
  return '<?xml version="1.0" encoding="UTF-8"?>' + builder.build({ [rootName]: content ?? '' });
}
