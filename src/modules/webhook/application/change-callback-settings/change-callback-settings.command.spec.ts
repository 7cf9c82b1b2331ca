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
    expect([c.format, c.authentication({ url: null, authentication: { type: 'none' } })]).toEqual(['json', { type: 'none' }]);
  });

  it('keeps a stored secret when the type stays, the secret is left out and it still goes to the same origin', () => {
    const c = ChangeCallbackSettingsCommand.create({ url: 'https://r.example/hook', authentication: { type: 'basic', username: 'new-user' } });
    expect(c.authentication({ url: 'https://r.example:443/old', authentication: { type: 'basic', username: 'old', password: 'stored' } })).toEqual({ type: 'basic', username: 'new-user', password: 'stored' });
    expect(fieldOf(() => c.authentication({ url: 'https://r.example/hook', authentication: { type: 'none' } }))).toBe('authentication.password');
    const o = ChangeCallbackSettingsCommand.create({ url: 'https://r.example/hook', authentication: { type: 'oauth2', tokenUrl: 'https://t.example/token', clientId: 'id' } });
    expect(o.authentication({ url: 'https://other.example', authentication: { type: 'oauth2', tokenUrl: 'https://t.example/old-token', clientId: 'old', clientSecret: 'kept' } })).toEqual({ type: 'oauth2', tokenUrl: 'https://t.example/token', clientId: 'id', clientSecret: 'kept' });
  });

  it.each([
    ['another host', 'https://attacker.example/hook'],
    ['another scheme', 'http://r.example/hook'],
    ['another port', 'https://r.example:8443/hook'],
  ])('asks for the Basic password again when the URL moves to %s', (_, url) => {
    const c = ChangeCallbackSettingsCommand.create({ url, authentication: { type: 'basic', username: 'hooks' } });
    expect(fieldOf(() => c.authentication({ url: 'https://r.example/hook', authentication: { type: 'basic', username: 'hooks', password: 'stored' } }))).toBe('authentication.password');
    const again = ChangeCallbackSettingsCommand.create({ url, authentication: { type: 'basic', username: 'hooks', password: 'given again' } });
    expect(again.authentication({ url: 'https://r.example/hook', authentication: { type: 'basic', username: 'hooks', password: 'stored' } })).toEqual({ type: 'basic', username: 'hooks', password: 'given again' });
  });

  it('asks for the Basic password again when the stored one belongs to no URL (cleared), and for the client secret when the token URL moves', () => {
    const c = ChangeCallbackSettingsCommand.create({ url: 'https://r.example/hook', authentication: { type: 'basic', username: 'hooks' } });
    expect(fieldOf(() => c.authentication({ url: null, authentication: { type: 'basic', username: 'hooks', password: 'stored' } }))).toBe('authentication.password');
    const o = ChangeCallbackSettingsCommand.create({ url: 'https://r.example/hook', authentication: { type: 'oauth2', tokenUrl: 'https://attacker.example/token', clientId: 'id' } });
    expect(fieldOf(() => o.authentication({ url: 'https://r.example/hook', authentication: { type: 'oauth2', tokenUrl: 'https://t.example/token', clientId: 'id', clientSecret: 'stored' } }))).toBe('authentication.clientSecret');
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

  it.each([
    [{ type: 'basic', username: 'hooks\uFFFE', password: 'p' }, 'authentication.username'],
    [{ type: 'oauth2', tokenUrl: 'https://t.example/token', clientId: 'app\u0007', clientSecret: 's' }, 'authentication.clientId'],
    [{ type: 'oauth2', tokenUrl: 'https://t.example/token', clientId: 'app\uFFFF', clientSecret: 's' }, 'authentication.clientId'],
    [{ type: 'oauth2', tokenUrl: 'https://t.example/token', clientId: 'app', clientSecret: 's', scope: 'events\u001bwrite' }, 'authentication.scope'],
    [{ type: 'oauth2', tokenUrl: 'https://t.example/token', clientId: 'app', clientSecret: 's', scope: 'events\nwrite' }, 'authentication.scope'],
  ])('refuses a control character, U+FFFE or U+FFFF in a credential the settings show (XML answers could not carry it): %p', (authentication, field) => {
    expect(fieldOf(() => ChangeCallbackSettingsCommand.create({ url: 'https://r.example', authentication }))).toBe(field);
  });

  it('takes an oauth2 client id and scope beyond ASCII', () => {
    const c = ChangeCallbackSettingsCommand.create({ url: 'https://r.example', authentication: { type: 'oauth2', tokenUrl: 'https://t.example/token', clientId: 'app-ü', clientSecret: 's', scope: 'events write' } });
    expect(c.authentication({ url: null, authentication: { type: 'none' } })).toEqual({ type: 'oauth2', tokenUrl: 'https://t.example/token', clientId: 'app-ü', clientSecret: 's', scope: 'events write' });
  });

  it('takes Basic credentials beyond ASCII', () => {
    const c = ChangeCallbackSettingsCommand.create({ url: 'https://r.example', authentication: { type: 'basic', username: 'crochet-ü', password: 'pässwörd 😀' } });
    expect(c.authentication({ url: null, authentication: { type: 'none' } })).toEqual({ type: 'basic', username: 'crochet-ü', password: 'pässwörd 😀' });
  });
});
