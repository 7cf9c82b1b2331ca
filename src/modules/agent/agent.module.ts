import { Module } from '@nestjs/common';
import { AgentCapacityRepository } from './application/agent-capacity.repository';
import { AgentStatusChange } from './application/agent-status-change';
import { AgentRepository } from './application/agent.repository';
import { AssignmentAvailability } from './application/assignment-availability';
import { ClaimAgent } from './application/claim-agent/claim-agent.use-case';
import { ClaimNamedAgent } from './application/claim-named-agent/claim-named-agent.use-case';
import { ListAgentsTakingChats } from './application/list-agents-taking-chats/list-agents-taking-chats.use-case';
import { QueueDirectory } from './application/queue-directory';
import { QueueDrain } from './application/queue-drain';
import { ReadAgentStatus } from './application/read-agent-status/read-agent-status.use-case';
import { ReleaseAgentCapacity } from './application/release-agent-capacity/release-agent-capacity.use-case';
import { RequestOpenedCapacityDrain } from './application/request-opened-capacity-drain/request-opened-capacity-drain.use-case';
import { RequestQueueDrain } from './application/request-queue-drain/request-queue-drain.use-case';
import { SetAvailability } from './application/set-availability/set-availability.use-case';
import { SetChatLimit } from './application/set-chat-limit/set-chat-limit.use-case';
import { UpdateAgentPresence } from './application/update-agent-presence/update-agent-presence.use-case';
import { MysqlAgentCapacityRepository } from './infrastructure/mysql-agent-capacity.repository';
import { MysqlAgentRepository } from './infrastructure/mysql-agent.repository';

@Module({
  providers: [
    AssignmentAvailability,
    ClaimAgent,
    ClaimNamedAgent,
    ListAgentsTakingChats,
    ReleaseAgentCapacity,
    RequestQueueDrain,
    RequestOpenedCapacityDrain,
    QueueDirectory,
    QueueDrain,
    AgentStatusChange,
    ReadAgentStatus,
    SetAvailability,
    SetChatLimit,
    UpdateAgentPresence,
    { provide: AgentCapacityRepository, useClass: MysqlAgentCapacityRepository },
    { provide: AgentRepository, useClass: MysqlAgentRepository },
  ],
  exports: [AssignmentAvailability, ClaimAgent, ClaimNamedAgent, ListAgentsTakingChats, ReleaseAgentCapacity, RequestQueueDrain, RequestOpenedCapacityDrain, QueueDirectory, ReadAgentStatus, SetAvailability, SetChatLimit, UpdateAgentPresence],
})
export class AgentModule {}
