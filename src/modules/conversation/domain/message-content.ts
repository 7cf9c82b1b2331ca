import { decodeHTML } from 'entities';
import { NOT_IN_TEXT } from '../../../platform/text/text-rules';
import { blockBoundariesAsLineBreaks, lineBreakTagsAsLineBreaks, withoutScriptsAndStyles, withoutTags } from './html-markup';

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
  // Scripts and styles first, comments next (an unclosed one to the end, as a browser reads
  // it), then blocks: the white space a run of block tags takes in is the source's, not a <br>'s.
  const withoutSources = withoutScriptsAndStyles(html).replace(/<!--[\s\S]*?(?:-->|$)/g, '');
  const lines = lineBreakTagsAsLineBreaks(blockBoundariesAsLineBreaks(withoutSources));
  const text = withoutTags(lines.replace(CELL_ENDS, ' '));
  return decodeHTML(text)
    .replace(NOT_IN_A_MESSAGE, '')
    .replace(/\u00a0/g, ' ')
    .split('\n')
    .map((line) => line.replace(/[ \t]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
