import { Injectable } from '@nestjs/common';
import { activityIdOf } from './activity-lookup';
import { LAST_EVENT } from './last-event';
import { TransactionHost } from '@nestjs-cls/transactional';
import { AppConfig } from '../../../platform/config/app-config';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import {
  MessagingRepository,
  type ActivityState,
  type ConversationDetails,
  type ConversationParticipants,
  type TranscriptEntry,
  type TranscriptSlice,
} from '../application/messaging.repository';
import { messagesOnPage, type TranscriptPage } from '../domain/transcript-page';

interface ParticipantsRow {
  conversation_id: string;
  activity_id: string;
  client_application_id: string;
  state: ActivityState;
  ended: number;
  agent_id: string | null;
  rich_text: number;
}

interface DetailsRow extends ParticipantsRow {
  entry_point_id: string;
  case_id: string;
  customer_id: string | null;
  created_at: Date;
  assigned_at: Date | null;
  completed_at: Date | null;
}

interface MessageRow {
  id: string;
  sender_type: 'customer' | 'user' | 'system';
  agent_id: string | null;
  type: string;
  content: string | null;
  created_at: Date;
}

const UUID = /^[0-9a-f-]{36}$/;
/** Typing is never part of a transcript (rows of earlier releases hold some). */
const NOT_TYPING = "type NOT IN ('startTyping', 'endTyping')";
const PARTICIPANTS = 'c.id AS conversation_id, a.id AS activity_id, c.client_application_id, a.state, a.completed_at IS NOT NULL AS ended, a.agent_id, a.rich_text';

@Injectable()
export class MysqlMessagingRepository extends MessagingRepository {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>, private readonly config: AppConfig) {
    super();
  }

  async lock(conversationId: string): Promise<ConversationParticipants | undefined> {
    if (!UUID.test(conversationId)) return undefined;
    // Only the activity row, which assignment locks first too: one lock order, no deadlock.
    // Locked by primary key: a locking read on the conversation_id index would lock a gap too.
    const activityId = await activityIdOf(this.txHost.tx, conversationId);
    const rows: ParticipantsRow[] = activityId === undefined
      ? []
      : await this.txHost.tx.query(
          `SELECT a.conversation_id, a.id AS activity_id, a.client_application_id, a.state, a.completed_at IS NOT NULL AS ended, a.agent_id, a.rich_text
             FROM activity a WHERE a.id = ? FOR UPDATE`,
          [activityId],
        );
    return rows.length === 0 ? undefined : participants(rows[0]);
  }

  async participants(conversationId: string): Promise<ConversationParticipants | undefined> {
    if (!UUID.test(conversationId)) return undefined;
    const rows: ParticipantsRow[] = await this.txHost.tx.query(`SELECT ${PARTICIPANTS} FROM conversation c JOIN activity a ON a.id = c.activity_id WHERE c.id = ?`, [conversationId]);
    return rows.length === 0 ? undefined : participants(rows[0]);
  }

  async markCompleted(activityId: string): Promise<void> {
    await this.txHost.tx.query("UPDATE activity SET state = 'completed', completed_at = NOW(3) WHERE id = ? AND state <> 'completed'", [activityId]);
  }

  async details(conversationId: string): Promise<ConversationDetails | undefined> {
    if (!UUID.test(conversationId)) return undefined;
    // The columns hold the database's clock, the events the clock of the process that recorded
    // them: the dates answered are those of the events (the last `assigned`, the `complete`), so
    // that they equal the timeStamp the transcript and the callbacks give the same moment.
    const rows: DetailsRow[] = await this.txHost.tx.query(
      `SELECT ${PARTICIPANTS}, a.entry_point_id, a.case_id, a.customer_id, c.created_at,
              CASE WHEN a.assigned_at IS NULL THEN NULL ELSE COALESCE(${LAST_EVENT('assigned')}, a.assigned_at) END AS assigned_at,
              CASE WHEN a.completed_at IS NULL THEN NULL ELSE COALESCE(${LAST_EVENT('complete')}, a.completed_at) END AS completed_at
         FROM conversation c JOIN activity a ON a.id = c.activity_id WHERE c.id = ?`,
      [conversationId],
    );
    if (rows.length === 0) return undefined;
    const r = rows[0];
    return {
      ...participants(r),
      entryPointId: String(r.entry_point_id),
      caseId: String(r.case_id),
      customerId: r.customer_id === null ? null : String(r.customer_id),
      createdAt: new Date(r.created_at),
      assignedAt: r.assigned_at === null ? null : new Date(r.assigned_at),
      completedAt: r.completed_at === null ? null : new Date(r.completed_at),
    };
  }

  async transcript(conversationId: string, page: TranscriptPage): Promise<TranscriptSlice | undefined> {
    const tx = this.txHost.tx;
    let afterSeq = '0';
    if (page.after !== undefined) {
      const found: { seq: string }[] = await tx.query(`SELECT seq FROM message WHERE id = ? AND conversation_id = ? AND ${NOT_TYPING}`, [page.after, conversationId]);
      if (found.length === 0) return undefined;
      afterSeq = String(found[0].seq);
    }
    // The sizes first, one more than the page may hold (which tells whether another page
    // follows): the text of the messages the byte budget leaves out is never read out of MySQL.
    const sizes: { seq: string | number; bytes: string | number }[] = await tx.query(
      `SELECT seq, COALESCE(LENGTH(content), 0) AS bytes FROM message
        WHERE conversation_id = ? AND seq > ? AND ${NOT_TYPING} ORDER BY seq LIMIT ?`,
      [conversationId, afterSeq, page.limit + 1],
    );
    const count = messagesOnPage(sizes.map((r) => Number(r.bytes)), page.limit, this.config.TRANSCRIPT_PAGE_MAX_BYTES);
    if (count === 0) return { messages: [], more: false };
    const rows: MessageRow[] = await tx.query(
      `SELECT id, sender_type, agent_id, type, content, created_at FROM message
        WHERE conversation_id = ? AND seq > ? AND seq <= ? AND ${NOT_TYPING} ORDER BY seq LIMIT ?`,
      [conversationId, afterSeq, String(sizes[count - 1].seq), count],
    );
    return { messages: rows.map(toEntry), more: sizes.length > count };
  }
}

function participants(r: ParticipantsRow): ConversationParticipants {
  return {
    conversationId: r.conversation_id,
    activityId: String(r.activity_id),
    clientApplicationId: String(r.client_application_id),
    state: r.state,
    ended: Number(r.ended) === 1,
    agentId: r.agent_id === null ? null : String(r.agent_id),
    richText: Number(r.rich_text) === 1,
  };
}

function toEntry(m: MessageRow): TranscriptEntry {
  const sender: TranscriptEntry['sender'] =
    m.sender_type === 'user' && m.agent_id !== null ? { type: 'user', agentId: String(m.agent_id) } : m.sender_type === 'customer' ? { type: 'customer' } : { type: 'system' };
  return { id: m.id, type: m.type, content: m.content, sender, createdAt: new Date(m.created_at) };
}
