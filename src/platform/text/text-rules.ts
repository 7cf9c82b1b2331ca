/**
 * Control characters in free text, defined once. Unicode's control characters (category
 * Cc) are C0 (U+0000..U+001F), DEL (U+007F) and C1 (U+0080..U+009F): C1 holds NEL (U+0085)
 * and CSI (U+009B), which terminals and log viewers act on as C0's escape does.
 */

/** A control character other than tab, line feed and carriage return (text that may hold lines: a subject). */
export const CONTROL_EXCEPT_LINE_BREAKS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

/** Any control character, line breaks included (one-line values: names, identifiers). */
export const ANY_CONTROL = /[\u0000-\u001F\u007F-\u009F]/;

/**
 * The two characters XML 1.0 cannot carry at all, not even as a character reference: a value
 * holding U+FFFE or U+FFFF came out of XML answers as U+FFFD, unlike its JSON form.
 */
export const NOT_XML_CHARACTER = /[\uFFFE\uFFFF]/;

/** What no stored text holds (a subject, a message, client info): a control character but tab and line breaks, or U+FFFE, U+FFFF. */
export const NOT_IN_TEXT = new RegExp(`${CONTROL_EXCEPT_LINE_BREAKS.source}|${NOT_XML_CHARACTER.source}`);

/** What no one-line value holds (a name, an address, an id): any control character, or U+FFFE, U+FFFF. */
export const NOT_IN_ONE_LINE = new RegExp(`${ANY_CONTROL.source}|${NOT_XML_CHARACTER.source}`);

/** The start of markup: `<` followed by a letter, `/`, `!` or `?` (`a < b` is plain text). */
export const MARKUP = /<[A-Za-z/!?]/;
