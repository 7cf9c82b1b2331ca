import { plainToInstance } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, ValidateBy, validateSync } from 'class-validator';
import { catalogueLanguages } from '../i18n/catalogues';
import { type CorsOrigins, parseCorsOrigins } from './cors-origins';
import { IntegerSetting } from './integer-setting';
import { loadEnvFile } from './load-env';

/** Longest time a replaced signing secret may keep signing beside the new one: 30 days. */
export const MAX_SECRET_OVERLAP_SECONDS = 30 * 86400;

/**
 * Longest duration a millisecond setting may have: 2^31 - 1 ms (about 24.8 days), the longest
 * timer Node.js runs. A longer one fires after 1 ms (TimeoutOverflowWarning): a request timeout
 * beyond it would answer every request 503 at once.
 */
export const MAX_DURATION_MS = 2 ** 31 - 1;

/**
 * Longest duration a setting in seconds may have: 2^31 - 1 s (about 68 years). The database
 * adds and subtracts these from NOW(3), and a DATETIME outside years 1000..9999 is an error or
 * NULL: a session TTL of 10^12 s answered every login 500, and a maximum wait of 10^11 s made
 * every drain find no waiting chat.
 */
export const MAX_DURATION_SECONDS = 2 ** 31 - 1;

/** The same bound for a setting in hours (about 68 years): a retention of 10^8 h made every prune compare with NULL, and nothing was ever pruned. */
export const MAX_DURATION_HOURS = Math.floor(MAX_DURATION_SECONDS / 3600);

/** Longest HEADERS_TIMEOUT_MS: Node's `requestTimeout` (5 min) bounds the whole request, headers included. */
export const MAX_HEADERS_TIMEOUT_MS = 300_000;

/**
 * Every setting the api and the worker read, validated once at start-up.
 * `.env.example` documents each one; the defaults here are the documented ones.
 */
