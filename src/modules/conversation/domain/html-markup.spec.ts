import { shortTexts } from '../../../../test/support/short-texts';
import { MAX_MESSAGE_LENGTH } from './send-message.command';
import { blockBoundariesAsLineBreaks, lineBreakTagsAsLineBreaks, withoutScriptsAndStyles, withoutTags } from './html-markup';
import { htmlToPlainText } from './message-content';

// The expressions the scans replace: their results are the scans', on small texts where they are quick.
const SCRIPT_OR_STYLE = /<(script|style)\b[^>]*>[\s\S]*?(?:<\/\1\s*>|$)/gi;
const BLOCKS = 'p|div|li|h[1-6]|tr|blockquote|pre|ul|ol|dl|dt|dd|table|hr|section|article|header|footer|aside|nav|main|figure|figcaption|address';
const BLOCK_BOUNDARIES = new RegExp(`(?:<\\/?(?:${BLOCKS})(?=[\\s/>])(?:[^>"']|"[^"]*"|'[^']*')*>\\s*)+`, 'gi');
const LINE_BREAK = /<br(?=[\s/>])(?:[^>"']|"[^"]*"|'[^']*')*>/gi;
const TAG = /<\/?[A-Za-z](?:[^>"']|"[^"]*"|'[^']*')*>|<[!?][^>]*>/g;

/** Every text of up to `length` of `pieces` whose scan and expression differ. */
function differing(pieces: string[], length: number, read: (text: string) => string, expected: (text: string) => string): string[] {
  return [...shortTexts(pieces, length)].filter((text) => read(text) !== expected(text));
}

describe('html markup scans', () => {
  it('drop the scripts and styles the expression dropped, on every short text of the pieces that matter', () => {
    const pieces = ['<', '>', '/', ' ', '\n', 'a', '_', 'script', 'STYLE', 'Scrip', 't', '\u00a0'];
    expect(differing(pieces, 5, withoutScriptsAndStyles, (text) => text.replace(SCRIPT_OR_STYLE, ''))).toEqual([]);
  });

  it('read the block boundaries the expression read, on every short text of the pieces that matter', () => {
    const pieces = ['<', '>', '/', '"', "'", ' ', '\n', 'p', 'a', 'h1', 'h7', 'figcaptioN', 'figcaptionx'];
    expect(differing(pieces, 5, blockBoundariesAsLineBreaks, (text) => text.replace(BLOCK_BOUNDARIES, '\n'))).toEqual([]);
  });

  it('read the <br> tags the expression read, on every short text of the pieces that matter', () => {
    const pieces = ['<', '>', '/', '"', "'", ' ', '\t', 'br', 'bR', 'b', 'r', '\u3000'];
    expect(differing(pieces, 5, lineBreakTagsAsLineBreaks, (text) => text.replace(LINE_BREAK, '\n'))).toEqual([]);
  });

  it('remove the tags the expression removed, on every short text of the characters that matter', () => {
    const pieces = ['<', '>', '/', '"', "'", ' ', 'a', 'Z', '1', '!', '?'];
    expect(differing(pieces, 5, withoutTags, (text) => text.replace(TAG, ''))).toEqual([]);
    for (const text of ['<a href="x>y" title=\'>\'>link</a>', '<a b="c\'>d\'e">f', '<!a">b">', '</a "b>c" d>e', '<a "b\'c">d\'>', '<?x "?>"', '<a<b>c>']) {
      expect(withoutTags(text)).toBe(text.replace(TAG, ''));
    }
  });

  it('read a message of markup never closed, at the length limit, at once', () => {
    // 60 to 80 ms each before (300 ms with astral characters): each `<` was read up to the end.
    const astral = '\u{1F600}';
    for (const unit of ['<a', '<p ', '<br ', '<script ', '<p "', `<a${astral}`, `<p ${astral}`]) {
      const html = unit.repeat(Math.floor(MAX_MESSAGE_LENGTH / [...unit].length));
      expect(htmlToPlainText(html)).toBe(html.trim().replace(/ +/g, ' '));
    }
    const closedOnce = '<p '.repeat(3333) + '>';
    expect(htmlToPlainText(closedOnce)).toBe('');
  });
});
