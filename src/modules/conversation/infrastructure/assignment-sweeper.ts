import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ClsService } from 'nestjs-cls';
import { QueueDirectory } from '../../agent';
import { AppConfig } from '../../../platform/config/app-config';
import { PeriodicTask, withJitter } from '../../../platform/scheduling/periodic-task';
import { DrainQueue } from '../application/drain-queue/drain-queue.use-case';
import { ExpireWaiting } from '../application/expire-waiting/expire-waiting.use-case';

/**
 * The safety net of retain-and-retry, every ASSIGNMENT_RETRY_INTERVAL_MS in every worker:
 * expires activities that waited too long, then drains every queue. Drains are normally
 * triggered by events (a chat completed, an agent became available); the sweep catches
 * whatever an event could not reach: a drain job lost with a Redis that restarted empty, a
 * worker killed mid-drain. It runs from MySQL alone, so it keeps assigning while Redis is down.
 */
@Injectable()
export class AssignmentSweeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('AssignmentSweeper');
  private readonly task = new PeriodicTask(
    'assignment sweep',
    () => withJitter(this.config.ASSIGNMENT_RETRY_INTERVAL_MS),
    () => this.sweepOnce(),
    this.logger,
  );

  constructor(
    private readonly queues: QueueDirectory,
    private readonly expireWaiting: ExpireWaiting,
    private readonly drainQueue: DrainQueue,
    private readonly cls: ClsService,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }

  /** One pass over every queue. Public for tests. */
  sweepOnce(): Promise<void> {
    return this.cls.run(async () => {
      this.cls.set('correlationId', `sweep-${randomUUID()}`);
      for (const queueId of await this.queues.allQueueIds()) {
        if (this.task.isStopped) return;
        await this.sweepQueue(queueId);
      }
    });
  }

  /**
   * A queue whose sweep fails (an agent row held past the lock wait timeout) is tried again at
   * the next round; the queues after it are swept all the same. Stopping at the first failure
   * left every later queue unswept for as long as the fault lasted, round after round. The
   * expiry and the drain fail apart: an expiry that fails does not keep the queue's waiting
   * chats from their agents. (A conversation that cannot be ended fails only itself, inside
   * the expiry.)
   */
  private async sweepQueue(queueId: string): Promise<void> {
    const expired = await this.expireWaiting.execute(queueId).catch((err: unknown) => this.failed(queueId, 'expiry', err));
    const drained = await this.drainQueue.execute(queueId).catch((err: unknown) => this.failed(queueId, 'drain', err));
    const assigned = drained?.assigned ?? 0;
    if ((expired ?? 0) > 0 || assigned > 0) this.logger.log({ queueId, expired, assigned }, 'assignment sweep');
  }

  private failed(queueId: string, part: 'expiry' | 'drain', err: unknown): undefined {
    this.logger.warn({ queueId, part, err: (err as Error).message }, 'assignment sweep of a queue failed; the other queues are swept, this one at the next round');
    return undefined;
  }
}
