import { DEMO_DEFAULTS } from './demo-seed';
import { demoBanner, demoCredentials, localOrigin, NPM_START_WORKER_HEALTH_PORT, readinessUrl, workerEnvironment } from './demo-banner';

describe('demo banner', () => {
  it('points a shell on this machine at loopback when the api listens on every address', () => {
    for (const host of ['', '0.0.0.0', '::']) expect(localOrigin({ HTTP_HOST: host, HTTP_PORT: 3100 })).toBe('http://127.0.0.1:3100');
    expect(localOrigin({ HTTP_HOST: '10.1.2.3', HTTP_PORT: 3000 })).toBe('http://10.1.2.3:3000');
  });

  it('writes an IPv6 address in brackets, as a URL needs it', () => {
    expect(localOrigin({ HTTP_HOST: '::1', HTTP_PORT: 3000 })).toBe('http://[::1]:3000');
    expect(readinessUrl({ HTTP_HOST: '::1', HTTP_PORT: 3000 })).toBe('http://[::1]:3000/health/ready');
  });

  it('gives the chat application the secret DEMO_CLIENT_SECRET sets, and the demo one when it is unset or empty', () => {
    expect(demoCredentials({ DEMO_CLIENT_SECRET: 's3cret' }).chatClientSecret).toBe('s3cret');
    expect(demoCredentials({ DEMO_CLIENT_SECRET: '' }).chatClientSecret).toBe(DEMO_DEFAULTS.chatClientSecret);
    expect(demoCredentials({}).chatClientSecret).toBe(DEMO_DEFAULTS.chatClientSecret);
  });

  it("the session's URLs carry the api's port and CONTEXT_PATH", () => {
    const banner = demoBanner({ HTTP_HOST: '0.0.0.0', HTTP_PORT: 3100, CONTEXT_PATH: '/chat' }, { ...DEMO_DEFAULTS, chatClientSecret: 's3cret' });
    expect(banner).toContain('curl -s -u demo-chat-client:s3cret ');
    expect(banner).toContain('http://127.0.0.1:3100/chat/ws/v19/clientapplications/authentication/oauth2/token');
    expect(banner).toContain('"http://127.0.0.1:3100/chat/ws/v19/clientapplications/messaging/conversation/start?');
    expect(banner).toContain('queue dashboard at http://127.0.0.1:3100/chat/admin/queues): admin / admin-password');
  });

  describe("npm start's worker environment", () => {
    it('gives the worker a health port when none is set', () => {
      expect(workerEnvironment({ DB_NAME: 'x' })).toEqual({ DB_NAME: 'x', WORKER_HEALTH_PORT: NPM_START_WORKER_HEALTH_PORT });
    });

    it('takes an empty setting as unset, as the configuration does', () => {
      expect(workerEnvironment({ WORKER_HEALTH_PORT: '' }).WORKER_HEALTH_PORT).toBe(NPM_START_WORKER_HEALTH_PORT);
    });

    it('keeps a port the environment or .env names, and a bad value for the worker to refuse', () => {
      expect(workerEnvironment({ WORKER_HEALTH_PORT: '3101' }).WORKER_HEALTH_PORT).toBe('3101');
      expect(workerEnvironment({ WORKER_HEALTH_PORT: ' ' }).WORKER_HEALTH_PORT).toBe(' ');
    });
  });
});
