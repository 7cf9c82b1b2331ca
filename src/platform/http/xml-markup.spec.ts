import { markupOf } from './xml-markup';
import { parseXml } from './xml-codec';

// The expression the scan replaces: its results are the scan's, on small texts where it is quick.
const MARKUP = /<!--[\s\S]*?-->|<\?([\s\S]*?)\?>|<!\[CDATA\[([\s\S]*?)\]\]>|<[^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*>|\]\]>/g;

const read = (text: string) => JSON.stringify([...markupOf(text)].map(({ start, end, instruction, content }) => [start, end, instruction, content]));
const expected = (text: string) => JSON.stringify([...text.matchAll(MARKUP)].map((m) => [m.index, m.index + m[0].length, m[1], m[2]]));

describe('markupOf', () => {
  it('reads the markup the earlier regular expression read, on every short text of the pieces that matter', () => {
    const pieces = ['<', '>', '"', "'", '!--', '-->', '?', '?>', '<![CDATA[', ']]>', ']', 'a'];
    const differing: string[] = [];
    let checked = 0;
    const all = (prefix: string, left: number): void => {
      if (read(prefix) !== expected(prefix)) differing.push(prefix);
      checked++;
      if (left > 0) for (const piece of pieces) all(prefix + piece, left - 1);
    };
    all('', 5);
    expect(differing).toEqual([]);
    expect(checked).toBe((12 ** 6 - 1) / 11);
  });

  it('reads documents as before', () => {
    for (const text of [
      '<?xml version="1.0"?><c a=\'x"y\' b="<>"><!-- <![CDATA[ --><a><![CDATA[1 < 2]]></a><?pi ?><b/></c>',
      '<c><a>x]]>y</a></c>',
      '<c/><!--<![CDATA[',
      '<c a="x><![CDATA[y]]>',
      '<!--->--><?>?><![CDATA[]]]]>',
    ]) {
      expect(read(text)).toEqual(expected(text));
    }
  });

  it('reads a body of markup never closed at once', () => {
    // 1 MiB (BODY_LIMIT_BYTES allows up to 10 MB) after a comment left open past the root
    // element, which the validator lets through: every '<' was tried up to the end.
    const xml = '<c><![CDATA[x]]></c><!--' + '<<'.repeat(512 * 1024);
    expect(read(xml)).toBe(JSON.stringify([[0, 3, undefined, undefined], [3, 16, undefined, 'x'], [16, 20, undefined, undefined]]));
    expect(() => parseXml(xml)).toThrow('not closed');
  });
});
