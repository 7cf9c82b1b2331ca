import { Injectable } from '@nestjs/common';
import { TtlCache } from '../../../platform/cache/ttl-cache';
import { AppConfig } from '../../../platform/config/app-config';
import { AgentCapacityRepository } from './agent-capacity.repository';

const WORKER_CHECK_CACHE_MS = 500;

/** The start preconditions the agent module answers: a live assignment worker, a free agent. */
@Injectable()
export class AssignmentAvailability {
  private readonly workers = new TtlCache<boolean>(WORKER_CHECK_CACHE_MS);

  constructor(private readonly agents: AgentCapacityRepository, private readonly config: AppConfig) {}

  isAssignmentServiceRunning(): Promise<boolean> {
    return this.workers.get('live', async () => (await this.agents.liveWorkerCount(this.config.WORKER_HEARTBEAT_TTL_MS)) > 0);
  }

  hasFreeAgent(queueId: string): Promise<boolean> {
    return this.agents.hasFreeAgent(queueId);
  }
}
