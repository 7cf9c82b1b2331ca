import 'reflect-metadata';
import { validateEnv } from '../config/app-config';
import { AppError } from '../errors/app-error';
import { LoginThrottle, type LoginAttempt } from './login-throttle';

describe('LoginThrottle', () => {
  let throttle: LoginThrottle;

  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2026-11-26T12:00:00Z') });
    throttle = new LoginThrottle(validateEnv({ LOGIN_THROTTLE_WINDOW_MS: '60000', LOGIN_THROTTLE_LIMIT_PER_IP: '5', LOGIN_THROTTLE_LIMIT_PER_CLIENT: '2' }));
  });

  afterEach(() => {
    throttle.onApplicationShutdown();
    jest.useRealTimers();
  });

  async function refusal(attempt: LoginAttempt): Promise<AppError> {
    try {
      await throttle.attempt(attempt);
    } catch (err) {
      return err as AppError;
    }
    throw new Error('the attempt was not refused');
  }

  const agent = (subject: string | undefined, ip = '10.0.0.1'): LoginAttempt => ({ login: 'agent', ip, subject });

  it('lets LOGIN_THROTTLE_LIMIT_PER_CLIENT attempts for one user name through, then TooManyRequests with Retry-After', async () => {
    await throttle.attempt(agent('alice'));
    await throttle.attempt(agent('alice'));
    jest.advanceTimersByTime(10_000);
    const err = await refusal(agent('alice', '10.0.0.2'));
    expect(err.kind).toBe('TooManyRequests');
    expect(Number(err.headers['Retry-After'])).toBeGreaterThanOrEqual(50);
    expect(Number(err.headers['Retry-After'])).toBeLessThanOrEqual(60);
  });

  it('counts a user name with trailing spaces as the same user name, as the database compares them', async () => {
    await throttle.attempt(agent('alice'));
    await throttle.attempt(agent('alice '));
    expect((await refusal(agent('alice   '))).kind).toBe('TooManyRequests');
  });

  it('counts per source address, also attempts that name no one', async () => {
    for (let i = 0; i < 5; i++) await throttle.attempt(agent(i % 2 === 0 ? undefined : `user-${i}`));
    expect((await refusal(agent('bob'))).kind).toBe('TooManyRequests');
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
});
