import { Injectable } from '@nestjs/common';
import { Outbox } from '../../../../platform/outbox/outbox';
import { hashSecret } from '../../../../platform/security/secret-hasher';
import { SessionStore } from '../../../../platform/session/session';
import { RequestOpenedCapacityDrain, checkChatLimit, checkPresence } from '../../../agent';
import { UserSessionEvents } from '../../../user-account';
import type { AgentAccount, Availability } from '../../domain/configuration';
import { AgentAccountRepository } from '../agent-account.repository';
import { ChatQueueRepository } from '../chat-queue.repository';
import { ConfigurationChange } from '../configuration-change';
import { found, referenced } from '../found';
import { checkVersion, type ExpectedVersion } from '../resource-version';

export interface UpdateAgentCommand {
  password?: string;
  displayName?: string;
  maxChats?: number;
  availability?: Availability;
  queueIds?: string[];
}

/**
 * maxChats follows the agent's own rule for its limit: never below the chats the agent has
 * open (409 ChatLimitBelowActiveChats), checked under the agent's row lock so that an
 * assignment cannot slip in between. Capacity opened here (a higher limit, `available`, a
 * new queue) reaches the chats waiting in the agent's queues at once, as the agent's own
 * routes do: the same transaction asks for those queues to be drained. A new password ends
 * the agent's live sessions, as a client secret rotation ends its application's (a password is
 * usually replaced because it leaked), and with them its presence, as its logout would: the
 * agent logs in again with the new one.
 *
 * Presence follows sessions here too: `available` and `not_available` are refused (409
 * AgentNotLoggedIn) for an agent without a live session, or whose sessions the same change
 * ends with a new password, and `logged_out` ends the agent's sessions, as its own logout
 * would. Sessions are counted under the agent's row lock, which its login and logout take to
 * change its presence.
 */
@Injectable()
export class UpdateAgent {
  constructor(
    private readonly agents: AgentAccountRepository,
    private readonly queues: ChatQueueRepository,
    private readonly change: ConfigurationChange,
    private readonly openedCapacity: RequestOpenedCapacityDrain,
    private readonly outbox: Outbox,
    private readonly sessions: SessionStore,
    private readonly sessionEvents: UserSessionEvents,
  ) {}

  async execute(id: string, command: UpdateAgentCommand, expected?: ExpectedVersion): Promise<AgentAccount> {
    const passwordHash = command.password === undefined ? undefined : await hashSecret(command.password);
    const { agent, drains } = await this.change.apply(async () => {
      // The agent row stays locked to the end: concurrent changes of the agent wait, and an
      // assignment in progress is either counted in its chats or sees the new limit. Read
      // under that lock, `before` is what the agent could take until this change.
      const load = found(await this.agents.lockChatLoad(id), 'agent', id);
      const before = found(await this.agents.byId(id), 'agent', id);
      checkVersion('agent', id, before, expected);
      if (command.maxChats !== undefined) checkChatLimit(command.maxChats, load.activeChats);
      const endsSessions = passwordHash !== undefined || command.availability === 'logged_out';
      if (command.availability !== undefined) checkPresence(id, command.availability, endsSessions ? 0 : await this.sessions.liveCount('agent', id));
      for (const queueId of command.queueIds ?? []) referenced(await this.queues.byId(queueId), 'queue', queueId, 'queueIds');
      await this.agents.update(id, {
        passwordHash,
        displayName: command.displayName,
        maxChats: command.maxChats,
        availability: command.availability,
        queueIds: command.queueIds && [...new Set(command.queueIds)],
      });
      if (endsSessions) {
        await this.sessions.endOldest('agent', id, 0);
        // Sessions ended this way end as a logout does: presence follows sessions, so the agent
        // is offered no chats until it logs in again (logged_out set above says the same).
        if (command.availability === undefined) await this.sessionEvents.publish({ type: 'logout', userId: id, role: 'agent' });
      }
      return { agent: found(await this.agents.byId(id), 'agent', id), drains: await this.openedCapacity.execute({ agentId: id, before }) };
    });
    this.outbox.dispatch(drains);
    return agent;
  }
}
