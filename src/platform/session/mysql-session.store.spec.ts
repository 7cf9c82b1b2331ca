import { createHash, randomBytes } from 'node:crypto';
import type { CacheInvalidation } from '../cache/cache-invalidation';
import type { AppConfig } from '../config/app-config';
import { MysqlSessionStore } from './mysql-session.store';

/** A session table in memory that counts the session reads reaching it. */
function sessionTable() {
  const rows = new Map<string, { kind: string; subject_id: string; expires_at: Date }>();
  let reads = 0;
  const query = jest.fn(async (sql: string, params: unknown[]) => {
    if (sql.startsWith('INSERT INTO session')) {
      const [hash, kind, subjectId, seconds] = params as [Buffer, string, string, number];
      rows.set(hash.toString('hex'), { kind, subject_id: subjectId, expires_at: new Date(Date.now() + seconds * 1000) });
      return { affectedRows: 1 };
    }
    if (sql.startsWith('SELECT kind, subject_id, expires_at FROM session WHERE token_hash = ?')) {
      reads++;
      const row = rows.get((params[0] as Buffer).toString('hex'));
      return row ? [row] : [];
    }
    throw new Error(`unexpected statement: ${sql}`);
  });
  const store = new MysqlSessionStore(
    { tx: { query } } as never,
    { SESSION_CACHE_TTL_MS: 60_000, SESSION_TTL_SECONDS: 3600 } as AppConfig,
    { subscribe: jest.fn(), publish: jest.fn() } as unknown as CacheInvalidation,
  );
  return { store, reads: () => reads };
}

const wellFormedToken = () => randomBytes(32).toString('base64url');

describe('MysqlSessionStore.resolve', () => {
  it('keeps live sessions cached through more unknown tokens than the cache holds', async () => {
    const { store, reads } = sessionTable();
    const { accessToken } = await store.issue('client_application', '7');
    expect((await store.resolve(accessToken))?.subjectId).toBe('7');
    for (let i = 0; i < 10_001; i++) expect(await store.resolve(wellFormedToken())).toBeUndefined();
    const before = reads();
    expect((await store.resolve(accessToken))?.subjectId).toBe('7');
    expect(reads() - before).toBe(0);
  });

  it('reads an unknown token once while it is cached', async () => {
    const { store, reads } = sessionTable();
    const token = wellFormedToken();
    expect([await store.resolve(token), await store.resolve(token)]).toEqual([undefined, undefined]);
    expect(reads()).toBe(1);
  });

  it('refuses a token not of the form issued without reading or caching it', async () => {
    const { store, reads } = sessionTable();
    const wrong = ['abc', `${wellFormedToken()}A`, wellFormedToken().slice(1), `${wellFormedToken().slice(1)}~`, `${wellFormedToken().slice(1)}.`, createHash('sha256').update('x').digest('base64')];
    for (const token of wrong) expect(await store.resolve(token)).toBeUndefined();
    expect(reads()).toBe(0);
  });
});
