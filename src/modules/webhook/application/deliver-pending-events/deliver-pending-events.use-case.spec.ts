import { Logger } from '@nestjs/common';
import type { CacheInvalidation } from '../../../../platform/cache/cache-invalidation';
import type { AppConfig } from '../../../../platform/config/app-config';
import { webhookDeliveryFailures } from '../../../../platform/metrics/registry';
import type { UserDirectory } from '../../../user-account';
import type { PendingEvent } from '../../domain/callback-message';
import { UnreadableSecret, type CallbackSettings } from '../../domain/callback-settings';
import type { AttemptResult } from '../../domain/retry-policy';
import type { CallbackRequest, CallbackSender } from '../callback-sender';
import type { CallbackSettingsRepository } from '../callback-settings.repository';
import type { DeliveryScheduler } from '../delivery-scheduler';
import type { DeliveryLease, DeliveryRepository, PendingBatch, SettledState } from '../delivery.repository';
import { DeliverPendingEvents } from './deliver-pending-events.use-case';

const APP = '1';

/** In-memory stand-ins with the same contracts as the MySQL ones. */
class World {
  settings: CallbackSettings = {
    clientApplicationId: APP, url: 'https://r.example/hook', format: 'json', authentication: { type: 'none' },
    signingSecret: 'whsec_c2VjcmV0', previousSigningSecret: null, state: 'active', consecutiveFailures: 0,
  };
  events: (PendingEvent & { state: SettledState | 'pending'; batchId?: string; result?: string; attempts: number })[] = [];
  openBatch: string | undefined;
  lease: { token?: string; retryInMs?: number } = {};
  answers: AttemptResult[] = [];
  requests: CallbackRequest[] = [];
  wakes: { delayMs: number; reason: string }[] = [];
  /** The lease times asked for, by claims and extensions. */
  leaseMs: number[] = [];
  /** Runs after each nextBatch with what it found: another worker or a commit acting meanwhile. */
  afterNextBatch: (batch: PendingBatch | undefined) => void = () => undefined;
  published: string[] = [];
  private batchCounter = 0;

  add(n: number, conversationId = 'c-1'): void {
    this.events.push({ seq: String(n), messageId: `m-${n}`, conversationId, correlationId: 'r', type: 'text/plain', content: `t${n}`, sender: { type: 'system' }, occurredAt: new Date(n), state: 'pending', attempts: 0 });
  }

