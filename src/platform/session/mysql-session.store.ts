import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { createHash, randomBytes } from 'node:crypto';
import { CacheInvalidation } from '../cache/cache-invalidation';
import { retryOnConflict } from '../database/transaction-retry';
import { TtlCache } from '../cache/ttl-cache';
import { AppConfig } from '../config/app-config';
import { SESSION_ROW_RETENTION_HOURS, SessionStore, type IssuedSession, type Session, type SessionKind } from './session';

const hashOf = (token: string) => createHash('sha256').update(token).digest();

const PURGE_BATCH = 5000;
const PURGE_BEFORE = `NOW(3) - INTERVAL ${SESSION_ROW_RETENTION_HOURS} HOUR`;
/**
 * Rows no session can come back from: ended, or expired without an end where nothing follows
 * it (an agent's waits for the presence sweep). Two conditions read in turn rather than one
 * OR: each is a range of an index (ix_session_ended, ix_session_open), while the OR was read
 * by walking every row of the table.
 */
export const PURGEABLE_SESSIONS = [
  `ended_at < ${PURGE_BEFORE}`,
  `kind IN ('client_application', 'administrator') AND ended_at IS NULL AND expires_at < ${PURGE_BEFORE}`,
];
/** Sessions of a kind past their expiry that nothing has ended yet: a range of ix_session_open. */
export const EXPIRED_UNENDED_SESSIONS = 'kind = ? AND ended_at IS NULL AND expires_at <= NOW(3)';

/** The random bytes of a token `issue` makes, written in base64url. */
const TOKEN_BYTES = 32;
/** The form of every token `issue` makes (32 bytes: 43 characters, unpadded). No other token names a session. */
const ISSUED_TOKEN = new RegExp(`^[A-Za-z0-9_-]{${Math.ceil((TOKEN_BYTES * 4) / 3)}}$`);
/**
 * How many unknown tokens a process remembers. Anyone can send tokens without logging in: kept
 * with the live sessions, ten thousand random ones pushed every live session out, and every
 * client's next request went to MySQL again.
 */
const UNKNOWN_TOKENS_KEPT = 1000;

/** Scope of the notices that name an ended session by the hex of its token hash. */
export const SESSION_CACHE_SCOPE = 'session';

/**
 * Sessions in MySQL with a per-process cache of SESSION_CACHE_TTL_MS. Ending a session
 * (logout, revoke, forceLogin, secret rotation) is announced on Redis, so every api process
 * refuses the token at once, not only the one that ended it; if a notice is lost (Redis
 * down), the cache TTL bounds how long another process may still admit the token.
 * Live sessions and unknown tokens are cached apart, so that tokens sent by anyone cannot evict
 * the sessions of logged-in clients; a token not of the form issued is refused unread.
 */
