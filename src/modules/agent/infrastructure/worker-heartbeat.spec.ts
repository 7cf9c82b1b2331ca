import type { DataSource } from 'typeorm';
import type { AppConfig } from '../../../platform/config/app-config';
import { WorkerHeartbeat } from './worker-heartbeat';

describe('WorkerHeartbeat', () => {
  afterEach(() => jest.useRealTimers());

  it('removes its row only after the refresh under way has landed, so the refresh cannot bring it back', async () => {
    jest.useFakeTimers();
    const events: string[] = [];
    let landRefresh: () => void = () => undefined;
    let refreshes = 0;
    const db = {
      query: jest.fn(async (sql: string) => {
        if (sql.startsWith('INSERT')) {
          refreshes += 1;
          // The first refresh (at start) lands at once; the next is held until the test lets it land.
          if (refreshes > 1) await new Promise<void>((resolve) => (landRefresh = resolve));
          events.push('refresh landed');
        } else if (sql.includes('worker_id = ?')) {
          events.push('row removed');
        }
        return [];
      }),
    } as unknown as DataSource;
    const heartbeat = new WorkerHeartbeat(db, { WORKER_HEARTBEAT_INTERVAL_MS: 1000 } as AppConfig);
    await heartbeat.start();
    jest.advanceTimersByTime(1000);
    expect(refreshes).toBe(2);

    const stopping = heartbeat.beforeApplicationShutdown();
    await Promise.resolve();
    expect(events).toEqual(['refresh landed']);
    landRefresh();
    await stopping;
    expect(events).toEqual(['refresh landed', 'refresh landed', 'row removed']);
  });
});
