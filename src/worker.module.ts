import { Module } from '@nestjs/common';
import { AgentWorkerModule } from './modules/agent';
import { ConversationWorkerModule } from './modules/conversation/conversation-worker.module';
import { AppConfigModule } from './platform/config/config.module';
import { DatabaseModule } from './platform/database/database.module';
import { LoggingModule } from './platform/logging/logging.module';
import { OutboxModule } from './platform/outbox/outbox.module';
import { OutboxRelay } from './platform/outbox/outbox-relay';
import { QueueModule } from './platform/queue/queue.module';
import { SettingsModule } from './platform/settings/settings.module';
import { WorkerHealthModule } from './platform/health/worker-health.module';
import { WorkerMetricsModule } from './platform/metrics';

/** The worker process: outbox relay, queue processors, heartbeat. No HTTP API. */
@Module({
  imports: [AppConfigModule, LoggingModule, DatabaseModule, QueueModule, OutboxModule, SettingsModule, AgentWorkerModule, ConversationWorkerModule, WorkerMetricsModule, WorkerHealthModule],
  providers: [OutboxRelay],
})
export class WorkerModule {}
