import { Injectable, type NestMiddleware } from '@nestjs/common';
import busboy from 'busboy';
import { isUtf8 } from 'node:buffer';
import { parse as parseForm } from 'node:querystring';
import type { Readable } from 'node:stream';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { AppConfig } from '../config/app-config';
import { AppError } from '../errors/app-error';
import { echoedHeader } from '../errors/echoed-value';
import { toAppError } from '../errors/ws-error';
import { nonUtf8Charset } from './charset';
import { checkDocumentText } from './document-shape';
import { MultipartCharsetCheck } from './multipart-charset-check';
import { jsonSyntaxErrorMessage } from '../errors/syntax-error-message';
import { bodyIncomplete, bodyTooLarge, decodedBody, holdToSentLimit, onAnsweredEarly, readBody, stopReading } from './read-body';
import { parseXml } from './xml-codec';
import { declarationText, refuseDeclaredEncoding } from './xml-document-checks';
import { markXmlBody, requestContextOf, type BodyFormat } from './wire-format';

/**
 * Reads the request body in any of the formats the API family accepts and leaves a
 * plain object in `req.body`: JSON, XML (root unwrapped), multipart/form-data with one
 * JSON or XML part, and url-encoded forms (used by the token endpoint). Anything else
 * with a body is a 415. Which formats a route accepts is checked by `BodyFormatGuard`.
 */
export function bodyParserMiddleware(limitBytes: number): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!hasBody(req)) return next();
    // A body another parser read to its end (the queue dashboard's, for a path under it that it
    // does not serve and passes on) cannot be read again: waiting for it would hold the request
    // until REQUEST_TIMEOUT_MS, a 503, instead of its 404.
    if (req.readableEnded) return next();
    const format = formatOf(req);
    if (format === undefined) {
      return next(new AppError('UnsupportedContentType', `Content-Type ${echoedHeader(req.headers['content-type'])} is not supported`, 'Content-Type'));
    }
    // A multipart body's own charset parameter means nothing (its parts have their own).
    const charset = format === 'multipart' ? undefined : nonUtf8Charset(req.headers['content-type'] ?? '');
    if (charset !== undefined) return next(charsetRefused(charset));
    const ctx = requestContextOf(req);
    if (ctx) ctx.bodyFormat = format;
    // Every parsed document, whatever its format, has its text checked once, here.
    const done = () => {
      try {
        checkDocumentText(req.body);
      } catch (e) {
        return next(e);
      }
      next();
    };
    if (format === 'multipart') return readMultipart(req, limitBytes).then(() => done(), next);
    readBody(req, limitBytes).then((bytes) => {
      try {
        // An XML declaration naming another encoding is refused before the bytes are judged, as a
        // charset in Content-Type is: what is refused is the declaration (415), not the bytes (400).
        if (format === 'xml') refuseDeclaredEncoding(declarationText(bytes));
        const text = utf8Text(bytes);
        if (format === 'xml') assignXml(req, text, limitBytes);
        else req.body = format === 'json' ? parseJson(text) : parseFormText(text);
      } catch (e) {
        return next(e);
      }
      done();
    }, next);
  };
}

/** The body's text: UTF-8 only, a byte order mark before it being no part of it. */
function utf8Text(bytes: Buffer): string {
  if (!isUtf8(bytes)) throw new AppError('BodyMalformed', 'request body is not valid UTF-8');
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

const FIRST_JSON_CHARACTER = /^[ \t\n\r]*([^ \t\n\r])/;

/**
 * A JSON document, of a whole body or of a multipart part (`what`): an object or an array
 * (anything else is refused unparsed); an empty one is an empty document.
 */
function parseJson(text: string, what = 'request body is not valid'): unknown {
  if (text.length === 0) return {};
  const first = FIRST_JSON_CHARACTER.exec(text)?.[1];
  if (first === undefined) throw jsonMalformed(what, 'Unexpected end of JSON input');
  if (first !== '{' && first !== '[') throw jsonMalformed(what, 'Unexpected token in JSON');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw jsonMalformed(what, (e as Error).message);
  }
}

function jsonMalformed(what: string, message: string): AppError {
  return new AppError('BodyMalformed', `${what}: ${jsonSyntaxErrorMessage(message)}`);
}

/** A form of the token route holds one member; more than this many is no such form. */
const FORM_PARAMETER_LIMIT = 50;

function parseFormText(text: string): Record<string, unknown> {
  if (text.length === 0) return {};
  if (text.split('&').length > FORM_PARAMETER_LIMIT) throw new AppError('BodyTooLarge', `too many parameters in the form (at most ${FORM_PARAMETER_LIMIT})`);
  return { ...parseForm(text, '&', '=', { maxKeys: 0 }) };
}

/**
 * Every body is read as UTF-8, multipart parts included: a body or a part that declares
 * another charset is refused rather than used to decode, whether its bytes are UTF-8 or not.
 */
function charsetRefused(charset: string, where = 'bodies'): AppError {
  return new AppError('UnsupportedContentType', `charset ${echoedHeader(charset)} is not supported: ${where} are UTF-8`, 'Content-Type');
}

