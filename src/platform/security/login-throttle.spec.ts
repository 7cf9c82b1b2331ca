import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { type ThrottlerStorage, ThrottlerStorageService } from '@nestjs/throttler';
import { validateEnv } from '../config/app-config';
import { AppError } from '../errors/app-error';
import { LoginThrottle, type LoginAttempt } from './login-throttle';
import { SHARED_RETRY_INTERVAL_MS } from './shared-counters-outage';

const config = () => validateEnv({ LOGIN_THROTTLE_WINDOW_MS: '60000', LOGIN_THROTTLE_LIMIT_PER_IP: '5', LOGIN_THROTTLE_LIMIT_PER_CLIENT: '2' });

async function refusal(throttle: LoginThrottle, attempt: LoginAttempt): Promise<AppError> {
  try {
    await throttle.attempt(attempt);
  } catch (err) {
    return err as AppError;
  }
  throw new Error('the attempt was not refused');
}

const agent = (subject: string | undefined, ip = '10.0.0.1'): LoginAttempt => ({ login: 'agent', ip, subject });

describe('LoginThrottle', () => {
  // Stands in for Redis: one store that every LoginThrottle of a test shares.
  let shared: ThrottlerStorageService;
  let throttle: LoginThrottle;

  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2026-11-26T12:00:00Z') });
    shared = new ThrottlerStorageService();
    throttle = new LoginThrottle(config(), shared);
  });

  afterEach(() => {
    throttle.onApplicationShutdown();
    shared.onApplicationShutdown();
    jest.useRealTimers();
  });

  it('lets LOGIN_THROTTLE_LIMIT_PER_CLIENT attempts for one user name through, then TooManyRequests with Retry-After', async () => {
    await throttle.attempt(agent('alice'));
    await throttle.attempt(agent('alice'));
    jest.advanceTimersByTime(10_000);
    const err = await refusal(throttle, agent('alice', '10.0.0.2'));
    expect(err.kind).toBe('TooManyRequests');
    expect(Number(err.headers['Retry-After'])).toBeGreaterThanOrEqual(50);
    expect(Number(err.headers['Retry-After'])).toBeLessThanOrEqual(60);
  });

  it('answers Retry-After of at least 1 s, never 0 (a retry at once), when the counters say the block ends within the second', async () => {
    const ending: ThrottlerStorage = { increment: async () => ({ totalHits: 3, timeToExpire: 0, isBlocked: true, timeToBlockExpire: 0 }) };
    const err = await refusal(new LoginThrottle(config(), ending), agent('alice'));
    expect([err.kind, err.headers['Retry-After']]).toEqual(['TooManyRequests', '1']);
  });

  it('counts a user name with trailing spaces as the same user name, as the database compares them', async () => {
    await throttle.attempt(agent('alice'));
    await throttle.attempt(agent('alice '));
    expect((await refusal(throttle, agent('alice   '))).kind).toBe('TooManyRequests');
  });

  it('keys a client key or user name by its digest: an over-long name costs no more room than any, and none is stored in clear', async () => {
    const keys: string[] = [];
    const recording: ThrottlerStorage = { increment: (key, ...rest) => (keys.push(key), shared.increment(key, ...rest)) };
    const recorded = new LoginThrottle(config(), recording);
    const long = 'u'.repeat(60_000);
    await recorded.attempt(agent(long));
    await recorded.attempt(agent('alice@example.com'));
    await recorded.attempt(agent(long, '10.0.0.2'));
    expect((await refusal(recorded, agent(`${long}  `, '10.0.0.3'))).kind).toBe('TooManyRequests');
    for (const key of keys) expect(key.length).toBeLessThanOrEqual(80);
    expect(keys.filter((key) => key.includes('alice') || key.includes('uuuu'))).toEqual([]);
    recorded.onApplicationShutdown();
  });

  it('counts per source address, also attempts that name no one', async () => {
    for (let i = 0; i < 5; i++) await throttle.attempt(agent(i % 2 === 0 ? undefined : `user-${i}`));
    expect((await refusal(throttle, agent('bob'))).kind).toBe('TooManyRequests');
    await throttle.attempt(agent('bob', '10.0.0.9'));
  });

  it('counts each login apart: an agent and an administrator of the same name, a client key', async () => {
    await throttle.attempt(agent('sam'));
    await throttle.attempt(agent('sam'));
    await throttle.attempt({ login: 'administrator', ip: '10.0.0.1', subject: 'sam' });
    await throttle.attempt({ login: 'client-application', ip: '10.0.0.1', subject: 'sam' });
    await expect(throttle.attempt(agent('sam'))).rejects.toBeInstanceOf(AppError);
  });

  it('opens again once the window has passed', async () => {
    await throttle.attempt(agent('carol'));
    await throttle.attempt(agent('carol'));
    await expect(throttle.attempt(agent('carol'))).rejects.toBeInstanceOf(AppError);
    jest.advanceTimersByTime(60_001);
    await throttle.attempt(agent('carol'));
  });

  it('shares its counts with every other process on the same counters: the limit holds for all of them together', async () => {
    const otherProcess = new LoginThrottle(config(), shared);
    await throttle.attempt(agent('dave'));
    await otherProcess.attempt(agent('dave', '10.0.0.2'));
    expect((await refusal(otherProcess, agent('dave', '10.0.0.3'))).kind).toBe('TooManyRequests');
    expect((await refusal(throttle, agent('dave', '10.0.0.4'))).kind).toBe('TooManyRequests');
    otherProcess.onApplicationShutdown();
  });
});

