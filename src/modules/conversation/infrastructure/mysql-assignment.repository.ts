import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { AssignmentRepository, type FailingChat, type LockedWaitingChat, type WaitingChat } from '../application/assignment.repository';
import { preparedQuery } from '../../../platform/database/prepared-query';
import type { RetriedWork } from '../domain/assignment-retry';
import { FAILURE_COLUMNS, dueFor, olderWaitingCondition } from './waiting-chat.sql';

interface WaitingRow { id: string; conversation_id: string; queue_id: string }

const toChat = (r: WaitingRow): WaitingChat => ({ activityId: String(r.id), conversationId: r.conversation_id, queueId: String(r.queue_id) });

// ix_activity_waiting (queue_id, state, id) serves all of these; ORDER BY id is first come, first served.
const WAITED = 'COALESCE(waiting_since, created_at)';
const OFFERED = dueFor('assignment');
const EXPIRABLE = dueFor('expiry');

/** A waiting chat about to be assigned, with how long it has waited (for the latency metric). */
const LOCKED_CHAT_COLUMNS = `id, conversation_id, queue_id, TIMESTAMPDIFF(MICROSECOND, ${WAITED}, NOW(3)) AS waited_us`;
type LockedChatRow = WaitingRow & { waited_us: string };
const toLockedChat = (r: LockedChatRow): LockedWaitingChat => ({ ...toChat(r), waitedMs: Math.max(0, Number(r.waited_us)) / 1000 });

/** Waiting chats a drain reads per round trip: more than the worker's transactions hold at a time, so the first page nearly always has a free one. */
const OLDEST_PAGE = 16;

@Injectable()
export class MysqlAssignmentRepository extends AssignmentRepository {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {
    super();
  }

  async lockOldestWaiting(queueId: string, maxWaitSeconds: number): Promise<LockedWaitingChat | undefined> {
    // Found by a plain read, a page at a time, then locked by primary key: a locking scan of
    // ix_activity_waiting keeps, to commit, its lock on the index entry of every chat it skips
    // as held. The transaction holding that chat could then not mark it assigned (its state is
    // in that index) while this drain waited for the agent it had taken: a deadlock.
    for (let afterId = '0'; ; ) {
      const found = await preparedQuery<{ id: string }[]>(
        this.txHost.tx,
        `SELECT id FROM activity
          WHERE queue_id = ? AND state = 'waiting' AND id > ? AND ${WAITED} > NOW(3) - INTERVAL ? SECOND AND ${OFFERED}
          ORDER BY id LIMIT ${OLDEST_PAGE}`,
        [queueId, afterId, maxWaitSeconds],
      );
      if (found.length === 0) return undefined;
      // SKIP LOCKED: parallel drains of one queue each take a different activity instead of queueing on the first.
      const rows = await this.lockWaitingById(found, queueId, maxWaitSeconds, 1);
      if (rows.length > 0) return rows[0];
      if (found.length < OLDEST_PAGE) return undefined;
      afterId = String(found[found.length - 1].id);
    }
  }

  /**
   * The chats among `found` still waiting and offered, locked in id order through the primary
   * key only (FORCE INDEX): a lock through ix_activity_waiting would also hold the index entries
   * of the chats skipped as held (see lockOldestWaiting).
   */
  private async lockWaitingById(found: readonly { id: string }[], queueId: string, maxWaitSeconds: number, limit?: number): Promise<LockedWaitingChat[]> {
    const rows: LockedChatRow[] = await this.txHost.tx.query(
      `SELECT ${LOCKED_CHAT_COLUMNS} FROM activity FORCE INDEX (PRIMARY)
        WHERE id IN (${found.map(() => '?').join(',')}) AND queue_id = ? AND state = 'waiting' AND ${WAITED} > NOW(3) - INTERVAL ? SECOND AND ${OFFERED}
        ORDER BY id${limit === undefined ? '' : ` LIMIT ${limit}`} FOR UPDATE SKIP LOCKED`,
      [...found.map((r) => r.id), queueId, maxWaitSeconds],
    );
    return rows.map(toLockedChat);
  }

