import { TtlCache } from './ttl-cache';

/** A load the test finishes when it chooses, as a database read still under way. */
function pendingLoad<V>() {
  let finish!: (value: V) => void;
  const promise = new Promise<V>((resolve) => (finish = resolve));
  return { load: jest.fn(() => promise), finish };
}

describe('TtlCache', () => {
  it('holds only the values it keeps: another is answered, and loaded again at the next miss', async () => {
    const cache = new TtlCache<string | null>(60_000, 10, (value) => value !== null);
    const load = jest.fn(async () => null);
    expect([await cache.get('k', load), await cache.get('k', load)]).toEqual([null, null]);
    expect(load).toHaveBeenCalledTimes(2);
    expect(await cache.get('j', async () => 'v')).toBe('v');
    expect(await cache.get('j', async () => 'w')).toBe('v');
  });

  it('serves a loaded value until the TTL, and shares one load between concurrent misses', async () => {
    const cache = new TtlCache<string>(60_000);
    const read = pendingLoad<string>();
    const both = Promise.all([cache.get('k', read.load), cache.get('k', read.load)]);
    read.finish('v1');
    expect(await both).toEqual(['v1', 'v1']);
    expect(await cache.get('k', async () => 'v2')).toBe('v1');
    expect(read.load).toHaveBeenCalledTimes(1);
  });

  it('keeps no value from a load under way when the whole cache is invalidated: the next read loads again', async () => {
    const cache = new TtlCache<string>(60_000);
    const before = pendingLoad<string>();
    const first = cache.get('k', before.load);
    cache.invalidate();
    before.finish('old');
    expect(await first).toBe('old');
    expect(await cache.get('k', async () => 'new')).toBe('new');
  });

  it('lets no read after an invalidation of its key join the load begun before it', async () => {
    const cache = new TtlCache<string>(60_000);
    const before = pendingLoad<string>();
    const first = cache.get('k', before.load);
    cache.invalidate('k');
    const second = cache.get('k', async () => 'new');
    before.finish('old');
    expect([await first, await second]).toEqual(['old', 'new']);
    expect(await cache.get('k', async () => 'newer')).toBe('new');
  });

  it('an invalidation of one key leaves the loads of the others', async () => {
    const cache = new TtlCache<string>(60_000);
    const other = pendingLoad<string>();
    const read = cache.get('other', other.load);
    cache.invalidate('k');
    other.finish('kept');
    expect(await read).toBe('kept');
    expect(await cache.get('other', async () => 'reloaded')).toBe('kept');
  });

  it('a load that fails under an invalidation does not end the load begun after it', async () => {
    const cache = new TtlCache<string>(60_000);
    let fail!: (err: Error) => void;
    const first = cache.get('k', () => new Promise<string>((_, reject) => (fail = reject)));
    cache.invalidate('k');
    const after = pendingLoad<string>();
    const second = cache.get('k', after.load);
    fail(new Error('connection lost'));
    await expect(first).rejects.toThrow('connection lost');
    const third = cache.get('k', async () => 'unused');
    after.finish('new');
    expect([await second, await third]).toEqual(['new', 'new']);
    expect(after.load).toHaveBeenCalledTimes(1);
  });
});