describe('LoginThrottle while Redis cannot be reached', () => {
  let broken: boolean;
  let store: ThrottlerStorageService;
  let shared: jest.Mocked<ThrottlerStorage>;
  let throttle: LoginThrottle;
  let warn: jest.SpyInstance;

  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2026-11-26T12:00:00Z') });
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    broken = true;
    store = new ThrottlerStorageService();
    shared = {
      increment: jest.fn((...args: Parameters<ThrottlerStorage['increment']>) =>
        broken ? Promise.reject(new Error("Stream isn't writeable and enableOfflineQueue options is false")) : store.increment(...args),
      ),
    };
    throttle = new LoginThrottle(config(), shared);
  });

  afterEach(() => {
    throttle.onApplicationShutdown();
    store.onApplicationShutdown();
    jest.restoreAllMocks();
    jest.useRealTimers();
  });

  const outageWarnings = () => warn.mock.calls.filter(([, msg]) => typeof msg === 'string' && msg.startsWith('Redis unreachable'));

  it('lets logins through and still refuses beyond the limit, counted in this process; the outage is logged once', async () => {
    await throttle.attempt(agent('erin'));
    await throttle.attempt(agent('erin'));
    const err = await refusal(throttle, agent('erin'));
    expect(err.kind).toBe('TooManyRequests');
    expect(Number(err.headers['Retry-After'])).toBeGreaterThanOrEqual(1);
    expect(outageWarnings()).toHaveLength(1);
  });

  it('does not ask Redis again for every login: at most once per SHARED_RETRY_INTERVAL_MS', async () => {
    await throttle.attempt(agent('frank'));
    await throttle.attempt(agent('grace'));
    expect(shared.increment).toHaveBeenCalledTimes(1);
    jest.advanceTimersByTime(SHARED_RETRY_INTERVAL_MS);
    await throttle.attempt(agent('heidi'));
    expect(shared.increment).toHaveBeenCalledTimes(2);
  });

  it('counts in Redis again once it answers', async () => {
    await throttle.attempt(agent('ivan'));
    broken = false;
    jest.advanceTimersByTime(SHARED_RETRY_INTERVAL_MS);
    // The attempt made while Redis was away stays in this process; Redis counts from here.
    const otherProcess = new LoginThrottle(config(), shared);
    await throttle.attempt(agent('ivan'));
    await otherProcess.attempt(agent('ivan'));
    expect((await refusal(otherProcess, agent('ivan'))).kind).toBe('TooManyRequests');
    expect(Logger.prototype.log).toHaveBeenCalledWith(expect.stringMatching(/counted in Redis again/));
    otherProcess.onApplicationShutdown();
  });
});
