/**
 * Record caches: coalesce updates per key between commits, so a key updated
 * a hundred times between two commits sends one record downstream and one
 * to the changelog. Dirty entries go down (and downstream through the flush
 * listener, with the value they replace) on commit, or when the cache is
 * over its size and its least recently used entry is dirty; as in Kafka
 * Streams, evicting a dirty entry flushes every dirty entry of that cache.
 */
// Buffer from its module: the global Buffer is a getter, and these functions run for every record.
import { Buffer } from 'node:buffer';
import { SHORT_STRING_BYTES, shortLatin1String, writeInt64 } from '../serde/serde.ts';
import { copyBytes, KeyIdCache, keyFromId, keyId } from './bytes.ts';
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

/** An entry, linked into the cache's two lists: every entry by last use, and dirty entries by last write. */
class CacheNode implements CacheEntry {
  older: CacheNode | null = null;
  newer: CacheNode | null = null;
  olderDirty: CacheNode | null = null;
  newerDirty: CacheNode | null = null;
  inDirty = false;
  /** A window cache's entry: its key and window start (the id only names them), set when first written. */
  windowKey: Buffer | null = null;
  windowStart = 0;

  constructor(
    readonly id: string,
    public value: Buffer | null,
    public dirty: boolean,
    public timestamp: number,
    public size: number,
  ) {}
}

const ENTRY_OVERHEAD = 64;

/**
 * An LRU: a Map from id to entry, the entries linked by last use (touching
 * one moves it to the newest end) and the dirty ones by last write (the
 * order flushes send them downstream). Links rather than a Map's insertion
 * order: a read and then a write of one entry, once per record, cost a
 * Map lookup each and no Map deletes and inserts.
 */
class LruCache {
  readonly entries = new Map<string, CacheNode>();
  bytes = 0;
  private eldestNode: CacheNode | null = null;
  private newestNode: CacheNode | null = null;
  private eldestDirty: CacheNode | null = null;
  private newestDirty: CacheNode | null = null;

  constructor(readonly maxBytes: number) {}

  get(id: string): CacheEntry | undefined {
    const node = this.entries.get(id);
    if (node !== undefined) this.touch(node);
    return node;
  }

  /** Caches a value: a dirty one becomes the newest write, to be flushed after every earlier one. */
  set(id: string, value: Buffer | null, dirty: boolean, timestamp: number, size: number): CacheNode {
    let node = this.entries.get(id);
    if (node === undefined) {
      node = new CacheNode(id, value, dirty, timestamp, size);
      this.entries.set(id, node);
      this.link(node);
    } else {
      this.bytes -= node.size;
      node.value = value;
      node.dirty = dirty;
      node.timestamp = timestamp;
      node.size = size;
      this.touch(node);
    }
    this.bytes += size;
    if (dirty) this.markDirty(node);
    else if (node.inDirty) this.unlinkDirty(node);
    return node;
  }

  delete(id: string): void {
    const node = this.entries.get(id);
    if (node === undefined) return;
    this.entries.delete(id);
    this.bytes -= node.size;
    this.unlink(node);
    if (node.inDirty) this.unlinkDirty(node);
  }

  /** Takes an id off the dirty list (written down, or gone). */
  clean(id: string): void {
    const node = this.entries.get(id);
    if (node?.inDirty === true) this.unlinkDirty(node);
  }

  /** The dirty ids, the earliest write first. */
  dirtyIds(): string[] {
    const ids: string[] = [];
    for (let node = this.eldestDirty; node !== null; node = node.newerDirty) ids.push(node.id);
    return ids;
  }

  overFull(): boolean {
    return this.bytes > this.maxBytes && this.entries.size > 0;
  }

  eldest(): CacheNode | undefined {
    return this.eldestNode ?? undefined;
  }

  private touch(node: CacheNode): void {
    if (node === this.newestNode) return;
    this.unlink(node);
    this.link(node);
  }

  private link(node: CacheNode): void {
    node.older = this.newestNode;
    node.newer = null;
    if (this.newestNode === null) this.eldestNode = node;
    else this.newestNode.newer = node;
    this.newestNode = node;
  }

  private unlink(node: CacheNode): void {
    if (node.older === null) this.eldestNode = node.newer;
    else node.older.newer = node.newer;
    if (node.newer === null) this.newestNode = node.older;
    else node.newer.older = node.older;
    node.older = null;
    node.newer = null;
  }

