import { CheckTimeout, FailureLogThrottle, reasonOf } from './check-failure';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('reasonOf', () => {
  it('answers a reason that names no host or port for the errors of a connection', () => {
    expect(reasonOf(withCode('connect ECONNREFUSED 10.0.3.7:3306', 'ECONNREFUSED'))).toBe('refused');
    expect(reasonOf(withCode('getaddrinfo ENOTFOUND db.internal', 'ENOTFOUND'))).toBe('unreachable');
    expect(reasonOf(withCode('connect EHOSTUNREACH 10.0.3.7:6379', 'EHOSTUNREACH'))).toBe('unreachable');
    expect(reasonOf(withCode('connect ETIMEDOUT', 'ETIMEDOUT'))).toBe('timeout');
    expect(reasonOf(withCode('Connection lost: The server closed the connection.', 'PROTOCOL_CONNECTION_LOST'))).toBe('connection lost');
    expect(reasonOf(withCode("Access denied for user 'app'@'10.0.3.9'", 'ER_ACCESS_DENIED_ERROR'))).toBe('access denied');
    expect(reasonOf(new Error('WRONGPASS invalid username-password pair'))).toBe('access denied');
    expect(reasonOf(new CheckTimeout('redis did not answer within 1000 ms'))).toBe('timeout');
    expect(reasonOf(new Error('something else at db.internal:3306'))).toBe('failed');
    expect(reasonOf('not an error')).toBe('failed');
  });

  it.each([
    ['ECONNREFUSED', 'refused'],
    ['ETIMEDOUT', 'timeout'],
    ['EHOSTUNREACH', 'unreachable'],
    ['ENETUNREACH', 'unreachable'],
    ['ENOTFOUND', 'unreachable'],
    ['EAI_AGAIN', 'unreachable'],
    ['ECONNRESET', 'connection lost'],
    ['EPIPE', 'connection lost'],
    ['PROTOCOL_CONNECTION_LOST', 'connection lost'],
    ['ER_ACCESS_DENIED_ERROR', 'access denied'],
    ['ER_DBACCESS_DENIED_ERROR', 'access denied'],
  ])('answers the error code %s as %s', (code, reason) => {
    expect(reasonOf(withCode(`${code} at db.internal:3306`, code))).toBe(reason);
  });

  it('answers a Redis authentication refusal, sent as an error reply without a code, as access denied', () => {
    expect(reasonOf(new Error('NOAUTH Authentication required.'))).toBe('access denied');
    expect(reasonOf(new Error('WRONGPASS invalid username-password pair or user is disabled.'))).toBe('access denied');
    expect(reasonOf(new Error('ERR unknown command NOAUTHX'))).toBe('failed');
  });

  it('reads the code of the driver error TypeORM wraps, and of each address a connection tried', () => {
    expect(reasonOf(Object.assign(new Error('query failed'), { driverError: withCode('connect ECONNREFUSED 127.0.0.1:3306', 'ECONNREFUSED') }))).toBe('refused');
    const tries = new AggregateError([withCode('connect ECONNREFUSED ::1:6379', 'ECONNREFUSED'), withCode('connect ECONNREFUSED 127.0.0.1:6379', 'ECONNREFUSED')]);
    expect(reasonOf(tries)).toBe('refused');
  });
});

describe('FailureLogThrottle', () => {
  it('logs a failure once an interval per check, at once when its message changes or after it recovered', () => {
    let now = 0;
    const throttle = new FailureLogThrottle(60_000, () => now);
    expect(throttle.shouldLog('mysql', 'refused at :3306')).toBe(true);
    now = 5_000;
    expect(throttle.shouldLog('mysql', 'refused at :3306')).toBe(false);
    expect(throttle.shouldLog('redis', 'refused at :6379')).toBe(true);
    expect(throttle.shouldLog('mysql', 'access denied')).toBe(true);
    now = 64_999;
    expect(throttle.shouldLog('mysql', 'access denied')).toBe(false);
    now = 65_000;
    expect(throttle.shouldLog('mysql', 'access denied')).toBe(true);
    throttle.recovered('mysql');
    expect(throttle.shouldLog('mysql', 'access denied')).toBe(true);
  });
});
