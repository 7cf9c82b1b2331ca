/** What other modules may use of the agent module. */
export { AgentModule } from './agent.module';
export { AgentApiModule } from './agent-api.module';
export { AgentWorkerModule } from './agent-worker.module';
export { AssignmentAvailability } from './application/assignment-availability';
export { ClaimAgent } from './application/claim-agent/claim-agent.use-case';
export { ClaimNamedAgent } from './application/claim-named-agent/claim-named-agent.use-case';
export { ReleaseAgent } from './application/release-agent/release-agent.use-case';
export { RequestQueueDrain } from './application/request-queue-drain/request-queue-drain.use-case';
export { QueueDirectory } from './application/queue-directory';
