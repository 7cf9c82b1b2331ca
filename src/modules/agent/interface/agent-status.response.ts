import type { AgentStatus } from '../domain/agent-availability';

export function agentStatusDocument(status: AgentStatus) {
  return {
    agent: {
      id: status.agentId,
      availability: status.availability,
      maxChats: status.maxChats,
      activeChats: status.activeChats,
    },
  };
}
