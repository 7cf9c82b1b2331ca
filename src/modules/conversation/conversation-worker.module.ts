import { Module } from '@nestjs/common';
import { AgentModule } from '../agent';
import { WebhookEventsModule } from '../webhook';
import { AgentAssigner } from './application/agent-assigner';
import { AssignActivity } from './application/assign-activity/assign-activity.use-case';
import { AssignmentFailures } from './application/assignment-failures';
import { AssignmentRepository } from './application/assignment.repository';
import { ConversationEvents } from './application/conversation-events';
import { ConversationRepository } from './application/conversation.repository';
import { DrainQueue } from './application/drain-queue/drain-queue.use-case';
import { ExpireWaiting } from './application/expire-waiting/expire-waiting.use-case';
import { AssignmentSweeper } from './infrastructure/assignment-sweeper';
import { AssignmentProcessor } from './infrastructure/assignment.processor';
import { MysqlAssignmentRepository } from './infrastructure/mysql-assignment.repository';
import { MysqlConversationEvents } from './infrastructure/mysql-conversation-events';
import { MysqlConversationRepository } from './infrastructure/mysql-conversation.repository';

/** The worker side of conversations: assignment, retain-and-retry, the maximum wait. Imported by the worker process only. */
@Module({
  imports: [AgentModule, WebhookEventsModule],
  providers: [
    AgentAssigner,
    AssignActivity,
    AssignmentFailures,
    DrainQueue,
    ExpireWaiting,
    AssignmentProcessor,
    AssignmentSweeper,
    { provide: ConversationRepository, useClass: MysqlConversationRepository },
    { provide: AssignmentRepository, useClass: MysqlAssignmentRepository },
    { provide: ConversationEvents, useClass: MysqlConversationEvents },
  ],
})
export class ConversationWorkerModule {}
