/**
 * `text` without the run of `chars` that ends it. A scan back from the end, not `/[…]+$/`: that
 * expression tries every start of a run up to the end of the text, so a long run followed by one
 * other character costs the square of its length (64 KiB of spaces then a letter took 1.8 s).
 */
export function withoutTrailing(text: string, chars: string): string {
  let end = text.length;
  while (end > 0 && chars.includes(text[end - 1])) end--;
  return end === text.length ? text : text.slice(0, end);
}

/** `text` without the run of `chars` that starts it. */
export function withoutLeading(text: string, chars: string): string {
  let start = 0;
  while (start < text.length && chars.includes(text[start])) start++;
  return start === 0 ? text : text.slice(start);
}
