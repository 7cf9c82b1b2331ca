export type SessionKind = 'client_application' | 'agent' | 'administrator';

export interface Session {
  kind: SessionKind;
  subjectId: string;
  expiresAt: Date;
}

export interface IssuedSession {
  accessToken: string;
  expiresInSeconds: number;
}

/**
 * Opaque bearer tokens backed by server-side sessions. Only a SHA-256 of the token
 * is stored, so a database leak yields no usable token; lookups make "no such session"
 * and revocation work, which self-validating tokens could not.
 */
export abstract class SessionStore {
  abstract issue(kind: SessionKind, subjectId: string): Promise<IssuedSession>;
  /** The live session for a token, or undefined (unknown, expired or ended). */
  abstract resolve(token: string): Promise<Session | undefined>;
  abstract end(token: string): Promise<void>;
  abstract liveCount(kind: SessionKind, subjectId: string): Promise<number>;
  /** Ends the oldest live sessions of a subject, keeping `keep` of them. */
  abstract endOldest(kind: SessionKind, subjectId: string, keep: number): Promise<void>;
}
