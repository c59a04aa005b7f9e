/**
 * Store suppliers (the bytes store at the bottom: in memory or lmdb) and
 * store builders (the typed store on top, with caching and change logging
 * as wrappers), after Kafka Streams' `Stores` factory.
 */
import type { Serde } from '../serde/serde.ts';
import { CachingKeyValueStore, CachingWindowStore } from './caching.ts';
import { InMemoryKeyValueStore, InMemorySessionStore, InMemoryWindowStore } from './in-memory.ts';
import { LmdbKeyValueStore, LmdbSessionStore, LmdbWindowStore } from './lmdb.ts';
import { LoggedKeyValueStore, LoggedSessionStore, LoggedWindowStore } from './logging.ts';
import type {
  KeyValueBytesStore,
  KeyValueBytesStoreSupplier,
  SessionBytesStore,
  SessionBytesStoreSupplier,
  StateStore,
  WindowBytesStore,
  WindowBytesStoreSupplier,
} from './store.ts';
import {
  KeyValueStore,
  SessionStore,
  type TimestampedKeyValueStore,
  type TimestampedWindowStore,
  valueAndTimestampSerde,
  WindowStore,
} from './typed.ts';

/** What the runtime decides for every store of a task. */
export interface StoreBuildOptions {
  /** False turns every cache off (caching off in the test driver, or cache size 0). */
  readonly cachingAllowed: boolean;
  readonly cacheMaxBytes: number;
}

export type StoreKind = 'keyValue' | 'window' | 'session';

export class StoreBuilder<S extends StateStore = StateStore> {
  private logging = true;
  private caching = false;

  constructor(
    readonly name: string,
    readonly kind: StoreKind,
    readonly persistent: boolean,
    private readonly make: (caching: boolean, logging: boolean, options: StoreBuildOptions) => S,
  ) {}

  get loggingEnabled(): boolean {
    return this.logging;
  }

  get cachingEnabled(): boolean {
    return this.caching;
  }

  withCachingEnabled(): this {
    this.caching = true;
    return this;
  }

  withCachingDisabled(): this {
    this.caching = false;
    return this;
  }

  withLoggingEnabled(): this {
    this.logging = true;
    return this;
  }

  withLoggingDisabled(): this {
    this.logging = false;
    return this;
  }

  /** A fresh store instance (one per task). */
  build(options: StoreBuildOptions): S {
    return this.make(this.caching && options.cachingAllowed && options.cacheMaxBytes > 0, this.logging, options);
  }
}

function keyValueStack(
  supplier: KeyValueBytesStoreSupplier,
  caching: boolean,
  logging: boolean,
  timestamped: boolean,
  options: StoreBuildOptions,
): KeyValueBytesStore {
  let store: KeyValueBytesStore = supplier.get();
  if (logging) store = new LoggedKeyValueStore(store, timestamped);
  if (caching) store = new CachingKeyValueStore(store, options.cacheMaxBytes);
  return store;
}

function windowStack(
  supplier: WindowBytesStoreSupplier,
  caching: boolean,
  logging: boolean,
  timestamped: boolean,
  options: StoreBuildOptions,
): WindowBytesStore {
  let store: WindowBytesStore = supplier.get();
  if (logging) store = new LoggedWindowStore(store, timestamped);
  if (caching && !supplier.retainDuplicates) store = new CachingWindowStore(store, options.cacheMaxBytes);
  return store;
}

function sessionStack(supplier: SessionBytesStoreSupplier, logging: boolean): SessionBytesStore {
  const store = supplier.get();
  return logging ? new LoggedSessionStore(store, false) : store;
}

