import 'reflect-metadata';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppConfig, ConfigurationError, assignmentConcurrency, blockPrivateCallbackAddresses, corsOrigins, throttleStore, validateEnv } from './app-config';

function messageOf(env: Record<string, string>): string {
  try {
    validateEnv(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigurationError);
    return (err as Error).message;
  }
  throw new Error(`expected ${JSON.stringify(env)} to be refused`);
}

describe('validateEnv', () => {
  it('accepts an empty environment: every setting has a working default', () => {
    const config = validateEnv({});
    expect(config).toBeInstanceOf(AppConfig);
    expect(config.CONTEXT_PATH).toBe('/system');
    expect(config.WORKER_HEALTH_PORT).toBeUndefined();
  });

  it('turns numeric settings into numbers', () => {
    const config = validateEnv({ HTTP_PORT: '8080', WORKER_HEALTH_PORT: '9000', API_PROCESSES: '2' });
    expect([config.HTTP_PORT, config.WORKER_HEALTH_PORT, config.API_PROCESSES]).toEqual([8080, 9000, 2]);
  });

  it.each([
    ['HTTP_PORT', 'abc', 'must be an integer number'],
    ['HTTP_PORT', '70000', 'must not be greater than 65535'],
    ['WORKER_HEALTH_PORT', 'x', 'must be an integer number'],
    ['LOG_LEVEL', 'loud', 'must be one of the following values'],
    ['NODE_ENV', 'prod', 'must be one of the following values'],
    ['CONTEXT_PATH', 'system', 'must be empty or start with "/"'],
    ['DB_NAME', 'my-db', 'letters, digits and _ only'],
    ['REDIS_PREFIX', 'a b', 'may hold letters, digits'],
    ['ASSIGNMENT_DEFAULT_STRATEGY', 'random', 'must be one of the following values'],
    ['API_PROCESSES', '0', 'must not be less than 1'],
    ['DEFAULT_LANGUAGE', 'it', 'must be one of the following values: de, en, es, fr'],
    ['ASSIGNMENT_CONCURRENCY', '1001', 'must not be greater than 1000'],
    // Node's requestTimeout (5 min) would cut the headers off first, with no word of the setting.
    ['HEADERS_TIMEOUT_MS', '300001', 'must not be greater than 300000'],
    ['HEADERS_TIMEOUT_MS', '999', 'must not be less than 1000'],
    // No request of any connection would ever be worked on.
    ['PIPELINED_REQUESTS_LIMIT', '0', 'must not be less than 1'],
    ['TRANSCRIPT_PAGE_MAX_BYTES', '1023', 'must not be less than 1024'],
    // Typing that ends before a poll could see it; or typing shown minutes after the widget was closed.
    ['CUSTOMER_TYPING_TTL_MS', '999', 'must not be less than 1000'],
    ['CUSTOMER_TYPING_TTL_MS', '120001', 'must not be greater than 120000'],
  ])('names %s=%s and says what is wrong', (name, value, reason) => {
    const message = messageOf({ [name]: value });
    expect(message).toContain(`${name}=${JSON.stringify(value)}`);
    expect(message).toContain(reason);
  });

  // Number() reads " " as 0, which for a limit means "off" and for HTTP_PORT any free port;
  // and it reads "0x50" as 80 and "1e3" as 1000, numbers the operator never wrote.
  it.each([
    ['HTTP_PORT', ' '],
    ['START_THROTTLE_LIMIT_PER_CUSTOMER', '\t'],
    ['API_PROCESS_RESTART_LIMIT', ' '],
    ['WORKER_HEALTH_PORT', '  '],
    ['HTTP_PORT', '0x50'],
    ['SESSION_CACHE_TTL_MS', '1e3'],
    ['DB_PORT', '3306.0'],
  ])('refuses %s=%j: an integer setting is written in decimal digits', (name, value) => {
    expect(messageOf({ [name]: value })).toContain(`${name}=${JSON.stringify(value)}: ${name} must be an integer number`);
  });

  it('takes an integer setting with a sign or blanks around its digits', () => {
    const config = validateEnv({ HTTP_PORT: ' 8080 ', START_THROTTLE_LIMIT_PER_CUSTOMER: '+5', SESSION_CACHE_TTL_MS: '0' });
    expect([config.HTTP_PORT, config.START_THROTTLE_LIMIT_PER_CUSTOMER, config.SESSION_CACHE_TTL_MS]).toEqual([8080, 5, 0]);
    expect(messageOf({ DB_POOL_SIZE: '-1' })).toContain('DB_POOL_SIZE="-1": DB_POOL_SIZE must not be less than 1');
  });

  it('takes as DEFAULT_LANGUAGE any language with a catalogue in src/i18n', () => {
    expect(validateEnv({ DEFAULT_LANGUAGE: 'fr' }).DEFAULT_LANGUAGE).toBe('fr');
  });

  it('takes an empty CONTEXT_PATH as none: the API at the root of the server', () => {
    expect(validateEnv({ CONTEXT_PATH: '' }).CONTEXT_PATH).toBe('');
    expect(validateEnv({ CONTEXT_PATH: '/api' }).CONTEXT_PATH).toBe('/api');
  });

  it('takes DB_SOCKET_PATH as an absolute path, empty as TCP', () => {
    expect(validateEnv({ DB_SOCKET_PATH: '/run/mysqld/mysqld.sock' }).DB_SOCKET_PATH).toBe('/run/mysqld/mysqld.sock');
    expect(validateEnv({ DB_SOCKET_PATH: '' }).DB_SOCKET_PATH).toBeUndefined();
    expect(messageOf({ DB_SOCKET_PATH: 'mysqld.sock' })).toContain('DB_SOCKET_PATH must be an absolute path');
  });

  it('answers CORS for no origin by default, and for the origins CORS_ORIGINS lists', () => {
    expect(corsOrigins(validateEnv({}))).toBe('none');
    expect(corsOrigins(validateEnv({ CORS_ORIGINS: '' }))).toBe('none');
    expect(corsOrigins(validateEnv({ CORS_ORIGINS: '*' }))).toBe('any');
    expect(corsOrigins(validateEnv({ CORS_ORIGINS: 'https://desk.example.com,http://localhost:8080' }))).toEqual(['https://desk.example.com', 'http://localhost:8080']);
  });

  it('refuses a CORS_ORIGINS entry that is no origin, naming it and the form to write', () => {
    const message = messageOf({ CORS_ORIGINS: 'https://desk.example.com/, localhost:8080', HTTP_PORT: 'x' });
    expect(message).toContain('CORS_ORIGINS="https://desk.example.com/, localhost:8080": ');
    expect(message).toContain('"https://desk.example.com/" is not written as browsers send it; write https://desk.example.com');
    expect(message).toContain('"localhost:8080" is not an http or https origin');
    // Listed beside the other settings' problems, in the one message start-up prints.
    expect(message).toContain('HTTP_PORT="x"');
  });

  it('counts the throttles in Redis by default only with several api processes, and as THROTTLE_STORE says when set', () => {
    expect(throttleStore(validateEnv({}))).toBe('memory');
    expect(throttleStore(validateEnv({ API_PROCESSES: '2' }))).toBe('redis');
    expect(throttleStore(validateEnv({ API_PROCESSES: '1', THROTTLE_STORE: 'redis' }))).toBe('redis');
    expect(throttleStore(validateEnv({ API_PROCESSES: '4', THROTTLE_STORE: 'memory' }))).toBe('memory');
    expect(throttleStore(validateEnv({ THROTTLE_STORE: '' }))).toBe('memory');
    expect(() => validateEnv({ THROTTLE_STORE: 'postgres' })).toThrow(/THROTTLE_STORE="postgres"/);
  });

  it('still takes START_THROTTLE_STORE, the old name of THROTTLE_STORE, and refuses the two set apart', () => {
    expect(throttleStore(validateEnv({ API_PROCESSES: '1', START_THROTTLE_STORE: 'redis' }))).toBe('redis');
    expect(throttleStore(validateEnv({ API_PROCESSES: '4', START_THROTTLE_STORE: 'memory' }))).toBe('memory');
    expect(() => validateEnv({ START_THROTTLE_STORE: 'postgres' })).toThrow(/START_THROTTLE_STORE="postgres"/);
    expect(throttleStore(validateEnv({ THROTTLE_STORE: 'redis', START_THROTTLE_STORE: 'redis' }))).toBe('redis');
    expect(() => validateEnv({ THROTTLE_STORE: 'redis', START_THROTTLE_STORE: 'memory' })).toThrow(/THROTTLE_STORE and START_THROTTLE_STORE \(its old name\) differ/);
  });

  it('takes SECRETS_KEY only as the base64 of 32 bytes', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    expect(validateEnv({ SECRETS_KEY: key }).SECRETS_KEY).toBe(key);
    expect(validateEnv({ SECRETS_KEY: '' }).SECRETS_KEY).toBeUndefined();
    expect(messageOf({ SECRETS_KEY: Buffer.alloc(16, 7).toString('base64') })).toContain('SECRETS_KEY must be the base64 of 32 random bytes');
  });

  it('takes SECRETS_KEY_PREVIOUS as one or more such keys, comma-separated', () => {
    const [a, b] = [Buffer.alloc(32, 1).toString('base64'), Buffer.alloc(32, 2).toString('base64')];
    expect(validateEnv({ SECRETS_KEY_PREVIOUS: a }).SECRETS_KEY_PREVIOUS).toBe(a);
    expect(validateEnv({ SECRETS_KEY_PREVIOUS: `${a},${b}` }).SECRETS_KEY_PREVIOUS).toBe(`${a},${b}`);
    expect(messageOf({ SECRETS_KEY_PREVIOUS: `${a}, ${b}` })).toContain('SECRETS_KEY_PREVIOUS must be base64 keys of 32 bytes');
    expect(messageOf({ SECRETS_KEY_PREVIOUS: Buffer.alloc(16, 7).toString('base64') })).toContain('SECRETS_KEY_PREVIOUS must be base64 keys of 32 bytes');
  });

  it('names a wrong secret setting without its value, which start-up would write to its output', () => {
    const almost = `${Buffer.alloc(32, 7).toString('base64')}\n`;
    const previous = Buffer.alloc(16, 9).toString('base64');
    const message = messageOf({ SECRETS_KEY: almost, SECRETS_KEY_PREVIOUS: previous });
    expect(message).toContain('SECRETS_KEY=(secret, 45 characters): SECRETS_KEY must be the base64 of 32 random bytes');
    expect(message).toContain('SECRETS_KEY_PREVIOUS=(secret, 24 characters): SECRETS_KEY_PREVIOUS must be base64 keys');
    expect(message).not.toContain(almost.trim());
    expect(message).not.toContain(previous);
  });

  it('lists every wrong setting at once, one per line', () => {
    const lines = messageOf({ HTTP_PORT: 'abc', LOG_LEVEL: 'loud', DB_PORT: '0' }).split('\n');
    expect(lines[0]).toBe('Invalid configuration:');
    expect(lines.slice(1).map((l) => l.trim().split('=')[0]).sort()).toEqual(['DB_PORT', 'HTTP_PORT', 'LOG_LEVEL']);
  });

  // Node runs no timer longer than 2^31 - 1 ms: a longer one fires after 1 ms, so a request
  // timeout of 3000000000 answered every request 503 at once and a heartbeat interval of it
  // wrote the heartbeat every millisecond.
  const durations = Object.keys(new AppConfig()).filter((name) => name.endsWith('_MS'));

  it.each(durations)('refuses %s longer than the longest timer Node.js runs (2147483647 ms)', (name) => {
    const message = messageOf({ [name]: '2147483648' });
    expect(message).toContain(`${name}="2147483648"`);
    expect(message).toMatch(new RegExp(`${name} must not be greater than \\d+`));
  });

  it('accepts 2147483647 ms where a setting has no smaller limit', () => {
    const config = validateEnv({ REQUEST_TIMEOUT_MS: '2147483647', WORKER_HEARTBEAT_TTL_MS: '2147483647', OUTBOX_POLL_INTERVAL_MS: '2147483647' });
    expect([config.REQUEST_TIMEOUT_MS, config.WORKER_HEARTBEAT_TTL_MS, config.OUTBOX_POLL_INTERVAL_MS]).toEqual([2147483647, 2147483647, 2147483647]);
  });

  // The database adds these to NOW(3) or takes them from it: far enough, the DATETIME leaves
  // years 1000..9999 and the statement fails (every login 500) or compares with NULL (no drain
  // finds a waiting chat).
  const secondDurations = Object.keys(new AppConfig()).filter((name) => name.endsWith('_SECONDS'));

  it.each(secondDurations)('refuses %s of more than 2147483647 s (about 68 years)', (name) => {
    const message = messageOf({ [name]: '2147483648' });
    expect(message).toContain(`${name}="2147483648"`);
    expect(message).toMatch(new RegExp(`${name} must not be greater than \\d+`));
  });

  it('accepts 2147483647 s where a setting has no smaller limit', () => {
    const config = validateEnv({ SESSION_TTL_SECONDS: '2147483647', ASSIGNMENT_MAX_WAIT_SECONDS: '2147483647' });
    expect([config.SESSION_TTL_SECONDS, config.ASSIGNMENT_MAX_WAIT_SECONDS]).toEqual([2147483647, 2147483647]);
  });

  const hourDurations = Object.keys(new AppConfig()).filter((name) => name.endsWith('_HOURS'));

  it.each(hourDurations)('refuses %s of more than 596523 h (2147483647 s, about 68 years)', (name) => {
    const message = messageOf({ [name]: '596524' });
    expect(message).toContain(`${name}="596524"`);
    expect(message).toMatch(new RegExp(`${name} must not be greater than 596523`));
    expect(validateEnv({ [name]: '596523' })[name as keyof AppConfig]).toBe(596523);
  });

  it('refuses a heartbeat TTL that is not longer than the heartbeat interval, naming both', () => {
    const message = messageOf({ WORKER_HEARTBEAT_INTERVAL_MS: '2000', WORKER_HEARTBEAT_TTL_MS: '1000' });
    expect(message).toContain('WORKER_HEARTBEAT_TTL_MS');
    expect(message).toContain('WORKER_HEARTBEAT_INTERVAL_MS');
    // A TTL equal to the interval lets a live worker's heartbeat lapse between two writes.
    expect(messageOf({ WORKER_HEARTBEAT_INTERVAL_MS: '2000', WORKER_HEARTBEAT_TTL_MS: '2000' })).toContain('WORKER_HEARTBEAT_TTL_MS must be greater than');
    expect(validateEnv({ WORKER_HEARTBEAT_INTERVAL_MS: '2000', WORKER_HEARTBEAT_TTL_MS: '2001' }).WORKER_HEARTBEAT_TTL_MS).toBe(2001);
  });

  it('refuses a webhook retry ceiling below the first retry delay, and takes one equal to it', () => {
    const message = messageOf({ WEBHOOK_RETRY_BASE_MS: '5000', WEBHOOK_RETRY_MAX_MS: '4999' });
    expect(message).toContain('WEBHOOK_RETRY_MAX_MS must not be less than WEBHOOK_RETRY_BASE_MS');
    expect(validateEnv({ WEBHOOK_RETRY_BASE_MS: '5000', WEBHOOK_RETRY_MAX_MS: '5000' }).WEBHOOK_RETRY_MAX_MS).toBe(5000);
  });

  it('refuses private callback addresses by default everywhere but NODE_ENV=development, and as CALLBACK_BLOCK_PRIVATE_ADDRESSES says when set', () => {
    expect(['development', 'test', 'production'].map((NODE_ENV) => blockPrivateCallbackAddresses(validateEnv({ NODE_ENV })))).toEqual([false, true, true]);
    expect(blockPrivateCallbackAddresses(validateEnv({ NODE_ENV: 'development', CALLBACK_BLOCK_PRIVATE_ADDRESSES: 'true' }))).toBe(true);
    expect(blockPrivateCallbackAddresses(validateEnv({ NODE_ENV: 'production', CALLBACK_BLOCK_PRIVATE_ADDRESSES: 'false' }))).toBe(false);
    expect(messageOf({ CALLBACK_BLOCK_PRIVATE_ADDRESSES: 'yes' })).toContain('CALLBACK_BLOCK_PRIVATE_ADDRESSES="yes"');
  });

  it('refuses a liveness ping timeout that is not longer than the ping interval, naming both', () => {
    const message = messageOf({ API_PROCESS_PING_INTERVAL_MS: '5000', API_PROCESS_PING_TIMEOUT_MS: '5000' });
    expect(message).toContain('API_PROCESS_PING_TIMEOUT_MS');
    expect(message).toContain('API_PROCESS_PING_INTERVAL_MS');
  });
});

