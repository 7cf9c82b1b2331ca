import { AppError } from '../errors/app-error';
import type { ErrorKind } from '../errors/error-catalogue';

export type SessionKind = 'client_application' | 'agent' | 'administrator';

/** What the APIs of each kind of session answer a live session of another kind (401-104, 401-106, 401-107). */
export const NOT_A_SESSION_OF: Record<SessionKind, ErrorKind> = {
  client_application: 'NotClientApplicationSession',
  agent: 'NotAgentSession',
  administrator: 'NotAdministratorSession',
};

export interface Session {
  kind: SessionKind;
  subjectId: string;
  expiresAt: Date;
}

export interface IssuedSession {
  accessToken: string;
  expiresInSeconds: number;
}

/** How a developer message names a session of each kind, article included. */
const A_SESSION_OF: Record<SessionKind, string> = {
  client_application: 'a client application session',
  agent: 'an agent session',
  administrator: 'an administrator session',
};

/** Refuses a live session of another kind than `kind`: `action` is what it may not do ("call agent APIs"). */
export function requireSessionKind(session: Session, kind: SessionKind, action: string): void {
  if (session.kind !== kind) throw new AppError(NOT_A_SESSION_OF[kind], `${A_SESSION_OF[session.kind]} cannot ${action}`, 'Authorization');
}

/**
 * Opaque bearer tokens backed by server-side sessions. Only a SHA-256 of the token
 * is stored, so a database leak yields no usable token; lookups make "no such session"
 * and revocation work, which self-validating tokens could not.
 */
export abstract class SessionStore {
  /**
   * Issues a session of SESSION_TTL_SECONDS, or of `lifetimeSeconds` when given and shorter: a
   * provisional session, which `confirm` gives its whole life once what goes with the login has
   * committed.
   */
  abstract issue(kind: SessionKind, subjectId: string, lifetimeSeconds?: number): Promise<IssuedSession>;
  /**
   * Gives a provisional session not ended meanwhile SESSION_TTL_SECONDS from now, in the caller's
   * transaction, and answers it as issued. A session ended meanwhile stays ended.
   */
  abstract confirm(token: string, kind: SessionKind): Promise<IssuedSession>;
  /** The live session for a token, or undefined (unknown, expired or ended). */
  abstract resolve(token: string): Promise<Session | undefined>;
  /**
   * Ends the session of a token if it is a live session of `kind`; any other session is left
   * alone. `alongside`, what goes with the end (a logout's change of the agent's presence), runs
   * in the same transaction once the session has ended there: if it fails, the session stays live.
   */
  abstract end(token: string, kind: SessionKind, alongside?: () => Promise<void>): Promise<void>;
  abstract liveCount(kind: SessionKind, subjectId: string): Promise<number>;
  /** Ends the oldest live sessions of a subject, keeping `keep` of them. */
  abstract endOldest(kind: SessionKind, subjectId: string, keep: number): Promise<void>;
  /**
   * Up to `limit` subjects of `kind` with sessions that expired without being ended (a plain
   * read), in the order of their ids, after the subject `after` if given.
   */
  abstract subjectsWithExpired(kind: SessionKind, limit: number, after?: string): Promise<string[]>;
  /**
   * Ends, in the caller's transaction, the sessions of a subject that expired without being
   * ended (as of their expiry), and answers how many: expiry ends a session as a logout does, and
   * whoever follows the sessions of a subject (an agent's presence) must hear of it, in the same
   * transaction. Sessions another transaction is ending are left to it.
   */
  abstract endExpired(kind: SessionKind, subjectId: string): Promise<number>;
  /**
   * Deletes the rows of sessions that ended or expired more than SESSION_ROW_RETENTION_HOURS
   * ago (an agent's expired session only once it has been ended, so that its presence followed);
   * answers how many. Such a row admits nothing any more; kept, the table grew with every login.
   */
  abstract purgeEnded(): Promise<number>;
}

/** How long the row of an ended or expired session is kept before it is deleted. */
export const SESSION_ROW_RETENTION_HOURS = 24;
