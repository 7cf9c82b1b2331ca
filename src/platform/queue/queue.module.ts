import { BullModule } from '@nestjs/bull';
import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { QUEUES, QUEUE_SETTINGS } from './queues';

/** Bull on Redis; every key lives under REDIS_PREFIX so deployments and test runs never collide. */
@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        redis: { host: config.REDIS_HOST, port: config.REDIS_PORT, maxRetriesPerRequest: null, enableReadyCheck: false },
        prefix: config.REDIS_PREFIX,
        defaultJobOptions: { removeOnComplete: 1000, removeOnFail: 5000, attempts: 10, backoff: { type: 'exponential', delay: 200 } },
      }),
    }),
    BullModule.registerQueue(...QUEUES.map((name) => ({ name, settings: QUEUE_SETTINGS[name] }))),
  ],
  exports: [BullModule],
})
export class QueueModule {}
