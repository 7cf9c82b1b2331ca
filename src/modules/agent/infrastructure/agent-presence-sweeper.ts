import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ClsService } from 'nestjs-cls';
import { AppConfig } from '../../../platform/config/app-config';
import { PeriodicTask, withJitter } from '../../../platform/scheduling/periodic-task';
import { LogOutExpiredAgents } from '../application/log-out-expired-agents/log-out-expired-agents.use-case';

/** Every AGENT_PRESENCE_SWEEP_INTERVAL_MS in every worker: agents whose last session expired are logged out. */
@Injectable()
export class AgentPresenceSweeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('AgentPresenceSweeper');
  private readonly task = new PeriodicTask(
    'agent presence sweep',
    () => withJitter(this.config.AGENT_PRESENCE_SWEEP_INTERVAL_MS),
    () => this.sweepOnce(),
    this.logger,
  );

  constructor(private readonly logOut: LogOutExpiredAgents, private readonly cls: ClsService, private readonly config: AppConfig) {}

  onApplicationBootstrap(): void {
    this.task.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }

  sweepOnce(): Promise<void> {
    return this.cls.run(async () => {
      this.cls.set('correlationId', `presence-sweep-${randomUUID()}`);
      const ended = await this.logOut.execute();
      if (ended > 0) this.logger.log({ ended }, 'expired agent sessions ended');
    });
  }
}
