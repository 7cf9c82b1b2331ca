import { Injectable, Logger } from '@nestjs/common';
import { CacheInvalidation } from '../../../../platform/cache/cache-invalidation';
import { AppConfig } from '../../../../platform/config/app-config';
import { recordWebhookDeliveryFailure } from '../../../../platform/metrics';
import { CLIENT_APPLICATION_CACHE_SCOPE } from '../../../client-application';
import { UserDirectory } from '../../../user-account';
import { callbackMessage } from '../../domain/callback-message';
import { isReadable, sameTarget, unreadableSecretsOf, type CallbackSettings } from '../../domain/callback-settings';
import { describeAttempt, nextAttemptDelayMs, retryDelayMs, verdictOf } from '../../domain/retry-policy';
import { CallbackSender } from '../callback-sender';
import { CallbackSettingsRepository } from '../callback-settings.repository';
import { DeliveryLease, DeliveryRepository, type PendingBatch } from '../delivery.repository';
import { DeliveryScheduler } from '../delivery-scheduler';

export type DeliveryOutcome =
  | { outcome: 'busy' }
  | { outcome: 'drained'; delivered: number; batches: number }
  | { outcome: 'deactivated'; delivered: number }
  | { outcome: 'retry-scheduled'; delivered: number; inMs: number }
  | { outcome: 'handed-over'; delivered: number }
  | { outcome: 'skipped'; reason: string };

type Step = { kind: 'drained' } | { kind: 'deactivated' } | { kind: 'retry'; inMs: number } | { kind: 'gone' } | { kind: 'lost' } | { kind: 'stopping' };

/** A scheduled retry fires a little after the lease allows it, so it does not find it still closed. */
const RETRY_WAKE_MARGIN_MS = 25;

/**
 * Sends an application's pending events to its callback URL, oldest first, in batches,
 * until none is left, the receiver fails (a retry is scheduled with backoff) or the URL is
 * deactivated. Only the holder of the application's lease sends, so one application gets
 * one request at a time and its events arrive in order; events that queue up meanwhile go
 * together in the next request. Safe to run any number of times, from any worker.
 * When `stopping` says the worker is shutting down, it ends after the request in flight and
 * wakes another worker for the rest, so a long backlog never holds the shutdown up.
 */
@Injectable()
export class DeliverPendingEvents {
  private readonly logger = new Logger('WebhookDelivery');
  private readonly leaseMs: number;

  constructor(
    private readonly settings: CallbackSettingsRepository,
    private readonly deliveries: DeliveryRepository,
    private readonly lease: DeliveryLease,
    private readonly sender: CallbackSender,
    private readonly scheduler: DeliveryScheduler,
    private readonly users: UserDirectory,
    private readonly invalidation: CacheInvalidation,
    private readonly config: AppConfig,
  ) {
    // Covers a token request and the POST, each bounded by the timeout.
    this.leaseMs = 3 * config.WEBHOOK_TIMEOUT_MS + 5000;
  }

  async execute(clientApplicationId: string, stopping: () => boolean = () => false): Promise<DeliveryOutcome> {
    const counters = { delivered: 0, batches: 0 };
    for (let round = 0; ; round++) {
      const token = await this.lease.claim(clientApplicationId, this.leaseMs);
      if (!token) return round === 0 ? { outcome: 'busy' } : { outcome: 'drained', ...counters };
      let step: Step;
      try {
        step = await this.drain(clientApplicationId, token, counters, stopping);
      } catch (err) {
        await this.lease.release(clientApplicationId, token);
        throw err;
      }
      if (step.kind === 'retry') {
        await this.lease.release(clientApplicationId, token, step.inMs);
        await this.scheduleRetry(clientApplicationId, step.inMs);
        return { outcome: 'retry-scheduled', delivered: counters.delivered, inMs: step.inMs };
      }
      await this.lease.release(clientApplicationId, token);
      if (step.kind === 'stopping') {
        await this.handOver(clientApplicationId);
        return { outcome: 'handed-over', delivered: counters.delivered };
      }
      if (step.kind === 'deactivated') return { outcome: 'deactivated', delivered: counters.delivered };
      if (step.kind === 'gone') return { outcome: 'skipped', reason: 'client application does not exist' };
      if (step.kind === 'lost') return { outcome: 'busy' };
      // A job that came while we held the lease gave up; what it announced is committed by now.
      if (!(await this.deliveries.hasPending(clientApplicationId))) return { outcome: 'drained', ...counters };
    }
  }

