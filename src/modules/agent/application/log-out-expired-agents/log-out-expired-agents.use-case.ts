import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { SessionStore } from '../../../../platform/session/session';
import { UpdateAgentPresence } from '../update-agent-presence/update-agent-presence.use-case';

const BATCH = 100;

/**
 * An agent session that expires ends as a logout does: the agent whose last session it was
 * becomes logged_out and is offered no more chats. Without this an agent that closed its
 * browser without logging out stayed available, and chats kept being assigned to nobody.
 * Its open chats stay assigned to it, as after a logout.
 */
@Injectable()
export class LogOutExpiredAgents {
  constructor(
    private readonly sessions: SessionStore,
    private readonly presence: UpdateAgentPresence,
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
  ) {}

  /** Answers how many expired sessions were ended. */
  async execute(): Promise<number> {
    let ended = 0;
    for (;;) {
      const subjects = await this.txHost.withTransaction(() => this.sessions.endExpired('agent', BATCH));
      ended += subjects.length;
      for (const agentId of new Set(subjects)) await this.presence.execute({ agentId, event: 'logout' });
      if (subjects.length < BATCH) return ended;
    }
  }
}