  useCase(config: Partial<AppConfig> = {}): DeliverPendingEvents {
    const w = this;
    const settingsRepo = {
      find: async () => ({ ...w.settings }),
      recordSuccess: async () => { w.settings.consecutiveFailures = 0; },
      recordFailure: async (_id: string, at: number) => {
        w.settings.consecutiveFailures++;
        if (w.settings.consecutiveFailures >= at) w.settings.state = 'deactivated';
        return { failures: w.settings.consecutiveFailures, deactivated: w.settings.state === 'deactivated' };
      },
    } as unknown as CallbackSettingsRepository;
    const attempts = (events: World['events']) => Math.max(...events.map((e) => e.attempts));
    const pick = (max: number): PendingBatch | undefined => {
      const open = w.events.filter((e) => e.state === 'pending' && e.batchId !== undefined && e.batchId === w.openBatch);
      if (open.length > 0) return { clientApplicationId: APP, batchId: w.openBatch!, events: open, attempts: attempts(open) };
      const fresh = w.events.filter((e) => e.state === 'pending' && e.batchId === undefined).slice(0, max);
      if (fresh.length === 0) return undefined;
      w.openBatch = `b-${++w.batchCounter}`;
      for (const e of fresh) e.batchId = w.openBatch;
      return { clientApplicationId: APP, batchId: w.openBatch, events: fresh, attempts: attempts(fresh) };
    };
    const deliveries = {
      nextBatch: async (_id: string, max: number): Promise<PendingBatch | undefined> => {
        const batch = pick(max);
        w.afterNextBatch(batch);
        return batch;
      },
      settle: async (batch: PendingBatch, state: SettledState, result: string) => {
        for (const e of w.events) if (e.batchId === batch.batchId && e.state === 'pending') Object.assign(e, { state, result });
        w.openBatch = undefined;
      },
      noteFailedAttempt: async (batch: PendingBatch, result: string) => {
        for (const e of w.events) if (e.batchId === batch.batchId) Object.assign(e, { result, attempts: e.attempts + 1 });
      },
      dissolve: async (batch: PendingBatch) => {
        for (const e of w.events) if (e.batchId === batch.batchId && e.state === 'pending') e.batchId = undefined;
        w.openBatch = undefined;
      },
      hasPending: async () => w.events.some((e) => e.state === 'pending'),
    } as unknown as DeliveryRepository;
    const lease = {
      claim: async (_id: string, leaseMs: number) => {
        w.leaseMs.push(leaseMs);
        if (w.lease.token || (w.lease.retryInMs ?? 0) > 0) return undefined;
        w.lease = { token: 'tok' };
        return 'tok';
      },
      extend: async (_id: string, token: string, leaseMs: number) => {
        w.leaseMs.push(leaseMs);
        return w.lease.token === token;
      },
      release: async (_id: string, token: string, retryInMs?: number) => {
        if (w.lease.token === token) w.lease = { retryInMs };
      },
    } as unknown as DeliveryLease;
    const sender = { send: async (r: CallbackRequest) => { w.requests.push(r); return w.answers.shift() ?? { kind: 'response', status: 200 }; } } as CallbackSender;
    const scheduler = { wake: async (_id: string, delayMs: number, reason: string) => { w.wakes.push({ delayMs, reason }); } } as DeliveryScheduler;
    const users = { displayNames: async () => new Map() } as unknown as UserDirectory;
    const invalidation = { publish: (scope: string, key?: string) => w.published.push(`${scope}:${key}`), subscribe: () => undefined } as CacheInvalidation;
    const cfg = { WEBHOOK_TIMEOUT_MS: 1000, WEBHOOK_MAX_BATCH: 2, WEBHOOK_RETRY_BASE_MS: 100, WEBHOOK_RETRY_MAX_MS: 1000, WEBHOOK_DEACTIVATE_AFTER_FAILURES: 3, ...config } as AppConfig;
    return new DeliverPendingEvents(settingsRepo, deliveries, lease, sender, scheduler, users, invalidation, cfg);
  }
}

