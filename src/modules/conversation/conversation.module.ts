import { Module } from '@nestjs/common';
import { AgentModule } from '../agent';
import { WebhookEventsModule } from '../webhook';
import { CaseModule } from '../case';
import { ClientApplicationModule } from '../client-application';
import { CustomerModule } from '../customer';
import { RateLimiterModule } from '../../platform/security/rate-limiter.module';
import { UserAccountModule, UserDirectoryModule } from '../user-account';
import { AgentChatRepository } from './application/agent-chat.repository';
import { CompleteChat } from './application/complete-chat/complete-chat.use-case';
import { CompleteConversation } from './application/complete-conversation/complete-conversation.use-case';
import { ConversationCompletion } from './application/conversation-completion';
import { ConversationEvents } from './application/conversation-events';
import { ConversationRepository } from './application/conversation.repository';
import { ListAgentChats } from './application/list-agent-chats/list-agent-chats.use-case';
import { ListTransferTargets } from './application/list-transfer-targets/list-transfer-targets.use-case';
import { MessagingRepository } from './application/messaging.repository';
import { ReadConversation } from './application/read-conversation/read-conversation.use-case';
import { ReadAgentChat } from './application/read-agent-chat/read-agent-chat.use-case';
import { SendAgentMessage } from './application/send-agent-message/send-agent-message.use-case';
import { SendCustomerMessage } from './application/send-customer-message/send-customer-message.use-case';
import { StartConversation } from './application/start-conversation/start-conversation.use-case';
import { TransferChat } from './application/transfer-chat/transfer-chat.use-case';
import { MysqlAgentChatRepository } from './infrastructure/mysql-agent-chat.repository';
import { MysqlConversationEvents } from './infrastructure/mysql-conversation-events';
import { MysqlConversationRepository } from './infrastructure/mysql-conversation.repository';
import { MysqlMessagingRepository } from './infrastructure/mysql-messaging.repository';
import { AgentChatsController } from './interface/agent-chats.controller';
import { AgentMessagingController } from './interface/agent-messaging.controller';
import { MessagingController } from './interface/messaging.controller';
import { SendMessageThrottle } from './interface/send-message-throttle';
import { MessageThrottle } from './application/message-throttle';
import { CustomerTyping } from './application/customer-typing';
import { RedisCustomerTyping } from './infrastructure/redis-customer-typing';
import { AppConfig } from '../../platform/config/app-config';
import { StartConversationController } from './interface/start-conversation.controller';
import { TransferTargetsController } from './interface/transfer-targets.controller';

/** The api side: starting conversations, messaging in them from both sides, and the agent's side of its chats. */
@Module({
  imports: [AgentModule, WebhookEventsModule, CaseModule, ClientApplicationModule, CustomerModule, UserAccountModule, UserDirectoryModule, RateLimiterModule],
  controllers: [StartConversationController, MessagingController, AgentMessagingController, AgentChatsController, TransferTargetsController],
  providers: [
    StartConversation,
    ReadConversation,
    ReadAgentChat,
    SendCustomerMessage,
    SendAgentMessage,
    CompleteConversation,
    ConversationCompletion,
    ListAgentChats,
    CompleteChat,
    TransferChat,
    ListTransferTargets,
    { provide: MessageThrottle, useClass: SendMessageThrottle },
    {
      provide: CustomerTyping,
      inject: [AppConfig],
      useFactory: (config: AppConfig) =>
        RedisCustomerTyping.connect({ host: config.REDIS_HOST, port: config.REDIS_PORT, keyPrefix: `${config.REDIS_PREFIX}:customer-typing:`, ttlMs: config.CUSTOMER_TYPING_TTL_MS }),
    },
    { provide: ConversationRepository, useClass: MysqlConversationRepository },
    { provide: AgentChatRepository, useClass: MysqlAgentChatRepository },
    { provide: ConversationEvents, useClass: MysqlConversationEvents },
    { provide: MessagingRepository, useClass: MysqlMessagingRepository },
  ],
  exports: [CompleteConversation],
})
export class ConversationModule {}
