import { transferCodingRefusal } from './transfer-coding';

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
});
