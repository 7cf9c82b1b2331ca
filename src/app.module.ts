import { Module } from '@nestjs/common';
import { AgentModule } from './modules/agent';
import { CaseModule } from './modules/case';
import { ClientApplicationModule } from './modules/client-application';
import { ConversationModule } from './modules/conversation/conversation.module';
import { CustomerModule } from './modules/customer';
import { AppConfigModule } from './platform/config/config.module';
import { DatabaseModule } from './platform/database/database.module';
import { HttpPlatformModule } from './platform/http/http.module';
import { IdempotencyModule } from './platform/idempotency/idempotency.module';
import { LoggingModule } from './platform/logging/logging.module';
import { OutboxModule } from './platform/outbox/outbox.module';
import { QueueModule } from './platform/queue/queue.module';
import { LoginThrottleModule } from './platform/security/login-throttle.module';
import { SessionModule } from './platform/session/session.module';
import { SettingsModule } from './platform/settings/settings.module';
import { UserAccountModule } from './modules/user-account';
import { WebhookModule } from './modules/webhook';
import { CacheInvalidationModule } from './platform/cache/cache-invalidation.module';
import { HealthModule } from './platform/health/health.module';
import { MetricsModule } from './platform/metrics';
import { AdministrationModule } from './modules/administration';
import { AgentApiModule } from './modules/agent';

/** The api process: HTTP only. It writes and enqueues; it never assigns or calls webhooks. */
@Module({
  imports: [
    AppConfigModule,
    LoggingModule,
    DatabaseModule,
    QueueModule,
    OutboxModule,
    SettingsModule,
    SessionModule,
    LoginThrottleModule,
    HttpPlatformModule,
    IdempotencyModule,
    ClientApplicationModule,
    CustomerModule,
    CaseModule,
    AgentModule,
    ConversationModule,
    UserAccountModule,
    CacheInvalidationModule,
    WebhookModule,
    HealthModule,
    MetricsModule,
    AdministrationModule,
    AgentApiModule,
  ],
})
export class AppModule {}
