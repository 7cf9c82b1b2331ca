import { availabilityAfterLogin, availabilityAfterLogout, opensCapacity, queuesOpenedTo, type AgentCapacity, type AgentStatus } from './agent-availability';
import { checkChatLimit } from './chat-limit';
import { ChatLimitBelowActiveChats, ChatLimitOutOfRange } from './agent.errors';

const status = (availability: AgentStatus['availability'], activeChats: number, maxChats: number): AgentStatus => ({ agentId: '7', availability, activeChats, maxChats });

describe('agent presence', () => {
  it('login turns a logged-out agent into not_available and leaves a present agent as it is', () => {
    expect(availabilityAfterLogin('logged_out', 1)).toBe('not_available');
    expect(availabilityAfterLogin('available', 1)).toBe('available');
    expect(availabilityAfterLogin('not_available', 1)).toBe('not_available');
  });

  it('leaves an agent logged_out when the login\'s session was ended before the login reached it', () => {
    expect(availabilityAfterLogin('logged_out', 0)).toBe('logged_out');
  });

  it('logout logs the agent out only when its last session ends', () => {
    expect(availabilityAfterLogout('available', 0)).toBe('logged_out');
    expect(availabilityAfterLogout('not_available', 0)).toBe('logged_out');
    expect(availabilityAfterLogout('available', 1)).toBe('available');
  });
});

describe('opensCapacity', () => {
  it('is true when the agent becomes available with a free slot', () => {
    expect(opensCapacity(status('not_available', 1, 3), status('available', 1, 3))).toBe(true);
    expect(opensCapacity(status('logged_out', 0, 3), status('available', 0, 3))).toBe(true);
  });

  it('is false when the agent becomes available but is full', () => {
    expect(opensCapacity(status('not_available', 3, 3), status('available', 3, 3))).toBe(false);
  });

  it('is true when an available agent gets more free slots, false when fewer or the same', () => {
    expect(opensCapacity(status('available', 3, 3), status('available', 3, 4))).toBe(true);
    expect(opensCapacity(status('available', 1, 4), status('available', 1, 3))).toBe(false);
    expect(opensCapacity(status('available', 1, 3), status('available', 1, 3))).toBe(false);
  });

  it('is false whenever the agent ends up not available', () => {
    expect(opensCapacity(status('available', 0, 3), status('not_available', 0, 5))).toBe(false);
    expect(opensCapacity(status('available', 0, 3), status('logged_out', 0, 3))).toBe(false);
  });
});

describe('queuesOpenedTo', () => {
  const agent = (availability: AgentStatus['availability'], activeChats: number, maxChats: number, queueIds: string[]): AgentCapacity => ({ availability, activeChats, maxChats, queueIds });

  it('opens every queue of the agent when it becomes available or gets more free slots', () => {
    expect(queuesOpenedTo(agent('not_available', 0, 2, ['1']), agent('available', 0, 2, ['1', '3']))).toEqual(['1', '3']);
    expect(queuesOpenedTo(agent('available', 2, 2, ['1', '3']), agent('available', 2, 3, ['1', '3']))).toEqual(['1', '3']);
  });

  it('opens only the queues an agent with a free slot joins', () => {
    expect(queuesOpenedTo(agent('available', 1, 2, ['1', '2']), agent('available', 1, 2, ['2', '3', '4']))).toEqual(['3', '4']);
    expect(queuesOpenedTo(agent('available', 1, 3, ['1']), agent('available', 1, 2, ['1', '2']))).toEqual(['2']);
  });

  it('opens nothing when the agent ends up unable to take a chat, or when nothing it can take changed', () => {
    expect(queuesOpenedTo(agent('available', 2, 2, ['1']), agent('available', 2, 2, ['1', '2']))).toEqual([]);
    expect(queuesOpenedTo(agent('available', 0, 2, ['1']), agent('not_available', 0, 5, ['1', '2']))).toEqual([]);
    expect(queuesOpenedTo(agent('available', 0, 2, ['1', '2']), agent('available', 0, 2, ['1']))).toEqual([]);
    expect(queuesOpenedTo(agent('available', 0, 2, ['1']), agent('available', 0, 2, ['1']))).toEqual([]);
  });
});

describe('checkChatLimit', () => {
  it('accepts whole numbers from 1 to 100 at or above the open chats', () => {
    expect(() => checkChatLimit(1, 0)).not.toThrow();
    expect(() => checkChatLimit(100, 100)).not.toThrow();
    expect(() => checkChatLimit(3, 3)).not.toThrow();
  });

  it('refuses limits out of range or not whole', () => {
    for (const bad of [0, -1, 101, 2.5, Number.NaN]) expect(() => checkChatLimit(bad, 0)).toThrow(ChatLimitOutOfRange);
  });

  it('refuses a limit below the open chats, naming them', () => {
    let error: unknown;
    try {
      checkChatLimit(2, 3);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ChatLimitBelowActiveChats);
    expect((error as ChatLimitBelowActiveChats).args).toEqual({ activeChats: 3 });
  });
});
