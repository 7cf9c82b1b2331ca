/**
 * Every text made of up to `length` of `pieces` (characters or longer strings), shortest first,
 * the empty one included: what the specs of a scan that replaced a regular expression compare
 * the two on, since the expression is quick on texts this short. Made one length at a time, as
 * they are read: there are millions of them at length 6.
 */
export function* shortTexts(pieces: Iterable<string>, length: number): Generator<string> {
  const parts = [...pieces];
  let texts = [''];
  for (let i = 0; i <= length; i++) {
    yield* texts;
    if (i < length) texts = texts.flatMap((text) => parts.map((piece) => text + piece));
  }
}
