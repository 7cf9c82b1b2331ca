import { Module } from '@nestjs/common';
import { AgentModule } from '../agent';
import { CaseModule } from '../case';
import { ClientApplicationModule } from '../client-application';
import { CustomerModule } from '../customer';
import { UserAccountModule } from '../user-account';
import { AgentChatRepository } from './application/agent-chat.repository';
import { CompleteChat } from './application/complete-chat/complete-chat.use-case';
import { ConversationEvents } from './application/conversation-events';
import { ConversationRepository } from './application/conversation.repository';
import { ListAgentChats } from './application/list-agent-chats/list-agent-chats.use-case';
import { StartConversation } from './application/start-conversation/start-conversation.use-case';
import { TransferChat } from './application/transfer-chat/transfer-chat.use-case';
import { MysqlAgentChatRepository } from './infrastructure/mysql-agent-chat.repository';
import { MysqlConversationEvents } from './infrastructure/mysql-conversation-events';
import { MysqlConversationRepository } from './infrastructure/mysql-conversation.repository';
import { AgentChatsController } from './interface/agent-chats.controller';
import { StartConversationController } from './interface/start-conversation.controller';

/** The api side: starting conversations, and the agent's side of its chats. */
@Module({
  imports: [AgentModule, CaseModule, ClientApplicationModule, CustomerModule, UserAccountModule],
  controllers: [StartConversationController, AgentChatsController],
  providers: [
    StartConversation,
    ListAgentChats,
    CompleteChat,
    TransferChat,
    { provide: ConversationRepository, useClass: MysqlConversationRepository },
    { provide: AgentChatRepository, useClass: MysqlAgentChatRepository },
    { provide: ConversationEvents, useClass: MysqlConversationEvents },
  ],
})
export class ConversationModule {}
