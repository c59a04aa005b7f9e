/**
 * Typed stores: what processors use. Each wraps a bytes-store stack and
 * turns keys and values into bytes with the store's serdes (the serde topic
 * is the store's changelog topic, as Kafka Streams does for schema subjects).
 */
// Buffer from its module: the global Buffer is a getter, and these functions run for every record.
import { Buffer } from 'node:buffer';
import type { Serde } from '../serde/serde.ts';
import { readInt64, Serdes, writeInt64 } from '../serde/serde.ts';
import { type Windowed, windowed } from '../serde/windowed.ts';
import type { BytesFlushListener } from './caching.ts';
import { changelogTopic } from './changelog.ts';
import type { KeyValueBytesStore, SessionBytesStore, StateStore, StoreContext, WindowBytesStore } from './store.ts';

export interface ValueAndTimestamp<V> {
  readonly value: V;
  readonly timestamp: number;
}

/** [timestamp: int64][value], the layout of Kafka Streams' timestamped stores. */
export function valueAndTimestampSerde<V>(inner: Serde<V>): Serde<ValueAndTimestamp<V>> {
  // Counts and sums are int64: one buffer instead of two, and no view to read them back.
  if (inner === (Serdes.Long() as Serde<unknown>))
    return timestampedLongSerde as unknown as Serde<ValueAndTimestamp<V>>;
  return {
    serialize(topic, vt) {
      if (vt === null) return null;
      const value = inner.serialize(topic, vt.value);
      if (value === null) return null;
      const out = Buffer.allocUnsafe(value.length + 8);
      writeInt64(out, 0, vt.timestamp);
      value.copy(out, 8);
      return out;
    },
    deserialize(topic, bytes) {
      if (bytes === null) return null;
      return { timestamp: readInt64(bytes, 0), value: inner.deserialize(topic, bytes.subarray(8)) as V };
    },
  };
}

const timestampedLongSerde: Serde<ValueAndTimestamp<number>> = {
  serialize(_topic, vt) {
    if (vt === null || vt.value === null) return null;
    const out = Buffer.allocUnsafe(16);
    writeInt64(out, 0, vt.timestamp);
    writeInt64(out, 8, vt.value);
    return out;
  },
  deserialize(_topic, bytes) {
    if (bytes === null) return null;
    return { timestamp: readInt64(bytes, 0), value: readInt64(bytes, 8) };
  },
};

export interface KeyValue<K, V> {
  readonly key: K;
  readonly value: V;
}

/** Receives coalesced updates from a cached store on flush: key, new value, replaced value, timestamp. */
export type FlushListener<K, V> = (key: K, newValue: V | null, oldValue: V | null, timestamp: number) => void;

interface Cacheable {
  setFlushListener?(listener: BytesFlushListener): void;
}

abstract class TypedStore<B extends StateStore, K, V> implements StateStore {
  protected topic = '';
  protected context: StoreContext | null = null;

  constructor(
    protected readonly bytes: B,
    readonly keySerde: Serde<K>,
    readonly valueSerde: Serde<V>,
    readonly cached: boolean,
  ) {}

  get name(): string {
    return this.bytes.name;
  }

  get persistent(): boolean {
    return this.bytes.persistent;
  }

  init(context: StoreContext): void {
    this.topic = changelogTopic(context.applicationId, this.bytes.name);
    this.context = context;
    this.bytes.init(context);
  }

  flush(): void {
    this.bytes.flush();
  }

  close(): void {
    this.bytes.close();
  }

  restore(key: Buffer, value: Buffer | null, timestamp: number): void {
    if (this.bytes.restore === undefined)
      throw new Error(`store ${this.name} keeps no changelog and cannot be restored`);
    this.bytes.restore(key, value, timestamp);
  }

  // A processor usually reads a key and then writes it: serialize it once.
  private lastKey: K | undefined;
  private lastKeyBytes: Buffer | null = null;

