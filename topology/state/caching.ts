/**
 * Record caches: coalesce updates per key between commits, so a key updated
 * a hundred times between two commits sends one record downstream and one
 * to the changelog. Dirty entries go down (and downstream through the flush
 * listener, with the value they replace) on commit, or when the cache is
 * over its size and its least recently used entry is dirty; as in Kafka
 * Streams, evicting a dirty entry flushes every dirty entry of that cache.
 */
import { keyFromId, keyId, windowStoreKey } from './bytes.ts';
import type {
  BytesEntry,
  KeyValueBytesStore,
  StateStore,
  StoreContext,
  WindowBytesEntry,
  WindowBytesStore,
} from './store.ts';

/** Called for each flushed entry: the new value, the value it replaced in the store, and the put's record timestamp. */
export type BytesFlushListener = (
  key: Buffer,
  newValue: Buffer | null,
  oldValue: Buffer | null,
  timestamp: number,
) => void;

interface CacheEntry {
  value: Buffer | null;
  dirty: boolean;
  timestamp: number;
  size: number;
}

const ENTRY_OVERHEAD = 64;

/** Insertion-ordered map used as an LRU: touching an entry moves it to the end. */
class LruCache {
  readonly entries = new Map<string, CacheEntry>();
  /** Dirty keys in the order of their last write: the order flushes send them downstream. */
  readonly dirty = new Set<string>();
  bytes = 0;
  /**
   * One iterator kept from eldest() to the next: a new one would step over
   * every entry deleted from the front of the Map since V8 last compacted
   * it (up to half its slots), which made a full cache's evictions quadratic.
   * Everything before the cursor is gone or moved to the end, except `head`.
   */
  private cursor: Iterator<[string, CacheEntry]> | null = null;
  private head: [string, CacheEntry] | undefined = undefined;

  constructor(readonly maxBytes: number) {}

  get(id: string): CacheEntry | undefined {
    const entry = this.entries.get(id);
    if (entry !== undefined) {
      this.moved(id);
      this.entries.delete(id);
      this.entries.set(id, entry);
    }
    return entry;
  }

  set(id: string, entry: CacheEntry): void {
    const old = this.entries.get(id);
    if (old !== undefined) {
      this.moved(id);
      this.bytes -= old.size;
      this.entries.delete(id);
    }
    this.entries.set(id, entry);
    this.bytes += entry.size;
    if (entry.dirty) {
      this.dirty.delete(id);
      this.dirty.add(id);
    }
  }

  delete(id: string): void {
    const old = this.entries.get(id);
    if (old !== undefined) {
      this.moved(id);
      this.bytes -= old.size;
      this.entries.delete(id);
    }
    this.dirty.delete(id);
  }

  overFull(): boolean {
    return this.bytes > this.maxBytes && this.entries.size > 0;
  }

  eldest(): [string, CacheEntry] | undefined {
    if (this.head === undefined) {
      this.cursor ??= this.entries.entries();
      const next = this.cursor.next();
      if (next.done === true) {
        this.cursor = null; // a finished iterator stays finished, even when entries come later
        return undefined;
      }
      this.head = next.value;
    }
    return this.head;
  }

  /** An entry leaves its place (deleted, or moved to the end): if it was the eldest, the cursor moves on. */
  private moved(id: string): void {
    if (this.head !== undefined && this.head[0] === id) this.head = undefined;
  }
}

/**
 * What both caches share: the LRU, the wrapped store's identity, and
 * flushing dirty entries down in write order (each cache writes one entry
 * down its own way and knows which of its side tables an entry lives in).
 */
abstract class CachingStore<B extends StateStore> implements StateStore {
  protected readonly cache: LruCache;
  protected context: StoreContext | null = null;

  constructor(
    protected readonly inner: B,
    maxBytes: number,
  ) {
    this.cache = new LruCache(maxBytes);
  }

  get name(): string {
    return this.inner.name;
  }

  get persistent(): boolean {
    return this.inner.persistent;
  }

  init(context: StoreContext): void {
    this.context = context;
    this.inner.init(context);
  }

  flush(): void {
    this.flushDirty();
    this.inner.flush();
  }