export const Stores = {
  inMemoryKeyValueStore(name: string): KeyValueBytesStoreSupplier {
    return { name, kind: 'keyValue', get: () => new InMemoryKeyValueStore(name) };
  },

  /** On disk (lmdb) under the task's state folder; for state larger than memory. */
  persistentKeyValueStore(name: string): KeyValueBytesStoreSupplier & { persistent: true } {
    return { name, kind: 'keyValue', persistent: true, get: () => new LmdbKeyValueStore(name) };
  },

  inMemoryWindowStore(
    name: string,
    retentionMs: number,
    windowSizeMs: number,
    retainDuplicates: boolean,
  ): WindowBytesStoreSupplier {
    return {
      name,
      kind: 'window',
      retentionMs,
      windowSizeMs,
      retainDuplicates,
      get: () => new InMemoryWindowStore(name, retentionMs, retainDuplicates),
    };
  },

  persistentWindowStore(
    name: string,
    retentionMs: number,
    windowSizeMs: number,
    retainDuplicates: boolean,
  ): WindowBytesStoreSupplier & { persistent: true } {
    return {
      name,
      kind: 'window',
      persistent: true,
      retentionMs,
      windowSizeMs,
      retainDuplicates,
      get: () => new LmdbWindowStore(name, retentionMs, retainDuplicates),
    };
  },

  inMemorySessionStore(name: string, retentionMs: number): SessionBytesStoreSupplier {
    return { name, kind: 'session', retentionMs, get: () => new InMemorySessionStore(name, retentionMs) };
  },

  persistentSessionStore(name: string, retentionMs: number): SessionBytesStoreSupplier & { persistent: true } {
    return { name, kind: 'session', persistent: true, retentionMs, get: () => new LmdbSessionStore(name, retentionMs) };
  },

  keyValueStoreBuilder<K, V>(
    supplier: KeyValueBytesStoreSupplier,
    keySerde: Serde<K>,
    valueSerde: Serde<V>,
  ): StoreBuilder<KeyValueStore<K, V>> {
    return keyValueBuilder(supplier, keySerde, valueSerde, false);
  },

  timestampedKeyValueStoreBuilder<K, V>(
    supplier: KeyValueBytesStoreSupplier,
    keySerde: Serde<K>,
    valueSerde: Serde<V>,
  ): StoreBuilder<TimestampedKeyValueStore<K, V>> {
    return keyValueBuilder(supplier, keySerde, valueAndTimestampSerde(valueSerde), true);
  },

  windowStoreBuilder<K, V>(
    supplier: WindowBytesStoreSupplier,
    keySerde: Serde<K>,
    valueSerde: Serde<V>,
  ): StoreBuilder<WindowStore<K, V>> {
    return windowBuilder(supplier, keySerde, valueSerde, false);
  },

  timestampedWindowStoreBuilder<K, V>(
    supplier: WindowBytesStoreSupplier,
    keySerde: Serde<K>,
    valueSerde: Serde<V>,
  ): StoreBuilder<TimestampedWindowStore<K, V>> {
    return windowBuilder(supplier, keySerde, valueAndTimestampSerde(valueSerde), true);
  },

  /** Session stores are not cached yet: every session update goes down and downstream at once. */
  sessionStoreBuilder<K, V>(
    supplier: SessionBytesStoreSupplier,
    keySerde: Serde<K>,
    valueSerde: Serde<V>,
  ): StoreBuilder<SessionStore<K, V>> {
    return new StoreBuilder(
      supplier.name,
      'session',
      isPersistent(supplier),
      (_caching, logging) => new SessionStore(sessionStack(supplier, logging), keySerde, valueSerde),
    );
  },
} as const;

function isPersistent(supplier: object): boolean {
  return (supplier as { persistent?: boolean }).persistent === true;
}

/** The plain and timestamped key-value builders differ only in the value serde and the changelog's timestamped flag. */
function keyValueBuilder<K, V>(
  supplier: KeyValueBytesStoreSupplier,
  keySerde: Serde<K>,
  valueSerde: Serde<V>,
  timestamped: boolean,
): StoreBuilder<KeyValueStore<K, V>> {
  return new StoreBuilder(
    supplier.name,
    'keyValue',
    isPersistent(supplier),
    (caching, logging, options) =>
      new KeyValueStore(keyValueStack(supplier, caching, logging, timestamped, options), keySerde, valueSerde, caching),
  );
}

/** The plain and timestamped window builders differ only in the value serde and the changelog's timestamped flag. */
function windowBuilder<K, V>(
  supplier: WindowBytesStoreSupplier,
  keySerde: Serde<K>,
  valueSerde: Serde<V>,
  timestamped: boolean,
): StoreBuilder<WindowStore<K, V>> {
  return new StoreBuilder(
    supplier.name,
    'window',
    isPersistent(supplier),
    (caching, logging, options) =>
      new WindowStore(
        windowStack(supplier, caching, logging, timestamped, options),
        keySerde,
        valueSerde,
        supplier.windowSizeMs,
        caching && !supplier.retainDuplicates,
      ),
  );
}