export class AppConfig {
  @IsIn(['development', 'production', 'test']) NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @IntegerSetting() @IsInt() @Min(0) @Max(65535) HTTP_PORT = 3000;
  @IsString() HTTP_HOST = '0.0.0.0';
  @Matches(/^(\/[A-Za-z0-9._-]+)*$/, { message: 'CONTEXT_PATH must be empty or start with "/" (e.g. /system)' })
  CONTEXT_PATH = '/system';
  @IntegerSetting() @IsInt() @Min(1024) @Max(10 * 1024 * 1024) BODY_LIMIT_BYTES = 65536;
  @IntegerSetting() @IsInt() @Min(1) @Max(64) API_PROCESSES = 1;
  /** More unplanned exits of api processes than this within API_PROCESS_RESTART_WINDOW_MS stop the api with code 1 (restart-budget.ts). */
  @IntegerSetting() @IsInt() @Min(0) @Max(1000) API_PROCESS_RESTART_LIMIT = 5;
  @IntegerSetting() @IsInt() @Min(1000) @Max(MAX_DURATION_MS) API_PROCESS_RESTART_WINDOW_MS = 60000;
  /** The primary pings each api process this often, and kills one silent for API_PROCESS_PING_TIMEOUT_MS (liveness.ts). */
  @IntegerSetting() @IsInt() @Min(100) @Max(MAX_DURATION_MS) API_PROCESS_PING_INTERVAL_MS = 5000;
  @IntegerSetting() @IsInt() @Min(1000) @Max(MAX_DURATION_MS) API_PROCESS_PING_TIMEOUT_MS = 30000;
  @IntegerSetting() @IsInt() @Min(100) @Max(MAX_DURATION_MS) REQUEST_TIMEOUT_MS = 15000;
  /** Node's own default; a request line and headers still arriving after it are 408-101 (headers-timeout.ts). */
  @IntegerSetting() @IsInt() @Min(1000) @Max(MAX_HEADERS_TIMEOUT_MS) HEADERS_TIMEOUT_MS = 60000;
  /** Requests of one connection worked on at once; those pipelined beyond wait, the connection unread (pipelined-requests.ts). */
  @IntegerSetting() @IsInt() @Min(1) @Max(256) PIPELINED_REQUESTS_LIMIT = 4;
  /** Bytes of message text a transcript page holds at most; it ends early, with `next`, before the message that would pass them (transcript-page.ts). */
  @IntegerSetting() @IsInt() @Min(1024) TRANSCRIPT_PAGE_MAX_BYTES = 1048576;
  /** Origins whose pages may call the API from a browser, comma-separated, or `*`; unset: no CORS (cors-origins.ts). */
  @IsOptional()
  @ValidateBy({
    name: 'isCorsOrigins',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && 'origins' in parseCorsOrigins(value),
      defaultMessage: (args) => {
        const parsed = typeof args?.value === 'string' ? parseCorsOrigins(args.value) : { problems: ['must be a string'] };
        return 'problems' in parsed ? parsed.problems.join('; ') : '';
      },
    },
  })
  CORS_ORIGINS?: string;

  @IsString() DB_HOST = '127.0.0.1';
  @IntegerSetting() @IsInt() @Min(1) @Max(65535) DB_PORT = 3306;
  /** A Unix socket of a database on the same host; when set, DB_HOST and DB_PORT are not used. */
  @IsOptional() @Matches(/^\//, { message: 'DB_SOCKET_PATH must be an absolute path' }) DB_SOCKET_PATH?: string;
  @IsString() DB_USER = 'root';
  @IsString() DB_PASSWORD = '';
  @IsString() @Matches(/^[A-Za-z0-9_]+$/, { message: 'DB_NAME may hold letters, digits and _ only' }) DB_NAME = 'messaging';
  @IntegerSetting() @IsInt() @Min(1) @Max(200) DB_POOL_SIZE = 20;
  @IntegerSetting() @IsInt() @Min(100) @Max(MAX_DURATION_MS) DB_CONNECT_TIMEOUT_MS = 5000;

  @IsString() REDIS_HOST = '127.0.0.1';
  @IntegerSetting() @IsInt() @Min(1) @Max(65535) REDIS_PORT = 6379;
  @IsString() @Matches(/^[A-Za-z0-9:_-]+$/, { message: 'REDIS_PREFIX may hold letters, digits, ":", "_" and "-"' }) REDIS_PREFIX = 'msg';

  @IntegerSetting() @IsInt() @Min(60) @Max(MAX_DURATION_SECONDS) SESSION_TTL_SECONDS = 86400;
  @IntegerSetting() @IsInt() @Min(1) SESSION_MAX_PER_APPLICATION = 10;
  @IntegerSetting() @IsInt() @Min(0) @Max(MAX_DURATION_MS) SESSION_CACHE_TTL_MS = 2000;
  @IntegerSetting() @IsInt() @Min(0) @Max(MAX_DURATION_MS) CONFIG_CACHE_TTL_MS = 2000;
  @IntegerSetting() @IsInt() @Min(0) @Max(MAX_DURATION_MS) AVAILABILITY_CACHE_TTL_MS = 250;

  @IsIn(catalogueLanguages()) DEFAULT_LANGUAGE = 'en';

  @IntegerSetting() @IsInt() @Min(100) @Max(MAX_DURATION_MS) WORKER_HEARTBEAT_INTERVAL_MS = 2000;
  @IntegerSetting() @IsInt() @Min(500) @Max(MAX_DURATION_MS) WORKER_HEARTBEAT_TTL_MS = 10000;
  @IntegerSetting() @IsInt() @Min(5) @Max(MAX_DURATION_MS) OUTBOX_POLL_INTERVAL_MS = 200;
  @IntegerSetting() @IsInt() @Min(0) @Max(MAX_DURATION_MS) OUTBOX_RELAY_GRACE_MS = 1000;
  @IntegerSetting() @IsInt() @Min(1) @Max(MAX_DURATION_SECONDS) ASSIGNMENT_MAX_WAIT_SECONDS = 300;
  @IntegerSetting() @IsInt() @Min(100) @Max(MAX_DURATION_MS) ASSIGNMENT_RETRY_INTERVAL_MS = 5000;
  /** Bull runs one loop per slot: 10^8 of them took the worker past a gigabyte before it took a job. */
  @IntegerSetting() @IsInt() @Min(1) @Max(1000) ASSIGNMENT_CONCURRENCY = 8;
  @IntegerSetting() @IsInt() @Min(100) @Max(MAX_DURATION_MS) AGENT_PRESENCE_SWEEP_INTERVAL_MS = 30000;
  @IsIn(['least_loaded', 'round_robin']) ASSIGNMENT_DEFAULT_STRATEGY: 'least_loaded' | 'round_robin' = 'least_loaded';
  @IntegerSetting() @IsInt() @Min(0) @Max(65535) @IsOptional() WORKER_HEALTH_PORT?: number;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) LOG_LEVEL = 'info';

  @IntegerSetting() @IsInt() @Min(100) @Max(60000) WEBHOOK_TIMEOUT_MS = 5000;
  /** Refuse callback and token URLs on loopback, link-local and private addresses; unset: on except in development. */
  @IsOptional() @IsIn(['true', 'false']) CALLBACK_BLOCK_PRIVATE_ADDRESSES?: 'true' | 'false';
  @IntegerSetting() @IsInt() @Min(1) @Max(1000) WEBHOOK_MAX_BATCH = 100;
  @IntegerSetting() @IsInt() @Min(10) @Max(MAX_DURATION_MS) WEBHOOK_RETRY_BASE_MS = 1000;
  @IntegerSetting() @IsInt() @Min(10) @Max(MAX_DURATION_MS) WEBHOOK_RETRY_MAX_MS = 600000;
  @IntegerSetting() @IsInt() @Min(1) WEBHOOK_DEACTIVATE_AFTER_FAILURES = 15;
  @IntegerSetting() @IsInt() @Min(1) @Max(100) WEBHOOK_CONCURRENCY = 8;
  @IntegerSetting() @IsInt() @Min(50) @Max(MAX_DURATION_MS) WEBHOOK_SWEEP_INTERVAL_MS = 2000;
  @IntegerSetting() @IsInt() @Min(1) @Max(MAX_DURATION_HOURS) WEBHOOK_RETENTION_HOURS = 168;
  @IntegerSetting() @IsInt() @Min(0) @Max(MAX_SECRET_OVERLAP_SECONDS) WEBHOOK_SECRET_OVERLAP_SECONDS = 86400;
  /** Encrypts the secrets stored for outbound use (callback credentials, signing secrets); unset: stored plain. */
  @IsOptional() @Matches(/^[A-Za-z0-9+/]{43}=$/, { message: 'SECRETS_KEY must be the base64 of 32 random bytes (openssl rand -base64 32)' }) SECRETS_KEY?: string;
  /** Keys SECRETS_KEY replaced, comma-separated: they still open stored secrets (never seal) until `npm run secrets:reseal` has moved them to SECRETS_KEY. */
  @IsOptional() @Matches(/^[A-Za-z0-9+/]{43}=(,[A-Za-z0-9+/]{43}=)*$/, { message: 'SECRETS_KEY_PREVIOUS must be base64 keys of 32 bytes, separated by commas' }) SECRETS_KEY_PREVIOUS?: string;
  @IntegerSetting() @IsInt() @Min(1000) @Max(MAX_DURATION_MS) START_THROTTLE_WINDOW_MS = 10000;
  @IntegerSetting() @IsInt() @Min(0) START_THROTTLE_LIMIT_PER_APPLICATION = 20000;
  @IntegerSetting() @IsInt() @Min(0) START_THROTTLE_LIMIT_PER_CUSTOMER = 10;
  /** Where the start and sendmessage throttles count; unset: see throttleStore. */
  @IsOptional() @IsIn(['memory', 'redis']) THROTTLE_STORE?: 'memory' | 'redis';
  /** THROTTLE_STORE's old name, still accepted; validateEnv refuses the two set apart. */
  @IsOptional() @IsIn(['memory', 'redis']) START_THROTTLE_STORE?: 'memory' | 'redis';
  @IntegerSetting() @IsInt() @Min(1000) @Max(MAX_DURATION_MS) SENDMESSAGE_THROTTLE_WINDOW_MS = 10000;
  @IntegerSetting() @IsInt() @Min(0) SENDMESSAGE_THROTTLE_LIMIT_PER_CONVERSATION = 60;
  @IntegerSetting() @IsInt() @Min(0) SENDMESSAGE_THROTTLE_LIMIT_PER_AGENT = 120;
  /** How long a customer's startTyping shows on the agent's reading without another start or an end. */
  @IntegerSetting() @IsInt() @Min(1000) @Max(120000) CUSTOMER_TYPING_TTL_MS = 10000;
  @IntegerSetting() @IsInt() @Min(1000) @Max(MAX_DURATION_MS) LOGIN_THROTTLE_WINDOW_MS = 60000;
  @IntegerSetting() @IsInt() @Min(1) LOGIN_THROTTLE_LIMIT_PER_IP = 60;
  @IntegerSetting() @IsInt() @Min(1) LOGIN_THROTTLE_LIMIT_PER_CLIENT = 20;
}

