import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Outbox, type StoredOutboxMessage } from '../../../platform/outbox/outbox';
import { JOB_DRAIN_CALLBACKS, WEBHOOK_QUEUE, drainCallbacksJobId, type DrainCallbacksJob } from '../../../platform/queue/queues';

/**
 * Wakes an application's delivery after a change made by a request (reactivation, new
 * settings): through the outbox, so the wake-up survives Redis being down at that moment.
 */
@Injectable()
export class DeliveryKick {
  constructor(private readonly outbox: Outbox) {}

  /** In the caller's transaction. */
  add(clientApplicationId: string, correlationId: string): Promise<StoredOutboxMessage> {
    const payload: DrainCallbacksJob = { clientApplicationId, correlationId };
    return this.outbox.add({ queue: WEBHOOK_QUEUE, jobName: JOB_DRAIN_CALLBACKS, jobId: drainCallbacksJobId(clientApplicationId, randomUUID()), payload: { ...payload } });
  }

  /** After commit. */
  dispatch(message: StoredOutboxMessage): void {
    this.outbox.dispatch([message]);
  }
}
