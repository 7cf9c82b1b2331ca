import type { AppConfig } from '../../../../platform/config/app-config';
import type { AppError } from '../../../../platform/errors/app-error';
import type { CallbackSettings } from '../../domain/callback-settings';
import type { CallbackChange } from '../callback-change';
import type { CallbackSettingsChange } from '../callback-settings.repository';
import { ChangeCallbackUrl } from './change-callback-url.use-case';

const current: CallbackSettings = {
  clientApplicationId: '7', url: 'https://old.example/hook', format: 'xml', authentication: { type: 'basic', username: 'u', password: 'p' },
  signingSecret: 'whsec_c2VjcmV0', previousSigningSecret: null, state: 'active', consecutiveFailures: 4,
};

function setUp(config: Partial<AppConfig> = { NODE_ENV: 'test', CALLBACK_BLOCK_PRIVATE_ADDRESSES: 'false' } as Partial<AppConfig>) {
  const calls = { applied: [] as CallbackSettingsChange[], afterCommit: 0 };
  const change = {
    apply: async (_id: string, next: (c: CallbackSettings) => CallbackSettingsChange) => {
      calls.applied.push(next(current));
      return { clientApplicationId: '7', wake: { id: '1' }, signingSecret: 'whsec_new' };
    },
    afterCommit: () => void calls.afterCommit++,
  } as unknown as CallbackChange;
  return { calls, useCase: new ChangeCallbackUrl(change, config as AppConfig) };
}

describe('ChangeCallbackUrl', () => {
  it('goes through the callback change, keeping what the request leaves out, and hands the secret and the after-commit step back', async () => {
    const { calls, useCase } = setUp();
    const changed = await useCase.execute('7', { callbackUrl: 'https://old.example/new-hook' }, 'corr');
    expect(calls.applied).toEqual([{ url: 'https://old.example/new-hook', format: 'xml', authentication: current.authentication }]);
    expect(changed.signingSecret).toBe('whsec_new');
    expect(calls.afterCommit).toBe(0);
    changed.afterCommit();
    expect(calls.afterCommit).toBe(1);
  });

  it('clears the URL with null and changes the format alone', async () => {
    const { calls, useCase } = setUp();
    await useCase.execute('7', { callbackUrl: null }, 'corr');
    await useCase.execute('7', { callbackFormat: 'json' }, 'corr');
    expect(calls.applied.map((c) => [c.url, c.format])).toEqual([[null, 'xml'], ['https://old.example/hook', 'json']]);
  });

  it('refuses to move a callback with a stored Basic password to another origin', async () => {
    const { calls, useCase } = setUp();
    for (const callbackUrl of ['https://new.example/hook', 'http://old.example/hook', 'https://old.example:8443/hook']) {
      await expect(useCase.execute('7', { callbackUrl }, 'corr')).rejects.toMatchObject({ details: 'callbackUrl' });
    }
    expect(calls.applied).toHaveLength(0);
  });

  it('changes nothing when the request names no callback member', async () => {
    const { calls, useCase } = setUp();
    const changed = await useCase.execute('7', {}, 'corr');
    expect([calls.applied.length, changed.signingSecret]).toEqual([0, undefined]);
  });

  it('applies the rules of the callback settings API, named after the request field', async () => {
    const field = async (p: Promise<unknown>) => p.then(() => undefined, (e: AppError) => e.details);
    const { useCase } = setUp();
    expect(await field(useCase.execute('7', { callbackUrl: 'https://user:pw@r.example/hook' }, 'c'))).toBe('callbackUrl');
    expect(await field(useCase.execute('7', { callbackUrl: 'https://r.example/hook#frag' }, 'c'))).toBe('callbackUrl');
    expect(await field(useCase.execute('7', { callbackFormat: 'yaml' }, 'c'))).toBe('callbackFormat');
    const blocking = setUp({ NODE_ENV: 'production', CALLBACK_BLOCK_PRIVATE_ADDRESSES: 'true' } as Partial<AppConfig>);
    expect(await field(blocking.useCase.execute('7', { callbackUrl: 'http://127.0.0.1:3913/new' }, 'c'))).toBe('callbackUrl');
    expect(blocking.calls.applied).toHaveLength(0);
  });
});