describe('DeliverPendingEvents', () => {
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(['log', 'error', 'warn', 'debug', 'verbose']));

  it('sends pending events oldest first, in batches of at most WEBHOOK_MAX_BATCH, until none is left', async () => {
    const w = new World();
    [1, 2, 3, 4, 5].forEach((n) => w.add(n));
    expect(await w.useCase().execute(APP)).toEqual({ outcome: 'drained', delivered: 5, batches: 3 });
    expect(w.requests.map((r) => r.messages.map((m) => m.id))).toEqual([['m-1', 'm-2'], ['m-3', 'm-4'], ['m-5']]);
    expect(w.events.every((e) => e.state === 'delivered')).toBe(true);
    expect(w.lease).toEqual({ retryInMs: undefined });
  });

  it('logs a delivery once per correlation id among its events, under that id, with those events\' count and conversations', async () => {
    const w = new World();
    w.add(1, 'c-1');
    w.add(2, 'c-2');
    w.add(3, 'c-1');
    for (const [i, id] of ['start-1', 'start-2', 'start-1b'].entries()) w.events[i].correlationId = id;
    w.add(4, 'c-3');
    w.events[3].correlationId = 'start-1b';
    w.answers.push({ kind: 'response', status: 500 });
    const log = jest.spyOn(Logger.prototype, 'log');
    const warn = jest.spyOn(Logger.prototype, 'warn');
    try {
      await w.useCase({ WEBHOOK_MAX_BATCH: 4 }).execute(APP);
      const fields = (spy: jest.SpyInstance, msg: string) => spy.mock.calls.filter((c) => c[1] === msg).map((c) => c[0]);
      const failed = fields(warn, 'callback failed');
      expect(failed.map((f) => [f.correlationId, f.events, f.conversationIds, f.batchEvents])).toEqual([
        ['start-1', 1, ['c-1'], 4],
        ['start-2', 1, ['c-2'], 4],
        ['start-1b', 2, ['c-1', 'c-3'], 4],
      ]);
      expect(new Set(failed.map((f) => f.batchId)).size).toBe(1);
      w.lease = {};
      await w.useCase({ WEBHOOK_MAX_BATCH: 4 }).execute(APP);
      expect(fields(log, 'callback delivered').map((f) => f.correlationId)).toEqual(['start-1', 'start-2', 'start-1b']);
    } finally {
      log.mockRestore();
      warn.mockRestore();
    }
  });

  it('holds the lease for the pause a 429 asked for with Retry-After, up to WEBHOOK_RETRY_MAX_MS, and then resends the same batch first', async () => {
    const w = new World();
    [1, 2, 3].forEach((n) => w.add(n));
    w.answers.push({ kind: 'response', status: 429, retryAfterMs: 700 });
    expect(await w.useCase().execute(APP)).toEqual({ outcome: 'retry-scheduled', delivered: 0, inMs: 700 });
    expect(w.lease.retryInMs).toBe(700);
    expect(w.wakes.map((x) => x.delayMs)).toEqual([725]);
    // Nothing goes meanwhile: not the batch, not what was recorded after it.
    w.add(4);
    expect(await w.useCase().execute(APP)).toEqual({ outcome: 'busy' });

    w.lease = {};
    w.answers.push({ kind: 'response', status: 503, retryAfterMs: 86400000 });
    expect(await w.useCase().execute(APP)).toEqual({ outcome: 'retry-scheduled', delivered: 0, inMs: 1000 });
    w.lease = {};
    expect(await w.useCase().execute(APP)).toEqual({ outcome: 'drained', delivered: 4, batches: 2 });
    expect(w.requests.map((r) => r.messages.map((m) => m.id))).toEqual([['m-1', 'm-2'], ['m-1', 'm-2'], ['m-1', 'm-2'], ['m-3', 'm-4']]);
  });

  it('ends after the request in flight when the worker is stopping, frees the lease and wakes another worker for the rest', async () => {
    const w = new World();
    [1, 2, 3, 4, 5].forEach((n) => w.add(n));
    const stopping = () => w.requests.length >= 1;
    expect(await w.useCase().execute(APP, stopping)).toEqual({ outcome: 'handed-over', delivered: 2 });
    expect(w.requests.map((r) => r.messages.map((m) => m.id))).toEqual([['m-1', 'm-2']]);
    expect(w.lease).toEqual({ retryInMs: undefined });
    expect(w.wakes).toEqual([{ delayMs: 0, reason: expect.stringMatching(/^handover-/) }]);
    // The next worker goes on where it stopped.
    expect(await w.useCase().execute(APP)).toEqual({ outcome: 'drained', delivered: 3, batches: 2 });
    expect(w.requests.map((r) => r.messages.map((m) => m.id))).toEqual([['m-1', 'm-2'], ['m-3', 'm-4'], ['m-5']]);
  });

  it('ends at once when another worker holds the lease', async () => {
    const w = new World();
    w.add(1);
    w.lease = { token: 'other' };
    expect(await w.useCase().execute(APP)).toEqual({ outcome: 'busy' });
    expect(w.requests).toHaveLength(0);
  });

  it('sends nothing while a stored secret is unreadable, retrying with the batch\'s backoff and counting no failure towards deactivation', async () => {
    const w = new World();
    [1, 2].forEach((n) => w.add(n));
    w.settings.signingSecret = new UnreadableSecret('signing', 'no secrets key is configured');
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      w.lease = {};
      const step = await w.useCase().execute(APP);
      expect(step.outcome).toBe('retry-scheduled');
      delays.push((step as { inMs: number }).inMs);
    }
    expect(w.requests).toEqual([]);
    // WEBHOOK_DEACTIVATE_AFTER_FAILURES is 3 here: five attempts leave the URL active, its count untouched.
    expect(w.settings).toMatchObject({ state: 'active', consecutiveFailures: 0 });
    expect(w.events.map((e) => [e.state, e.attempts])).toEqual([['pending', 5], ['pending', 5]]);
    expect(w.events[0].result).toContain('stored secret unreadable');
    // Backoff from WEBHOOK_RETRY_BASE_MS (100), doubling per attempt of the batch, capped at 1000, jittered into its upper half.
    [[50, 100], [100, 200], [200, 400], [400, 800], [500, 1000]].forEach(([low, high], i) => {
      expect(delays[i]).toBeGreaterThanOrEqual(low);
      expect(delays[i]).toBeLessThanOrEqual(high);
    });
  });

  it('schedules a retry with backoff after a 5xx and then resends the very same batch', async () => {
    const w = new World();
    [1, 2, 3].forEach((n) => w.add(n));
    w.answers.push({ kind: 'response', status: 503 });
    const first = await w.useCase().execute(APP);
    expect(first.outcome).toBe('retry-scheduled');
    const inMs = (first as { inMs: number }).inMs;
    expect(inMs).toBeGreaterThanOrEqual(50);
    expect(inMs).toBeLessThanOrEqual(100);
    expect(w.lease.retryInMs).toBe(inMs);
    expect(w.wakes).toHaveLength(1);
    expect(w.settings.consecutiveFailures).toBe(1);

    w.add(4);
    w.lease = {};
    expect(await w.useCase().execute(APP)).toEqual({ outcome: 'drained', delivered: 4, batches: 2 });
    expect(w.requests[1].id).toBe(w.requests[0].id);
    expect(w.requests[1].messages).toEqual(w.requests[0].messages);
    expect(w.requests[2].messages.map((m) => m.id)).toEqual(['m-3', 'm-4']);
    expect(w.settings.consecutiveFailures).toBe(0);
  });

  it('sends a refused batch again in halves to set aside only the event refused, then goes on in full batches', async () => {
    const w = new World();
    [1, 2, 3, 4, 5].forEach((n) => w.add(n, `c-${n}`));
    w.answers.push({ kind: 'response', status: 400 }, { kind: 'response', status: 200 }, { kind: 'response', status: 422 });
    expect(await w.useCase().execute(APP)).toEqual({ outcome: 'drained', delivered: 4, batches: 3 });
    expect(w.requests.map((r) => r.messages.map((m) => m.id))).toEqual([['m-1', 'm-2'], ['m-1'], ['m-2'], ['m-3', 'm-4'], ['m-5']]);
    expect(w.events.map((e) => e.state)).toEqual(['delivered', 'rejected', 'delivered', 'delivered', 'delivered']);
    expect(w.events[1].result).toBe('HTTP 422');
    // The split counts as no failure; the refusal of the event alone does, until the next delivery.
    expect(w.settings.consecutiveFailures).toBe(0);
  });

  it('after a 413, sends the rest of the run in batches of the size the receiver took, even past an event it refused, and full batches at the next run', async () => {
    const w = new World();
    [1, 2, 3, 4, 5, 6, 7, 8].forEach((n) => w.add(n, `c-${n}`));
    w.answers.push({ kind: 'response', status: 413 }, { kind: 'response', status: 200 }, { kind: 'response', status: 400 }, { kind: 'response', status: 200 }, { kind: 'response', status: 422 });
    expect(await w.useCase({ WEBHOOK_MAX_BATCH: 4 }).execute(APP)).toEqual({ outcome: 'drained', delivered: 7, batches: 4 });
    expect(w.requests.map((r) => r.messages.map((m) => m.id))).toEqual([['m-1', 'm-2', 'm-3', 'm-4'], ['m-1', 'm-2'], ['m-3', 'm-4'], ['m-3'], ['m-4'], ['m-5', 'm-6'], ['m-7', 'm-8']]);
    expect(w.events[3].state).toBe('rejected');
    [9, 10, 11, 12].forEach((n) => w.add(n));
    await w.useCase({ WEBHOOK_MAX_BATCH: 4 }).execute(APP);
    expect(w.requests.at(-1)!.messages.map((m) => m.id)).toEqual(['m-9', 'm-10', 'm-11', 'm-12']);
  });

  it('holds the lease for a token request and the POST, each up to the timeout, and 5 s more', async () => {
    const w = new World();
    w.add(1);
    await w.useCase({ WEBHOOK_TIMEOUT_MS: 2000 }).execute(APP);
    expect(w.requests).toHaveLength(1);
    expect(new Set(w.leaseMs)).toEqual(new Set([3 * 2000 + 5000]));
  });

  it('sends nothing once its lease ran out and another worker took it over', async () => {
    const w = new World();
    w.add(1);
    w.afterNextBatch = (batch) => {
      if (batch) w.lease = { token: 'other' };
    };
    expect(await w.useCase().execute(APP)).toEqual({ outcome: 'busy' });
    expect(w.requests).toHaveLength(0);
    expect(w.lease).toEqual({ token: 'other' });
    expect(w.events[0].state).toBe('pending');
  });

  it('sends an event committed while it held the lease once it finds nothing left, as that event\'s own job gave up on the lease', async () => {
    const w = new World();
    w.add(1);
    let committedLate = false;
    w.afterNextBatch = (batch) => {
      if (batch || committedLate) return;
      committedLate = true;
      w.add(2);
    };
    expect(await w.useCase().execute(APP)).toEqual({ outcome: 'drained', delivered: 2, batches: 2 });
    expect(w.requests.map((r) => r.messages.map((m) => m.id))).toEqual([['m-1'], ['m-2']]);
  });

  it('keeps the events of a batch refused for its credentials or address, and retries it with backoff', async () => {
    const w = new World();
    [1, 2].forEach((n) => w.add(n));
    w.answers.push({ kind: 'response', status: 401 });
    expect((await w.useCase().execute(APP)).outcome).toBe('retry-scheduled');
    expect(w.events.map((e) => [e.state, e.result])).toEqual([['pending', 'HTTP 401'], ['pending', 'HTTP 401']]);
    expect(w.requests).toHaveLength(1);
    expect(w.settings.consecutiveFailures).toBe(1);
  });

  it('deactivates the URL after the configured consecutive failures, keeps the events, and tells every process', async () => {
    const w = new World();
    w.add(1);
    w.settings.consecutiveFailures = 2;
    w.answers.push({ kind: 'timeout' });
    expect(await w.useCase().execute(APP)).toEqual({ outcome: 'deactivated', delivered: 0 });
    expect(w.settings.state).toBe('deactivated');
    expect(w.published).toEqual(['client-application:1']);
    expect(w.events[0].state).toBe('pending');
    expect(await w.useCase().execute(APP)).toEqual({ outcome: 'deactivated', delivered: 0 });
    expect(w.requests).toHaveLength(1);
  });

  it('counts every failed attempt, rejected or retried, in webhook_delivery_failures_total, and no delivered one', async () => {
    const failures = async () => (await webhookDeliveryFailures.get()).values.find((v) => v.labels.client_application_id === APP)?.value ?? 0;
    const before = await failures();
    const w = new World();
    [1, 2, 3].forEach((n) => w.add(n));
    w.answers.push({ kind: 'response', status: 400 }, { kind: 'response', status: 503 });
    expect((await w.useCase().execute(APP)).outcome).toBe('retry-scheduled');
    expect(await failures()).toBe(before + 2);
    w.lease = {};
    expect((await w.useCase().execute(APP)).outcome).toBe('drained');
    expect(await failures()).toBe(before + 2);
  });

  it('skips events of an application without a callback URL', async () => {
    const w = new World();
    w.add(1);
    w.settings.url = null;
    expect(await w.useCase().execute(APP)).toEqual({ outcome: 'drained', delivered: 0, batches: 0 });
    expect([w.events[0].state, w.events[0].result]).toEqual(['skipped', 'no callback URL configured']);
    expect(w.requests).toHaveLength(0);
  });

  it('skips, and says so, events of a URL that has no signing secret rather than send them unsigned', async () => {
    const w = new World();
    w.add(1);
    w.settings.signingSecret = null;
    expect(await w.useCase().execute(APP)).toEqual({ outcome: 'drained', delivered: 0, batches: 0 });
    expect([w.events[0].state, w.events[0].result]).toEqual(['skipped', 'no signing secret configured']);
    expect(w.requests).toHaveLength(0);
  });
});