  private async drain(clientApplicationId: string, token: string, counters: { delivered: number; batches: number }, stopping: () => boolean): Promise<Step> {
    // Lowered for the rest of this run when the receiver finds a batch too large (413).
    let sizeLimit = this.config.WEBHOOK_MAX_BATCH;
    // Lowered further while the events a receiver refused are told apart from the others.
    let maxBatch = sizeLimit;
    for (;;) {
      if (stopping()) return { kind: 'stopping' };
      const settings = await this.settings.find(clientApplicationId);
      if (!settings) return { kind: 'gone' };
      if (settings.state !== 'active') return { kind: 'deactivated' };
      const batch = await this.deliveries.nextBatch(clientApplicationId, maxBatch);
      if (!batch) return { kind: 'drained' };
      const { url } = settings;
      if (url === null) {
        await this.deliveries.settle(batch, 'skipped', 'no callback URL configured');
        continue;
      }
      // Every way of setting a URL generates the secret with it (and a migration gave one to
      // older rows), so this is a row written by hand: nothing could verify what we would send.
      if (settings.signingSecret === null) {
        await this.deliveries.settle(batch, 'skipped', 'no signing secret configured');
        continue;
      }
      // A secret sealed with a key this worker does not have: nothing can be sent until an
      // administrator replaces it, or a worker with the key takes the delivery. The receiver is
      // not at fault, and one worker started without the key would otherwise deactivate every
      // application whose secrets are sealed: the attempt is noted and retried with backoff,
      // and counts for no deactivation.
      if (!isReadable(settings)) return this.unreadable(clientApplicationId, settings, batch);
      const signingSecret = settings.signingSecret;
      // A worker that stalled past its lease must not send alongside the one that took over.
      if (!(await this.lease.extend(clientApplicationId, token, this.leaseMs))) return { kind: 'lost' };
      const result = await this.sender.send({ settings: { ...settings, url, signingSecret }, id: batch.batchId, messages: await this.messagesOf(batch) });
      const verdict = verdictOf(result);
      const description = describeAttempt(result);
      // The settings were changed while the request was under way (a URL fixed, credentials
      // or the secret replaced): the replaced target's refusal, or the pause it asked for, says
      // nothing of the new one. The batch goes again at once, with the new settings; the
      // attempt is noted on its events but neither sets them aside nor counts as a failure.
      if (verdict !== 'delivered' && (await this.replacedDuring(clientApplicationId, settings))) {
        this.log(clientApplicationId, batch, 'superseded', description);
        recordWebhookDeliveryFailure(clientApplicationId);
        await this.deliveries.noteFailedAttempt(batch, `${description} (callback settings changed during the request)`);
        continue;
      }
      // Several events sent at once, refused at once. 413: the body is over the receiver's
      // limit, which says nothing of the events in it (a backlog after an outage makes large
      // batches). Another refusal may be of one event only, and the others, of other
      // conversations too, must not be set aside with it. Either way half of them go at once in
      // a new batch, down to one event at a time; the attempt neither sets them aside nor
      // counts as a failure. A single event still refused is set aside as below.
      if (result.kind === 'response' && verdict === 'rejected' && batch.events.length > 1) {
        const tooLarge = result.status === 413;
        maxBatch = Math.ceil(batch.events.length / 2);
        if (tooLarge) sizeLimit = maxBatch;
        this.log(clientApplicationId, batch, 'split', description);
        recordWebhookDeliveryFailure(clientApplicationId);
        const why = tooLarge ? 'too large for the receiver' : 'refused together: sent again apart, to set aside only the events refused';
        await this.deliveries.noteFailedAttempt(batch, `${description} (${why}; sent again in batches of ${maxBatch})`);
        await this.deliveries.dissolve(batch);
        continue;
      }
      this.log(clientApplicationId, batch, verdict, description);
      if (verdict === 'delivered') {
        await this.deliveries.settle(batch, 'delivered', description);
        if (settings.consecutiveFailures > 0) await this.settings.recordSuccess(clientApplicationId);
        counters.delivered += batch.events.length;
        counters.batches++;
        continue;
      }
      recordWebhookDeliveryFailure(clientApplicationId);
      if (verdict === 'rejected') {
        await this.deliveries.settle(batch, 'rejected', description);
        // The refused event is found: the events after it go in batches again.
        maxBatch = sizeLimit;
      } else await this.deliveries.noteFailedAttempt(batch, description);
      const { failures, deactivated } = await this.settings.recordFailure(clientApplicationId, this.config.WEBHOOK_DEACTIVATE_AFTER_FAILURES);
      if (deactivated) {
        this.invalidation.publish(CLIENT_APPLICATION_CACHE_SCOPE, clientApplicationId);
        this.logger.warn({ clientApplicationId, failures }, 'callback URL deactivated after consecutive failed deliveries');
        return { kind: 'deactivated' };
      }
      if (verdict === 'retry') return { kind: 'retry', inMs: nextAttemptDelayMs(failures, result, { baseMs: this.config.WEBHOOK_RETRY_BASE_MS, maxMs: this.config.WEBHOOK_RETRY_MAX_MS }) };
    }
  }

