import { NotFoundException } from '@nestjs/common';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { AppError } from './app-error';
import { ECHOED_HEADER_MAX_CHARACTERS, ECHOED_VALUE_MAX_CHARACTERS } from './echoed-value';
import { RETRY_AFTER } from './error-catalogue';
import { toAppError, unavailableCause } from './ws-error';

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

  it.each([
    ['ER_RECORD_FILE_FULL', "The table 'activity' is full"],
    ['ER_DISK_FULL', 'Disk full (/var/lib/mysql); waiting for someone to free some space'],
    ['ER_OPTION_PREVENTS_STATEMENT', 'The MariaDB server is running with the --read-only option so it cannot execute this statement'],
    ['ER_LOCK_WAIT_TIMEOUT', 'Lock wait timeout exceeded; try restarting transaction'],
  ])('takes a database that cannot take the request for now (%s) as unavailable, worth a retry, and keeps its cause for the log', (code, message) => {
    const driverError = Object.assign(new Error(message), { code });
    const queryFailed = Object.assign(new Error(message), { driverError, code });
    const { error, internal } = toAppError(queryFailed);
    expect(error.kind).toBe('ServiceUnavailable');
    expect(error.headers).toEqual({ 'Retry-After': '5' });
    expect(internal).toBe(false);
    expect(unavailableCause(queryFailed)).toEqual({ code, message });
  });

  it('masks what the cause it keeps for the log quotes, as every logged error', () => {
    const err = Object.assign(new Error('connect ECONNREFUSED mysql://app:s3cret@db.internal:3306/messaging?ssl=token'), { code: 'ECONNREFUSED' });
    expect(unavailableCause(err)).toEqual({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED mysql://…@db.internal:3306/…?…' });
  });

  it('keeps an unknown driver error internal (500), with no cause named as unavailable', () => {
    const err = Object.assign(new Error("Unknown column 'x' in 'field list'"), { code: 'ER_BAD_FIELD_ERROR' });
    expect(toAppError(err)).toMatchObject({ error: { kind: 'InternalError' }, internal: true });
    expect(unavailableCause(err)).toBeUndefined();
  });

  it.each([
    ['a database that does not answer', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })],
    ['a 503 of the HTTP stack', { status: 503, message: 'unavailable' }],
    ['a 429 of the HTTP stack', { status: 429, message: 'too many' }],
  ])('gives %s the Retry-After the document declares for its kind', (_what, thrown) => {
    const { error } = toAppError(thrown);
    expect(RETRY_AFTER[error.kind]).toBeDefined();
    expect(Number(error.headers['Retry-After'])).toBeGreaterThanOrEqual(1);
  });

  it.each([500, 502])('keeps a %i of the HTTP stack internal, its message never reaching the client', (status) => {
    const { error, internal } = toAppError({ status, message: 'upstream failed at 10.0.0.7:3306 as root' });
    expect([error.kind, error.developerMessage, internal]).toEqual(['InternalError', 'internal error', true]);
  });

  it('keeps the Retry-After an error was raised with', () => {
    const { error } = toAppError(new AppError('TooManyRequests', 'limit', undefined, {}, { 'Retry-After': '42' }));
    expect(error.headers['Retry-After']).toBe('42');
  });

  it('repeats the path of a route that does not exist cut to a bounded length, and never its query string', () => {
    const path = `/system/ws/v19/clientapplications/${'a'.repeat(10000)}`;
    const { error } = toAppError(new NotFoundException(`Cannot GET ${path}?client_secret=s3cr3t&x=1`));
    expect(error.kind).toBe('RouteNotFound');
    expect(error.developerMessage).toBe(`Cannot GET ${path.slice(0, ECHOED_HEADER_MAX_CHARACTERS)}…`);
    expect(toAppError(new NotFoundException('Cannot POST /nothing?token=t')).error.developerMessage).toBe('Cannot POST /nothing');
  });

  it('repeats a path segment that is not percent-encoded UTF-8 cut as any echoed value', () => {
    const segment = `%ff${'b'.repeat(10000)}`;
    const { error } = toAppError(Object.assign(new URIError(`Failed to decode param '${segment}'`), { status: 400 }));
    expect([error.kind, error.details]).toEqual(['InvalidRequest', 'URL']);
    expect(error.developerMessage).toBe(`Failed to decode param '${segment.slice(0, ECHOED_VALUE_MAX_CHARACTERS)}…'`);
  });
});
