import { AppError } from '../errors/app-error';
import { echoed } from '../errors/echoed-value';
import { xmlSyntaxErrorMessage } from '../errors/syntax-error-message';

/**
 * What an XML document must not hold though fast-xml-parser's validator lets it through, checked
 * on the whole text before it is parsed: characters XML forbids, a declaration of another form,
 * version or encoding, anything but comments and processing instructions after a root element
 * that closes itself.
 */

// What opens a document with an XML declaration, or with a processing instruction whose target
// is "xml" in any case, which XML reserves for the declaration.
const OPENING_DECLARATION = /^<\?xml(?=[ \t\r\n]|\?>)/i;
// The one form of an XML declaration (XML 1.0, 2.8): version 1.x, which an XML 1.0 processor reads
// as 1.0 (5th edition), then optionally the encoding and standalone, in this order.
const DECLARATION_FORM = /^<\?xml[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*(["'])1\.[0-9]+\1(?:[ \t\r\n]+encoding[ \t\r\n]*=[ \t\r\n]*(["'])[A-Za-z][A-Za-z0-9._-]*\2)?(?:[ \t\r\n]+standalone[ \t\r\n]*=[ \t\r\n]*(["'])(?:yes|no)\3)?[ \t\r\n]*\?>/;
const DECLARED_VERSION = /^<\?xml[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*(["'])([^"']*)\1/;
// The encoding an XML declaration names (its quotes and all that may come before it as checkDeclaration reads them).
const DECLARED_ENCODING = /^<\?xml[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*(["'])[^"']*\1[ \t\r\n]+encoding[ \t\r\n]*=[ \t\r\n]*(["'])([^"']*)\2/;
// Characters XML 1.0 cannot carry at all, even as references.
export const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// The same, to find the first one in a document (no /g, so no lastIndex carried between calls).
const FIRST_NOT_XML_CHAR = new RegExp(NOT_XML_CHAR.source);

/**
 * A document holding a character XML 1.0 does not allow (a C0 control other than tab and
 * line breaks, U+FFFE, U+FFFF) is not well-formed (XML 1.0, 2.2), as a reference to one is
 * not; the validator lets them through.
 */
export function refuseCharactersXmlForbids(text: string): void {
  const found = FIRST_NOT_XML_CHAR.exec(text);
  if (found === null) return;
  const before = text.slice(0, found.index);
  const line = before.split('\n').length;
  const col = found.index - before.lastIndexOf('\n');
  throw new AppError('BodyMalformed', `XML is not well-formed: ${xmlSyntaxErrorMessage({ code: 'InvalidChar', line, col })}`);
}

/**
 * The validator takes any processing instruction named xml for a declaration, whatever it holds:
 * `<?xml version="2.0"?>` or `<?xml?>` would be read as XML 1.0. A document declaring another
 * version than 1.x is not one this API reads, and a declaration of another form is not well-formed.
 */
export function checkDeclaration(text: string): void {
  if (!OPENING_DECLARATION.test(text) || DECLARATION_FORM.test(text)) return;
  const version = DECLARED_VERSION.exec(text)?.[2];
  if (version !== undefined && !/^1\.[0-9]+$/.test(version)) {
    throw new AppError('BodyMalformed', 'XML version not supported: the XML declaration must name version 1.0 (or 1.x)');
  }
  throw new AppError('BodyMalformed', 'XML is not well-formed: a malformed XML declaration (<?xml version="1.0" encoding="…" standalone="yes|no"?>)');
}

/**
 * Documents are read as UTF-8 and nothing else, as bodies are whatever their Content-Type says:
 * one whose XML declaration names another encoding (`ISO-8859-1`, `windows-1252`, `UTF-16`, also
 * the unregistered spelling `UTF8`) is refused, not read in the encoding it names nor as UTF-8
 * against its word (which would store `cafÃ©` as `café`, where every XML reader reads the former).
 * `start` is the document's beginning, its byte order mark left out; only the declaration's own
 * ASCII is read, so the body parser can ask before the bytes are decoded.
 */
export function refuseDeclaredEncoding(start: string): void {
  const encoding = DECLARED_ENCODING.exec(start)?.[3];
  if (encoding === undefined || /^utf-8$/i.test(encoding)) return;
  throw new AppError('UnsupportedContentType', `XML declaration names encoding ${JSON.stringify(echoed(encoding))}: documents are read as UTF-8 only`, 'encoding');
}

/** How much of a body's start `declarationText` reads: more than any XML declaration takes. */
const DECLARATION_BYTES = 512;

/**
 * The start of an XML body as text, for `refuseDeclaredEncoding` to read its declaration before
 * the bytes are judged. A body that starts as XML 1.0 (Appendix F) says a UTF-16 document does, a
 * byte order mark of either order or `<?` in UTF-16, is read as UTF-16: read by its bytes, its
 * declaration (`encoding="utf-16"`, as .NET's writers put it) would be found nowhere, and the
 * document refused as not UTF-8 (400-111) instead of for the encoding it names (415-101).
 * Anything else is read by its ASCII, a UTF-8 byte order mark left out.
 */
export function declarationText(bytes: Buffer): string {
  const utf16 = (start: number, bigEndian: boolean): string => {
    const units = Buffer.from(bytes.subarray(start, start + DECLARATION_BYTES));
    const even = units.subarray(0, units.length - (units.length % 2));
    return (bigEndian ? even.swap16() : even).toString('utf16le');
  };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return utf16(2, false);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return utf16(2, true);
  if (bytes[0] === 0x3c && bytes[1] === 0x00 && bytes[2] === 0x3f && bytes[3] === 0x00) return utf16(0, false);
  if (bytes[0] === 0x00 && bytes[1] === 0x3c && bytes[2] === 0x00 && bytes[3] === 0x3f) return utf16(0, true);
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  return bytes.subarray(start, start + DECLARATION_BYTES).toString('latin1');
}

export function outsideRoot(): AppError {
  return new AppError('BodyMalformed', 'XML is not well-formed: text or markup outside the root element');
}

/**
 * After a root element that closes itself (`<conversation/>`), the validator lets anything through
 * and the parser drops it: text, a reference, markup left open. Only comments, processing
 * instructions and white space may follow the root element (XML 1.0, 2.1).
 */
export function refuseContentAfterSelfClosingRoot(text: string): void {
  const root = skipMisc(text, text.charCodeAt(0) === 0xfeff ? 1 : 0);
  if (text[root] !== '<') return;
  let quote: string | undefined;
  for (let i = root + 1; i < text.length; i++) {
    const c = text[i];
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '>') {
      if (text[i - 1] === '/' && skipMisc(text, i + 1) !== text.length) throw outsideRoot();
      return;
    }
  }
}

/** The position of the first character from `from` that is not white space, a comment or a processing instruction. */
function skipMisc(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      i++;
    } else if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4);
      if (end < 0) return i;
      i = end + 3;
    } else if (text.startsWith('<?', i)) {
      const end = text.indexOf('?>', i + 2);
      if (end < 0) return i;
      i = end + 2;
    } else {
      return i;
    }
  }
  return i;
}
