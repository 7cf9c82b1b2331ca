import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { toAppError } from './ws-error';

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

describe('toAppError', () => {
  it.each([
    ['gzip', () => gunzipSync(Buffer.from('{"a":1}'))],
    ['deflate', () => inflateSync(Buffer.from('{"a":1}'))],
    ['br', () => brotliDecompressSync(Buffer.from('{"a":1}'))],
  ])('takes a body its Content-Encoding (%s) cannot decode as malformed, not as an internal or HTTP-layer error', (_encoding, decode) => {
    const { error, internal } = toAppError(thrown(decode));
    expect(error.kind).toBe('BodyMalformed');
    expect(internal).toBe(false);
  });
});
