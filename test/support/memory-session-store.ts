import { SessionStore, type IssuedSession, type Session, type SessionKind } from '../../src/platform/session/session';

/**
 * A SessionStore in memory for unit tests of the use cases that end sessions: the test puts
 * sessions into `live`; `end` removes one only when it is of the kind asked for, as the
 * MySQL store does. Issuing and confirming are not offered.
 */
export class MemorySessionStore extends SessionStore {
  readonly live = new Map<string, Session>();

  async issue(): Promise<IssuedSession> {
    throw new Error('not offered by the in-memory store');
  }

  async confirm(): Promise<IssuedSession> {
    throw new Error('not offered by the in-memory store');
  }

  async resolve(token: string): Promise<Session | undefined> {
    return this.live.get(token);
  }

  async end(token: string, kind: SessionKind, alongside?: () => Promise<void>): Promise<void> {
    const session = this.live.get(token);
    if (session?.kind !== kind) return;
    this.live.delete(token);
    try {
      await alongside?.();
    } catch (err) {
      // As a rolled-back transaction: the session stays live.
      this.live.set(token, session);
      throw err;
    }
  }

  async liveCount(kind: SessionKind, subjectId: string): Promise<number> {
    return [...this.live.values()].filter((s) => s.kind === kind && s.subjectId === subjectId).length;
  }

  async endOldest(): Promise<void> {}

  async subjectsWithExpired(_kind: SessionKind, _limit: number, _after?: string): Promise<string[]> {
    return [];
  }

  async endExpired(_kind: SessionKind, _subjectId: string): Promise<number> {
    return 0;
  }

  async purgeEnded(): Promise<number> {
    return 0;
  }
}