export class ConfigurationError extends Error {}

/**
 * Settings whose values are secrets. A wrong one is named without its value: start-up writes the
 * message to its output, which is logged, and a key refused for a stray character or a
 * missing `=` is still nearly the key.
 */
const SECRET_SETTINGS: ReadonlySet<string> = new Set(['DB_PASSWORD', 'SECRETS_KEY', 'SECRETS_KEY_PREVIOUS']);

function shownValue(setting: string, value: unknown): string {
  if (SECRET_SETTINGS.has(setting)) return `(secret, ${String(value ?? '').length} characters)`;
  return JSON.stringify(value);
}

/** Turns raw environment into a typed, validated schema; throws one readable message listing every problem. */
export function validateEnv(raw: Record<string, unknown>): AppConfig {
  const cleaned = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined && v !== ''));
  const env = plainToInstance(AppConfig, cleaned, { enableImplicitConversion: false, exposeDefaultValues: true });
  if (typeof cleaned.DB_PASSWORD === 'undefined') env.DB_PASSWORD = '';
  // Empty means unset everywhere else; an empty context path is a choice: the API at the root.
  if (raw.CONTEXT_PATH === '') env.CONTEXT_PATH = '';
  const errors = validateSync(env, { whitelist: false, forbidUnknownValues: false });
  if (errors.length > 0) {
    // A value that is not a number at all fails its range checks too; saying so only adds noise.
    const reasons = (c: Record<string, string> = {}) => (c.isInt ? [c.isInt] : Object.values(c));
    const lines = errors.map((e) => `  ${e.property}=${shownValue(e.property, (cleaned as Record<string, unknown>)[e.property])}: ${reasons(e.constraints).join('; ')}`);
    throw new ConfigurationError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  if (env.WORKER_HEARTBEAT_TTL_MS <= env.WORKER_HEARTBEAT_INTERVAL_MS) {
    throw new ConfigurationError('Invalid configuration:\n  WORKER_HEARTBEAT_TTL_MS must be greater than WORKER_HEARTBEAT_INTERVAL_MS');
  }
  if (env.API_PROCESS_PING_TIMEOUT_MS <= env.API_PROCESS_PING_INTERVAL_MS) {
    throw new ConfigurationError('Invalid configuration:\n  API_PROCESS_PING_TIMEOUT_MS must be greater than API_PROCESS_PING_INTERVAL_MS');
  }
  if (env.THROTTLE_STORE && env.START_THROTTLE_STORE && env.THROTTLE_STORE !== env.START_THROTTLE_STORE) {
    throw new ConfigurationError('Invalid configuration:\n  THROTTLE_STORE and START_THROTTLE_STORE (its old name) differ; set THROTTLE_STORE only');
  }
  if (env.WEBHOOK_RETRY_MAX_MS < env.WEBHOOK_RETRY_BASE_MS) {
    throw new ConfigurationError('Invalid configuration:\n  WEBHOOK_RETRY_MAX_MS must not be less than WEBHOOK_RETRY_BASE_MS');
  }
  return env;
}

