import { Module } from '@nestjs/common';
import { AgentModule } from '../agent';
import { WebhookEventsModule } from '../webhook';
import { AssignActivity } from './application/assign-activity/assign-activity.use-case';
import { ConversationEvents } from './application/conversation-events';
import { ConversationRepository } from './application/conversation.repository';
import { AssignmentProcessor } from './infrastructure/assignment.processor';
import { MysqlConversationEvents } from './infrastructure/mysql-conversation-events';
import { MysqlConversationRepository } from './infrastructure/mysql-conversation.repository';

/** The worker side of conversations: assignment. Imported by the worker process only. */
@Module({
  imports: [AgentModule, WebhookEventsModule],
  providers: [
    AssignActivity,
    AssignmentProcessor,
    { provide: ConversationRepository, useClass: MysqlConversationRepository },
    { provide: ConversationEvents, useClass: MysqlConversationEvents },
  ],
})
export class ConversationWorkerModule {}
