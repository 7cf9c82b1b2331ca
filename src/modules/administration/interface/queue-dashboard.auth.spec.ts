import type { NextFunction, Request, Response } from 'express';
import type { LoginThrottle } from '../../../platform/security/login-throttle';
import type { SessionStore } from '../../../platform/session/session';
import type { VerifyUserCredentials } from '../../user-account';
import { QueueDashboardAuth } from './queue-dashboard.auth';

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('queue dashboard: Basic credentials', () => {
  let verified: string[];
  let attempts: number;
  let auth: QueueDashboardAuth;

  beforeEach(() => {
    verified = [];
    attempts = 0;
    const verify = {
      execute: async ({ username, password }: { username: string; password: string }) => {
        verified.push(username);
        return username === 'admin' && password === 'right' ? 'user-1' : undefined;
      },
    } as unknown as VerifyUserCredentials;
    const throttle = { attempt: async () => { attempts += 1; } } as unknown as LoginThrottle;
    auth = new QueueDashboardAuth({} as SessionStore, verify, throttle);
  });

  async function send(authorization: string): Promise<unknown> {
    const req = { method: 'GET', headers: { authorization }, ip: '192.0.2.1' } as unknown as Request;
    const res = { setHeader: () => res } as unknown as Response;
    return new Promise((resolve) => auth.middleware()(req, res, ((err?: unknown) => resolve(err)) as NextFunction));
  }

  it("checks an administrator's password once while the board polls", async () => {
    expect(await send(basic('admin', 'right'))).toBeUndefined();
    expect(await send(basic('admin', 'right'))).toBeUndefined();
    expect(verified).toEqual(['admin']);
  });

  it('counts every wrong attempt, the same one repeated too, as a login', async () => {
    for (let i = 0; i < 3; i++) expect(await send(basic('admin', 'wrong'))).toMatchObject({ kind: 'InvalidUserCredentials' });
    expect(attempts).toBe(3);
  });

  it("keeps an administrator's checked password through a flood of wrong credentials", async () => {
    await send(basic('admin', 'right'));
    for (let i = 0; i < 1001; i++) await send(basic('admin', `wrong-${i}`));
    verified = [];
    expect(await send(basic('admin', 'right'))).toBeUndefined();
    expect(verified).toEqual([]);
  });
});
