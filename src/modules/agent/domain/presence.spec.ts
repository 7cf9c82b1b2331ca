import { AgentNotLoggedIn } from './agent.errors';
import { checkPresence } from './presence';

describe('checkPresence', () => {
  it('refuses to make an agent without a live session present, available or not, naming the availability', () => {
    for (const availability of ['available', 'not_available'] as const) {
      expect(() => checkPresence('7', availability, 0)).toThrow(AgentNotLoggedIn);
    }
    const error = (() => {
      try {
        checkPresence('7', 'available', 0);
      } catch (e) {
        return e as AgentNotLoggedIn;
      }
    })();
    expect([error?.kind, error?.details, error?.args]).toEqual(['AgentNotLoggedIn', 'availability', { agent: '7' }]);
  });

  it('lets an agent with a live session be anything, and any agent be logged_out', () => {
    for (const availability of ['available', 'not_available', 'logged_out'] as const) expect(() => checkPresence('7', availability, 1)).not.toThrow();
    expect(() => checkPresence('7', 'logged_out', 0)).not.toThrow();
  });
});
