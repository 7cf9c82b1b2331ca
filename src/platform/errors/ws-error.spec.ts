import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { AppError } from './app-error';
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

  it('keeps the Retry-After an error was raised with', () => {
    const { error } = toAppError(new AppError('TooManyRequests', 'limit', undefined, {}, { 'Retry-After': '42' }));
    expect(error.headers['Retry-After']).toBe('42');
  });
});
