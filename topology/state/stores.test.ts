import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { Serdes } from '../serde/serde.ts';
import { windowed } from '../serde/windowed.ts';
import { KeyIdCache, keyFromId, keyId } from './bytes.ts';
import type { ChangelogRecord } from './changelog.ts';
import type { StoreContext } from './store.ts';
import { Stores } from './stores.ts';
import type { KeyValueStore, SessionStore, WindowStore } from './typed.ts';

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

function context(log: Array<ChangelogRecord & { topic: string }> = []): StoreContext & { now: number } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-stores-'));
  dirs.push(dir);
  const ctx = {
    applicationId: 'app',
    taskId: '0_0',
    partition: 0,
    stateDir: dir,
    now: 0,
    changelog: {
      log: (topic: string, _p: number, key: Buffer, value: Buffer | null, timestamp: number) =>
        log.push({ topic, key, value, timestamp }),
    },
    recordTimestamp: () => ctx.now,
  };
  return ctx;
}

for (const kind of ['in-memory', 'lmdb'] as const) {
  const persistent = kind === 'lmdb';
  describe(`${kind} stores`, () => {
    it('key-value: get, put, delete and ordered ranges by key bytes', () => {
      const supplier = persistent ? Stores.persistentKeyValueStore('kv') : Stores.inMemoryKeyValueStore('kv');
      const store = Stores.keyValueStoreBuilder(supplier, Serdes.String(), Serdes.Long()).build({
        cachingAllowed: false,
        cacheMaxBytes: 0,
      });
      store.init(context());
      for (const [k, v] of [
        ['b', 2],
        ['a', 1],
        ['d', 4],
        ['c', 3],
        ['', 0],
      ] as const)
        store.put(k, v);
      assert.equal(store.get('c'), 3);
      store.delete('c');
      assert.equal(store.get('c'), null);
      store.put('e', 5);
      assert.deepEqual(
        store.all().map((e) => e.key),
        ['', 'a', 'b', 'd', 'e'],
      );
      assert.deepEqual(
        store.range('a', 'd').map((e) => [e.key, e.value]),
        [
          ['a', 1],
          ['b', 2],
          ['d', 4],
        ],
      );
      assert.deepEqual(
        store.prefixScan('d', Serdes.String()).map((e) => e.key),
        ['d'],
      );
      store.close();
    });

    it('window store: fetch by key and time range, retention drops old windows', () => {
      const supplier = persistent
        ? Stores.persistentWindowStore('w', 100, 10, false)
        : Stores.inMemoryWindowStore('w', 100, 10, false);
      const store: WindowStore<string, number> = Stores.windowStoreBuilder(
        supplier,
        Serdes.String(),
        Serdes.Long(),
      ).build({ cachingAllowed: false, cacheMaxBytes: 0 });
      store.init(context());
      store.put('a', 1, 0);
      store.put('a', 2, 10);
      store.put('b', 3, 10);
      store.put('ab', 9, 10);
      assert.deepEqual(store.fetchRange('a', 0, 10), [
        { windowStart: 0, value: 1 },
        { windowStart: 10, value: 2 },
      ]);
      assert.equal(store.fetch('b', 10), 3);
      assert.deepEqual(
        store.fetchAll(10, 10).map((e) => [e.key.key, e.value]),
        [
          ['a', 2],
          ['ab', 9],
          ['b', 3],
        ],
      );
      store.put('a', 4, 105); // stream time 105: windows starting at or before 5 are gone
      assert.deepEqual(store.fetchRange('a', 0, 200), [
        { windowStart: 10, value: 2 },
        { windowStart: 105, value: 4 },
      ]);
      store.put('a', 7, 3); // too old to keep
      assert.equal(store.fetch('a', 3), null);
      store.close();
    });

    it('window store with duplicates keeps every value (join buffers)', () => {
      const supplier = persistent
        ? Stores.persistentWindowStore('j', 100, 10, true)
        : Stores.inMemoryWindowStore('j', 100, 10, true);
      const store: WindowStore<string, string> = Stores.windowStoreBuilder(
        supplier,
        Serdes.String(),
        Serdes.String(),
      ).build({ cachingAllowed: false, cacheMaxBytes: 0 });
      store.init(context());
      store.put('k', 'x', 5);
      store.put('k', 'y', 5);
      store.put('k', null, 5);
      assert.deepEqual(
        store.fetchRange('k', 0, 10).map((e) => e.value),
        ['x', 'y'],
      );
      store.close();
    });

    it('session store: finds sessions overlapping a range and removes merged ones', () => {
      const supplier = persistent ? Stores.persistentSessionStore('s', 1000) : Stores.inMemorySessionStore('s', 1000);
      const store: SessionStore<string, number> = Stores.sessionStoreBuilder(
        supplier,
        Serdes.String(),
        Serdes.Long(),
      ).build({ cachingAllowed: false, cacheMaxBytes: 0 });
      store.init(context());
      store.put(windowed('k', 0, 10), 2);
      store.put(windowed('k', 30, 40), 1);
      store.put(windowed('other', 0, 10), 5);
      assert.deepEqual(
        store.findSessions('k', 5, 35).map((s) => [s.key.window.start, s.key.window.end, s.value]),
        [
          [0, 10, 2],
          [30, 40, 1],
        ],
      );
      assert.deepEqual(store.findSessions('k', 11, 29), []);
      store.remove(windowed('k', 0, 10));
      assert.equal(store.fetchSession('k', 0, 10), null);
      assert.deepEqual(
        store.all().map((s) => s.key.key),
        ['other', 'k'],
      );
      store.close();
    });

    it('logs every change in Kafka Streams changelog formats and restores a copy from them', () => {
      const log: Array<ChangelogRecord & { topic: string }> = [];
      const ctx = context(log);
      const supplier = () =>
        persistent ? Stores.persistentKeyValueStore('counts') : Stores.inMemoryKeyValueStore('counts');
      const store: KeyValueStore<string, { value: number; timestamp: number }> = Stores.timestampedKeyValueStoreBuilder(
        supplier(),
        Serdes.String(),
        Serdes.Long(),
      ).build({ cachingAllowed: false, cacheMaxBytes: 0 });
      store.init(ctx);
      store.put('a', { value: 1, timestamp: 50 });
      store.put('a', { value: 2, timestamp: 60 });
      store.put('b', { value: 7, timestamp: 70 });
      store.put('b', null);
      assert.deepEqual(
        log.map((r) => r.topic),
        Array(4).fill('app-counts-changelog'),
      );
      assert.deepEqual(log[1], {
        topic: 'app-counts-changelog',
        key: Buffer.from('a'),
        value: Serdes.Long().serialize('', 2),
        timestamp: 60,
      });
      assert.equal(log[3]?.value, null);
      const copy: KeyValueStore<string, { value: number; timestamp: number }> = Stores.timestampedKeyValueStoreBuilder(
        supplier(),
        Serdes.String(),
        Serdes.Long(),
      ).build({ cachingAllowed: false, cacheMaxBytes: 0 });
      copy.init(context());
      for (const r of log) copy.restore(r.key, r.value, r.timestamp);
      assert.deepEqual(copy.get('a'), { value: 2, timestamp: 60 });
      assert.equal(copy.get('b'), null);
      store.close();
      copy.close();
    });
  });
}