  /** A batch not sent for a stored secret no configured key opens: named (never its value), noted, retried with the batch's backoff. */
  private async unreadable(clientApplicationId: string, settings: CallbackSettings, batch: PendingBatch): Promise<Step> {
    const unreadable = unreadableSecretsOf(settings);
    const secrets = unreadable.map((u) => u.secret);
    const description = `not sent: stored secret unreadable with the configured secrets keys (${secrets.join(', ')})`;
    this.logger.error({ clientApplicationId, secrets, reasons: unreadable.map((u) => u.reason) }, 'callback not sent: a stored secret cannot be read');
    this.log(clientApplicationId, batch, 'retry', description);
    recordWebhookDeliveryFailure(clientApplicationId);
    await this.deliveries.noteFailedAttempt(batch, description);
    return { kind: 'retry', inMs: retryDelayMs(batch.attempts + 1, this.config.WEBHOOK_RETRY_BASE_MS, this.config.WEBHOOK_RETRY_MAX_MS) };
  }

  private async replacedDuring(clientApplicationId: string, sentWith: CallbackSettings): Promise<boolean> {
    const now = await this.settings.find(clientApplicationId);
    return now !== undefined && !sameTarget(now, sentWith);
  }

  private async messagesOf(batch: PendingBatch) {
    const agentIds = batch.events.flatMap((e) => (e.sender.type === 'user' ? [e.sender.agentId] : []));
    const names = await this.users.displayNames(agentIds);
    return batch.events.map((e) => callbackMessage(e, (id) => names.get(id) ?? ''));
  }

  private async scheduleRetry(clientApplicationId: string, inMs: number): Promise<void> {
    try {
      await this.scheduler.wake(clientApplicationId, inMs + RETRY_WAKE_MARGIN_MS, `retry-${Date.now() + inMs}`);
    } catch (err) {
      // The sweeper finds applications whose retry is due and nobody is delivering to.
      this.logger.warn({ clientApplicationId, err: (err as Error).message }, 'could not schedule the retry; the sweeper will');
    }
  }

  /** Another worker goes on at once; should the wake-up be lost, the sweeper finds the pending events. */
  private async handOver(clientApplicationId: string): Promise<void> {
    try {
      await this.scheduler.wake(clientApplicationId, 0, `handover-${Date.now()}`);
    } catch (err) {
      this.logger.warn({ clientApplicationId, err: (err as Error).message }, 'could not hand the delivery over; the sweeper will');
    }
  }

  /**
   * One line per correlation id among the batch's events (each event carries the id its
   * conversation was started under), under that id: a batch mixes conversations, and the
   * delivery of each must be found by its conversation's id, as its assignment is, not by the
   * id of whichever event or request happened to wake the delivery.
   */
  private log(clientApplicationId: string, batch: PendingBatch, verdict: string, result: string): void {
    const byCorrelation = new Map<string, PendingBatch['events']>();
    for (const e of batch.events) byCorrelation.set(e.correlationId, [...(byCorrelation.get(e.correlationId) ?? []), e]);
    for (const [correlationId, events] of byCorrelation) {
      const fields = {
        correlationId,
        clientApplicationId,
        batchId: batch.batchId,
        batchEvents: batch.events.length,
        events: events.length,
        conversationIds: [...new Set(events.map((e) => e.conversationId))],
        verdict,
        result,
      };
      if (verdict === 'delivered') this.logger.log(fields, 'callback delivered');
      else this.logger.warn(fields, 'callback failed');
    }
  }
}
