/**
 * An error's message as it may leave the process (a log line, a job's outcome or a failed job's
 * reason and stack kept in Redis, a callback attempt's result). Three kinds of message quote what
 * they were given:
 * - MySQL quotes the value it refused (`Duplicate entry 'ada@example.com' for key …`, `Incorrect
 *   string value: '…' for column …`, `… near '…' at line 1`), a customer's data;
 * - the HTTP client quotes the URL it was given (`Request cannot be constructed from a URL that
 *   includes credentials: https://hooks:s3cret@receiver.example/hook?token=…`), whose credentials
 *   and query string may hold a receiver's secrets;
 * - V8's JSON.parse quotes the text around the fault (`Unexpected token 'a', "ada@exampl"... is
 *   not valid JSON`), which may be anything the text held.
 */
export const MASKED_VALUE = '…';

/**
 * A value MySQL quotes after `entry`, `near` or a colon (`value: '…'`, `character string: '…'`),
 * up to the last quote before what MySQL writes after it (the key, the column, the line, the end):
 * a value may hold quotes itself (O'Brien), which MySQL does not escape. Names of keys, columns
 * and tables, quoted after their kind, are kept: they say what failed.
 */
const QUOTED_VALUE = /((?:\bentry|\bnear|:) )'[\s\S]*?'(?=(?: for key | for column | at line | at row |\.?$))/g;

/** The credentials of a URL, up to the last `@` before its path (a password may hold one). */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#]*@/gi;

/** A URL's query string: the scheme, host and path are kept, they say which receiver failed. */
const URL_QUERY = /(\b[a-z][a-z0-9+.-]*:\/\/[^\s?#]*)\?[^\s#]*/gi;

/**
 * The text V8 quotes in a JSON.parse message, with the dots that say it was cut
 * (`"ada@exampl"...`, `..."xample.com"...`, `"[object Object]"`); the token it names is one
 * character, and says what came instead of JSON (`'<'`: an HTML page).
 */
const JSON_QUOTED_TEXT = /(?:\.\.\.)?"[\s\S]*"(?:\.\.\.)?(?= is not valid JSON)/g;

/** `message` with every value MySQL quoted, every URL's credentials and query string and the text JSON.parse quoted masked. */
export function maskedErrorText(message: string): string {
  return message
    .replace(QUOTED_VALUE, `$1'${MASKED_VALUE}'`)
    .replace(URL_CREDENTIALS, `$1${MASKED_VALUE}@`)
    .replace(URL_QUERY, `$1?${MASKED_VALUE}`)
    .replace(JSON_QUOTED_TEXT, `"${MASKED_VALUE}"`);
}

/**
 * Any thrown value's message as it may leave the process outside the logger (a command's line, a
 * process's last line before it exits), masked as maskedErrorText masks it.
 */
export function errorText(err: unknown): string {
  return maskedErrorText(err instanceof Error ? err.message : String(err));
}

/**
 * An error's stack as it may leave the process. It begins with `<name>: <message>`: the message is
 * masked as maskedErrorText masks it, the frames kept.
 */
export function maskedErrorStack(stack: string, message: string): string {
  const masked = maskedErrorText(message);
  const at = stack.indexOf(message);
  const frames = stack.search(/\n\s+at /);
  if (at >= 0 && (frames < 0 || at < frames)) return stack.slice(0, at) + masked + stack.slice(at + message.length);
  // A message the stack does not repeat as such: only the frames are sure to hold no value.
  return frames < 0 ? masked : `${masked}${stack.slice(frames)}`;
}
