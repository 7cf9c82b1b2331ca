import type { Request, Response } from 'express';
import { Readable } from 'node:stream';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { AppError } from '../errors/app-error';
import { bodyParserMiddleware } from './body-parser.middleware';
import { COMPRESSION_FRAMING_BYTES } from './read-body';

const LIMIT = 4096;
const parse = bodyParserMiddleware(LIMIT);

/** Runs the parser over a request made of these headers and bytes; answers the error kind or the body. */
function read(contentType: string, bytes: Buffer | string | Buffer[], headers: Record<string, string> = {}): Promise<{ kind?: string; body?: unknown }> {
  const chunks = Array.isArray(bytes) ? bytes : [Buffer.from(bytes)];
  const length = chunks.reduce((n, c) => n + c.length, 0);
  const req = Object.assign(Readable.from(chunks), {
    headers: { 'content-type': contentType, 'content-length': String(length), ...headers },
    method: 'POST',
    url: '/',
  }) as unknown as Request;
  return new Promise((resolve) => {
    parse(req, {} as Response, (err?: unknown) => {
      if (err === undefined) return resolve({ body: req.body });
      resolve({ kind: err instanceof AppError ? err.kind : `not an AppError: ${String(err)}` });
    });
  });
}

function multipart(part: { headers: string; bytes: Buffer }, boundary = 'b0undary'): Buffer {
  return Buffer.concat([
    Buffer.from(`--${boundary}\r\n${part.headers}\r\n\r\n`),
    part.bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
}

describe('bodyParserMiddleware', () => {
  it('settles a multipart body whose connection closes before it ends', async () => {
    const req = Object.assign(new Readable({ read() {} }), {
      headers: { 'content-type': 'multipart/form-data; boundary=b0undary', 'content-length': '1000' },
      method: 'POST',
      url: '/',
    }) as unknown as Request & Readable;
    const settled = new Promise<unknown>((resolve) => parse(req, {} as Response, resolve));
    req.push('--b0undary\r\nContent-Disposition: form-data; name="c"\r\n\r\n{"a":');
    setImmediate(() => req.destroy());
    const err = await settled;
    expect(err instanceof AppError ? err.kind : err).toBe('BodyMalformed');
  });

  describe('a multipart body cut short', () => {
    // busboy ends a file part cut short by destroying the part's stream with its error; unheard,
    // that error ended the process (a body cut inside a file part, before any login).
    const file = multipart({ headers: 'Content-Disposition: form-data; name="c"; filename="c.json"\r\nContent-Type: application/json', bytes: Buffer.from('{"a":"x"}') });
    const field = multipart({ headers: 'Content-Disposition: form-data; name="c"\r\nContent-Type: application/json', bytes: Buffer.from('{"a":"x"}') });

    it.each([['a file part', file], ['a plain field', field]])('is refused at every length, %s', async (_part, body) => {
      const escaped: unknown[] = [];
      const listener = (err: unknown) => escaped.push(err);
      process.on('uncaughtException', listener);
      try {
        const kinds = new Set<string | undefined>();
        // The close delimiter's final CRLF is optional (RFC 2046), so a body cut there reads whole.
        for (let length = 0; length < body.length - 2; length++) kinds.add((await read('multipart/form-data; boundary=b0undary', body.subarray(0, length))).kind);
        await new Promise((resolve) => setImmediate(resolve));
        expect(escaped).toEqual([]);
        expect([...kinds].sort()).toEqual(['MultipartInvalid']);
      } finally {
        process.off('uncaughtException', listener);
      }
    });
  });

  describe('a multipart body far over the limit', () => {
    /** A request that sends these bytes and then neither ends nor closes, as a client still sending would. */
    function sending(bytes: Buffer, headers: Record<string, string> = {}): Promise<unknown> {
      const req = Object.assign(new Readable({ read() {} }), {
        headers: { 'content-type': 'multipart/form-data; boundary=b0undary', 'content-length': '999999999', ...headers },
        method: 'POST',
        url: '/',
      }) as unknown as Request & Readable;
      const settled = new Promise<unknown>((resolve) => parse(req, {} as Response, resolve));
      req.push(bytes);
      return settled.then((err) => (err instanceof AppError ? err.kind : err));
    }

    it('is refused once the limit and its framing are passed, without waiting for the rest', async () => {
      // A preamble alone: no part ever starts.
      expect(await sending(Buffer.alloc(LIMIT + 64 * 1024 + 1, 'x'))).toBe('BodyTooLarge');
      // A plain field, which busboy would hand over only at its end.
      expect(await sending(Buffer.concat([Buffer.from('--b0undary\r\nContent-Disposition: form-data; name="c"\r\n\r\n{"a":"'), Buffer.alloc(LIMIT + 64 * 1024, 'a')]))).toBe('BodyTooLarge');
    });

    it('is refused as soon as a file part passes the limit', async () => {
      expect(await sending(Buffer.concat([Buffer.from('--b0undary\r\nContent-Disposition: form-data; name="c"; filename="c.json"\r\nContent-Type: application/json\r\n\r\n{"a":"'), Buffer.alloc(LIMIT + 1, 'a')]))).toBe('BodyTooLarge');
    });

    it('stops decoding a compressed body there', async () => {
      const bomb = gzipSync(Buffer.concat([Buffer.from('--b0undary\r\nContent-Disposition: form-data; name="c"\r\n\r\n{"a":"'), Buffer.alloc(8 * 1024 * 1024, 'a')]));
      expect(await sending(bomb, { 'content-encoding': 'gzip' })).toBe('BodyTooLarge');
    });
  });

  describe('a JSON, XML or form body over the limit', () => {
    /** A request that sends these bytes and then neither ends nor closes; resolves with its refusal and the request. */
    async function sending(contentType: string, bytes: Buffer, headers: Record<string, string> = {}): Promise<{ err: unknown; req: Readable }> {
      const req = Object.assign(new Readable({ read() {} }), {
        headers: { 'content-type': contentType, 'transfer-encoding': 'chunked', ...headers },
        method: 'POST',
        url: '/',
      }) as unknown as Request & Readable;
      const settled = new Promise<unknown>((resolve) => parse(req, {} as Response, resolve));
      req.push(bytes);
      return { err: await settled, req };
    }

    it.each(['application/json', 'application/xml', 'application/x-www-form-urlencoded'])(
      'refuses %s as soon as it passes the limit, stops reading it and has the answer close the connection',
      async (type) => {
        const { err, req } = await sending(type, Buffer.alloc(LIMIT + 1, ' '));
        expect(err).toBeInstanceOf(AppError);
        expect([(err as AppError).kind, (err as AppError).headers.Connection]).toEqual(['BodyTooLarge', 'close']);
        expect(req.readableFlowing).toBe(false);
      },
    );

    it('refuses a body whose Content-Length passes the limit before reading any of it', async () => {
      const { err, req } = await sending('application/json', Buffer.alloc(0), { 'content-length': String(LIMIT + 1), 'transfer-encoding': '' });
      expect([(err as AppError).kind, (err as AppError).headers.Connection]).toEqual(['BodyTooLarge', 'close']);
      expect(req.readableFlowing).not.toBe(true);
    });

    it('stops decoding a compressed body there', async () => {
      const { err } = await sending('application/json', gzipSync(Buffer.alloc(8 * 1024 * 1024, ' ')), { 'content-encoding': 'gzip' });
      expect([(err as AppError).kind, (err as AppError).headers.Connection]).toEqual(['BodyTooLarge', 'close']);
    });

    it('reads a body of exactly the limit', async () => {
      const json = '{"a":1}';
      expect(await read('application/json', json + ' '.repeat(LIMIT - json.length))).toEqual({ body: { a: 1 } });
    });
  });

  describe('a byte order mark before the document', () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const json = Buffer.concat([bom, Buffer.from('{"a":"x"}')]);
    const xml = Buffer.concat([bom, Buffer.from('<?xml version="1.0"?><c><a>x</a></c>')]);

    it('is no part of a JSON or XML body', async () => {
      expect(await read('application/json', json)).toEqual({ body: { a: 'x' } });
      expect(await read('application/xml', xml)).toEqual({ body: { a: 'x' } });
    });

    it.each([
      ['a JSON file part', 'Content-Disposition: form-data; name="c"; filename="c.json"\r\nContent-Type: application/json', json],
      ['an XML file part', 'Content-Disposition: form-data; name="c"; filename="c.xml"\r\nContent-Type: application/xml', xml],
      ['a plain JSON field', 'Content-Disposition: form-data; name="c"', json],
      ['a plain XML field', 'Content-Disposition: form-data; name="c"', xml],
    ])('is no part of %s either, as it is none of a whole body', async (_name, headers, bytes) => {
      expect(await read('multipart/form-data; boundary=b0undary', multipart({ headers, bytes }))).toEqual({ body: { a: 'x' } });
    });
  });

  describe('Content-Encoding, in every format', () => {
    const json = Buffer.from('{"a":"caf\u00e9"}');
    const form = multipart({ headers: 'Content-Disposition: form-data; name="c"\r\nContent-Type: application/json', bytes: json });
    const multipartType = 'multipart/form-data; boundary=b0undary';
    const encoders = { gzip: gzipSync, deflate: deflateSync, br: brotliCompressSync };

    it.each(Object.keys(encoders) as (keyof typeof encoders)[])('decodes a %s body, multipart as JSON', async (encoding) => {
      const encode = encoders[encoding];
      expect(await read('application/json', encode(json), { 'content-encoding': encoding })).toEqual({ body: { a: 'caf\u00e9' } });
      expect(await read(multipartType, encode(form), { 'content-encoding': encoding.toUpperCase() })).toEqual({ body: { a: 'caf\u00e9' } });
    });

    it.each(['application/json', multipartType])('refuses an encoding it cannot decode in %s', async (type) => {
      for (const encoding of ['compress', 'x-unknown', 'constructor']) {
        expect(await read(type, type === multipartType ? form : json, { 'content-encoding': encoding })).toEqual({ kind: 'UnsupportedContentType' });
      }
    });

    it.each(['application/json', multipartType])('refuses bytes that are not what the encoding says in %s', async (type) => {
      expect(await read(type, type === multipartType ? form : json, { 'content-encoding': 'gzip' })).toEqual({ kind: 'BodyMalformed' });
    });

    // Empty gzip members decode to nothing: as many as weigh 20 times the limit, then the document.
    const padded = (document: Buffer) => Buffer.concat([...Array.from({ length: Math.ceil((20 * LIMIT + COMPRESSION_FRAMING_BYTES) / 20) }, () => gzipSync(Buffer.alloc(0))), gzipSync(document)]);

    it.each(['application/json', multipartType])('refuses a compressed %s body heavier as sent than the limit and its compression framing, however little it decodes to', async (type) => {
      const body = padded(type === multipartType ? form : json);
      // Announced by Content-Length: refused before any of it is read.
      expect(await read(type, body, { 'content-encoding': 'gzip' })).toEqual({ kind: 'BodyTooLarge' });
      // Chunked: refused once that much has come, reading no further.
      const req = Object.assign(new Readable({ read() {} }), {
        headers: { 'content-type': type, 'transfer-encoding': 'chunked', 'content-encoding': 'gzip' },
        method: 'POST',
        url: '/',
      }) as unknown as Request & Readable;
      const settled = new Promise<unknown>((resolve) => parse(req, {} as Response, resolve));
      req.push(body);
      const err = await settled;
      expect([(err as AppError).kind, (err as AppError).headers.Connection]).toEqual(['BodyTooLarge', 'close']);
      expect(req.readableFlowing).toBe(false);
    });

    it('reads a compressed body heavier as sent than what it decodes to, by its compression framing', async () => {
      const document = Buffer.from(`{"a":"${'x'.repeat(LIMIT - 8)}"}`);
      expect(document.length).toBe(LIMIT);
      const stored = gzipSync(document, { level: 0 });
      expect(stored.length).toBeGreaterThan(LIMIT);
      expect(await read('application/json', stored, { 'content-encoding': 'gzip' })).toEqual({ body: { a: 'x'.repeat(LIMIT - 8) } });
    });

    it('refuses a compressed multipart part that decodes to more than the limit', async () => {
      const bomb = multipart({ headers: 'Content-Disposition: form-data; name="c"; filename="c.json"\r\nContent-Type: application/json', bytes: Buffer.from(`{"a":"${'a'.repeat(LIMIT * 256)}"}`) });
      const compressed = gzipSync(bomb);
      expect(compressed.length).toBeLessThan(LIMIT);
      expect(await read(multipartType, compressed, { 'content-encoding': 'gzip' })).toEqual({ kind: 'BodyTooLarge' });
    });
  });

  describe('declared charset', () => {
    it.each([
      ['application/json; charset=utf-8', '{"a":"caf\u00e9"}'],
      ['application/xml; charset="UTF-8"', '<c><a>caf\u00e9</a></c>'],
      ['text/xml', '<c><a>caf\u00e9</a></c>'],
    ])('reads %s as UTF-8', async (type, text) => {
      expect(await read(type, text)).toEqual({ body: { a: 'caf\u00e9' } });
    });

    it.each([
      ['application/xml; charset=iso-8859-1', '<c><a>caf\u00e9 \u00fc</a></c>'],
      ['application/xml; charset=utf-16', '<c><a>x</a></c>'],
      ['text/xml; charset=windows-1252', '<c><a>x</a></c>'],
      ['application/json; charset=utf-16', '{"a":"x"}'],
      ['application/json; charset=iso-8859-1', '{"a":"x"}'],
      ['application/json; charset=utf8', '{"a":"x"}'],
      ['application/x-www-form-urlencoded; charset=iso-8859-1', 'a=x'],
    ])('refuses %s, whatever the bytes', async (type, text) => {
      expect(await read(type, text)).toEqual({ kind: 'UnsupportedContentType' });
    });

    const declared = (encoding: string, subject: Buffer) => Buffer.concat([Buffer.from(`<?xml version="1.0" encoding="${encoding}"?><c><a>caf`), subject, Buffer.from('</a></c>')]);
    it.each([
      ['Latin-1 bytes declared ISO-8859-1', declared('ISO-8859-1', Buffer.from([0xe9]))],
      ['UTF-8 bytes declared ISO-8859-1, which XML reads as cafÃ©', declared('ISO-8859-1', Buffer.from('\u00e9'))],
      ['bytes declared windows-1252 after a byte order mark', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), declared('windows-1252', Buffer.from('e'))])],
      ['bytes declared in the unregistered spelling UTF8', declared('UTF8', Buffer.from('e'))],
      ['UTF-16 after its byte order mark, little-endian, as declared', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(declared('utf-16', Buffer.from('e')).toString('latin1'), 'utf16le')])],
      ['UTF-16 after its byte order mark, big-endian, as declared', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(declared('UTF-16', Buffer.from('e')).toString('latin1'), 'utf16le').swap16()])],
      ['UTF-16 without a byte order mark, as declared', Buffer.from(declared('UTF-16LE', Buffer.from('e')).toString('latin1'), 'utf16le')],
    ])('refuses an XML document whose declaration names another encoding than UTF-8 (%s), as a charset in Content-Type', async (_name, bytes) => {
      expect(await read('application/xml', bytes)).toEqual({ kind: 'UnsupportedContentType' });
    });

    it('refuses a UTF-16 document without a declaration as not UTF-8, as any other body', async () => {
      expect(await read('application/xml', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<c><a>cafe</a></c>', 'utf16le')]))).toEqual({ kind: 'BodyMalformed' });
    });

    it('reads an XML document declared UTF-8, in any case', async () => {
      expect(await read('application/xml', declared('utf-8', Buffer.from('\u00e9')))).toEqual({ body: { a: 'caf\u00e9' } });
      expect(await read('text/xml', declared('UTF-8', Buffer.from('\u00e9')))).toEqual({ body: { a: 'caf\u00e9' } });
    });

    it('refuses an XML part whose declaration names another encoding than UTF-8', async () => {
      const body = multipart({ headers: 'Content-Disposition: form-data; name="c"; filename="c.xml"\r\nContent-Type: application/xml', bytes: declared('ISO-8859-1', Buffer.from('\u00e9')) });
      expect(await read('multipart/form-data; boundary=b0undary', body)).toEqual({ kind: 'UnsupportedContentType' });
    });
  });

  describe('parts busboy does not read', () => {
    /** The refusal's developer message, for a body of one part with these headers. */
    async function refusalOf(headers: string): Promise<string> {
      const body = multipart({ headers: `${headers}\r\nContent-Type: application/json`, bytes: Buffer.from('{"a":1}') });
      const req = Object.assign(Readable.from([body]), {
        headers: { 'content-type': 'multipart/form-data; boundary=b0undary', 'content-length': String(body.length) },
        method: 'POST',
        url: '/',
      }) as unknown as Request;
      return new Promise((resolve) => parse(req, {} as Response, (err?: unknown) => resolve(err instanceof AppError ? `${err.kind}: ${err.developerMessage}` : String(err))));
    }

    it.each([
      ['no Content-Disposition', 'X-Part: 1'],
      ['an inline one', 'Content-Disposition: inline; name="c"'],
      ['a malformed one', 'Content-Disposition: form-data; name='],
    ])('says why a single part with %s was not counted', async (_name, headers) => {
      expect(await refusalOf(headers)).toBe('MultipartInvalid: multipart body must carry exactly one part, got 0 (a part is read only under a well-formed Content-Disposition: form-data header)');
    });
  });

  describe('a JSON document that is no object or array', () => {
    const part = (json: string) => multipart({ headers: 'Content-Disposition: form-data; name="c"\r\nContent-Type: application/json', bytes: Buffer.from(json) });

    it.each(['null', '12', '"text"', 'true'])('refuses %s as malformed, as a whole body and as a multipart part alike', async (json) => {
      expect(await read('application/json', json)).toEqual({ kind: 'BodyMalformed' });
      expect(await read('multipart/form-data; boundary=b0undary', part(json))).toEqual({ kind: 'BodyMalformed' });
    });

    it('reads an empty multipart JSON part as an empty document, as an empty body', async () => {
      expect(await read('multipart/form-data; boundary=b0undary', part(''))).toEqual({ body: {} });
    });
  });

  describe('form bodies', () => {
    it('refuses bytes that are not UTF-8, as in every other body', async () => {
      expect(await read('application/x-www-form-urlencoded', Buffer.concat([Buffer.from('grant_type=client_credentials&x=caf'), Buffer.from([0xe9])]))).toEqual({ kind: 'BodyMalformed' });
    });

    it('reads a UTF-8 form', async () => {
      expect(await read('application/x-www-form-urlencoded', 'grant_type=client_credentials&x=caf\u00e9')).toEqual({ body: { grant_type: 'client_credentials', x: 'caf\u00e9' } });
    });
  });

  describe('lone surrogates', () => {
    it('refuses a JSON escape of a lone surrogate, in a value or a name', async () => {
      expect(await read('application/json', '{"a":{"b":["x\\ud800y"]}}')).toEqual({ kind: 'BodyMalformed' });
      expect(await read('application/json', '{"\\udfff":1}')).toEqual({ kind: 'BodyMalformed' });
    });

    it('accepts an escaped surrogate pair', async () => {
      expect(await read('application/json', '{"a":"\\ud83d\\ude00"}')).toEqual({ body: { a: '\u{1F600}' } });
    });

    it('refuses one in a multipart JSON part', async () => {
      const body = multipart({ headers: 'Content-Disposition: form-data; name="c"; filename="c.json"\r\nContent-Type: application/json', bytes: Buffer.from('{"a":"\\ud800"}') });
      expect(await read('multipart/form-data; boundary=b0undary', body)).toEqual({ kind: 'BodyMalformed' });
    });
  });

  describe('multipart bytes', () => {
    const field = 'Content-Disposition: form-data; name="c"';
    const file = 'Content-Disposition: form-data; name="c"; filename="c.json"\r\nContent-Type: application/json';
    const json = (text: string) => Buffer.from(`{"a":"${text}"}`);
    const latin1 = Buffer.concat([Buffer.from('{"a":"caf'), Buffer.from([0xe9]), Buffer.from('"}')]);

    it.each([['a plain field', field], ['a file part', file]])('refuses invalid UTF-8 in %s', async (_name, headers) => {
      expect(await read('multipart/form-data; boundary=b0undary', multipart({ headers, bytes: latin1 }))).toEqual({ kind: 'BodyMalformed' });
    });

    it.each([['a plain field', field], ['a file part', file]])('reads UTF-8 in %s', async (_name, headers) => {
      expect(await read('multipart/form-data; boundary=b0undary', multipart({ headers, bytes: json('caf\u00e9 \u{1F600}') }))).toEqual({ body: { a: 'caf\u00e9 \u{1F600}' } });
    });

    it.each([
      ['iso-8859-1 on a plain field', `${field}\r\nContent-Type: text/plain; charset=iso-8859-1`],
      ['ISO-8859-1, quoted, on a JSON field', `${field}\r\nContent-Type: application/json; charset="ISO-8859-1"`],
      ['windows-1252 on a file part', `${file}; charset=windows-1252`],
      ['the unregistered spelling utf8', `${field}\r\nContent-Type: text/plain; charset=utf8`],
      ['latin1 named after utf-8', `${field}\r\ncontent-type: text/plain; charset=utf-8; charset=latin1`],
      // busboy gives a plain field in a charset it cannot decode no value at all
      ['utf-16 on a plain field', `${field}\r\nContent-Type: application/json; charset="utf-16"`],
      ['base64 on a plain field', `${field}\r\ncontent-type: text/plain;charset=base64`],
      ['an unknown charset on a plain field', `${field}\r\nContent-Type: application/json; charset=x-no-such-charset`],
      // busboy unfolds a header continued on the next line and decodes in the charset it then reads
      ['iso-8859-1 on a folded line of a plain field', `${field}\r\nContent-Type: text/plain;\r\n charset=iso-8859-1`],
      ['windows-1252 on a line folded with a tab', `${field}\r\nContent-Type: application/json;\r\n\tcharset=windows-1252`],
    ])('refuses a part declaring %s, even when its bytes are UTF-8', async (_name, headers) => {
      // Decoded as Latin-1, these bytes would read "cafÃ©".
      expect(await read('multipart/form-data; boundary=b0undary', multipart({ headers, bytes: json('caf\u00e9') }))).toEqual({ kind: 'UnsupportedContentType' });
    });

    it('refuses the declared charset before judging the bytes, as for a whole body', async () => {
      const headers = `${field}\r\nContent-Type: text/plain; charset=iso-8859-1`;
      expect(await read('multipart/form-data; boundary=b0undary', multipart({ headers, bytes: latin1 }))).toEqual({ kind: 'UnsupportedContentType' });
    });

    it('finds the charset after a preamble and in headers split across chunks', async () => {
      const headers = `${field}\r\nContent-Type: text/plain; charset=iso-8859-1`;
      const body = Buffer.concat([Buffer.from('a preamble\r\n'), multipart({ headers, bytes: json('x') })]);
      expect(await read('multipart/form-data; boundary=b0undary', body)).toEqual({ kind: 'UnsupportedContentType' });
      const chunks = [...body].map((byte) => Buffer.from([byte]));
      expect(await read('multipart/form-data; boundary=b0undary', chunks)).toEqual({ kind: 'UnsupportedContentType' });
    });

    it.each([
      ['a part declaring UTF-8', `${field}\r\nContent-Type: text/plain; charset=UTF-8`],
      ['a part declaring no charset', `${field}\r\nContent-Type: application/json`],
    ])('reads %s', async (_name, headers) => {
      expect(await read('multipart/form-data; boundary=b0undary', multipart({ headers, bytes: json('caf\u00e9') }))).toEqual({ body: { a: 'caf\u00e9' } });
    });

    it.each([
      ['quoted-printable on a plain field', `${field}\r\nContent-Type: application/json\r\nContent-Transfer-Encoding: quoted-printable`, json('caf=C3=A9')],
      ['base64 on a file part', `${file}\r\nContent-Transfer-Encoding: BASE64`, Buffer.from(json('caf\u00e9').toString('base64'))],
      ['an unknown encoding on a plain field', `${field}\r\nContent-Transfer-Encoding: x-token`, json('x')],
    ])('refuses a part declaring %s, rather than reading it undecoded', async (_name, headers, bytes) => {
      expect(await read('multipart/form-data; boundary=b0undary', multipart({ headers, bytes }))).toEqual({ kind: 'UnsupportedContentType' });
    });

    it.each(['7bit', '8bit', 'Binary'])('reads a part declaring the identity transfer encoding %s', async (encoding) => {
      const headers = `${field}\r\nContent-Type: application/json\r\nContent-Transfer-Encoding: ${encoding}`;
      expect(await read('multipart/form-data; boundary=b0undary', multipart({ headers, bytes: json('caf\u00e9') }))).toEqual({ body: { a: 'caf\u00e9' } });
    });

    it('ignores a charset named in the content of a part or in the epilogue', async () => {
      const xml = Buffer.from('<c>\r\n<a>\r\nContent-Type: text/plain; charset=latin1\r\n\r\n</a></c>');
      const body = Buffer.concat([multipart({ headers: field, bytes: xml }), Buffer.from('\r\nContent-Type: text/plain; charset=latin1\r\n\r\n')]);
      const result = await read('multipart/form-data; boundary=b0undary', body);
      expect(result.kind).toBeUndefined();
      expect((result.body as { a: string }).a).toContain('charset=latin1');
    });

    it('reads a character split across chunks, and refuses one cut short at the end', async () => {
      const body = multipart({ headers: field, bytes: json('\u{1F600}') });
      const at = body.indexOf(0xf0) + 2;
      expect(await read('multipart/form-data; boundary=b0undary', [body.subarray(0, at), body.subarray(at)])).toEqual({ body: { a: '\u{1F600}' } });
      const cut = Buffer.concat([body, Buffer.from([0xf0, 0x9f])]);
      expect(await read('multipart/form-data; boundary=b0undary', cut)).toEqual({ kind: 'BodyMalformed' });
    });
  });
});