describe('assignmentConcurrency', () => {
  const cwd = process.cwd();
  const saved = process.env.ASSIGNMENT_CONCURRENCY;
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'env-'));
    process.chdir(dir);
    delete process.env.ASSIGNMENT_CONCURRENCY;
  });
  afterEach(() => {
    process.chdir(cwd);
    rmSync(dir, { recursive: true, force: true });
    if (saved === undefined) delete process.env.ASSIGNMENT_CONCURRENCY;
    else process.env.ASSIGNMENT_CONCURRENCY = saved;
  });

  it('reads .env itself: the processor declares its concurrency before the worker has loaded the file', () => {
    writeFileSync(join(dir, '.env'), 'ASSIGNMENT_CONCURRENCY=5\n');
    expect(assignmentConcurrency()).toBe(5);
  });

  it('lets the environment win over .env', () => {
    writeFileSync(join(dir, '.env'), 'ASSIGNMENT_CONCURRENCY=5\n');
    process.env.ASSIGNMENT_CONCURRENCY = '3';
    expect(assignmentConcurrency()).toBe(3);
  });

  it('gives the documented default without a setting, and for an invalid one (start-up then stops on it)', () => {
    expect(assignmentConcurrency()).toBe(new AppConfig().ASSIGNMENT_CONCURRENCY);
    process.env.ASSIGNMENT_CONCURRENCY = 'many';
    expect(assignmentConcurrency()).toBe(new AppConfig().ASSIGNMENT_CONCURRENCY);
  });
});
