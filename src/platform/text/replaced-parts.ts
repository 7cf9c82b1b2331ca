/** A part of a text a scan found: `start` to `end` (exclusive), to be written as `replacement`. */
export interface FoundPart {
  start: number;
  end: number;
  replacement: string;
}

/**
 * `text` with each part `find` finds replaced, left to right: `find(at)` answers the part found
 * from position `at` (starting there or later) or undefined, and the next part is looked for from
 * the end of the one found, else from the next position. Linear as long as `find` reads only
 * what it needs from `at`: the scans that replaced backtracking expressions precompute what they
 * would otherwise read to the end of the text.
 */
export function replacedParts(text: string, find: (at: number) => FoundPart | undefined): string {
  let replaced = '';
  let copied = 0;
  let at = 0;
  while (at < text.length) {
    const part = find(at);
    if (part === undefined) {
      at++;
      continue;
    }
    replaced += text.slice(copied, part.start) + part.replacement;
    copied = part.end;
    at = part.end;
  }
  return copied === 0 ? text : replaced + text.slice(copied);
}
