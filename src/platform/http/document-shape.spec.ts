import { AppError } from '../errors/app-error';
import { MAX_DOCUMENT_DEPTH, MIN_XML_NODE_BYTES, checkDocumentShape, checkDocumentText, checkXmlDepth, xmlNodeBound, xmlNodeCount, xmlTags } from './document-shape';

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

  describe('elements and attributes against the body limit', () => {
    const LIMIT = 65536;
    const BOUND = xmlNodeBound(LIMIT);
    const refused = 'XML holding more elements and attributes than a request of 65536 bytes can (one per 7 bytes)';
    /** A root holding `n` nodes of `node` each (one element or one attribute), the root included. */
    const elements = (n: number, node = '<a/>') => '<c>' + node.repeat(n - 1) + '</c>';
    const attributes = (n: number) => '<c' + Array.from({ length: n - 1 }, (_, i) => ` a${i} = '1'`).join('') + '/>';

    it('allows one per MIN_XML_NODE_BYTES bytes of the limit, whatever the limit', () => {
      expect(MIN_XML_NODE_BYTES).toBe(7);
      expect(BOUND).toBe(9362);
      expect(xmlNodeBound(10 * 1024 * 1024)).toBe(1_497_965);
      expect(kindOf(() => checkXmlDepth(elements(BOUND), LIMIT))).toBeUndefined();
      expect(() => checkXmlDepth(elements(BOUND + 1), LIMIT)).toThrow(refused);
      expect(kindOf(() => checkXmlDepth(attributes(BOUND), LIMIT))).toBeUndefined();
      expect(() => checkXmlDepth(attributes(BOUND + 1), LIMIT)).toThrow(refused);
      expect(kindOf(() => checkXmlDepth(elements(BOUND + 1), LIMIT + MIN_XML_NODE_BYTES))).toBeUndefined();
      // Text the api wrote itself has no bound.
      expect(kindOf(() => checkXmlDepth(elements(100_000)))).toBeUndefined();
    });

    it.each([
      ['<a/>', '<a/>'],
      ['<ab/>', '<ab/>'],
      ['<abc/>', '<abc/>'],
      ['<é/>', '<é/>'],
      ['attributes of 5 bytes', '<a b="" c="" d="" e="" f="" g="" h="" i="" j="" k=""/>'],
      ['attributes of 6 bytes', '<a b1="" c1="" d1="" e1="" f1="" g1="" h1="" i1="" j1="" k1=""/>'],
      ['attributes after a `>` in a value', `<a b=">"${' c=""'.repeat(9)}/>`],
    ])('refuses a body of the limit made of %s, denser than any request, before parsing', (_, node) => {
      const xml = elements(Math.floor((LIMIT - 7) / Buffer.byteLength(node)) + 1, node);
      expect(Buffer.byteLength(xml)).toBeLessThanOrEqual(LIMIT);
      expect(() => checkXmlDepth(xml, LIMIT)).toThrow(refused);
    });

    it('does not count markup or attributes written in text, comments, CDATA or processing instructions', () => {
      const filler = (piece: string) => '<c>' + piece.repeat(Math.floor((LIMIT - 7) / piece.length)) + '</c>';
      for (const piece of ['a="b" ', '="', "='", '<![CDATA[<a/>]]>', '<!--<a/>-->', '<?a b="c"?>', '&lt;a/&gt;']) {
        expect(kindOf(() => checkXmlDepth(filler(piece), LIMIT))).toBeUndefined();
      }
      expect(xmlNodeCount('<?xml version="1.0"?><c a="x>y" b=\'"\'><!-- <d e="f"> --><![CDATA[<g h="i">]]>j="k"<l/></c>', Infinity)).toBe(4);
    });

    it('stops counting past the bound, and where a tag, value or section is left open', () => {
      expect(xmlNodeCount('<a/>'.repeat(1000), 10)).toBe(11);
      expect(xmlNodeCount('<c a="' + '<a/>'.repeat(1000), Infinity)).toBe(2);
      expect(xmlNodeCount('<c><!--' + '<a/>'.repeat(1000), Infinity)).toBe(1);
      expect(xmlNodeCount('<c a="1"' + ' b="2"'.repeat(10), Infinity)).toBe(12);
    });
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
