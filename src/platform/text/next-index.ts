/**
 * For each position of `text` (and its end), the first position at or after it whose code unit
 * (given with its position) passes `test`, or -1: read once from the end, so a scan that asks from every position of a
 * text still reads each character once.
 */
export function nextIndexesOf(text: string, test: (code: number, at: number) => boolean): Int32Array {
  const next = new Int32Array(text.length + 1);
  next[text.length] = -1;
  for (let i = text.length - 1; i >= 0; i--) next[i] = test(text.charCodeAt(i), i) ? i : next[i + 1];
  return next;
}
