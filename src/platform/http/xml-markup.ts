import { tagEndsOf } from '../text/tag-ends';

/**
 * A piece of markup of an XML text as readMarkup reads it: a comment, a processing instruction
 * (`instruction`: what is between `<?` and `?>`), a CDATA section (`content`), a tag (its quoted
 * attribute values included), or a "]]>" outside all of them.
 */
export interface Markup {
  start: number;
  end: number;
  instruction?: string;
  content?: string;
}

/**
 * The markup of `text`, left to right, as a parser would read it: at each `<`, a comment up to
 * the first `-->`, a processing instruction up to the first `?>`, a CDATA section up to the first
 * `]]>`, or else a tag up to the first `>` outside a quoted value; a `<` that opens none of them
 * (never closed) is text, and so is read from the next character.
 *
 * One scan with a precomputed table, not a regular expression: one tries every `<` up to the
 * end of the text when its markup is never closed, so a body of `<<` after an unclosed comment
 * took seconds.
 */
export function* markupOf(text: string): Generator<Markup> {
  const ends = new Occurrences(text);
  let tagEnds: Int32Array | undefined;
  let at = 0;
  while (at < text.length) {
    const open = text.indexOf('<', at);
    const close = ends.next(']]>', at);
    if (close >= 0 && (open < 0 || close < open)) {
      yield { start: close, end: close + 3 };
      at = close + 3;
      continue;
    }
    if (open < 0) return;
    let markup: Markup | undefined;
    if (text.startsWith('<!--', open)) {
      const end = ends.next('-->', open + 4);
      if (end >= 0) markup = { start: open, end: end + 3 };
    } else if (text.startsWith('<?', open)) {
      const end = ends.next('?>', open + 2);
      if (end >= 0) markup = { start: open, end: end + 2, instruction: text.slice(open + 2, end) };
    } else if (text.startsWith('<![CDATA[', open)) {
      const end = ends.next(']]>', open + 9);
      if (end >= 0) markup = { start: open, end: end + 3, content: text.slice(open + 9, end) };
    }
    if (markup === undefined) {
      tagEnds ??= tagEndsOf(text);
      const end = tagEnds[open + 1];
      if (end >= 0) markup = { start: open, end: end + 1 };
    }
    if (markup === undefined) {
      at = open + 1;
      continue;
    }
    yield markup;
    at = markup.end;
  }
}

/** Where each closing string occurs in a text, found once each, then looked up. */
class Occurrences {
  private readonly found = new Map<string, number[]>();

  constructor(private readonly text: string) {}

  /** The first occurrence of `needle` at or after `from`, or -1. */
  next(needle: string, from: number): number {
    const all = this.all(needle);
    let low = 0;
    let high = all.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (all[mid] < from) low = mid + 1;
      else high = mid;
    }
    return low < all.length ? all[low] : -1;
  }

  private all(needle: string): number[] {
    let all = this.found.get(needle);
    if (all === undefined) {
      all = [];
      for (let i = this.text.indexOf(needle); i >= 0; i = this.text.indexOf(needle, i + 1)) all.push(i);
      this.found.set(needle, all);
    }
    return all;
  }
}
