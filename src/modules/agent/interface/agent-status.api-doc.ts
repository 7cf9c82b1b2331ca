import { ApiProperty } from '@nestjs/swagger';
import type { EndpointDoc } from '../../../platform/openapi/api-endpoint.decorator';
import { AVAILABILITIES, CHAT_LIMIT } from '../domain/agent-availability';
import { SetAvailabilityRequest, SetChatLimitRequest } from './agent-status.request';

class AgentStatusView {
  @ApiProperty({ example: '1', description: "the id of the agent's user account" }) id: string;
  @ApiProperty({ enum: AVAILABILITIES, description: 'logged_out is set by the session lifecycle only' }) availability: string;
  @ApiProperty({ type: 'integer', example: 3, minimum: CHAT_LIMIT.min, maximum: CHAT_LIMIT.max }) maxChats: number;
  @ApiProperty({ type: 'integer', example: 1, description: 'chats assigned to the agent and still open' }) activeChats: number;
}

export class AgentStatusDocument {
  @ApiProperty({ type: AgentStatusView }) agent: AgentStatusView;
}

const status = (availability: string, maxChats: number, activeChats: number) => ({ agent: { id: '1', availability, maxChats, activeChats } });

/** The session's agent row can vanish only if the account is removed while the token lives. */
const AGENT_GONE_NOTE = 'ResourceNotFound (404-103) if the agent of the session no longer exists.';

export const AGENT_STATUS_DOCS = {
  read: {
    summary: "The agent's availability, concurrent-chat limit and open chats",
    description: AGENT_GONE_NOTE,
    auth: 'agent',
    ok: { type: AgentStatusDocument, example: status('not_available', 3, 0) },
    errors: ['ResourceNotFound'],
  },
  setAvailability: {
    summary: 'Start (available) or stop (not_available) taking chats; becoming available assigns waiting chats',
    description:
      'Setting the availability the agent already has changes nothing. Becoming available asks for the waiting chats of the ' +
      "agent's queues to be assigned (after commit, by a worker). Open chats stay assigned when the agent stops taking new ones. " +
      'An availability other than the two values is 400 BodyInvalid. An agent whose last session ended while the request ran (its ' +
      "logout in another tab, an administrator's logged_out) stays logged_out: 409 AgentNotLoggedIn. " +
      AGENT_GONE_NOTE,
    auth: 'agent',
    body: { type: SetAvailabilityRequest, xmlRoot: 'agent', example: { availability: 'available' } },
    ok: { type: AgentStatusDocument, example: status('available', 3, 0) },
    errors: ['ResourceNotFound', 'AgentNotLoggedIn'],
  },
  setChatLimit: {
    summary: 'Set how many chats the agent takes at once; raising it assigns waiting chats',
    description:
      `maxChats is a whole number from ${CHAT_LIMIT.min} to ${CHAT_LIMIT.max} (a number, or digits as text); outside that range ` +
      '400 ChatLimitOutOfRange, not a whole number 400 BodyInvalid. It cannot be set below the chats the agent has open ' +
      "(409 ChatLimitBelowActiveChats), checked under the agent's row lock. Raising it while available asks for waiting chats " +
      `to be assigned. ${AGENT_GONE_NOTE}`,
    auth: 'agent',
    body: { type: SetChatLimitRequest, xmlRoot: 'agent', example: { maxChats: 5 } },
    ok: { type: AgentStatusDocument, example: status('available', 5, 2) },
    errors: ['ChatLimitOutOfRange', 'ChatLimitBelowActiveChats', 'ResourceNotFound'],
  },
} satisfies Record<string, EndpointDoc>;