  protected keyBytes(key: K): Buffer {
    if (key === this.lastKey && this.lastKeyBytes !== null) return this.lastKeyBytes;
    const bytes =
      this.context?.sourceKeyBytes?.(this.keySerde as Serde<unknown>, key) ?? this.keySerde.serialize(this.topic, key);
    if (bytes === null) throw new Error(`store ${this.name}: keys cannot be null`);
    this.lastKey = key;
    this.lastKeyBytes = bytes;
    return bytes;
  }
}

export class KeyValueStore<K, V> extends TypedStore<KeyValueBytesStore, K, V> {
  get(key: K): V | null {
    const found = this.bytes.get(this.keyBytes(key));
    return found === undefined ? null : this.valueSerde.deserialize(this.topic, found);
  }

  /** A null value deletes the key. */
  put(key: K, value: V | null): void {
    this.bytes.put(this.keyBytes(key), this.valueSerde.serialize(this.topic, value));
  }

  putIfAbsent(key: K, value: V): V | null {
    const old = this.get(key);
    if (old === null) this.put(key, value);
    return old;
  }

  delete(key: K): V | null {
    const old = this.get(key);
    if (old !== null) this.put(key, null);
    return old;
  }

  range(from: K | null, to: K | null): KeyValue<K, V>[] {
    const entries = this.bytes.range(
      from === null ? null : this.keyBytes(from),
      to === null ? null : this.keyBytes(to),
    );
    return this.decode(entries);
  }

  all(): KeyValue<K, V>[] {
    return this.decode(this.bytes.range(null, null));
  }

  /** Entries whose serialized key starts with the serialized prefix. */
  prefixScan<P>(prefix: P, prefixSerde: Serde<P>): KeyValue<K, V>[] {
    return this.decode(this.bytes.prefixScan(prefixSerde.serialize(this.topic, prefix) ?? Buffer.alloc(0)));
  }

  approximateNumEntries(): number {
    return this.bytes.approximateNumEntries();
  }

  /** Attaches a listener for flushed updates; false when the store has no cache (then the caller forwards itself). */
  setFlushListener(listener: FlushListener<K, V>): boolean {
    const cacheable = this.bytes as Cacheable;
    if (!this.cached || cacheable.setFlushListener === undefined) return false;
    cacheable.setFlushListener((key, newValue, oldValue, timestamp) =>
      listener(
        this.keySerde.deserialize(this.topic, key) as K,
        this.valueSerde.deserialize(this.topic, newValue),
        this.valueSerde.deserialize(this.topic, oldValue),
        timestamp,
      ),
    );
    return true;
  }

  private decode(entries: Iterable<{ key: Buffer; value: Buffer }>): KeyValue<K, V>[] {
    const out: KeyValue<K, V>[] = [];
    for (const entry of entries) {
      out.push({
        key: this.keySerde.deserialize(this.topic, entry.key) as K,
        value: this.valueSerde.deserialize(this.topic, entry.value) as V,
      });
    }
    return out;
  }
}

export type TimestampedKeyValueStore<K, V> = KeyValueStore<K, ValueAndTimestamp<V>>;

export interface WindowEntry<V> {
  readonly windowStart: number;
  readonly value: V;
}

export class WindowStore<K, V> extends TypedStore<WindowBytesStore, K, V> {
  constructor(
    bytes: WindowBytesStore,
    keySerde: Serde<K>,
    valueSerde: Serde<V>,
    readonly windowSizeMs: number,
    cached: boolean,
  ) {
    super(bytes, keySerde, valueSerde, cached);
  }

  get retentionMs(): number {
    return this.bytes.retentionMs;
  }

  put(key: K, value: V | null, windowStart: number): void {
    this.bytes.put(this.keyBytes(key), this.valueSerde.serialize(this.topic, value), windowStart);
  }

  fetch(key: K, windowStart: number): V | null {
    const found = this.bytes.fetch(this.keyBytes(key), windowStart);
    return found === undefined ? null : this.valueSerde.deserialize(this.topic, found);
  }

