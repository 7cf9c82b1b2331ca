import { decodeHTML } from 'entities';
import { NOT_IN_TEXT } from '../../../platform/text/text-rules';

/**
 * How an agent's message reaches the customer: as HTML to clients that render rich
 * text (the start's isRichTextSupported, default yes), as plain text to the others.
 */
export function agentMessageAsDelivered(type: 'text/plain' | 'text/html', content: string, richText: boolean): { type: 'text/plain' | 'text/html'; content: string } {
  if (richText) return { type: 'text/html', content: type === 'text/html' ? content : plainTextToHtml(content) };
  return { type: 'text/plain', content: type === 'text/html' ? htmlToPlainText(content) : content };
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escaped, and each line break a message may hold (CR LF, LF, a CR alone) as `<br>`: HTML shows a bare CR as a space. */
export function plainTextToHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]).replace(/\r\n?|\n/g, '<br>');
}

/**
 * What a character reference may not put into a message: the characters a message is refused
 * for (control characters but tab and line breaks, U+FFFE, U+FFFF). The text around the
 * references was checked before, so whatever of them is left after decoding came from one.
 */
const NOT_IN_A_MESSAGE = new RegExp(NOT_IN_TEXT.source, 'g');

/**
 * A tag as an HTML parser reads one: `<` then a letter (a start tag) or `/` and a letter (an
 * end tag), up to the first `>` outside a quoted attribute value; or a declaration or
 * processing instruction (`<!…>`, `<?…>`). Any other `<` is text (`a < b`, `<3`, `x <= y`),
 * shown as written by a browser, so kept; a quoted `>` does not end the tag.
 */
const TAG = /<\/?[A-Za-z](?:[^>"']|"[^"]*"|'[^']*')*>|<[!?][^>]*>/g;

/** Elements a browser shows on lines of their own. */
const BLOCKS = 'p|div|li|h[1-6]|tr|blockquote|pre|ul|ol|dl|dt|dd|table|hr|section|article|header|footer|aside|nav|main|figure|figcaption|address';

/**
 * Where a block starts or ends, opening tag or closing tag: a run of them (with the source's
 * white space after each) is one line break. Opening tags count: an editor writes
 * `Hello<div>World</div>` for two lines, which were read as "HelloWorld".
 */
const BLOCK_BOUNDARIES = new RegExp(`(?:<\\/?(?:${BLOCKS})(?=[\\s/>])(?:[^>"']|"[^"]*"|'[^']*')*>\\s*)+`, 'gi');

/** The end of a table cell: its neighbour on the row follows after a space, not glued to it. */
const CELL_ENDS = /<\/t[dh]\s*>/gi;

/**
 * The text a reader would see: scripts, styles and comments dropped (an unclosed one to the end), line breaks where blocks start and
 * end and where <br> was, a space after a table cell, every other tag removed, character
 * references decoded as a browser decodes them (the `entities` package: every named reference
 * of HTML, numeric ones with the standard's replacements; last, so `&amp;lt;` stays `&lt;`),
 * a no-break space as a space, and a reference to a character a message may not hold dropped.
 */
export function htmlToPlainText(html: string): string {
  const text = html
    // Unclosed, a script, a style or a comment runs to the end, as a browser reads it: the
    // rest is its source, not text.
    .replace(/<(script|style)\b[^>]*>[\s\S]*?(?:<\/\1\s*>|$)/gi, '')
    .replace(/<!--[\s\S]*?(?:-->|$)/g, '')
    // Blocks first: the white space a run of block tags takes in is the source's, not a <br>'s.
    .replace(BLOCK_BOUNDARIES, '\n')
    .replace(/<br(?=[\s/>])(?:[^>"']|"[^"]*"|'[^']*')*>/gi, '\n')
    .replace(CELL_ENDS, ' ')
    .replace(TAG, '');
  return decodeHTML(text)
    .replace(NOT_IN_A_MESSAGE, '')
    .replace(/\u00a0/g, ' ')
    .split('\n')
    .map((line) => line.replace(/[ \t]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
