import { QueryFailedError } from 'typeorm';

/**
 * A statement refused for a duplicate e-mail address, as TypeORM throws it: the address in its
 * message, its parameters, the driver's message and its statement's text. crash-on-signal.js
 * throws the same error in a running process (a preload, so it cannot import this file).
 */
export function duplicateEntry(): QueryFailedError {
  const driverError = Object.assign(new Error("Duplicate entry 'ada@example.com' for key 'ux_contact_point_key'"), {
    code: 'ER_DUP_ENTRY',
    errno: 1062,
    sqlState: '23000',
    sql: "INSERT INTO contact_point (value) VALUES ('ada@example.com')",
  });
  return new QueryFailedError('INSERT INTO contact_point (value) VALUES (?)', ['ada@example.com'], driverError);
}

/** That error as a log line's `err` keeps it: by its allowed fields, the address masked. */
export const MASKED_DUPLICATE_ENTRY = {
  type: 'QueryFailedError',
  message: "Duplicate entry '…' for key 'ux_contact_point_key'",
  stack: expect.stringMatching(/^QueryFailedError: Duplicate entry '…' for key 'ux_contact_point_key'\n\s+at /),
  code: 'ER_DUP_ENTRY',
  errno: 1062,
  sqlState: '23000',
  query: 'INSERT INTO contact_point (value) VALUES (?)',
};
