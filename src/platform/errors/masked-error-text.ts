/**
 * An error's message as it may leave the process (a log line, a job's outcome or a failed job's
 * reason and stack kept in Redis):
 * MySQL quotes in its messages the value it refused (`Duplicate entry 'ada@example.com' for key
 * …`, `Incorrect string value: '…' for column …`, `… near '…' at line 1`), a customer's data.
 */
export const MASKED_VALUE = '…';

/**
 * A value MySQL quotes after `entry`, `near` or a colon (`value: '…'`, `character string: '…'`),
 * up to the last quote before what MySQL writes after it (the key, the column, the line, the end):
 * a value may hold quotes itself (O'Brien), which MySQL does not escape. Names of keys, columns
 * and tables, quoted after their kind, are kept: they say what failed.
 */
const QUOTED_VALUE = /((?:\bentry|\bnear|:) )'[\s\S]*?'(?=(?: for key | for column | at line | at row |\.?$))/g;

/** `message` with every value MySQL quoted in it masked. */
export function maskedErrorText(message: string): string {
  return message.replace(QUOTED_VALUE, `$1'${MASKED_VALUE}'`);
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
