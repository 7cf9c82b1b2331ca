/**
 * For each position of `text` (and its end), where the rest of a tag read from there ends: the
 * first `>` outside a quoted value (`"…"` or `'…'`), or -1 where a quote is never closed or no
 * `>` follows. What `(?:[^>"']|"[^"]*"|'[^']*')*>` matches from each position, read from the end,
 * each position once: that expression, tried from every `<` of a text, reads the rest of the text
 * from each when no `>` closes them.
 */
export function tagEndsOf(text: string): Int32Array {
  const ends = new Int32Array(text.length + 1);
  ends[text.length] = -1;
  let nextDouble = -1;
  let nextSingle = -1;
  for (let i = text.length - 1; i >= 0; i--) {
    const c = text[i];
    if (c === '>') ends[i] = i;
    else if (c === '"') ends[i] = nextDouble < 0 ? -1 : ends[nextDouble + 1];
    else if (c === "'") ends[i] = nextSingle < 0 ? -1 : ends[nextSingle + 1];
    else ends[i] = ends[i + 1];
    if (c === '"') nextDouble = i;
    else if (c === "'") nextSingle = i;
  }
  return ends;
}
