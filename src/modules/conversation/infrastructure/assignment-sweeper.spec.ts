import type { ClsService } from 'nestjs-cls';
import type { QueueDirectory } from '../../agent';
import type { AppConfig } from '../../../platform/config/app-config';
import type { DrainQueue } from '../application/drain-queue/drain-queue.use-case';
import type { ExpireWaiting } from '../application/expire-waiting/expire-waiting.use-case';
import { AssignmentSweeper } from './assignment-sweeper';

describe('AssignmentSweeper', () => {
  it('drains a queue whose expiry failed (a lock wait timeout), and the queues after it', async () => {
    const drained: string[] = [];
    const queues = { allQueueIds: async () => ['1', '2'] } as unknown as QueueDirectory;
    const expire = {
      execute: async (queueId: string) => {
        if (queueId === '1') throw Object.assign(new Error('Lock wait timeout exceeded'), { code: 'ER_LOCK_WAIT_TIMEOUT' });
        return 0;
      },
    } as unknown as ExpireWaiting;
    const drain = { execute: async (queueId: string) => (drained.push(queueId), { assigned: 1 }) } as unknown as DrainQueue;
    const cls = { run: <T>(fn: () => T) => fn(), set: () => undefined } as unknown as ClsService;
    const sweeper = new AssignmentSweeper(queues, expire, drain, cls, { ASSIGNMENT_RETRY_INTERVAL_MS: 1000 } as AppConfig);
    await sweeper.sweepOnce();
    expect(drained).toEqual(['1', '2']);
  });
});