describe('record cache', () => {
  it('coalesces updates per key until flush, then sends them down with the value they replace', () => {
    const log: Array<ChangelogRecord & { topic: string }> = [];
    const store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('c'), Serdes.String(), Serdes.Long())
      .withCachingEnabled()
      .build({ cachingAllowed: true, cacheMaxBytes: 1 << 20 });
    const flushed: unknown[] = [];
    store.init(context(log));
    assert.equal(
      store.setFlushListener((k, n, o) => flushed.push([k, n, o])),
      true,
    );
    store.put('a', 1);
    store.put('a', 2);
    store.put('b', 1);
    assert.equal(store.get('a'), 2);
    assert.equal(log.length, 0);
    store.flush();
    assert.deepEqual(flushed, [
      ['a', 2, null],
      ['b', 1, null],
    ]);
    assert.equal(log.length, 2);
    store.put('a', 3);
    store.flush();
    assert.deepEqual(flushed.at(-1), ['a', 3, 2]);
  });

  it('flushes dirty entries early when it is over its size', () => {
    const store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('small'), Serdes.String(), Serdes.Long())
      .withCachingEnabled()
      .build({ cachingAllowed: true, cacheMaxBytes: 200 });
    const flushed: unknown[] = [];
    store.init(context());
    store.setFlushListener((k, n) => flushed.push([k, n]));
    for (let i = 0; i < 10; i++) store.put(`k${i}`, i);
    assert.ok(flushed.length > 0, 'an over-full cache must flush');
    assert.equal(store.get('k0'), 0);
  });

  it('evicts the least recently used entry first, a read or write making an entry the newest', () => {
    // Entries of 'k<n>' -> Long cost 2 + 8 + 64 bytes: four fit in 300.
    const store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('lru'), Serdes.String(), Serdes.Long())
      .withCachingEnabled()
      .build({ cachingAllowed: true, cacheMaxBytes: 300 });
    const flushed: unknown[] = [];
    store.init(context());
    store.setFlushListener((k, n) => flushed.push([k, n]));
    for (let i = 0; i < 4; i++) store.put(`k${i}`, i);
    store.flush(); // all four clean now
    flushed.length = 0;
    store.put('k0', 10); // dirty, and the newest: k1 is the eldest
    assert.equal(store.get('k1'), 1); // read: k1 the newest, k2 the eldest
    store.put('k4', 4); // evicts k2 (clean: nothing flushed)
    store.put('k5', 5); // evicts k3
    store.put('k6', 6); // evicts k0, dirty: every dirty entry is flushed, in write order
    assert.deepEqual(flushed, [
      ['k0', 10],
      ['k4', 4],
      ['k5', 5],
      ['k6', 6],
    ]);
    store.put('k7', 7); // evicts k1 (clean)
    assert.equal(flushed.length, 4);
    assert.equal(store.get('k2'), 2); // evicted entries are still in the store below
  });

  it('keeps evicting in order through many more entries than it holds', () => {
    const store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('many'), Serdes.String(), Serdes.Long())
      .withCachingEnabled()
      .build({ cachingAllowed: true, cacheMaxBytes: 10_000 });
    let flushes = 0;
    store.init(context());
    store.setFlushListener(() => flushes++);
    for (let i = 0; i < 50_000; i++) {
      store.put(`key-${i}`, i);
      if (i % 1000 === 999) store.flush();
    }
    store.flush();
    assert.equal(flushes, 50_000);
    assert.equal(store.get('key-0'), 0);
    assert.equal(store.get('key-49999'), 49_999);
    assert.equal(store.approximateNumEntries(), 50_000);
  });

  it('window cache: coalesces per key and window, flushes in write order, logs the uncached changelog bytes', () => {
    const L = Serdes.Long();
    const build = (caching: boolean, log: Array<ChangelogRecord & { topic: string }>) => {
      const builder = Stores.windowStoreBuilder(Stores.inMemoryWindowStore('wc', 100, 10, false), Serdes.String(), L);
      const store = (caching ? builder.withCachingEnabled() : builder).build({
        cachingAllowed: true,
        cacheMaxBytes: 1 << 20,
      });
      store.init(context(log));
      return store;
    };
    const cachedLog: Array<ChangelogRecord & { topic: string }> = [];
    const plainLog: Array<ChangelogRecord & { topic: string }> = [];
    const cached = build(true, cachedLog);
    const plain = build(false, plainLog);
    let wantOld = false;
    const flushed: unknown[] = [];
    assert.equal(
      cached.setFlushListener(
        (k, n, o) => flushed.push([k.key, k.window.start, n, o]),
        () => wantOld,
      ),
      true,
    );
    // A read and then a write of one window, as an aggregation does, between writes to others.
    const writes: Array<[string, number, number]> = [
      ['a', 1, 0],
      ['b', 2, 0],
      ['a', 3, 10],
      ['a', 4, 0],
      ['b', 5, 0],
      ['a', 6, 0],
    ];
    for (const [key, value, start] of writes) {
      cached.fetch(key, start);
      cached.put(key, value, start);
    }
    assert.equal(cached.fetch('a', 0), 6);
    assert.deepEqual(cached.fetchRange('a', 0, 10), [
      { windowStart: 0, value: 6 },
      { windowStart: 10, value: 3 },
    ]);
    assert.equal(cachedLog.length, 0);
    cached.flush();
    assert.deepEqual(flushed, [
      ['a', 10, 3, null],
      ['b', 0, 5, null],
      ['a', 0, 6, null],
    ]);
    // The changelog gets what an uncached store logs for the last write of each window, in flush order.
    for (const [key, value, start] of [
      ['a', 3, 10],
      ['b', 5, 0],
      ['a', 6, 0],
    ] as const)
      plain.put(key, value, start);
    assert.deepEqual(
      cachedLog.map((r) => [r.topic, r.key, r.value]),
      plainLog.map((r) => [r.topic, r.key, r.value]),
    );
    // Cached and stored windows merge in reads; old values are read only when the listener wants them.
    cached.put('c', 7, 10);
    // A key long enough that its cache id is made another way.
    cached.put('a longer key, over twelve bytes', 9, 10);
    assert.equal(cached.fetch('a longer key, over twelve bytes', 10), 9);
    assert.deepEqual(cached.fetchRange('a longer key, over twelve bytes', 0, 10), [{ windowStart: 10, value: 9 }]);
    cached.put('a longer key, over twelve bytes', null, 10);
    assert.equal(cached.fetch('a longer key, over twelve bytes', 10), null);
    assert.deepEqual(
      cached.fetchAll(0, 10).map((e) => [e.key.key, e.key.window.start, e.value]),
      [
        ['a', 0, 6],
        ['b', 0, 5],
        ['a', 10, 3],
        ['c', 10, 7],
      ],
    );
    wantOld = true;
    cached.put('a', 8, 0);
    cached.flush();
    assert.deepEqual(flushed.slice(3), [
      ['c', 10, 7, null],
      ['a longer key, over twelve bytes', 10, null, null],
      ['a', 0, 8, 6],
    ]);
    cached.close();
    plain.close();
  });

  it('is off when the runtime turns caching off, whatever the builder says', () => {
    const store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('off'), Serdes.String(), Serdes.Long())
      .withCachingEnabled()
      .build({ cachingAllowed: false, cacheMaxBytes: 1 << 20 });
    assert.equal(
      store.setFlushListener(() => {}),
      false,
    );
  });
});

describe('key ids', () => {
  it('turn any bytes into a string one char a byte, short or long, and back', () => {
    const cache = new KeyIdCache();
    for (const bytes of [
      Buffer.alloc(0),
      Buffer.from('c12'),
      Buffer.from([0, 0x7f, 0x80, 0xff]),
      Buffer.from('a key longer than twelve bytes'),
    ]) {
      assert.equal(keyId(bytes), bytes.toString('latin1'));
      assert.deepEqual(keyFromId(keyId(bytes)), bytes);
      assert.equal(cache.of(bytes), keyId(bytes));
    }
    // Every length around the short-key cut-off, with bytes from all of 0..255.
    for (let n = 0; n <= 14; n++) {
      const bytes = Buffer.from(Array.from({ length: n }, (_, i) => (i * 37 + n * 101) & 0xff));
      assert.equal(keyId(bytes), bytes.toString('latin1'), `${n} bytes`);
    }
    // Unsigned byte order survives as string order (range queries rely on it).
    assert.ok(keyId(Buffer.from([0x7f])) < keyId(Buffer.from([0x80])));
  });
});
