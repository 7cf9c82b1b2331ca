/**
 * What a 400-111 says of a body that cannot be parsed: where, never what. The parsers quote
 * the text around the fault ("Unexpected token 'P', ...\"password\":Pa55-le\"...", "Tag
 * 'leaked</password' is an invalid name"), and a body is where passwords, secrets and personal
 * data travel: an answer or a log line must not repeat them.
 */

/** V8's JSON.parse messages, without the quoted context some of them carry. */
export function jsonSyntaxErrorMessage(message: string | undefined): string {
  if (message === undefined || message === 'Unexpected end of JSON input') return message ?? 'not valid JSON';
  // "… in JSON at position N" messages name the fault by its position and quote no input.
  if (/^[^"]* in JSON at position \d+(?: \(line \d+ column \d+\))?$/.test(message)) return message;
  return 'Unexpected token in JSON';
}

/** fast-xml-parser's validation error, by its code and position (its message quotes names taken from the text). */
export function xmlSyntaxErrorMessage(err: { code: string; line: number; col?: number }): string {
  // fast-xml-parser gives no column only when it found no element at all (blank, or a declaration or comment alone).
  if (err.col === undefined) return 'no root element';
  return `${err.code} at line ${err.line}, column ${err.col}`;
}
