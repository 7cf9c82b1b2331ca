import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ClsService } from 'nestjs-cls';
import { PeriodicTask, withJitter } from '../scheduling/periodic-task';
import { SessionStore } from './session';

const EVERY_MS = 15 * 60 * 1000;

/**
 * Worker-side housekeeping: deletes the rows of sessions ended or expired more than
 * SESSION_ROW_RETENTION_HOURS ago, at start and then about every 15 minutes. Every login
 * writes a row, and nothing else ever removed one.
 */
@Injectable()
export class SessionPurger implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('SessionPurger');
  private readonly task = new PeriodicTask('session purge', () => withJitter(EVERY_MS), () => this.purgeOnce(), this.logger);

  constructor(private readonly sessions: SessionStore, private readonly cls: ClsService) {}

  onApplicationBootstrap(): void {
    // At start too: a worker restarted more often than every 15 minutes would otherwise never purge.
    this.task.start({ now: true });
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }

  purgeOnce(): Promise<void> {
    return this.cls.run(async () => {
      this.cls.set('correlationId', `session-purge-${randomUUID()}`);
      const purged = await this.sessions.purgeEnded();
      if (purged > 0) this.logger.log({ purged }, 'ended sessions deleted');
    });
  }
}