  close(): void {
    this.flush();
    this.inner.close();
  }

  /** Caches a write, stamped with the current record's timestamp, to be written down on flush. */
  protected putDirty(id: string, keyLength: number, value: Buffer | null): void {
    const timestamp = this.context?.recordTimestamp() ?? 0;
    this.cache.set(id, { value, dirty: true, timestamp, size: keyLength + (value?.length ?? 0) + ENTRY_OVERHEAD });
    this.evictIfFull();
  }

  /** Drops an entry from the cache. */
  protected forget(id: string): void {
    this.cache.delete(id);
  }

  /** Writes one dirty entry to the inner store and tells the flush listener. */
  protected abstract writeDown(id: string, entry: CacheEntry): void;

  protected evictIfFull(): void {
    while (this.cache.overFull()) {
      const eldest = this.cache.eldest();
      if (eldest === undefined) return;
      if (eldest[1].dirty) this.flushDirty();
      this.forget(eldest[0]);
    }
  }

  private flushDirty(): void {
    for (const id of [...this.cache.dirty]) {
      const entry = this.cache.entries.get(id);
      this.cache.dirty.delete(id);
      if (entry === undefined || !entry.dirty) continue;
      this.writeDown(id, entry);
    }
  }
}

export class CachingKeyValueStore extends CachingStore<KeyValueBytesStore> implements KeyValueBytesStore {
  private listener: BytesFlushListener | null = null;

  setFlushListener(listener: BytesFlushListener): void {
    this.listener = listener;
  }

  get(key: Buffer): Buffer | undefined {
    const id = keyId(key);
    const cached = this.cache.get(id);
    if (cached !== undefined) return cached.value ?? undefined;
    const value = this.inner.get(key);
    if (value !== undefined) {
      this.cache.set(id, { value, dirty: false, timestamp: 0, size: key.length + value.length + ENTRY_OVERHEAD });
      this.evictIfFull();
    }
    return value;
  }

  put(key: Buffer, value: Buffer | null): void {
    this.putDirty(keyId(key), key.length, value);
  }

  range(from: Buffer | null, to: Buffer | null): BytesEntry[] {
    const fromId = from === null ? null : keyId(from);
    const toId = to === null ? null : keyId(to);
    return this.merge(
      this.inner.range(from, to),
      (id) => (fromId === null || id >= fromId) && (toId === null || id <= toId),
    );
  }

  prefixScan(prefix: Buffer): BytesEntry[] {
    const prefixId = keyId(prefix);
    return this.merge(this.inner.prefixScan(prefix), (id) => id.startsWith(prefixId));
  }

  approximateNumEntries(): number {
    return this.inner.approximateNumEntries();
  }

  restore(key: Buffer, value: Buffer | null, timestamp: number): void {
    this.cache.delete(keyId(key));
    this.inner.restore?.(key, value, timestamp);
  }

  /** The store's entries with the cache's dirty entries laid over them, in key order. */
  private merge(stored: Iterable<BytesEntry>, inRange: (id: string) => boolean): BytesEntry[] {
    const byId = new Map<string, Buffer | null>();
    for (const entry of stored) byId.set(keyId(entry.key), entry.value);
    for (const [id, entry] of this.cache.entries) if (entry.dirty && inRange(id)) byId.set(id, entry.value);
    const out: BytesEntry[] = [];
    for (const id of [...byId.keys()].sort()) {
      const value = byId.get(id);
      if (value !== null && value !== undefined) out.push({ key: keyFromId(id), value });
    }
    return out;
  }

  protected writeDown(id: string, entry: CacheEntry): void {
    const key = keyFromId(id);
    const old = this.listener === null ? null : (this.inner.get(key) ?? null);
    this.inner.put(key, entry.value);
    entry.dirty = false;
    if (entry.value === null) this.forget(id);
    this.listener?.(key, entry.value, old, entry.timestamp);
  }
}

/** Caches window-store entries by (key, window start); duplicates (join buffers) are never cached. */
export class CachingWindowStore extends CachingStore<WindowBytesStore> implements WindowBytesStore {
  private readonly keys = new Map<string, { key: Buffer; windowStart: number }>();
  private listener:
    | ((key: Buffer, windowStart: number, newValue: Buffer | null, oldValue: Buffer | null, timestamp: number) => void)
    | null = null;

