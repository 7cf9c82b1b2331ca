import { transferCodingRefusal as refusalOf } from './transfer-coding';

/** A request of HTTP/1.1 (or the version given) with that Transfer-Encoding. */
const transferCodingRefusal = (header: string | undefined, [major, minor] = [1, 1]) =>
  refusalOf({ headers: header === undefined ? {} : { 'transfer-encoding': header }, httpVersionMajor: major, httpVersionMinor: minor });

describe('transferCodingRefusal', () => {
  it.each([undefined, 'chunked', 'Chunked', ' CHUNKED ', ', chunked', 'chunked ,'])('takes %j: no coding, or chunked alone', (header) => {
    expect(transferCodingRefusal(header)).toBeUndefined();
  });

  it.each(['gzip, chunked', 'deflate, chunked', 'br,chunked', 'identity, chunked', 'x-gzip, chunked', 'compress, chunked', 'chunked, chunked'])(
    'refuses %j, naming Transfer-Encoding',
    (header) => {
      expect(transferCodingRefusal(header)).toMatchObject({ kind: 'UnsupportedTransferCoding', details: 'Transfer-Encoding' });
    },
  );

  it.each(['gzip', 'chunked, gzip', ''])('leaves %j, whose body has no length to read, to the HTTP parser (400)', (header) => {
    expect(transferCodingRefusal(header)).toBeUndefined();
  });

  it.each([
    ['chunked', [1, 0]],
    ['', [1, 0]],
    ['gzip, chunked', [1, 0]],
    ['chunked', [0, 9]],
  ] as const)('refuses %j in an HTTP/%j request as badly framed (400-150), naming Transfer-Encoding', (header, version) => {
    expect(transferCodingRefusal(header, [...version])).toMatchObject({ kind: 'InvalidRequest', details: 'Transfer-Encoding' });
  });

  it('takes an HTTP/1.0 request without Transfer-Encoding', () => {
    expect(transferCodingRefusal(undefined, [1, 0])).toBeUndefined();
  });
});
