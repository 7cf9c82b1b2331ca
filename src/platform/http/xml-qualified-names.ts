import { AppError } from '../errors/app-error';
import { echoed } from '../errors/echoed-value';

// What may not start a part of a qualified name though it may follow the first character of
// an XML Name (XML 1.0, 2.3: NameChar less NameStartChar).
const NOT_NAME_START = /^[-.0-9\u00B7\u0300-\u036F\u203F-\u2040]/;

/**
 * XML Namespaces 1.0, 3 and 4: an element or attribute name is `local` or `prefix:local`, each
 * part an XML Name without a colon. The validator has checked that the whole is an XML Name,
 * which lets through `a:b:c`, `:a`, `a:`, `a:1b`: each would be read under some other name
 * (`b:c`, `a`, the empty name, `1b`), an attribute `:a` even as one in the default namespace.
 */
export function isQualifiedName(name: string): boolean {
  const parts = name.split(':');
  return parts.length <= 2 && parts.every((part) => part !== '' && !NOT_NAME_START.test(part));
}

/**
 * Refuses, as not well-formed, a document holding an element or attribute name that is not a
 * qualified name. `node` is the parser's reading: elements as members, attributes as members
 * named `attributePrefix` + name, text as `textName`; processing instructions are not in it,
 * so their content, which only looks like attributes, is not read as names.
 */
export function refuseUnqualifiedNames(node: unknown, attributePrefix: string, textName: string): void {
  if (Array.isArray(node)) {
    for (const item of node) refuseUnqualifiedNames(item, attributePrefix, textName);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  for (const [key, child] of Object.entries(node)) {
    if (key === textName) continue;
    const attribute = key.startsWith(attributePrefix);
    const name = attribute ? key.slice(attributePrefix.length) : key;
    if (!isQualifiedName(name)) {
      throw new AppError('BodyMalformed', `XML is not well-formed: ${attribute ? 'attribute' : 'element'} name ${JSON.stringify(echoed(name))} is not a qualified name (name or prefix:name, XML Namespaces 1.0)`);
    }
    if (!attribute) refuseUnqualifiedNames(child, attributePrefix, textName);
  }
}
