import type { AppConfig } from '../../../platform/config/app-config';
import type { QueueShutdown } from '../../../platform/queue/queue-shutdown';
import type { DeliveryScheduler } from '../application/delivery-scheduler';
import type { DeliveryRepository } from '../application/delivery.repository';
import { DeliverySweeper, PRUNE_CHUNK } from './delivery-sweeper';

describe('DeliverySweeper: pruning settled events', () => {
  function sweeperWith(backlog: number) {
    let left = backlog;
    const prunes: number[] = [];
    const deliveries = {
      idleWithPending: async () => [],
      prune: async (_hours: number, limit: number) => {
        const deleted = Math.min(left, limit);
        left -= deleted;
        prunes.push(deleted);
        return deleted;
      },
    } as unknown as DeliveryRepository;
    const scheduler = { wake: async () => undefined } as unknown as DeliveryScheduler;
    const config = { WEBHOOK_SWEEP_INTERVAL_MS: 2000, WEBHOOK_RETENTION_HOURS: 168 } as AppConfig;
    return { sweeper: new DeliverySweeper(deliveries, scheduler, config, { stopping: false } as QueueShutdown), prunes, left: () => left };
  }

  it('prunes at its first round, then keeps pruning a chunk per round until the backlog is gone', async () => {
    const { sweeper, prunes, left } = sweeperWith(2 * PRUNE_CHUNK + 5);
    for (let round = 0; round < 4; round++) await sweeper.sweepOnce();
    expect(prunes).toEqual([PRUNE_CHUNK, PRUNE_CHUNK, 5]);
    expect(left()).toBe(0);
  });

  it('without a backlog, prunes again only after many rounds', async () => {
    const { sweeper, prunes } = sweeperWith(3);
    for (let round = 0; round < 100; round++) await sweeper.sweepOnce();
    expect(prunes).toEqual([3]);
  });
});