  /** One key's windows with timeFrom <= start <= timeTo, by start. */
  fetchRange(key: K, timeFrom: number, timeTo: number): WindowEntry<V>[] {
    const out: WindowEntry<V>[] = [];
    for (const entry of this.bytes.fetchRange(this.keyBytes(key), timeFrom, timeTo)) {
      out.push({ windowStart: entry.windowStart, value: this.valueSerde.deserialize(this.topic, entry.value) as V });
    }
    return out;
  }

  fetchAll(timeFrom: number, timeTo: number): KeyValue<Windowed<K>, V>[] {
    const out: KeyValue<Windowed<K>, V>[] = [];
    for (const entry of this.bytes.fetchAll(timeFrom, timeTo)) {
      out.push({
        key: windowed(
          this.keySerde.deserialize(this.topic, entry.key) as K,
          entry.windowStart,
          entry.windowStart + this.windowSizeMs,
        ),
        value: this.valueSerde.deserialize(this.topic, entry.value) as V,
      });
    }
    return out;
  }

  all(): KeyValue<Windowed<K>, V>[] {
    return this.fetchAll(0, Number.MAX_SAFE_INTEGER);
  }

  /**
   * Attaches a listener for flushed updates; false when the store has no cache.
   * `oldValues` false at a flush: the listener gets null for the replaced
   * values, which are then not read.
   */
  setFlushListener(listener: FlushListener<Windowed<K>, V>, oldValues?: () => boolean): boolean {
    const cacheable = this.bytes as {
      setFlushListener?(
        l: (key: Buffer, start: number, n: Buffer | null, o: Buffer | null, ts: number) => void,
        oldValues?: () => boolean,
      ): void;
    };
    if (!this.cached || cacheable.setFlushListener === undefined) return false;
    cacheable.setFlushListener(
      (key, start, newValue, oldValue, timestamp) =>
        listener(
          windowed(this.keySerde.deserialize(this.topic, key) as K, start, start + this.windowSizeMs),
          this.valueSerde.deserialize(this.topic, newValue),
          this.valueSerde.deserialize(this.topic, oldValue),
          timestamp,
        ),
      oldValues,
    );
    return true;
  }
}

export type TimestampedWindowStore<K, V> = WindowStore<K, ValueAndTimestamp<V>>;

export class SessionStore<K, V> extends TypedStore<SessionBytesStore, K, V> {
  constructor(bytes: SessionBytesStore, keySerde: Serde<K>, valueSerde: Serde<V>) {
    super(bytes, keySerde, valueSerde, false);
  }

  get retentionMs(): number {
    return this.bytes.retentionMs;
  }

  put(key: Windowed<K>, value: V | null): void {
    this.bytes.put(
      this.keyBytes(key.key),
      key.window.start,
      key.window.end,
      this.valueSerde.serialize(this.topic, value),
    );
  }

  remove(key: Windowed<K>): void {
    this.bytes.put(this.keyBytes(key.key), key.window.start, key.window.end, null);
  }

  fetchSession(key: K, start: number, end: number): V | null {
    const found = this.bytes.fetchSession(this.keyBytes(key), start, end);
    return found === undefined ? null : this.valueSerde.deserialize(this.topic, found);
  }

  /** Sessions of `key` with end >= earliestSessionEnd and start <= latestSessionStart. */
  findSessions(key: K, earliestSessionEnd: number, latestSessionStart: number): KeyValue<Windowed<K>, V>[] {
    const out: KeyValue<Windowed<K>, V>[] = [];
    for (const entry of this.bytes.findSessions(this.keyBytes(key), earliestSessionEnd, latestSessionStart)) {
      out.push({
        key: windowed(key, entry.start, entry.end),
        value: this.valueSerde.deserialize(this.topic, entry.value) as V,
      });
    }
    return out;
  }

  all(): KeyValue<Windowed<K>, V>[] {
    const out: KeyValue<Windowed<K>, V>[] = [];
    for (const entry of this.bytes.all()) {
      out.push({
        key: windowed(this.keySerde.deserialize(this.topic, entry.key) as K, entry.start, entry.end),
        value: this.valueSerde.deserialize(this.topic, entry.value) as V,
      });
    }
    return out;
  }
}
