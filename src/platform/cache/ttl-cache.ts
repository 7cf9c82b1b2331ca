/**
 * A small in-process cache for configuration that is read on every request and
 * changes rarely (entry points, applications, attribute definitions, sessions).
 * Entries live `ttlMs`; `invalidate` drops them at once in this process, and the
 * TTL bounds how long another process may still serve the old value.
 * Concurrent misses for one key share a single load. A load under way when its key is
 * invalidated read what the invalidation replaces: it answers its own callers but fills
 * no entry, and the next miss loads again, else a read begun just before a change would
 * put the old value back for a whole TTL.
 * `keeps` says which loaded values the cache holds: one that it does not is answered to the
 * callers of its load and loaded again at the next miss.
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, { value: V; expiresAt: number }>();
  private readonly loading = new Map<string, Promise<V>>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
    private readonly keeps: (value: V) => boolean = () => true,
  ) {}

  async get(key: string, load: () => Promise<V>): Promise<V> {
    const hit = this.entries.get(key);
    const now = Date.now();
    if (hit && hit.expiresAt > now) return hit.value;
    const pending = this.loading.get(key);
    if (pending) return pending;
    const promise: Promise<V> = load().then(
      (value) => {
        if (this.loading.get(key) !== promise) return value;
        this.loading.delete(key);
        if (this.ttlMs > 0 && this.keeps(value)) {
          if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
          this.entries.set(key, { value, expiresAt: Date.now() + this.ttlMs });
        }
        return value;
      },
      (err: unknown) => {
        if (this.loading.get(key) === promise) this.loading.delete(key);
        throw err;
      },
    );
    this.loading.set(key, promise);
    return promise;
  }

  invalidate(key?: string): void {
    if (key === undefined) {
      this.entries.clear();
      this.loading.clear();
    } else {
      this.entries.delete(key);
      this.loading.delete(key);
    }
  }
}
