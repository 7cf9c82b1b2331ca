import { keptInTranscript, reachesClientApplication, type ConversationEvent } from './conversation-event';

const event = (type: ConversationEvent['type'], sender: ConversationEvent['sender']): ConversationEvent => ({ conversationId: 'c', type, sender });
const agent = { type: 'user', agentId: '7' } as const;

describe('conversation events', () => {
  it('tells the client application nothing its own customer did, typing included', () => {
    for (const type of ['text/plain', 'startTyping', 'complete'] as const) {
      expect([type, reachesClientApplication(event(type, { type: 'customer' }), true)]).toEqual([type, false]);
    }
  });

  it("tells it of the agent's and the system's events, and of typing only when the start asked for typing notifications", () => {
    expect(reachesClientApplication(event('text/html', agent), false)).toBe(true);
    expect(reachesClientApplication(event('noAgentAvailable', { type: 'system' }), false)).toBe(true);
    expect([reachesClientApplication(event('startTyping', agent), true), reachesClientApplication(event('endTyping', agent), true)]).toEqual([true, true]);
    expect([reachesClientApplication(event('startTyping', agent), false), reachesClientApplication(event('endTyping', agent), false)]).toEqual([false, false]);
  });

  it('keeps every event but typing in the transcript', () => {
    expect([keptInTranscript(event('startTyping', agent)), keptInTranscript(event('endTyping', { type: 'customer' }))]).toEqual([false, false]);
    expect(['text/plain', 'assigned', 'transfer', 'complete'].map((t) => keptInTranscript(event(t as ConversationEvent['type'], agent)))).toEqual([true, true, true, true]);
  });
});