@Injectable()
export class MysqlSessionStore extends SessionStore {
  private readonly live: TtlCache<Session | null>;
  private readonly unknown: TtlCache<Session | null>;
  /**
   * Tokens (hex of their hash) ended lately, and until when each is refused without asking the
   * cache: an ending inside a transaction is announced before its commit, and a read under way
   * meanwhile still finds the session live and would cache it for a whole TTL.
   */
  private readonly ended = new Map<string, number>();

  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly config: AppConfig,
    private readonly invalidation: CacheInvalidation,
  ) {
    super();
    this.live = new TtlCache(config.SESSION_CACHE_TTL_MS, 10_000, (session) => session !== null);
    this.unknown = new TtlCache(config.SESSION_CACHE_TTL_MS, UNKNOWN_TOKENS_KEPT, (session) => session === null);
    if (config.SESSION_CACHE_TTL_MS > 0) {
      invalidation.subscribe(SESSION_CACHE_SCOPE, (key) => (key === undefined ? this.uncache() : this.forget(key)));
    }
  }

  async issue(kind: SessionKind, subjectId: string, lifetimeSeconds?: number): Promise<IssuedSession> {
    const token = randomBytes(TOKEN_BYTES).toString('base64url');
    // No session outlives SESSION_TTL_SECONDS, a provisional one (shorter by design) included.
    lifetimeSeconds = Math.min(lifetimeSeconds ?? Infinity, this.config.SESSION_TTL_SECONDS);
    await this.txHost.tx.query(
      'INSERT INTO session (token_hash, kind, subject_id, created_at, expires_at) VALUES (?, ?, ?, NOW(3), NOW(3) + INTERVAL ? SECOND)',
      [hashOf(token), kind, subjectId, lifetimeSeconds],
    );
    return { accessToken: token, expiresInSeconds: lifetimeSeconds };
  }

  async confirm(token: string, kind: SessionKind): Promise<IssuedSession> {
    const ttl = this.config.SESSION_TTL_SECONDS;
    await this.txHost.tx.query('UPDATE session SET expires_at = NOW(3) + INTERVAL ? SECOND WHERE token_hash = ? AND kind = ? AND ended_at IS NULL', [ttl, hashOf(token), kind]);
    // A process that read the session while it was provisional would keep its first expiry.
    this.uncache(hashOf(token).toString('hex'));
    return { accessToken: token, expiresInSeconds: ttl };
  }

  async resolve(token: string): Promise<Session | undefined> {
    if (!ISSUED_TOKEN.test(token)) return undefined;
    const hash = hashOf(token);
    const key = hash.toString('hex');
    if (this.endedLately(key)) return undefined;
    const session = await this.live.get(key, () => this.unknown.get(key, () => this.read(hash)));
    if (!session || session.expiresAt.getTime() <= Date.now() || this.endedLately(key)) return undefined;
    return session;
  }

  private async read(hash: Buffer): Promise<Session | null> {
    const rows: { kind: SessionKind; subject_id: string; expires_at: Date }[] = await this.txHost.tx.query(
      'SELECT kind, subject_id, expires_at FROM session WHERE token_hash = ? AND ended_at IS NULL AND expires_at > NOW(3)',
      [hash],
    );
    return rows.length === 0 ? null : { kind: rows[0].kind, subjectId: String(rows[0].subject_id), expiresAt: new Date(rows[0].expires_at) };
  }

  /** Drops what this process cached for a token (the hex of its hash), or for every token. */
  private uncache(key?: string): void {
    this.live.invalidate(key);
    this.unknown.invalidate(key);
  }

  async end(token: string, kind: SessionKind, alongside?: () => Promise<void>): Promise<void> {
    const hash = hashOf(token);
    // READ COMMITTED: what goes with the end reads the latest commits once it holds its locks (a
    // logout counts the agent's live sessions under the agent's row lock, a login crossing it
    // included), not a snapshot taken before it waited for them.
    const ended = await retryOnConflict(() =>
      this.txHost.withTransaction({ isolationLevel: 'READ COMMITTED' }, async () => {
        const result: { affectedRows: number } = await this.txHost.tx.query(
          'UPDATE session SET ended_at = NOW(3) WHERE token_hash = ? AND kind = ? AND ended_at IS NULL',
          [hash, kind],
        );
        if (result.affectedRows > 0) await alongside?.();
        return result.affectedRows > 0;
      }),
    );
    // Announced once committed: an ending that rolled back (what goes with it failed) leaves the
    // token usable, in every process. A session of another kind is left alone; one already ended
    // is only dropped from this cache.
    if (ended) this.announceEnded([hash.toString('hex')]);
    else this.uncache(hash.toString('hex'));
  }

  async liveCount(kind: SessionKind, subjectId: string): Promise<number> {
    const rows: { n: string }[] = await this.txHost.tx.query(
      'SELECT COUNT(*) AS n FROM session WHERE kind = ? AND subject_id = ? AND ended_at IS NULL AND expires_at > NOW(3)',
      [kind, subjectId],
    );
    return Number(rows[0].n);
  }

  async endOldest(kind: SessionKind, subjectId: string, keep: number): Promise<void> {
    // A locking read sees the latest committed sessions: a plain read in a transaction that
    // read before (a rotation reads the application, then waits for its row) would miss a
    // session committed meanwhile by a login holding that row, and leave it live.
    const rows: { token_hash: Buffer }[] = await this.txHost.tx.query(
      'SELECT token_hash FROM session WHERE kind = ? AND subject_id = ? AND ended_at IS NULL AND expires_at > NOW(3) ORDER BY created_at DESC LIMIT 100000 OFFSET ? FOR UPDATE',
      [kind, subjectId, keep],
    );
    if (rows.length === 0) return;
    await this.txHost.tx.query(`UPDATE session SET ended_at = NOW(3) WHERE token_hash IN (${rows.map(() => '?').join(',')})`, rows.map((r) => r.token_hash));
    this.announceEnded(rows.map((r) => Buffer.from(r.token_hash).toString('hex')));
  }

  /** Refuses the ended sessions here at once, and tells the other processes to. */
  private announceEnded(keys: string[]): void {
    for (const key of keys) {
      this.forget(key);
      if (this.config.SESSION_CACHE_TTL_MS > 0) this.invalidation.publish(SESSION_CACHE_SCOPE, key);
    }
  }

  private forget(key: string): void {
    this.uncache(key);
    const ttl = this.config.SESSION_CACHE_TTL_MS;
    if (ttl === 0) return;
    const now = Date.now();
    if (this.ended.size >= 10_000) for (const [k, until] of this.ended) if (until <= now) this.ended.delete(k);
    // Twice the TTL: longer than any entry a read begun before the commit can leave in the cache.
    this.ended.set(key, now + 2 * ttl);
  }

  private endedLately(key: string): boolean {
    const until = this.ended.get(key);
    if (until === undefined) return false;
    if (until > Date.now()) return true;
    this.ended.delete(key);
    return false;
  }

  async purgeEnded(): Promise<number> {
    let purged = 0;
    for (const purgeable of PURGEABLE_SESSIONS) {
      for (;;) {
        // Found by a plain read, deleted by key: a locking read of the range would hold its
        // gaps, and logins (their INSERT) would wait for the purge.
        const rows: { token_hash: Buffer }[] = await this.txHost.tx.query(`SELECT token_hash FROM session WHERE ${purgeable} LIMIT ${PURGE_BATCH}`);
        if (rows.length === 0) break;
        const result: { affectedRows: number } = await this.txHost.tx.query(
          `DELETE FROM session WHERE token_hash IN (${rows.map(() => '?').join(',')}) AND ${purgeable}`,
          rows.map((r) => r.token_hash),
        );
        purged += result.affectedRows;
        if (rows.length < PURGE_BATCH) break;
      }
    }
    return purged;
  }

  async subjectsWithExpired(kind: SessionKind, limit: number, after?: string): Promise<string[]> {
    // CAST: compared with a string, the BIGINT id would be compared as a double.
    const rows: { subject_id: string }[] = await this.txHost.tx.query(
      `SELECT DISTINCT subject_id FROM session WHERE ${EXPIRED_UNENDED_SESSIONS}${after === undefined ? '' : ' AND subject_id > CAST(? AS UNSIGNED)'} ORDER BY subject_id LIMIT ?`,
      after === undefined ? [kind, limit] : [kind, after, limit],
    );
    return rows.map((r) => String(r.subject_id));
  }

  async endExpired(kind: SessionKind, subjectId: string): Promise<number> {
    // SKIP LOCKED: two workers sweeping at once end each session once.
    const rows: { token_hash: Buffer }[] = await this.txHost.tx.query(
      `SELECT token_hash FROM session WHERE ${EXPIRED_UNENDED_SESSIONS} AND subject_id = ? FOR UPDATE SKIP LOCKED`,
      [kind, subjectId],
    );
    if (rows.length === 0) return 0;
    await this.txHost.tx.query(`UPDATE session SET ended_at = expires_at WHERE token_hash IN (${rows.map(() => '?').join(',')})`, rows.map((r) => r.token_hash));
    return rows.length;
  }
}