  private markDirty(node: CacheNode): void {
    if (node === this.newestDirty) return;
    if (node.inDirty) this.unlinkDirty(node);
    node.olderDirty = this.newestDirty;
    node.newerDirty = null;
    if (this.newestDirty === null) this.eldestDirty = node;
    else this.newestDirty.newerDirty = node;
    this.newestDirty = node;
    node.inDirty = true;
  }

  private unlinkDirty(node: CacheNode): void {
    if (node.olderDirty === null) this.eldestDirty = node.newerDirty;
    else node.olderDirty.newerDirty = node.newerDirty;
    if (node.newerDirty === null) this.newestDirty = node.olderDirty;
    else node.newerDirty.olderDirty = node.olderDirty;
    node.olderDirty = null;
    node.newerDirty = null;
    node.inDirty = false;
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
    this.cacheDirty(id, keyLength, value);
    this.evictIfFull();
  }

  /** putDirty without the eviction that may follow: the caller completes the entry first. */
  protected cacheDirty(id: string, keyLength: number, value: Buffer | null): CacheNode {
    const timestamp = this.context?.recordTimestamp() ?? 0;
    return this.cache.set(id, value, true, timestamp, keyLength + (value?.length ?? 0) + ENTRY_OVERHEAD);
  }

  /** Drops an entry from the cache. */
  protected forget(id: string): void {
    this.cache.delete(id);
  }

  /** Writes one dirty entry to the inner store and tells the flush listener. */
  protected abstract writeDown(id: string, entry: CacheNode): void;

  protected evictIfFull(): void {
    while (this.cache.overFull()) {
      const eldest = this.cache.eldest();
      if (eldest === undefined) return;
      if (eldest.dirty) this.flushDirty();
      this.forget(eldest.id);
    }
  }

  private flushDirty(): void {
    for (const id of this.cache.dirtyIds()) {
      const entry = this.cache.entries.get(id);
      this.cache.clean(id);
      if (entry === undefined || !entry.dirty) continue;
      this.writeDown(id, entry);
    }
  }
}

export class CachingKeyValueStore extends CachingStore<KeyValueBytesStore> implements KeyValueBytesStore {
  private listener: BytesFlushListener | null = null;
  /** A get and a put of the same key buffer (an aggregation's read and write) convert it to an id once. */
  private readonly ids = new KeyIdCache();

  setFlushListener(listener: BytesFlushListener): void {
    this.listener = listener;
  }

  get(key: Buffer): Buffer | undefined {
    const id = this.ids.of(key);
    const cached = this.cache.get(id);
    if (cached !== undefined) return cached.value ?? undefined;
    const value = this.inner.get(key);
    if (value !== undefined) {
      this.cache.set(id, value, false, 0, key.length + value.length + ENTRY_OVERHEAD);
      this.evictIfFull();
    }
    return value;
  }

  put(key: Buffer, value: Buffer | null): void {
    this.putDirty(this.ids.of(key), key.length, value);
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

  protected writeDown(id: string, entry: CacheNode): void {
    const key = keyFromId(id);
    const old = this.listener === null ? null : (this.inner.get(key) ?? null);
    this.inner.put(key, entry.value);
    entry.dirty = false;
    if (entry.value === null) this.forget(id);
    this.listener?.(key, entry.value, old, entry.timestamp);
  }
}

/** Called for each flushed window entry; oldValue is null unless the listener asked for old values. */
export type WindowBytesFlushListener = (
  key: Buffer,
  windowStart: number,
  newValue: Buffer | null,
  oldValue: Buffer | null,
  timestamp: number,
) => void;

/**
 * Caches window-store entries by (key, window start); duplicates (join
 * buffers) are never cached. An entry's cache id is its key and window start
 * (windowCacheId): only the cache uses it (flushes go in write order, and the
 * inner store and the changelog get the key and window start kept on the
 * entry), so no window-store key is built for it.
 */
export class CachingWindowStore extends CachingStore<WindowBytesStore> implements WindowBytesStore {
  private listener: WindowBytesFlushListener | null = null;
  private wantsOldValues: () => boolean = () => true;
  // The id asked for last: a fetch and then a put of one window build it once.
  private lastKey: Buffer | null = null;
  private lastStart = 0;
  private lastId = '';

  get retentionMs(): number {
    return this.inner.retentionMs;
  }

  get retainDuplicates(): boolean {
    return this.inner.retainDuplicates;
  }

