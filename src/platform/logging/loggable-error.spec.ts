import { QueryFailedError } from 'typeorm';
import { stdSerializers } from 'pino';
import { maskedErrorText } from '../errors/masked-error-text';
import { loggableError } from './loggable-error';

describe('loggableError', () => {
  it.each([
    ["Duplicate entry 'ada@example.com-0' for key 'uq_contact_point_lookup_key'", "Duplicate entry '…' for key 'uq_contact_point_lookup_key'"],
    ["Duplicate entry 'O'Brien' for key 'PRIMARY'", "Duplicate entry '…' for key 'PRIMARY'"],
    ["Incorrect string value: '\\xF0\\x9F\\x98' for column 'first_name' at row 1", "Incorrect string value: '…' for column 'first_name' at row 1"],
    ["Truncated incorrect DOUBLE value: 'ada'", "Truncated incorrect DOUBLE value: '…'"],
    ["You have an error in your SQL syntax; check the manual near 'ada@example.com', 0)' at line 1", "You have an error in your SQL syntax; check the manual near '…' at line 1"],
    ["Data too long for column 'value' at row 1", "Data too long for column 'value' at row 1"],
    ["Lock wait timeout exceeded; try restarting transaction", 'Lock wait timeout exceeded; try restarting transaction'],
  ])('masks the values MySQL quotes and keeps the names: %s', (message, masked) => {
    expect(maskedErrorText(message)).toBe(masked);
    expect(loggableError(message)).toBe(masked);
  });

  it.each([
    ['Request cannot be constructed from a URL that includes credentials: https://hooks:s3cr3t@receiver.example/chat?token=abc', 'Request cannot be constructed from a URL that includes credentials: https://…@receiver.example/…?…'],
    ['Failed to parse URL from http://hooks:p@ss@receiver.example:99999/x', 'Failed to parse URL from http://…@receiver.example:99999/…'],
    ['connect ECONNREFUSED https://receiver.example/chat?token=abc&x=1 (retrying)', 'connect ECONNREFUSED https://receiver.example/…?… (retrying)'],
    ['getaddrinfo ENOTFOUND receiver.example', 'getaddrinfo ENOTFOUND receiver.example'],
  ])('masks the credentials and the query string of a URL and keeps where it points: %s', (message, masked) => {
    expect(maskedErrorText(message)).toBe(masked);
    expect(loggableError(message)).toBe(masked);
  });

  it.each([
    ['ada@example.com is here', `Unexpected token 'a', "…" is not valid JSON`],
    ['{"email":"ada@example.com" x}', `Expected ',' or '}' after property value in JSON at position 27`],
    ['ab', `Unexpected token 'a', "…" is not valid JSON`],
  ])('masks the text JSON.parse quotes and keeps the token and the position: %s', (text, masked) => {
    let message = '';
    try {
      JSON.parse(text);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(maskedErrorText(message)).toBe(masked);
    expect(maskedErrorText('"[object Object]" is not valid JSON')).toBe('"…" is not valid JSON');
    expect(maskedErrorText(`Unexpected token 'x', ..."ample.com"... is not valid JSON`)).toBe(`Unexpected token 'x', "…" is not valid JSON`);
  });

  function failedStatement(): QueryFailedError {
    const driverError = Object.assign(new Error("Duplicate entry 'ada@example.com' for key 'PRIMARY'"), {
      code: 'ER_DUP_ENTRY', errno: 1062, sqlState: '23000', sqlMessage: "Duplicate entry 'ada@example.com' for key 'PRIMARY'",
      sql: "INSERT INTO t (email) VALUES ('ada@example.com')",
    });
    return new QueryFailedError('INSERT INTO t (email) VALUES (?)', ['ada@example.com'], driverError);
  }

  it.each([
    ['an Error (Nest\'s loggers)', (e: Error) => e],
    ['pino\'s serialization of one (pino-http)', (e: Error) => stdSerializers.err(e)],
  ])('keeps of a failed statement its code, statement and masked message, never its parameters or values: %s', (_, given) => {
    const logged = loggableError(given(failedStatement())) as Record<string, unknown>;
    expect(logged).toMatchObject({ type: 'QueryFailedError', message: "Duplicate entry '…' for key 'PRIMARY'", code: 'ER_DUP_ENTRY', errno: 1062, sqlState: '23000', query: 'INSERT INTO t (email) VALUES (?)' });
    expect(String(logged.stack)).toMatch(/^QueryFailedError: Duplicate entry '…' for key 'PRIMARY'\n\s+at /);
    expect(JSON.stringify(logged)).not.toContain('ada@example.com');
  });

  it('masks a cause as the error itself, and leaves what is no error as it is', () => {
    const logged = loggableError(new Error('delivery failed', { cause: failedStatement() })) as { cause: Record<string, unknown> };
    expect(logged.cause).toMatchObject({ code: 'ER_DUP_ENTRY', message: "Duplicate entry '…' for key 'PRIMARY'" });
    expect(JSON.stringify(logged)).not.toContain('ada@example.com');
    expect(loggableError({ statusCode: 500 })).toEqual({ statusCode: 500 });
    expect(loggableError(undefined)).toBeUndefined();
  });
});
