import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { retryOnConflict } from '../../../../platform/database/transaction-retry';
import { SessionStore } from '../../../../platform/session/session';
import { UpdateAgentPresence } from '../update-agent-presence/update-agent-presence.use-case';

const BATCH = 100;

/** The presence of some agents could not be changed this round; their sessions stay as they were, for the next round. */
export class AgentsNotLoggedOut extends Error {
  constructor(readonly agentIds: string[], readonly ended: number, cause: unknown) {
    super(`agents ${agentIds.join(', ')} not logged out after their sessions expired (tried again next round): ${(cause as Error)?.message ?? String(cause)}`);
  }
}

/**
 * An agent session that expires ends as a logout does: the agent whose last session it was
 * becomes logged_out and is offered no more chats. Without this an agent that closed its
 * browser without logging out stayed available, and chats kept being assigned to nobody.
 * Its open chats stay assigned to it, as after a logout.
 *
 * Each agent's sessions end in the transaction of its presence change, one agent at a time: the
 * sessions of a batch used to end first, together, and an agent whose change then failed (its
 * row held past the lock wait timeout, the database gone) stayed available for ever, its sessions
 * ended and never found again, and the agents after it in the batch too.
 *
 * A round walks the agents once, each batch after the last agent of the one before: an agent
 * whose sessions another transaction is ending (another worker's sweep, a logout) is skipped,
 * and its expired sessions stay; reading from the first agent again, a round read the same
 * batch over and over while a hundred such agents were held, and reached none after them. An
 * agent that fails is reported at the end of the round, not at the end of its batch: stopping
 * there left the agents of the later batches to the next round, and to no round while a hundred
 * agents before them kept failing.
 */
@Injectable()
export class LogOutExpiredAgents {
  constructor(
    private readonly sessions: SessionStore,
    private readonly presence: UpdateAgentPresence,
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
  ) {}

  /** Answers how many expired sessions were ended; throws AgentsNotLoggedOut, after the others, when some agents failed. */
  async execute(): Promise<number> {
    let ended = 0;
    let after: string | undefined;
    const failed: string[] = [];
    let cause: unknown;
    for (;;) {
      const agentIds = await this.sessions.subjectsWithExpired('agent', BATCH, after);
      for (const agentId of agentIds) {
        try {
          ended += await this.logOut(agentId);
        } catch (err) {
          failed.push(agentId);
          cause ??= err;
        }
      }
      if (agentIds.length < BATCH) break;
      after = agentIds[agentIds.length - 1];
    }
    if (failed.length > 0) throw new AgentsNotLoggedOut(failed, ended, cause);
    return ended;
  }

  /** READ COMMITTED: the live sessions are counted under the agent's row lock as last committed, as a logout counts them. */
  private logOut(agentId: string): Promise<number> {
    return retryOnConflict(() =>
      this.txHost.withTransaction({ isolationLevel: 'READ COMMITTED' }, async () => {
        const ended = await this.sessions.endExpired('agent', agentId);
        if (ended > 0) await this.presence.execute({ agentId, event: 'logout' });
        return ended;
      }),
    );
  }
}