  async lockOlderWaiting(queueId: string, beforeId: string, limit: number, maxWaitSeconds: number): Promise<LockedWaitingChat[]> {
    // A plain read first: it finds nothing nearly always, and a locking scan would lock, for a
    // moment, the rows of the chats being started and assigned meanwhile.
    const found = await preparedQuery<{ id: string }[]>(
      this.txHost.tx,
      `SELECT id FROM activity
        WHERE ${olderWaitingCondition('', '?', '?')}
        ORDER BY id LIMIT ${Math.max(1, Math.floor(limit))}`,
      [queueId, beforeId, maxWaitSeconds],
    );
    if (found.length === 0) return [];
    return this.lockWaitingById(found, queueId, maxWaitSeconds);
  }

  async markWaitingForAgent(activityId: string): Promise<void> {
    // waiting_since NULL counts from created_at: setting it to created_at keeps the wait's start.
    await preparedQuery(this.txHost.tx, "UPDATE activity SET waiting_since = COALESCE(waiting_since, created_at) WHERE id = ? AND state = 'waiting'", [activityId]);
  }

  async lockFailing(activityId: string, work: RetriedWork): Promise<FailingChat | undefined> {
    const rows: { failures: number | string; correlation_id: string }[] = await this.txHost.tx.query(
      `SELECT a.${FAILURE_COLUMNS[work].failures} AS failures, c.correlation_id FROM activity a JOIN conversation c ON c.id = a.conversation_id
        WHERE a.id = ? AND a.state = 'waiting' FOR UPDATE`,
      [activityId],
    );
    return rows.length === 0 ? undefined : { failures: Number(rows[0].failures), correlationId: rows[0].correlation_id };
  }

  async deferAfterFailure(activityId: string, work: RetriedWork, failures: number, retryInMs: number): Promise<void> {
    const { failures: count, retryAt } = FAILURE_COLUMNS[work];
    // waiting_since as markWaitingForAgent sets it: once tried, the chat waits for an agent, and
    // after its retry time newer chats' first attempts serve it first, as any waiting chat. (An
    // overdue chat is past assignments; setting it again keeps its value.)
    await this.txHost.tx.query(
      `UPDATE activity SET ${count} = ?, ${retryAt} = NOW(3) + INTERVAL ? MICROSECOND,
              waiting_since = COALESCE(waiting_since, created_at)
        WHERE id = ? AND state = 'waiting'`,
      [failures, Math.round(retryInMs * 1000), activityId],
    );
  }

  async findOverdue(queueId: string, maxWaitSeconds: number, limit: number): Promise<WaitingChat[]> {
    // A plain read, the rows then locked by primary key (lockOverdue): a locking scan would also
    // lock every waiting row it passes over, and the queue's drains would skip them all meanwhile.
    const rows: WaitingRow[] = await this.txHost.tx.query(
      `SELECT id, conversation_id, queue_id FROM activity
        WHERE queue_id = ? AND state = 'waiting' AND ${WAITED} <= NOW(3) - INTERVAL ? SECOND AND ${EXPIRABLE}
        ORDER BY id LIMIT ${Math.max(1, Math.floor(limit))}`,
      [queueId, maxWaitSeconds],
    );
    return rows.map(toChat);
  }

  async lockOverdue(activityIds: readonly string[], maxWaitSeconds: number): Promise<WaitingChat[]> {
    if (activityIds.length === 0) return [];
    const rows: WaitingRow[] = await this.txHost.tx.query(
      `SELECT id, conversation_id, queue_id FROM activity
        WHERE id IN (${activityIds.map(() => '?').join(',')}) AND state = 'waiting' AND ${WAITED} <= NOW(3) - INTERVAL ? SECOND AND ${EXPIRABLE}
        ORDER BY id FOR UPDATE SKIP LOCKED`,
      [...activityIds, maxWaitSeconds],
    );
    return rows.map(toChat);
  }

  async endUnassigned(activityIds: readonly string[]): Promise<void> {
    if (activityIds.length === 0) return;
    await this.txHost.tx.query(
      `UPDATE activity SET state = 'unassigned', completed_at = NOW(3) WHERE id IN (${activityIds.map(() => '?').join(',')}) AND state = 'waiting'`,
      [...activityIds],
    );
  }

  async hasWaiting(queueId: string, maxWaitSeconds: number): Promise<boolean> {
    const rows: unknown[] = await this.txHost.tx.query(
      `SELECT 1 FROM activity WHERE queue_id = ? AND state = 'waiting' AND ${WAITED} > NOW(3) - INTERVAL ? SECOND AND ${OFFERED} LIMIT 1`,
      [queueId, maxWaitSeconds],
    );
    return rows.length > 0;
  }
}
