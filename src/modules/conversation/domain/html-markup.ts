import { hasAsciiWordAt, isAsciiLetter, isWhiteSpace, isWordCharacter } from '../../../platform/text/character-classes';
import { nextIndexesOf } from '../../../platform/text/next-index';
import { replacedParts } from '../../../platform/text/replaced-parts';
import { tagEndsOf } from '../../../platform/text/tag-ends';

/*
 * The markup htmlToPlainText removes, read by scans from each `<` rather than by regular
 * expressions: an expression tried from every `<` reads the rest of the text from each when
 * nothing closes them, so a message of `<p ` repeated with no `>` cost the square of its length.
 * Tags are read as an HTML parser reads them: up to the first `>` outside a quoted attribute value.
 */

/** Elements a browser shows on lines of their own. */
const BLOCKS = new Set(['p', 'div', 'li', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'tr', 'blockquote', 'pre', 'ul', 'ol', 'dl', 'dt', 'dd', 'table', 'hr', 'section', 'article', 'header', 'footer', 'aside', 'nav', 'main', 'figure', 'figcaption', 'address']);
const LONGEST_BLOCK = Math.max(...[...BLOCKS].map((name) => name.length));

/**
 * Scripts and styles dropped, each from `<script` or `<style` (any case, a whole word, up to the
 * first `>`) to its end tag (`</script >`, the same name in any case) or, unclosed, to the end of
 * the text: the rest is its source, not text.
 */
export function withoutScriptsAndStyles(html: string): string {
  let nextClose: Int32Array | undefined;
  return replacedAtOpenings(html, '', (at) => {
    const name = hasAsciiWordAt(html, at + 1, 'script') ? 'script' : hasAsciiWordAt(html, at + 1, 'style') ? 'style' : undefined;
    if (name === undefined) return -1;
    const nameEnd = at + 1 + name.length;
    if (isWordCharacter(html.charCodeAt(nameEnd))) return -1;
    nextClose ??= nextIndexesOf(html, (code) => code === 0x3e);
    const open = nextClose[nameEnd];
    return open < 0 ? -1 : endTagEnd(html, open + 1, name);
  });
}

/** Where the first `</name>` from `from` ends (white space allowed before its `>`), or the end of the text. */
function endTagEnd(html: string, from: number, name: string): number {
  for (let at = html.indexOf('</', from); at >= 0; at = html.indexOf('</', at + 1)) {
    if (!hasAsciiWordAt(html, at + 2, name)) continue;
    let end = at + 2 + name.length;
    while (end < html.length && isWhiteSpace(html.charCodeAt(end))) end++;
    if (html[end] === '>') return end + 1;
  }
  return html.length;
}

/**
 * Each run of tags where a block starts or ends, opening or closing (with the white space after
 * each), as one line break. Opening tags count: an editor writes `Hello<div>World</div>` for two
 * lines.
 */
export function blockBoundariesAsLineBreaks(html: string): string {
  let tagEnds: Int32Array | undefined;
  return replacedAtOpenings(html, '\n', (at) => {
    tagEnds ??= tagEndsOf(html);
    let end = -1;
    for (let tagEnd = blockTagEnd(html, at, tagEnds); tagEnd >= 0; tagEnd = blockTagEnd(html, end, tagEnds)) {
      end = tagEnd + 1;
      while (end < html.length && isWhiteSpace(html.charCodeAt(end))) end++;
    }
    return end;
  });
}

/** Where the block's tag at `at` ends (its `>`), or -1: `<` or `</`, a block's name in any case, then white space, `/` or `>`. */
function blockTagEnd(html: string, at: number, tagEnds: Int32Array): number {
  if (html[at] !== '<') return -1;
  const name = html[at + 1] === '/' ? at + 2 : at + 1;
  let nameEnd = name;
  while (nameEnd < html.length && nameEnd - name <= LONGEST_BLOCK && !endsTagName(html.charCodeAt(nameEnd))) nameEnd++;
  if (!endsTagName(html.charCodeAt(nameEnd)) || !isBlockName(html, name, nameEnd)) return -1;
  return tagEnds[nameEnd];
}

function endsTagName(code: number): boolean {
  return code === 0x2f || code === 0x3e || isWhiteSpace(code);
}

function isBlockName(html: string, start: number, end: number): boolean {
  for (const block of BLOCKS) if (block.length === end - start && hasAsciiWordAt(html, start, block)) return true;
  return false;
}

/** Each `<br>` (any case, with attributes or `/`) as a line break. */
export function lineBreakTagsAsLineBreaks(html: string): string {
  let tagEnds: Int32Array | undefined;
  return replacedAtOpenings(html, '\n', (at) => {
    if (!hasAsciiWordAt(html, at + 1, 'br') || !endsTagName(html.charCodeAt(at + 3))) return -1;
    tagEnds ??= tagEndsOf(html);
    const end = tagEnds[at + 3];
    return end < 0 ? -1 : end + 1;
  });
}

/**
 * Every tag removed: `<` then a letter (a start tag) or `/` and a letter (an end tag), up to the
 * first `>` outside a quoted attribute value; or a declaration or processing instruction (`<!…>`,
 * `<?…>`). Any other `<` is text (`a < b`, `<3`, `x <= y`), shown as written by a browser, so kept.
 */
export function withoutTags(html: string): string {
  let tagEnds: Int32Array | undefined;
  let nextClose: Int32Array | undefined;
  return replacedAtOpenings(html, '', (at) => {
    const after = html[at + 1];
    if (after === '!' || after === '?') {
      nextClose ??= nextIndexesOf(html, (code) => code === 0x3e);
      const end = nextClose[at + 2];
      return end < 0 ? -1 : end + 1;
    }
    const name = after === '/' ? at + 2 : at + 1;
    if (!isAsciiLetter(html.charCodeAt(name))) return -1;
    tagEnds ??= tagEndsOf(html);
    const end = tagEnds[name + 1];
    return end < 0 ? -1 : end + 1;
  });
}

/** `text` with each match `matchEnd` finds from a `<` (where it ends, or -1 for none) written as `replacement`. */
function replacedAtOpenings(text: string, replacement: string, matchEnd: (at: number) => number): string {
  return replacedParts(text, (at) => {
    const end = text.charCodeAt(at) === 0x3c ? matchEnd(at) : -1;
    return end < 0 ? undefined : { start: at, end, replacement };
  });
}
