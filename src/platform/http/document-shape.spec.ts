import { AppError } from '../errors/app-error';
import { MAX_DOCUMENT_DEPTH, MAX_XML_NODES, checkDocumentShape, checkDocumentText, checkXmlDepth, xmlTags } from './document-shape';

function nested(depth: number): unknown {
  let doc: unknown = 'leaf';
  for (let i = 0; i < depth; i++) doc = { a: doc };
  return doc;
}

function kindOf(fn: () => void): string | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    return (e as AppError).kind;
  }
}

describe('checkDocumentShape', () => {
  it('accepts documents up to the depth limit', () => {
    expect(kindOf(() => checkDocumentShape(nested(MAX_DOCUMENT_DEPTH)))).toBeUndefined();
  });

  it('refuses documents nested deeper than the limit, even very deep ones, without recursion', () => {
    expect(kindOf(() => checkDocumentShape(nested(MAX_DOCUMENT_DEPTH + 1)))).toBe('BodyInvalid');
    expect(kindOf(() => checkDocumentShape(nested(100_000)))).toBe('BodyInvalid');
  });

  it('names the path where the limit was passed, after walking other branches, through arrays and empty names', () => {
    const fieldOf = (doc: unknown) => {
      try {
        checkDocumentShape(doc);
        return undefined;
      } catch (e) {
        return (e as AppError).details;
      }
    };
    const deepPath = (depth: number) => Array.from({ length: depth }, () => 'a').join('.');
    // `p` is walked first (last member, taken first), 21 levels deep, before `r` passes the limit.
    expect(fieldOf({ r: [nested(40)], s: 1, p: { q: nested(20) } })).toBe(`r.0.${deepPath(MAX_DOCUMENT_DEPTH - 2)}`);
    expect(fieldOf({ p: { q: nested(20), z: { '': nested(40) } }, r: null })).toBe(`p.z..${deepPath(MAX_DOCUMENT_DEPTH - 3)}`);
    // An empty name within the path is kept between two dots; leading ones are left out without one, as the path has always been written.
    expect(fieldOf({ '': { '': { x: nested(40) } } })).toBe(`x.${deepPath(MAX_DOCUMENT_DEPTH - 3)}`);
    expect(fieldOf([[nested(MAX_DOCUMENT_DEPTH - 2)]])).toBeUndefined();
    expect(fieldOf([[nested(MAX_DOCUMENT_DEPTH - 1)]])).toBe(`0.0.${deepPath(MAX_DOCUMENT_DEPTH - 2)}`);
  });
});

describe('checkXmlDepth', () => {
  it('counts only open elements, not self-closing ones', () => {
    const flat = '<conversation>' + '<e id="1"/>'.repeat(500) + '</conversation>';
    expect(kindOf(() => checkXmlDepth(flat))).toBeUndefined();
  });

  it('refuses deep nesting', () => {
    const deep = '<a>'.repeat(MAX_DOCUMENT_DEPTH + 2) + '</a>'.repeat(MAX_DOCUMENT_DEPTH + 2);
    expect(kindOf(() => checkXmlDepth(deep))).toBe('BodyInvalid');
  });

  it('refuses more elements and attributes than MAX_XML_NODES before parsing', () => {
    const message = `XML holding more than ${MAX_XML_NODES} elements and attributes`;
    const elements = (n: number) => '<c>' + '<a/>'.repeat(n - 1) + '</c>';
    expect(kindOf(() => checkXmlDepth(elements(MAX_XML_NODES)))).toBeUndefined();
    expect(() => checkXmlDepth(elements(MAX_XML_NODES + 1))).toThrow(message);
    expect(() => checkXmlDepth('<c>' + '<a>x</a>'.repeat(MAX_XML_NODES) + '</c>')).toThrow(message);
    const attributes = (n: number) => '<c' + Array.from({ length: n }, (_, i) => ` a${i} = '1'`).join('') + '/>';
    expect(kindOf(() => checkXmlDepth(attributes(MAX_XML_NODES - 1)))).toBeUndefined();
    expect(() => checkXmlDepth(attributes(MAX_XML_NODES))).toThrow(message);
    expect(() => checkXmlDepth('<c>' + '<a id="1"/>'.repeat(MAX_XML_NODES / 2) + '</c>')).toThrow(message);
  });

  it('reads the tags the earlier regular expression read, on every short text of the characters that matter', () => {
    // The expression the scan replaces: its results are the scan's, on small texts where it is quick.
    const TAG = /<(\/?)[A-Za-z_][^\s/>]*[^>]*?(\/?)>/g;
    const expected = (xml: string) => [...xml.matchAll(TAG)].map((m) => ({ closing: m[1] === '/', selfClosing: m[2] === '/' }));
    const alphabet = ['<', '>', '/', 'a', '_', ' ', '1', '"', '\n'];
    const differing: string[] = [];
    let checked = 0;
    const all = (prefix: string, left: number): void => {
      if (JSON.stringify([...xmlTags(prefix)]) !== JSON.stringify(expected(prefix))) differing.push(prefix);
      checked++;
      if (left > 0) for (const c of alphabet) all(prefix + c, left - 1);
    };
    all('', 6);
    expect(differing).toEqual([]);
    expect(checked).toBe((9 ** 7 - 1) / 8);
    for (const xml of ['<a>', '</a>', '<a/>', '</a/>', '<_x y="/>"/>', '< a>', '<1>', '</ a>', '<//a>', '<a b="c"  />', '<a<b/>', '<a</b>', '<x:a>', '<a\n/>']) {
      expect([...xmlTags(xml)]).toEqual(expected(xml));
    }
  });

  it('reads a body of tags that never close at once', () => {
    // 64 KiB, the default body limit: hours before the scan (8 KB took 38 s).
    expect(kindOf(() => checkXmlDepth('<a'.repeat(32 * 1024)))).toBeUndefined();
    expect(kindOf(() => checkXmlDepth('<ab'.repeat(21 * 1024) + '>'))).toBeUndefined();
  });
});

describe('checkDocumentText', () => {
  it('accepts text without surrogates and text with surrogate pairs', () => {
    expect(kindOf(() => checkDocumentText({ a: ['caf\u00e9', { 'n\u00e4me': '\u{1F600} ok' }], b: 1, c: null, d: true }))).toBeUndefined();
  });

  it.each([
    ['a high surrogate alone in a value', { a: { b: 'a\ud800b' } }],
    ['a low surrogate alone in a value', { a: 'x\udc00' }],
    ['a reversed pair', { a: '\udc00\ud800' }],
    ['a lone surrogate in an array item', { a: ['ok', ['\udbff']] }],
    ['a lone surrogate in a member name', { a: { ['k\ud800']: 'v' } }],
  ])('refuses %s as malformed', (_name, doc) => {
    expect(kindOf(() => checkDocumentText(doc))).toBe('BodyMalformed');
  });

  it('walks very deep documents without recursion', () => {
    let doc: unknown = '\ud800';
    for (let i = 0; i < 100_000; i++) doc = [doc];
    expect(kindOf(() => checkDocumentText(doc))).toBe('BodyMalformed');
  });
});
