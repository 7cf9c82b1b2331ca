import { Injectable } from '@nestjs/common';
import { TtlCache } from '../../../platform/cache/ttl-cache';
import { AppConfig } from '../../../platform/config/app-config';
import { AgentCapacityRepository } from './agent-capacity.repository';

const WORKER_CHECK_CACHE_MS = 500;

/** The start preconditions the agent module answers: a live assignment worker, a free agent. */
@Injectable()
export class AssignmentAvailability {
  private readonly workers = new TtlCache<boolean>(WORKER_CHECK_CACHE_MS);
  /** Until when each queue is taken to have a free agent; only "yes" is remembered. */
  private readonly freeAgentSeen = new Map<string, number>();

  constructor(private readonly agents: AgentCapacityRepository, private readonly config: AppConfig) {}

  isAssignmentServiceRunning(): Promise<boolean> {
    return this.workers.get('live', async () => (await this.agents.liveWorkerCount(this.config.WORKER_HEARTBEAT_TTL_MS)) > 0);
  }

  /**
   * With `recent`, a "yes" seen within AVAILABILITY_CACHE_TTL_MS is enough (the start
   * precondition, checked on every start); without it, the database is asked (drains).
   */
  async hasFreeAgent(queueId: string, { recent = false }: { recent?: boolean } = {}): Promise<boolean> {
    if (recent && (this.freeAgentSeen.get(queueId) ?? 0) > Date.now()) return true;
    const free = await this.agents.hasFreeAgent(queueId);
    const ttl = this.config.AVAILABILITY_CACHE_TTL_MS;
    if (free && ttl > 0) this.freeAgentSeen.set(queueId, Date.now() + ttl);
    else this.freeAgentSeen.delete(queueId);
    return free;
  }
}
