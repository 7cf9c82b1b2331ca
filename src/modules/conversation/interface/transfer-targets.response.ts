import type { TransferTargets } from '../application/list-transfer-targets/list-transfer-targets.use-case';

/** Lists as this API family writes them: `queues.queue[]`, `agents.agent[]` (XML: repeated elements). */
export function transferTargetsDocument(targets: TransferTargets) {
  return {
    transferTargets: {
      queues: {
        queue: targets.queues.map((q) => ({
          id: q.queueId,
          name: q.name,
          department: { id: q.department.departmentId, name: q.department.name },
          waitingChats: q.waitingChats,
        })),
      },
      agents: {
        agent: targets.agents.map((a) => ({
          id: a.agentId,
          name: a.displayName,
          availability: a.availability,
          maxChats: a.maxChats,
          activeChats: a.activeChats,
          freeChats: a.maxChats - a.activeChats,
        })),
      },
    },
  };
}
