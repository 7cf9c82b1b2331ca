import { Module } from '@nestjs/common';
import { AgentWorkerModule } from './modules/agent';
import { ConversationWorkerModule } from './modules/conversation/conversation-worker.module';
import { AppConfigModule } from './platform/config/config.module';
import { DatabaseModule } from './platform/database/database.module';
import { IdempotencyPurger } from './platform/idempotency/idempotency-purger';
import { IdempotencyStore } from './platform/idempotency/idempotency.store';
import { LoggingModule } from './platform/logging/logging.module';
import { OutboxModule } from './platform/outbox/outbox.module';
import { OutboxRelay } from './platform/outbox/outbox-relay';
import { QueueModule } from './platform/queue/queue.module';
import { SessionPurger } from './platform/session/session-purger';
import { SessionModule } from './platform/session/session.module';
import { SettingsModule } from './platform/settings/settings.module';
import { WebhookWorkerModule } from './modules/webhook';
import { CacheInvalidationModule } from './platform/cache/cache-invalidation.module';
import { WorkerHealthModule } from './platform/health/worker-health.module';
import { WorkerMetricsModule } from './platform/metrics';

/** The worker process: outbox relay, queue processors, heartbeat, housekeeping. No HTTP API. */
@Module({
  imports: [
    AppConfigModule,
    LoggingModule,
    DatabaseModule,
    QueueModule,
    OutboxModule,
    SettingsModule,
    SessionModule,
    AgentWorkerModule,
    ConversationWorkerModule,
    CacheInvalidationModule,
    WebhookWorkerModule,
    WorkerMetricsModule,
    WorkerHealthModule,
  ],
  providers: [OutboxRelay, IdempotencyStore, IdempotencyPurger, SessionPurger],
})
export class WorkerModule {}
