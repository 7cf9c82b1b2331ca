/**
 * An error's message as it may leave the process (a log line, a job's outcome kept in Redis):
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
