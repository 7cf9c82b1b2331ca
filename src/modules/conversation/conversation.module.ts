import { Module } from '@nestjs/common';
import { AgentModule } from '../agent';
import { WebhookEventsModule } from '../webhook';
import { CaseModule } from '../case';
import { ClientApplicationModule } from '../client-application';
import { CustomerModule } from '../customer';
import { UserAccountModule, UserDirectoryModule } from '../user-account';
import { CompleteConversation } from './application/complete-conversation/complete-conversation.use-case';
import { ConversationEvents } from './application/conversation-events';
import { ConversationRepository } from './application/conversation.repository';
import { MessagingRepository } from './application/messaging.repository';
import { ReadConversation } from './application/read-conversation/read-conversation.use-case';
import { SendAgentMessage } from './application/send-agent-message/send-agent-message.use-case';
import { SendCustomerMessage } from './application/send-customer-message/send-customer-message.use-case';
import { StartConversation } from './application/start-conversation/start-conversation.use-case';
import { MysqlConversationEvents } from './infrastructure/mysql-conversation-events';
import { MysqlConversationRepository } from './infrastructure/mysql-conversation.repository';
import { MysqlMessagingRepository } from './infrastructure/mysql-messaging.repository';
import { AgentMessagingController } from './interface/agent-messaging.controller';
import { MessagingController } from './interface/messaging.controller';
import { StartConversationController } from './interface/start-conversation.controller';

/** The api side: starting conversations, then messaging in them from both sides. */
@Module({
  imports: [AgentModule, WebhookEventsModule, CaseModule, ClientApplicationModule, CustomerModule, UserAccountModule, UserDirectoryModule],
  controllers: [StartConversationController, MessagingController, AgentMessagingController],
  providers: [
    StartConversation,
    ReadConversation,
    SendCustomerMessage,
    SendAgentMessage,
    CompleteConversation,
    { provide: ConversationRepository, useClass: MysqlConversationRepository },
    { provide: ConversationEvents, useClass: MysqlConversationEvents },
    { provide: MessagingRepository, useClass: MysqlMessagingRepository },
  ],
  exports: [CompleteConversation],
})
export class ConversationModule {}