function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  if (length !== undefined) return length !== '0';
  return req.headers['transfer-encoding'] !== undefined;
}

function formatOf(req: Request): BodyFormat | undefined {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  switch (type) {
    case 'application/json':
      return 'json';
    case 'application/xml':
    case 'text/xml':
      return 'xml';
    case 'multipart/form-data':
      return 'multipart';
    case 'application/x-www-form-urlencoded':
      return 'form';
    default:
      return undefined;
  }
}

function assignXml(req: Request, text: string, limitBytes: number): void {
  const { root, content } = parseXml(text, limitBytes);
  req.body = content === '' ? {} : content;
  markXmlBody(req.body);
  const ctx = requestContextOf(req);
  if (ctx) ctx.xmlRoot = root;
}

/**
 * What a multipart body may hold besides its part's content: the part's headers (busboy reads
 * at most 16 KiB of them), boundaries, a preamble and an epilogue. A body longer than the limit
 * and this, once decoded, is refused without reading further.
 */
const MULTIPART_FRAMING_BYTES = 64 * 1024;

/**
 * busboy passes over a part without a well-formed `Content-Disposition: form-data` (absent,
 * `inline`, `form-data; name=`) and says nothing of it, so a body holding one such part reads as
 * holding none: the answer says why a part the client sent may not have been counted.
 */
const NO_PART_READ = ' (a part is read only under a well-formed Content-Disposition: form-data header)';

/** Exactly one part, holding a JSON or XML document by its own Content-Type. */
function readMultipart(req: Request, limitBytes: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      // busboy truncates at its limit, so one byte more lets a part of exactly limitBytes through whole.
      bb = busboy({ headers: req.headers, limits: { parts: 2, files: 2, fields: 2, fileSize: limitBytes + 1, fieldSize: limitBytes + 1, headerPairs: 50 } });
    } catch (e) {
      return reject(new AppError('MultipartInvalid', `multipart body unreadable: ${(e as Error).message}`));
    }
    const parts: { mimeType: string; data: string }[] = [];
    let failure: AppError | undefined;
    let total = 0;
    const fail = (err: AppError) => {
      failure ??= err;
    };
    // busboy decodes plain fields itself (invalid bytes become U+FFFD), so the bytes are
    // checked as they arrive, the whole request at once: every body must be UTF-8.
    const utf8 = new TextDecoder('utf-8', { fatal: true });
    const notUtf8 = () => fail(new AppError('BodyMalformed', 'multipart body is not valid UTF-8'));
    const charsets = new MultipartCharsetCheck(req.headers['content-type'] ?? '');
    let body: Readable;
    try {
      body = decodedBody(req);
    } catch (e) {
      return reject(e);
    }
    // Past the limit the rest is neither read, decoded nor parsed: the request is answered at once
    // and its connection closed, so that neither a small compressed body nor an endless one can
    // make the process inflate and parse hundreds of megabytes (JSON and XML bodies stop there too).
    let aborted = false;
    let decoded = 0;
    const abort = (err: AppError) => {
      if (aborted) return;
      aborted = true;
      body.unpipe(bb);
      reject(stopReading(req, body, charsetRefusal() ?? failure ?? err));
    };
    const charsetRefusal = () => {
      const charset = charsets.nonUtf8Charset();
      return charset === undefined ? undefined : charsetRefused(charset, 'multipart parts');
    };
    body.on('data', (chunk: Buffer) => {
      if (aborted) return;
      decoded += chunk.length;
      if (decoded > limitBytes + MULTIPART_FRAMING_BYTES) return abort(bodyTooLarge('multipart body'));
      charsets.push(chunk);
      if (failure) return;
      try {
        utf8.decode(chunk, { stream: true });
      } catch {
        notUtf8();
      }
    });
    bb.on('file', (_name, stream, info) => {
      refuseTransferEncoding(info.encoding, fail);
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => {
        total += c.length;
        chunks.push(c);
      });
      stream.on('limit', () => abort(bodyTooLarge('multipart part')));
      // A body cut inside the part: busboy destroys the part's stream with its error (and then
      // reports it on itself); an error event nobody hears would end the process.
      stream.on('error', (e: Error) => fail(new AppError('MultipartInvalid', `multipart body unreadable: ${e.message}`)));
      // 'end' comes before busboy's own 'close' (busboy waits for it); a stream's 'close' may not.
      stream.on('end', () => parts.push({ mimeType: info.mimeType, data: Buffer.concat(chunks).toString('utf8') }));
    });
    bb.on('field', (_name, value: string | undefined, info) => {
      // A charset busboy cannot decode (utf-16, an unknown name) leaves the field without a
      // value; the part's declared charset is refused at 'close'. Throwing here would be
      // thrown inside busboy's stream and end the process.
      if (typeof value !== 'string') return fail(new AppError('UnsupportedContentType', 'multipart part in a charset that cannot be read: bodies are UTF-8', 'Content-Type'));
      refuseTransferEncoding(info.encoding, fail);
      if (info.valueTruncated) fail(bodyTooLarge('multipart part'));
      total += Buffer.byteLength(value);
      parts.push({ mimeType: info.mimeType, data: value });
    });
    bb.on('partsLimit', () => fail(new AppError('MultipartInvalid', 'multipart body must carry exactly one part')));
    bb.on('filesLimit', () => fail(new AppError('MultipartInvalid', 'multipart body must carry exactly one part')));
    bb.on('fieldsLimit', () => fail(new AppError('MultipartInvalid', 'multipart body must carry exactly one part')));
    // busboy does not close after an error: settle here, or the request would hang.
    bb.on('error', (e: Error) => {
      body.unpipe(bb);
      reject(failure ?? new AppError('MultipartInvalid', `multipart body unreadable: ${e.message}`));
    });
    // A body its Content-Encoding cannot decode (zlib's error, mapped as for JSON and XML).
    if (body !== req) {
      body.on('error', (e: Error) => {
        body.unpipe(bb);
        reject(toAppError(e).error);
      });
    }
    // busboy closes only after the request ended (pipe ends it then), so every chunk has been seen.
    bb.on('close', () => {
      // As for a whole body, the declared charset is refused before the bytes are judged.
      const refusal = charsetRefusal();
      if (refusal) return reject(refusal);
      try {
        utf8.decode();
      } catch {
        notUtf8();
      }
      if (failure) return reject(failure);
      if (total > limitBytes) return reject(bodyTooLarge('multipart body'));
      if (parts.length !== 1) return reject(new AppError('MultipartInvalid', `multipart body must carry exactly one part, got ${parts.length}${parts.length === 0 ? NO_PART_READ : ''}`));
      try {
        resolve(decodePart(req, parts[0], limitBytes));
      } catch (e) {
        reject(e);
      }
    });
    // A request closed before its body ended (the client gone, or cut off at REQUEST_TIMEOUT_MS)
    // never finishes busboy: settle here, or the request would be held forever.
    req.once('close', () => {
      if (req.readableEnded) return;
      body.unpipe(bb);
      reject(bodyIncomplete());
    });
    onAnsweredEarly(req, abort);
    // A compressed body is held to its bytes as sent too, as a JSON or XML body is.
    holdToSentLimit(req, body, limitBytes + MULTIPART_FRAMING_BYTES, ({ announced }) => abort(bodyTooLarge(announced ? 'multipart body' : 'compressed multipart body')));
    if (aborted) return;
    body.pipe(bb);
  });
}

