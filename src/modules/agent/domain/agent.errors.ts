import { AppError } from '../../../platform/errors/app-error';
import { CHAT_LIMIT } from './agent-availability';

export class ChatLimitOutOfRange extends AppError {
  constructor(value: unknown) {
    super('ChatLimitOutOfRange', `maxChats must be an integer from ${CHAT_LIMIT.min} to ${CHAT_LIMIT.max}; got ${String(value)}`, 'maxChats', { min: CHAT_LIMIT.min, max: CHAT_LIMIT.max });
  }
}

export class ChatLimitBelowActiveChats extends AppError {
  constructor(maxChats: number, activeChats: number) {
    super('ChatLimitBelowActiveChats', `maxChats ${maxChats} is below the ${activeChats} chats the agent has open`, 'maxChats', { activeChats });
  }
}

export class AgentUnavailable extends AppError {
  constructor(agentId: string) {
    super('AgentUnavailable', `agent ${agentId} is not available or has no spare chat capacity`, 'agent.id', { agentId });
  }
}

/** Presence follows sessions: an agent without a live session is logged_out, whoever says otherwise. */
export class AgentNotLoggedIn extends AppError {
  /** `agent`: its id, or the user name of an agent being created. */
  constructor(agent: string, availability: string) {
    super('AgentNotLoggedIn', `agent ${agent} has no live session, so it cannot be ${availability}; it becomes present by logging in`, 'availability', { agent });
  }
}
