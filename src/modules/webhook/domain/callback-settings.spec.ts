import { SECRET_MASK, UnreadableSecret, callbackUrlProblem, maskAuthentication, sameSettings, sameTarget, signingSecretsOf, type CallbackSettings } from './callback-settings';

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

  it('tells settings an administrator set apart by any member, a secret included, whatever the members\' order', () => {
    const basic = { url: 'https://r.example/hook', format: 'json' as const, authentication: { type: 'basic' as const, username: 'u', password: 'p' } };
    expect(sameSettings(basic, { ...basic, authentication: { password: 'p', username: 'u', type: 'basic' } })).toBe(true);
    expect(sameSettings(basic, { ...basic, authentication: { ...basic.authentication, password: 'other' } })).toBe(false);
    expect(sameSettings(basic, { ...basic, url: 'https://r.example/other' })).toBe(false);
    expect(sameSettings(basic, { ...basic, format: 'xml' })).toBe(false);
    const oauth = { ...basic, authentication: { type: 'oauth2' as const, tokenUrl: 'https://t.example/token', clientId: 'c', clientSecret: 's' } };
    expect(sameSettings(oauth, { ...oauth, authentication: { ...oauth.authentication, scope: undefined } })).toBe(true);
    expect(sameSettings(oauth, { ...oauth, authentication: { ...oauth.authentication, scope: 'events' } })).toBe(false);
  });

  it('signs with the current secret first and the one being retired after it, while it lasts', () => {
    const validUntil = new Date(Date.now() + 60_000);
    expect(signingSecretsOf({ signingSecret: 'whsec_new', previousSigningSecret: { value: 'whsec_old', validUntil } })).toEqual(['whsec_new', 'whsec_old']);
    expect(signingSecretsOf({ signingSecret: 'whsec_new', previousSigningSecret: null })).toEqual(['whsec_new']);
  });

  it('tells a request made with other settings apart by each thing that decides where and as what it goes', () => {
    const sent: CallbackSettings = {
      clientApplicationId: '1', url: 'https://r.example/hook', format: 'json', authentication: { type: 'basic', username: 'u', password: 'p' },
      signingSecret: 'whsec_a', previousSigningSecret: null, state: 'active', consecutiveFailures: 0,
    };
    // The state and the failure count are not where the request went.
    expect(sameTarget(sent, { ...sent, consecutiveFailures: 3, state: 'deactivated' })).toBe(true);
    expect(sameTarget(sent, { ...sent, url: 'https://r.example/fixed' })).toBe(false);
    expect(sameTarget(sent, { ...sent, format: 'xml' })).toBe(false);
    expect(sameTarget(sent, { ...sent, authentication: { type: 'basic', username: 'u', password: 'new' } })).toBe(false);
    expect(sameTarget(sent, { ...sent, signingSecret: 'whsec_b' })).toBe(false);
    expect(sameTarget(sent, { ...sent, previousSigningSecret: { value: 'whsec_old', validUntil: new Date() } })).toBe(false);
  });

  describe('with a secret no configured key opens', () => {
    const reason = 'a stored secret (client_application/1/callback-credentials) does not decrypt with the configured secrets keys';
    const password = new UnreadableSecret('credentials', reason);
    const signing = new UnreadableSecret('signing', reason);
    const stored: CallbackSettings = {
      clientApplicationId: '1', url: 'https://r.example/hook', format: 'json', authentication: { type: 'basic', username: 'u', password },
      signingSecret: signing, previousSigningSecret: null, state: 'active', consecutiveFailures: 0,
    };
    // Another reading of the row: unreadable values look alike whatever they were.
    const readAgain = (): CallbackSettings => ({
      ...stored, authentication: { type: 'basic', username: 'u', password: new UnreadableSecret('credentials', reason) }, signingSecret: new UnreadableSecret('signing', reason),
    });

    it('counts a change that keeps the unreadable secret read as no change, and one that gives it again, or compares another reading, as one', () => {
      expect(sameSettings(stored, { url: stored.url, format: 'json', authentication: { ...stored.authentication } })).toBe(true);
      expect(sameSettings(stored, { url: 'https://r.example/moved', format: 'json', authentication: stored.authentication })).toBe(false);
      expect(sameSettings(stored, { url: stored.url, format: 'json', authentication: { type: 'basic', username: 'u', password: 'given-again' } })).toBe(false);
      expect(sameSettings(stored, readAgain())).toBe(false);
    });

    it('tells a request made with readable settings apart from settings now unreadable, and two readings of unreadable values apart', () => {
      const sent: CallbackSettings = { ...stored, authentication: { type: 'basic', username: 'u', password: 'p' }, signingSecret: 'whsec_a' };
      expect(sameTarget(sent, { ...sent, signingSecret: signing })).toBe(false);
      expect(sameTarget(sent, { ...sent, authentication: stored.authentication })).toBe(false);
      expect(sameTarget(sent, { ...sent, previousSigningSecret: { value: new UnreadableSecret('previous signing', reason), validUntil: new Date() } })).toBe(false);
      expect(sameTarget(stored, { ...stored, consecutiveFailures: 2 })).toBe(true);
      expect(sameTarget(stored, readAgain())).toBe(false);
      expect(sameTarget(stored, { ...readAgain(), signingSecret: signing })).toBe(false);
    });
  });
});
