import { isWhiteSpace } from '../text/character-classes';
import { maskedJsonText, maskedMysqlValues } from './quoted-text';
import { maskedUrlCredentials, maskedUrlPaths, maskedUrlQueries } from './url-secrets';

/**
 * An error's message as it may leave the process (a log line, a job's outcome or a failed job's
 * reason and stack kept in Redis, a callback attempt's result). Three kinds of message quote what
 * they were given:
 * - MySQL quotes the value it refused (`Duplicate entry 'ada@example.com' for key …`, `Incorrect
 *   string value: '…' for column …`, `… near '…' at line 1`), a customer's data;
 * - the HTTP client quotes the URL it was given (`Request cannot be constructed from a URL that
 *   includes credentials: https://hooks:s3cret@receiver.example/hook?token=…`), whose credentials,
 *   path and query string may hold a receiver's secrets (only its scheme, host and port are kept);
 * - V8's JSON.parse quotes the text around the fault (`Unexpected token 'a', "ada@exampl"... is
 *   not valid JSON`), which may be anything the text held.
 */
export const MASKED_VALUE = '…';

/** `message` with every value MySQL quoted, every URL's credentials, path and query string and the text JSON.parse quoted masked. */
export function maskedErrorText(message: string): string {
  const withoutValues = maskedMysqlValues(message, MASKED_VALUE);
  const withoutSecrets = maskedUrlQueries(maskedUrlPaths(maskedUrlCredentials(withoutValues, MASKED_VALUE), MASKED_VALUE), MASKED_VALUE);
  return maskedJsonText(withoutSecrets, MASKED_VALUE);
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
  const frames = framesStart(stack);
  if (at >= 0 && (frames < 0 || at < frames)) return stack.slice(0, at) + masked + stack.slice(at + message.length);
  // A message the stack does not repeat as such: only the frames are sure to hold no value.
  return frames < 0 ? masked : `${masked}${stack.slice(frames)}`;
}

/**
 * Where a stack's frames start: the first line break followed by white space then `at `. Read run
 * by run of white space, not by `/\n\s+at /`, which reads the rest of a run from each line break
 * in it (64 KB of line breaks took 5 s).
 */
export function framesStart(stack: string): number {
  let at = 0;
  while (at < stack.length) {
    if (!isWhiteSpace(stack.charCodeAt(at))) {
      at++;
      continue;
    }
    let lineBreak = -1;
    let end = at;
    for (; end < stack.length && isWhiteSpace(stack.charCodeAt(end)); end++) if (lineBreak < 0 && stack[end] === '\n') lineBreak = end;
    if (lineBreak >= 0 && lineBreak < end - 1 && stack.startsWith('at ', end)) return lineBreak;
    at = end;
  }
  return -1;
}