/**
 * The identity encodings a part may declare in Content-Transfer-Encoding. busboy reports any
 * other and hands the part over undecoded, so a quoted-printable `caf=C3=A9` would be stored as
 * written and a base64 document read as text: as with a charset, the declaration is refused
 * rather than the part read against its word (RFC 7578, 4.7: senders do not use it).
 */
const IDENTITY_TRANSFER_ENCODINGS = new Set(['7bit', '8bit', 'binary']);

function refuseTransferEncoding(encoding: string, fail: (err: AppError) => void): void {
  const name = encoding.trim().toLowerCase();
  if (IDENTITY_TRANSFER_ENCODINGS.has(name)) return;
  fail(new AppError('UnsupportedContentType', `multipart part in Content-Transfer-Encoding ${echoedHeader(name)}: parts are sent as they are (7bit, 8bit or binary)`, 'Content-Transfer-Encoding'));
}

/**
 * The part's own Content-Type decides: JSON (`application/json` or any type with a `+json`
 * suffix) or XML (`application/xml`, `text/xml` or a `+xml` suffix). A part without a type of
 * its own (a plain form field is `text/plain`) or sent as `application/octet-stream` is
 * recognised by its first character.
 */
function decodePart(req: Request, part: { mimeType: string; data: string }, limitBytes: number): void {
  const type = part.mimeType.toLowerCase();
  // As for a whole body, a byte order mark before the document is no part of it.
  const data = part.data.charCodeAt(0) === 0xfeff ? part.data.slice(1) : part.data;
  const sniffed = type === 'text/plain' || type === 'application/octet-stream' ? sniff(data) : undefined;
  if (type === 'application/json' || type.endsWith('+json') || sniffed === 'json') {
    // Read as a whole JSON body is: a bare null, number or string is 400-111 there too, not a missing or misshapen body.
    req.body = parseJson(data, 'multipart JSON part is not valid JSON');
    return;
  }
  if (type === 'application/xml' || type === 'text/xml' || type.endsWith('+xml') || sniffed === 'xml') return assignXml(req, data, limitBytes);
  throw new AppError('MultipartInvalid', `multipart part of type ${part.mimeType} is neither JSON nor XML`);
}

function sniff(data: string): 'json' | 'xml' | undefined {
  const first = data.trimStart()[0];
  return first === '{' ? 'json' : first === '<' ? 'xml' : undefined;
}

/** Nest wrapper so the parser runs after `NegotiationMiddleware` and reads its settings from config. */
@Injectable()
export class BodyParserMiddleware implements NestMiddleware {
  private readonly handler: RequestHandler;

  constructor(config: AppConfig) {
    this.handler = bodyParserMiddleware(config.BODY_LIMIT_BYTES);
  }

  use(req: Request, res: Response, next: NextFunction): void {
    void this.handler(req, res, next);
  }
}
