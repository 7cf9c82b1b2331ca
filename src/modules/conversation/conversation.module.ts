import { Module } from '@nestjs/common';
import { AgentModule } from '../agent';
import { CaseModule } from '../case';
import { ClientApplicationModule } from '../client-application';
import { CustomerModule } from '../customer';
import { ConversationEvents } from './application/conversation-events';
import { ConversationRepository } from './application/conversation.repository';
import { StartConversation } from './application/start-conversation/start-conversation.use-case';
import { MysqlConversationEvents } from './infrastructure/mysql-conversation-events';
import { MysqlConversationRepository } from './infrastructure/mysql-conversation.repository';
import { StartConversationController } from './interface/start-conversation.controller';

/** The api side: starting conversations. */
@Module({
  imports: [AgentModule, CaseModule, ClientApplicationModule, CustomerModule],
  controllers: [StartConversationController],
  providers: [
    StartConversation,
    { provide: ConversationRepository, useClass: MysqlConversationRepository },
    { provide: ConversationEvents, useClass: MysqlConversationEvents },
  ],
})
export class ConversationModule {}
