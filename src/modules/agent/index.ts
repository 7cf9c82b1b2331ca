/** What other modules may use of the agent module. */
export { AgentModule } from './agent.module';
export { AgentApiModule } from './agent-api.module';
export { AgentWorkerModule } from './agent-worker.module';
export { WorkerHeartbeat } from './infrastructure/worker-heartbeat';
export { AssignmentAvailability } from './application/assignment-availability';
export { ClaimAgent } from './application/claim-agent/claim-agent.use-case';
export type { Claim } from './application/agent-capacity.repository';
export { ReleaseAgentCapacity } from './application/release-agent-capacity/release-agent-capacity.use-case';
export { ASSIGNMENT_STRATEGIES, type AssignmentStrategy } from './domain/assignment-strategy';
export { checkChatLimit } from './domain/chat-limit';
export { checkPresence } from './domain/presence';
export { ClaimNamedAgent } from './application/claim-named-agent/claim-named-agent.use-case';
export { ListAgentsTakingChats } from './application/list-agents-taking-chats/list-agents-taking-chats.use-case';
export { RequestQueueDrain } from './application/request-queue-drain/request-queue-drain.use-case';
export { RequestOpenedCapacityDrain } from './application/request-opened-capacity-drain/request-opened-capacity-drain.use-case';
export type { AgentCapacity, AgentOffer } from './domain/agent-availability';
export type { QueueSummary } from './application/agent.repository';
export { QueueDirectory } from './application/queue-directory';