  get retentionMs(): number {
    return this.inner.retentionMs;
  }

  get retainDuplicates(): boolean {
    return this.inner.retainDuplicates;
  }

  setFlushListener(
    listener: (
      key: Buffer,
      windowStart: number,
      newValue: Buffer | null,
      oldValue: Buffer | null,
      timestamp: number,
    ) => void,
  ): void {
    this.listener = listener;
  }

  observedStreamTime(): number {
    return Math.max(this.inner.observedStreamTime(), this.cachedStreamTime);
  }

  private cachedStreamTime = -1;

  put(key: Buffer, value: Buffer | null, windowStart: number): void {
    if (windowStart > this.cachedStreamTime) this.cachedStreamTime = windowStart;
    if (windowStart <= this.observedStreamTime() - this.inner.retentionMs) return;
    const id = keyId(windowStoreKey(key, windowStart, 0));
    this.keys.set(id, { key, windowStart });
    this.putDirty(id, key.length, value);
  }

  fetch(key: Buffer, windowStart: number): Buffer | undefined {
    if (windowStart <= this.observedStreamTime() - this.inner.retentionMs) return undefined;
    const cached = this.cache.get(keyId(windowStoreKey(key, windowStart, 0)));
    if (cached !== undefined) return cached.value ?? undefined;
    return this.inner.fetch(key, windowStart);
  }

  fetchRange(key: Buffer, timeFrom: number, timeTo: number): WindowBytesEntry[] {
    const byStart = new Map<number, Buffer | null>();
    for (const entry of this.inner.fetchRange(key, timeFrom, timeTo)) byStart.set(entry.windowStart, entry.value);
    const minLive = Math.max(timeFrom, this.observedStreamTime() - this.inner.retentionMs + 1);
    const kid = keyId(key);
    for (const [id, entry] of this.cache.entries) {
      const k = this.keys.get(id);
      if (!entry.dirty || k === undefined || k.windowStart < minLive || k.windowStart > timeTo) continue;
      if (keyId(k.key) === kid) byStart.set(k.windowStart, entry.value);
    }
    const out: WindowBytesEntry[] = [];
    for (const start of [...byStart.keys()].sort((a, b) => a - b)) {
      const value = byStart.get(start);
      if (value !== null && value !== undefined) out.push({ key, windowStart: start, value });
    }
    return out;
  }

  fetchAll(timeFrom: number, timeTo: number): WindowBytesEntry[] {
    const byId = new Map<string, WindowBytesEntry | null>();
    for (const entry of this.inner.fetchAll(timeFrom, timeTo))
      byId.set(keyId(windowStoreKey(entry.key, entry.windowStart, 0)), entry);
    const minLive = Math.max(timeFrom, this.observedStreamTime() - this.inner.retentionMs + 1);
    for (const [id, entry] of this.cache.entries) {
      const k = this.keys.get(id);
      if (!entry.dirty || k === undefined || k.windowStart < minLive || k.windowStart > timeTo) continue;
      byId.set(id, entry.value === null ? null : { key: k.key, windowStart: k.windowStart, value: entry.value });
    }
    return [...byId.values()]
      .filter((e): e is WindowBytesEntry => e !== null)
      .sort((a, b) => a.windowStart - b.windowStart || Buffer.compare(a.key, b.key));
  }

  restore(key: Buffer, value: Buffer | null, timestamp: number): void {
    this.inner.restore?.(key, value, timestamp);
  }

  protected override forget(id: string): void {
    this.cache.delete(id);
    this.keys.delete(id);
  }

  protected writeDown(id: string, entry: CacheEntry): void {
    const k = this.keys.get(id);
    if (k === undefined) return;
    const old = this.listener === null ? null : (this.inner.fetch(k.key, k.windowStart) ?? null);
    this.inner.put(k.key, entry.value, k.windowStart);
    entry.dirty = false;
    if (entry.value === null) this.forget(id);
    this.listener?.(k.key, k.windowStart, entry.value, old, entry.timestamp);
  }
}