  /** `oldValues` says, at each flush, whether the listener needs the value an entry replaces (a read of the store). */
  setFlushListener(listener: WindowBytesFlushListener, oldValues: () => boolean = () => true): void {
    this.listener = listener;
    this.wantsOldValues = oldValues;
  }

  private cacheId(key: Buffer, windowStart: number): string {
    if (key !== this.lastKey || windowStart !== this.lastStart) {
      this.lastKey = key;
      this.lastStart = windowStart;
      this.lastId = windowCacheId(key, windowStart);
    }
    return this.lastId;
  }

  observedStreamTime(): number {
    return Math.max(this.inner.observedStreamTime(), this.cachedStreamTime);
  }

  private cachedStreamTime = -1;

  put(key: Buffer, value: Buffer | null, windowStart: number): void {
    if (windowStart > this.cachedStreamTime) this.cachedStreamTime = windowStart;
    if (windowStart <= this.observedStreamTime() - this.inner.retentionMs) return;
    const id = this.cacheId(key, windowStart);
    const node = this.cacheDirty(id, key.length, value);
    if (node.windowKey === null) {
      node.windowKey = key;
      node.windowStart = windowStart;
    }
    this.evictIfFull();
  }

  fetch(key: Buffer, windowStart: number): Buffer | undefined {
    if (windowStart <= this.observedStreamTime() - this.inner.retentionMs) return undefined;
    const cached = this.cache.get(this.cacheId(key, windowStart));
    if (cached !== undefined) return cached.value ?? undefined;
    return this.inner.fetch(key, windowStart);
  }

  fetchRange(key: Buffer, timeFrom: number, timeTo: number): WindowBytesEntry[] {
    const byStart = new Map<number, Buffer | null>();
    for (const entry of this.inner.fetchRange(key, timeFrom, timeTo)) byStart.set(entry.windowStart, entry.value);
    const minLive = Math.max(timeFrom, this.observedStreamTime() - this.inner.retentionMs + 1);
    const kid = keyId(key);
    for (const entry of this.cache.entries.values()) {
      const k = entry.windowKey;
      if (!entry.dirty || k === null || entry.windowStart < minLive || entry.windowStart > timeTo) continue;
      if (keyId(k) === kid) byStart.set(entry.windowStart, entry.value);
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
      byId.set(windowCacheId(entry.key, entry.windowStart), entry);
    const minLive = Math.max(timeFrom, this.observedStreamTime() - this.inner.retentionMs + 1);
    for (const [id, entry] of this.cache.entries) {
      const k = entry.windowKey;
      if (!entry.dirty || k === null || entry.windowStart < minLive || entry.windowStart > timeTo) continue;
      byId.set(id, entry.value === null ? null : { key: k, windowStart: entry.windowStart, value: entry.value });
    }
    return [...byId.values()]
      .filter((e): e is WindowBytesEntry => e !== null)
      .sort((a, b) => a.windowStart - b.windowStart || Buffer.compare(a.key, b.key));
  }

  restore(key: Buffer, value: Buffer | null, timestamp: number): void {
    this.inner.restore?.(key, value, timestamp);
  }

  protected writeDown(id: string, entry: CacheNode): void {
    const key = entry.windowKey;
    if (key === null) return;
    const start = entry.windowStart;
    const old = this.listener === null || !this.wantsOldValues() ? null : (this.inner.fetch(key, start) ?? null);
    this.inner.put(key, entry.value, start);
    entry.dirty = false;
    if (entry.value === null) this.forget(id);
    this.listener?.(key, start, entry.value, old, entry.timestamp);
  }
}

/** Where window cache ids are put together: [key][window start: int64]. */
let idBytes = Buffer.allocUnsafe(256);

/**
 * A window entry's cache id: its key and window start as one latin1 string,
 * made in one step. Joined strings (`${start}|${key}`) of 13 characters or
 * more are cons strings, which a Map lookup first flattens: twice the cost.
 */
function windowCacheId(key: Buffer, windowStart: number): string {
  const n = key.length + 8;
  if (n > idBytes.length) idBytes = Buffer.allocUnsafe(2 * n);
  copyBytes(key, idBytes, 0);
  writeInt64(idBytes, key.length, windowStart);
  return n > SHORT_STRING_BYTES ? idBytes.toString('latin1', 0, n) : shortLatin1String(idBytes, n);
}
