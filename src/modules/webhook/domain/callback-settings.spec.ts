import { SECRET_MASK, callbackUrlProblem, maskAuthentication } from './callback-settings';

describe('callback settings', () => {
  it.each(['https://receiver.example/hook', 'http://127.0.0.1:8080/events?app=1'])('accepts %s', (url) => {
    expect(callbackUrlProblem(url)).toBeUndefined();
  });

  it.each(['', 'receiver.example/hook', 'ftp://receiver.example/hook', 'https://user:pw@receiver.example/', 'https://receiver.example/#x', `https://x.example/${'a'.repeat(2048)}`])(
    'refuses %s',
    (url) => {
      expect(callbackUrlProblem(url)).toBeDefined();
    },
  );

  // The URL parser would drop these silently: the URL shown would not be the URL called.
  it.each([' https://receiver.example/hook', 'https://receiver.example/hook\n', 'https://recei\tver.example/hook', 'https://receiver.example/ho\r\nok', 'https://receiver.example/\u0000', 'https://receiver.example/\u0085'])(
    'refuses %j: control characters or surrounding spaces',
    (url) => {
      expect(callbackUrlProblem(url)).toBe('must not contain control characters or surrounding spaces');
    },
  );

  it('never shows a stored secret', () => {
    expect(maskAuthentication({ type: 'basic', username: 'u', password: 'p' })).toEqual({ type: 'basic', username: 'u', password: SECRET_MASK });
    const oauth = maskAuthentication({ type: 'oauth2', tokenUrl: 'https://t.example/token', clientId: 'c', clientSecret: 's', scope: 'a b' });
    expect(oauth).toEqual({ type: 'oauth2', tokenUrl: 'https://t.example/token', clientId: 'c', clientSecret: SECRET_MASK, scope: 'a b' });
  });
});
