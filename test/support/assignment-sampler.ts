import type { Stack } from './stack';

export interface CapacitySample {
  at: number;
  agents: { id: string; active: number; max: number; available: boolean; open: number; queues: string[] }[];
  waiting: { id: string; queueId: string }[];
}

export interface SamplerReport {
  samples: number;
  violations: string[];
  /** Highest open-chat count seen per agent. */
  peak: Record<string, number>;
  /** Longest time an available agent was seen keeping a free slot while chats waited in its queue. */
  longestMissedHandOverMs: number;
}

/**
 * Samples agents and activities every `intervalMs` in one consistent snapshot and checks,
 * at every sample: no agent above its limit, neither by its counter nor by the chats
 * actually assigned to it, and counter = assigned chats (claim and assignment commit
 * together). It also tracks how long an available agent keeps a free slot while chats
 * wait in its queue: how long a freed slot takes to be handed over.
 */
export function startSampler(stack: Stack, intervalMs = 20): { stop: () => Promise<SamplerReport> } {
  const report: SamplerReport = { samples: 0, violations: [], peak: {}, longestMissedHandOverMs: 0 };
  const freeWhileWaitingSince = new Map<string, number>();
  let stopped = false;
  const runner = stack.db.createQueryRunner();

  const sample = async (): Promise<CapacitySample> => {
    await runner.query('START TRANSACTION WITH CONSISTENT SNAPSHOT');
    try {
      const agents: { id: string; active_chats: number; max_chats: number; availability: string }[] = await runner.query('SELECT id, active_chats, max_chats, availability FROM agent');
      const open: { agent_id: string; n: string }[] = await runner.query("SELECT agent_id, COUNT(*) AS n FROM activity WHERE state = 'assigned' GROUP BY agent_id");
      const waiting: { id: string; queue_id: string }[] = await runner.query("SELECT id, queue_id FROM activity WHERE state = 'waiting'");
      const memberships: { agent_id: string; queue_id: string }[] = await runner.query('SELECT agent_id, queue_id FROM agent_queue');
      const openBy = new Map(open.map((o) => [String(o.agent_id), Number(o.n)]));
      const queuesOf = (id: string) => memberships.filter((m) => String(m.agent_id) === id).map((m) => String(m.queue_id));
      return {
        at: Date.now(),
        agents: agents.map((a) => ({
          id: String(a.id), active: Number(a.active_chats), max: Number(a.max_chats), available: a.availability === 'available', open: openBy.get(String(a.id)) ?? 0, queues: queuesOf(String(a.id)),
        })),
        waiting: waiting.map((w) => ({ id: String(w.id), queueId: String(w.queue_id) })),
      };
    } finally {
      await runner.query('COMMIT');
    }
  };

  const check = (s: CapacitySample) => {
    report.samples++;
    for (const a of s.agents) {
      if (a.active > a.max) report.violations.push(`agent ${a.id}: active_chats ${a.active} > max_chats ${a.max}`);
      if (a.open > a.max) report.violations.push(`agent ${a.id}: ${a.open} open chats > max_chats ${a.max}`);
      if (a.open !== a.active) report.violations.push(`agent ${a.id}: active_chats ${a.active} but ${a.open} open chats`);
      report.peak[a.id] = Math.max(report.peak[a.id] ?? 0, a.open);
    }
    // A missed hand-over: an available agent keeps a free slot while its queue has chats waiting.
    const waitingQueues = new Set(s.waiting.map((w) => w.queueId));
    for (const a of s.agents) {
      const missing = a.available && a.active < a.max && a.queues.some((q) => waitingQueues.has(q));
      if (!missing) {
        freeWhileWaitingSince.delete(a.id);
        continue;
      }
      const since = freeWhileWaitingSince.get(a.id) ?? s.at;
      freeWhileWaitingSince.set(a.id, since);
      report.longestMissedHandOverMs = Math.max(report.longestMissedHandOverMs, s.at - since);
    }
  };

  const loop = (async () => {
    await runner.connect();
    while (!stopped) {
      check(await sample());
      await new Promise((r) => setTimeout(r, intervalMs));
    }
    await runner.release();
  })();

  return {
    stop: async () => {
      stopped = true;
      await loop;
      return report;
    },
  };
}