/**
 * The assignment processor's parallel jobs per worker. Bull takes them when the processor class
 * is declared, at import, before the worker's `main()` has read `.env`; so this reads `.env`
 * itself. An invalid configuration gives the default here: start-up then stops on it with the
 * full message (`configOrExit`).
 */
export function assignmentConcurrency(): number {
  loadEnvFile();
  try {
    return validateEnv(process.env).ASSIGNMENT_CONCURRENCY;
  } catch {
    return new AppConfig().ASSIGNMENT_CONCURRENCY;
  }
}

/** SSRF protection for callback URLs: on by default everywhere but development. */
export function blockPrivateCallbackAddresses(config: AppConfig): boolean {
  return config.CALLBACK_BLOCK_PRIVATE_ADDRESSES === undefined ? config.NODE_ENV !== 'development' : config.CALLBACK_BLOCK_PRIVATE_ADDRESSES === 'true';
}

/**
 * Where the start and sendmessage throttles count (THROTTLE_STORE, or its old name
 * START_THROTTLE_STORE): in Redis by default once there are several api processes, since
 * counters in each process's memory would let every process grant the whole limit. A single
 * process counts in memory unless told otherwise; several api hosts set `redis`.
 */
export function throttleStore(config: AppConfig): 'memory' | 'redis' {
  return config.THROTTLE_STORE ?? config.START_THROTTLE_STORE ?? (config.API_PROCESSES > 1 ? 'redis' : 'memory');
}

/** The origins CORS answers (none when CORS_ORIGINS is unset); validateEnv has refused a malformed list. */
export function corsOrigins(config: AppConfig): CorsOrigins {
  const parsed = parseCorsOrigins(config.CORS_ORIGINS);
  return 'origins' in parsed ? parsed.origins : 'none';
}
