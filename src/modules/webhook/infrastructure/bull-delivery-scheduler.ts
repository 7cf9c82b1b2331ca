import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bull';
import { JOB_DRAIN_CALLBACKS, WEBHOOK_QUEUE, drainCallbacksJobId, type DrainCallbacksJob } from '../../../platform/queue/queues';
import { DeliveryScheduler } from '../application/delivery-scheduler';

@Injectable()
export class BullDeliveryScheduler extends DeliveryScheduler {
  constructor(@InjectQueue(WEBHOOK_QUEUE) private readonly queue: Queue) {
    super();
  }

  async wake(clientApplicationId: string, delayMs: number, reason: string): Promise<void> {
    const payload: DrainCallbacksJob = { clientApplicationId };
    await this.queue.add(JOB_DRAIN_CALLBACKS, payload, {
      jobId: drainCallbacksJobId(clientApplicationId, reason),
      delay: Math.max(0, Math.round(delayMs)),
      removeOnComplete: true,
    });
  }
}
