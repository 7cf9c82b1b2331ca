/*
 * The values an error message quotes, found by scans rather than regular expressions: an
 * expression looking for the quote that ends a value reads the rest of the message from each
 * quote that opens one, so a message of many openings and no end cost the square of its length
 * (64 KB of `: 'x` took 1.5 s, of `"` 9 s), on every error logged.
 */
import { startsWord } from '../text/character-classes';
import { nextIndexesOf } from '../text/next-index';
import { replacedParts } from '../text/replaced-parts';

/** What MySQL writes after a value it quotes, when something follows it. */
const AFTER_MYSQL_VALUE = [' for key ', ' for column ', ' at line ', ' at row '];

/**
 * `message` with each value MySQL quoted after `entry `, `near ` (whole words) or `: ` written as
 * `'mask'`: from its opening quote to the first quote after it that is followed by what MySQL
 * writes after a value (the key, the column, the line, the row) or by the end of the message, a
 * full stop allowed before it; a value may hold quotes itself (O'Brien), which MySQL does not escape.
 */
export function maskedMysqlValues(message: string, mask: string): string {
  const closes = valueCloses(message);
  return replacedParts(message, (at) => {
    const open = valueOpening(message, at);
    const close = open < 0 ? -1 : closes[open + 1];
    return close < 0 ? undefined : { start: open, end: close + 1, replacement: `'${mask}'` };
  });
}

/** The opening quote of a value quoted after `entry `, `near ` or `: ` at `at`, or -1. */
function valueOpening(message: string, at: number): number {
  let open = -1;
  if (message.startsWith(': ', at)) open = at + 2;
  else if (message.startsWith('entry ', at) && startsWord(message, at)) open = at + 6;
  else if (message.startsWith('near ', at) && startsWord(message, at)) open = at + 5;
  return open >= 0 && message[open] === "'" ? open : -1;
}

/** For each position of `message` (and its end), the first quote at or after it that can close a value, or -1. */
function valueCloses(message: string): Int32Array {
  return nextIndexesOf(message, (code, at) => code === 0x27 && closesValue(message, at + 1));
}

function closesValue(message: string, after: number): boolean {
  if (after === message.length || (message[after] === '.' && after + 1 === message.length)) return true;
  return AFTER_MYSQL_VALUE.some((words) => message.startsWith(words, after));
}

const NOT_JSON = ' is not valid JSON';

/**
 * `message` with the text V8 quotes in a JSON.parse message written as `"mask"`, the dots that say
 * it was cut included (`"ada@exampl"...`, `..."xample.com"...`): from the first `"` (or `..."`)
 * to the last `"` followed by ` is not valid JSON` (or `... is not valid JSON`). The token V8
 * names is one character, and says what came instead of JSON (`'<'`: an HTML page).
 */
export function maskedJsonText(message: string, mask: string): string {
  let close = -1;
  let end = -1;
  for (let quote = message.lastIndexOf('"'); quote >= 0 && close < 0; quote = quote > 0 ? message.lastIndexOf('"', quote - 1) : -1) {
    if (message.startsWith(`...${NOT_JSON}`, quote + 1)) end = quote + 4;
    else if (message.startsWith(NOT_JSON, quote + 1)) end = quote + 1;
    if (end >= 0) close = quote;
  }
  for (let at = 0; at < close; at++) {
    if (message[at] === '"' || (message.startsWith('..."', at) && at + 3 < close)) {
      return `${message.slice(0, at)}"${mask}"${message.slice(end)}`;
    }
  }
  return message;
}
