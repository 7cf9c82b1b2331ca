import { AppError } from '../../../../platform/errors/app-error';
import { ChangeCallbackSettingsCommand } from './change-callback-settings.command';

function fieldOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return (e as AppError).details;
  }
  return undefined;
}

describe('ChangeCallbackSettingsCommand', () => {
  it('defaults to JSON without authentication', () => {
    const c = ChangeCallbackSettingsCommand.create({ url: 'https://r.example/hook' });
    expect([c.format, c.authentication({ type: 'none' })]).toEqual(['json', { type: 'none' }]);
  });

  it('keeps a stored secret when the type stays and the secret is left out', () => {
    const c = ChangeCallbackSettingsCommand.create({ url: 'https://r.example/hook', authentication: { type: 'basic', username: 'new-user' } });
    expect(c.authentication({ type: 'basic', username: 'old', password: 'stored' })).toEqual({ type: 'basic', username: 'new-user', password: 'stored' });
    expect(fieldOf(() => c.authentication({ type: 'none' }))).toBe('authentication.password');
    const o = ChangeCallbackSettingsCommand.create({ url: 'https://r.example/hook', authentication: { type: 'oauth2', tokenUrl: 'https://t.example/token', clientId: 'id' } });
    expect(o.authentication({ type: 'oauth2', tokenUrl: 'https://old.example', clientId: 'old', clientSecret: 'kept' })).toEqual({ type: 'oauth2', tokenUrl: 'https://t.example/token', clientId: 'id', clientSecret: 'kept' });
  });

  it('names the field at fault', () => {
    expect(fieldOf(() => ChangeCallbackSettingsCommand.create({ url: 'nope' }))).toBe('url');
    expect(fieldOf(() => ChangeCallbackSettingsCommand.create({ url: 'https://r.example', format: 'yaml' }))).toBe('format');
    expect(fieldOf(() => ChangeCallbackSettingsCommand.create({ url: 'https://r.example', authentication: { type: 'digest' } }))).toBe('authentication.type');
    expect(fieldOf(() => ChangeCallbackSettingsCommand.create({ url: 'https://r.example', authentication: { type: 'basic' } }))).toBe('authentication.username');
    expect(fieldOf(() => ChangeCallbackSettingsCommand.create({ url: 'https://r.example', authentication: { type: 'oauth2', clientId: 'x' } }))).toBe('authentication.tokenUrl');
    expect(fieldOf(() => ChangeCallbackSettingsCommand.create({ url: 'https://r.example', authentication: { type: 'oauth2', tokenUrl: 'https://t.example' } }))).toBe('authentication.clientId');
  });

  it.each([
    [{ username: 'hooks\u0000', password: 'p' }, 'authentication.username'],
    [{ username: 'hooks', password: 'line\r\nbreak' }, 'authentication.password'],
    [{ username: 'nel\u0085', password: 'p' }, 'authentication.username'],
  ])('refuses a control character in Basic credentials (RFC 7617): %p', (credentials, field) => {
    expect(fieldOf(() => ChangeCallbackSettingsCommand.create({ url: 'https://r.example', authentication: { type: 'basic', ...credentials } }))).toBe(field);
  });

  it('takes Basic credentials beyond ASCII', () => {
    const c = ChangeCallbackSettingsCommand.create({ url: 'https://r.example', authentication: { type: 'basic', username: 'crochet-ü', password: 'pässwörd 😀' } });
    expect(c.authentication({ type: 'none' })).toEqual({ type: 'basic', username: 'crochet-ü', password: 'pässwörd 😀' });
  });
});
