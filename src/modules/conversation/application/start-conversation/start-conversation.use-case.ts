import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { randomUUID } from 'node:crypto';
import { AssignmentAvailability } from '../../../agent';
import { ResolveCase } from '../../../case';
import { ClientApplicationDirectory, EntryPointNotAllowed, EntryPointNotFound, type ClientApplicationPrincipal } from '../../../client-application';
import { FindOrCreateCustomer, customAttributeName, isStandardContactAttribute } from '../../../customer';
import { retryOnConflict } from '../../../../platform/database/transaction-retry';
import { Outbox, type StoredOutboxMessage } from '../../../../platform/outbox/outbox';
import { ASSIGNMENT_QUEUE, JOB_ASSIGN_ACTIVITY, assignJobId } from '../../../../platform/queue/queues';
import { checkAttributeValue } from '../../../../platform/settings/attribute-rules';
import { AttributeValueRejected, CustomAttributeUnknown } from '../../../../platform/settings/attribute-errors';
import { PlatformSettings } from '../../../../platform/settings/settings';
import {
  AssignmentServiceNotRunning,
  CallbackUrlDeactivated,
  ClientApplicationNotChat,
  EntryPointConfigurationChanged,
  NoAgentAvailable,
  SearchAttributeNotSearchable,
} from '../../domain/conversation.errors';
import type { StartConversationCommand } from '../../domain/start-conversation.command';
import { ConversationRepository } from '../conversation.repository';

export interface StartedConversation {
  conversationId: string;
  activityId: string;
  caseId: string;
  customerId: string | null;
  entryPointId: string;
  state: 'waiting';
  createdAt: Date;
}

/**
 * Starts a chat: checks the request against configuration and the preconditions, then
 * in one transaction finds or creates the customer, resolves the case, creates the
 * activity and conversation and the outbox row that hands the activity to assignment.
 * The job reaches the queue only after commit.
 */
@Injectable()
export class StartConversation {
  constructor(
    private readonly directory: ClientApplicationDirectory,
    private readonly settings: PlatformSettings,
    private readonly availability: AssignmentAvailability,
    private readonly findOrCreateCustomer: FindOrCreateCustomer,
    private readonly resolveCase: ResolveCase,
    private readonly conversations: ConversationRepository,
    private readonly outbox: Outbox,
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
  ) {}

  /**
   * `beforeCommit` is the caller's work that must commit with the start or not at all (the
   * answer recorded under the request's Idempotency-Key); it runs last in the transaction.
   */
  async execute(
    command: StartConversationCommand,
    principal: ClientApplicationPrincipal,
    correlationId: string,
    beforeCommit?: (started: StartedConversation) => Promise<void>,
  ): Promise<StartedConversation> {
    const application = await this.directory.application(principal.clientApplicationId);
    if (!application) throw new Error(`session refers to missing client application ${principal.clientApplicationId}`);
    if (application.type !== 'chat') throw new ClientApplicationNotChat(application.type);
    const entryPoint = await this.directory.entryPoint(command.entryPointId);
    if (!entryPoint || !entryPoint.active) throw new EntryPointNotFound(command.entryPointId);
    if (!application.entryPointIds.has(entryPoint.id)) throw new EntryPointNotAllowed(entryPoint.id);
    if (entryPoint.lastModified.getTime() !== command.lastModified.getTime()) throw new EntryPointConfigurationChanged(entryPoint.id);

    await this.checkConfiguredAttributes(command);

    if (application.callbackState !== 'active') throw new CallbackUrlDeactivated();
    if (!(await this.availability.isAssignmentServiceRunning())) throw new AssignmentServiceNotRunning();
    if (!(await this.availability.hasFreeAgent(entryPoint.queueId, { recent: true }))) throw new NoAgentAvailable(entryPoint.id);

    const conversationId = randomUUID();
    const { started, outboxMessage } = await retryOnConflict(() =>
      // Read committed: a customer's creation that waited for a concurrent one must then see it.
      this.txHost.withTransaction({ isolationLevel: 'READ COMMITTED' }, async () => {
        const mode = command.mode;
        const customerId = mode.kind === 'identified'
          ? (await this.findOrCreateCustomer.execute({ profile: mode.profile, searchAttribute: mode.searchAttribute, searchKey: mode.searchKey, departmentId: entryPoint.departmentId })).customerId
          : null;
        const caseId = await this.resolveCase.execute({ caseId: command.caseId, customerId, departmentId: entryPoint.departmentId, subject: command.subject ?? null });
        const createdAt = new Date();
        const activityId = await this.conversations.create({
          createdAt,
          conversationId,
          correlationId,
          clientApplicationId: application.id,
          entryPointId: entryPoint.id,
          queueId: entryPoint.queueId,
          caseId,
          customerId,
          subject: command.subject ?? null,
          contact: mode.kind === 'identified' ? (mode.conversationContact ?? null) : null,
          clientInfo: command.clientInfo,
          customAttributes: command.customAttributes,
          typingNotifications: command.typingNotifications,
        });
        const message: StoredOutboxMessage = await this.outbox.add({
          queue: ASSIGNMENT_QUEUE,
          jobName: JOB_ASSIGN_ACTIVITY,
          jobId: assignJobId(activityId),
          payload: { activityId, correlationId },
        });
        const result: StartedConversation = { conversationId, activityId, caseId, customerId, entryPointId: entryPoint.id, state: 'waiting', createdAt };
        await beforeCommit?.(result);
        return { started: result, outboxMessage: message };
      }),
    );
    this.outbox.dispatch([outboxMessage]);
    return started;
  }

  private async checkConfiguredAttributes(command: StartConversationCommand): Promise<void> {
    for (const attribute of command.customAttributes) {
      const definition = await this.settings.attributeDefinition('activity', attribute.name);
      if (!definition) throw new CustomAttributeUnknown(attribute.name, 'activity.customAttributes');
      for (const value of attribute.values) {
        const violation = checkAttributeValue(definition, value);
        if (violation) throw new AttributeValueRejected(violation, definition, 'activity.customAttributes');
      }
    }
    if (command.mode.kind === 'identified' && !isStandardContactAttribute(command.mode.searchAttribute)) {
      const name = customAttributeName(command.mode.searchAttribute);
      const definition = name === undefined ? undefined : await this.settings.attributeDefinition('contact', name);
      if (!definition?.searchable) throw new SearchAttributeNotSearchable(command.mode.searchAttribute);
    }
  }
}
