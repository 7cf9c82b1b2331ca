import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { ConversationRepository, type NewConversation, type WaitingActivity } from '../application/conversation.repository';
import { toLockedConversation, type LockedConversationRow } from './locked-conversation.row';
import { preparedQuery } from '../../../platform/database/prepared-query';
import { olderWaitingCondition } from './waiting-chat.sql';

interface LockedRow extends LockedConversationRow {
  conversation_id: string;
  queue_id: string;
  state: WaitingActivity['state'];
  waited_us: string;
  older_waiting: number | string | null;
}

@Injectable()
export class MysqlConversationRepository extends ConversationRepository {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {
    super();
  }

  async create(c: NewConversation): Promise<string> {
    const tx = this.txHost.tx;
    const clientInfo = { timeOffset: c.clientInfo.timeOffset, referrerName: c.clientInfo.referrerName, referrerURL: c.clientInfo.referrerURL };
    const inserted = await preparedQuery<{ insertId: number | string }>(
      tx,
      `INSERT INTO activity (case_id, customer_id, client_application_id, entry_point_id, queue_id, conversation_id, state, subject,
         contact_attribute, contact_value, client_info, custom_attributes, rich_text, typing_notifications, created_at)
       VALUES (?, ?, ?, ?, ?, ?, 'waiting', ?, ?, ?, ?, ?, ?, ?, NOW(3))`,
      [
        c.caseId, c.customerId, c.clientApplicationId, c.entryPointId, c.queueId, c.conversationId, c.subject,
        c.contact?.attribute ?? null, c.contact?.value ?? null, JSON.stringify(clientInfo),
        c.customAttributes.length > 0 ? JSON.stringify(c.customAttributes) : null, c.clientInfo.richText ? 1 : 0, c.typingNotifications ? 1 : 0,
      ],
    );
    const activityId = String(inserted.insertId);
    await preparedQuery(
      tx,
      // The time the start answers (the activity keeps the database's clock, which the waits and
      // the assignment latency are measured by).
      'INSERT INTO conversation (id, activity_id, client_application_id, correlation_id, created_at) VALUES (?, ?, ?, ?, ?)',
      [c.conversationId, activityId, c.clientApplicationId, c.correlationId, c.createdAt],
    );
    return activityId;
  }

  async lockActivities(activityIds: readonly string[], maxWaitSeconds: number): Promise<WaitingActivity[]> {
    if (activityIds.length === 0) return [];
    // Rows by primary key, locked in its order whatever the order of the ids, so that two
    // transactions locking overlapping sets wait for each other instead of deadlocking. The
    // conversation row is never written after the start, so locking it holds nobody up.
    // One statement text per number of ids: at most the worker's batch size of them.
    // older_waiting answers in this round trip what the first attempt otherwise asked in one of
    // its own, nearly always to find nothing. Asked for the newest activity only, as the read it
    // stands for is (one scan of the queue's waiting chats, not one per activity of the batch);
    // the others' is NULL. The subquery reads without locking (only the outer rows are locked;
    // a locking scan would hold the rows of chats being started).
    // Compared as digit strings, never parsed: an id that is not a number (a job's malformed data)
    // is left out by the lock as before instead of failing here. Whichever row gets the flag,
    // it says what the read would find for that row, and is used only for a queue's newest.
    const newest = activityIds.map(String).reduce((max, id) => (id.length > max.length || (id.length === max.length && id > max) ? id : max));
    const rows = await preparedQuery<LockedRow[]>(
      this.txHost.tx,
      `SELECT a.id AS activity_id, a.conversation_id, a.queue_id, a.state, a.client_application_id, a.typing_notifications, c.correlation_id,
              TIMESTAMPDIFF(MICROSECOND, a.created_at, NOW(3)) AS waited_us,
              CASE WHEN a.id = ? THEN EXISTS (SELECT 1 FROM activity o WHERE ${olderWaitingCondition('o', 'a.queue_id', 'a.id')}) END AS older_waiting
         FROM activity a JOIN conversation c ON c.id = a.conversation_id
        WHERE a.id IN (${activityIds.map(() => '?').join(', ')}) ORDER BY a.id FOR UPDATE`,
      [newest, maxWaitSeconds, ...activityIds],
    );
    return rows.map((row) => ({
      activityId: String(row.activity_id),
      conversationId: row.conversation_id,
      queueId: String(row.queue_id),
      state: row.state,
      conversation: toLockedConversation(row),
      waitedMs: Math.max(0, Number(row.waited_us)) / 1000,
      olderWaiting: row.older_waiting === null ? undefined : Number(row.older_waiting) === 1,
    }));
  }

  async markAssigned(activityId: string, agentId: string): Promise<void> {
    await preparedQuery(this.txHost.tx, "UPDATE activity SET state = 'assigned', agent_id = ?, assigned_at = NOW(3) WHERE id = ? AND state = 'waiting'", [agentId, activityId]);
  }
}
