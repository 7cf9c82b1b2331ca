import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../../../platform/config/app-config';
import { WorkerHeartbeat } from './worker-heartbeat';

type Connection = Pick<DataSource, 'query' | 'destroy'>;

/** The heartbeat on a connection the test gives it in place of its own. */
function heartbeatOn(opens: () => Promise<Connection>): WorkerHeartbeat {
  return new (class extends WorkerHeartbeat {
    protected override openConnection(): Promise<Connection> {
      return opens();
    }
  })({ WORKER_HEARTBEAT_INTERVAL_MS: 1000, WORKER_HEARTBEAT_TTL_MS: 3000 } as AppConfig);
}

describe('WorkerHeartbeat', () => {
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

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
      destroy: jest.fn(async () => events.push('connection closed')),
    } as unknown as Connection;
    const heartbeat = heartbeatOn(async () => db);
    await heartbeat.start();
    await jest.advanceTimersByTimeAsync(1000);
    expect(refreshes).toBe(2);

    const stopping = heartbeat.beforeApplicationShutdown();
    await Promise.resolve();
    expect(events).toEqual(['refresh landed']);
    landRefresh();
    await stopping;
    expect(events).toEqual(['refresh landed', 'refresh landed', 'row removed', 'connection closed']);
  });

  it('opens its connection once, and again at the next beat after an opening failed', async () => {
    jest.useFakeTimers();
    const db = { query: jest.fn(async () => []), destroy: jest.fn(async () => undefined) } as unknown as Connection;
    const opens = jest.fn<Promise<Connection>, []>().mockRejectedValueOnce(new Error('connect ECONNREFUSED')).mockResolvedValue(db);
    const heartbeat = heartbeatOn(opens);
    await heartbeat.start();
    expect(db.query).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(3000);
    expect(opens).toHaveBeenCalledTimes(2);
    expect((db.query as jest.Mock).mock.calls.filter(([sql]) => String(sql).startsWith('INSERT'))).toHaveLength(3);
    await heartbeat.beforeApplicationShutdown();
    expect(db.destroy).toHaveBeenCalledTimes(1);
  });

  it('warns of a refresh landing more than half the TTL after the one before, with the time its upsert took', async () => {
    jest.useFakeTimers();
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    let refreshes = 0;
    const db = {
      query: jest.fn(async (sql: string) => {
        // The third refresh waits 1.9 s for the database: it lands 2.9 s after the second (TTL 3 s).
        if (sql.startsWith('INSERT') && ++refreshes === 3) await new Promise((resolve) => setTimeout(resolve, 1900));
        return [];
      }),
      destroy: jest.fn(async () => undefined),
    } as unknown as Connection;
    const heartbeat = heartbeatOn(async () => db);
    await heartbeat.start();
    await jest.advanceTimersByTimeAsync(1000);
    expect(warn).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(2950);
    expect(refreshes).toBe(3);
    expect(warn.mock.calls).toEqual([[{ sinceLastMs: 2900, upsertMs: 1900, ttlMs: 3000 }, 'heartbeat refreshed late']]);
    await heartbeat.beforeApplicationShutdown();
  });
});
