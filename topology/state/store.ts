/**
 * State stores behind interfaces, as in Kafka Streams: processors see typed
 * stores (keys and values as objects); underneath, every store is a bytes
 * store, so an in-memory and an lmdb store are interchangeable and a
 * changelog record is exactly what the store holds.
 *
 * Layers, outermost first: typed (serdes) -> caching (optional) -> change
 * logging (optional) -> bytes store (in memory or lmdb).
 */

import type { Serde } from '../serde/serde.ts';
import type { ChangelogWriter } from './changelog.ts';

/** What a store needs from the task that owns it. */
export interface StoreContext {
  readonly applicationId: string;
  /** `<subtopology>_<partition>`, as Kafka Streams names tasks. */
  readonly taskId: string;
  readonly partition: number;
  /** Root folder for persistent stores; each store takes `<stateDir>/<applicationId>/<taskId>/<store>`. */
  readonly stateDir: string | null;
  /** Where logged stores append their changes; null when the task keeps no changelogs. */
  readonly changelog: ChangelogWriter | null;
  /** Timestamp of the record being processed (the changelog record timestamp for non-timestamped stores). */
  recordTimestamp(): number;
  /**
   * The bytes the current record's key was read from, if `serde` would write
   * exactly those for `key`; null otherwise. Saves serializing the same key
   * again for the store and the output.
   */
  sourceKeyBytes?(serde: Serde<unknown>, key: unknown): Buffer | null;
}

export interface StateStore {
  readonly name: string;
  readonly persistent: boolean;
  init(context: StoreContext): void;
  /** Makes every write durable in the store itself (and, for a cache, pushes dirty entries down and downstream). */
  flush(): void;
  close(): void;
  /** Applies one changelog record without logging it again (only logged stores restore). */
  restore?(key: Buffer, value: Buffer | null, timestamp: number): void;
}

export interface BytesEntry {
  readonly key: Buffer;
  readonly value: Buffer;
}

/** Ordered by unsigned byte comparison of the keys, as RocksDB and lmdb order them. */
export interface KeyValueBytesStore extends StateStore {
  get(key: Buffer): Buffer | undefined;
  /** A null value deletes. */
  put(key: Buffer, value: Buffer | null): void;
  /** Entries with from <= key <= to; null bounds are open. */
  range(from: Buffer | null, to: Buffer | null): Iterable<BytesEntry>;
  prefixScan(prefix: Buffer): Iterable<BytesEntry>;
  approximateNumEntries(): number;
}

export interface WindowBytesEntry {
  readonly key: Buffer;
  readonly windowStart: number;
  readonly value: Buffer;
}

/**
 * Values per (key, window start). With duplicates retained (stream-stream
 * join buffers) every put appends and null puts are ignored.
 */
export interface WindowBytesStore extends StateStore {
  readonly retentionMs: number;
  readonly retainDuplicates: boolean;
  put(key: Buffer, value: Buffer | null, windowStart: number): void;
  fetch(key: Buffer, windowStart: number): Buffer | undefined;
  /** One key's values with timeFrom <= window start <= timeTo, by window start. */
  fetchRange(key: Buffer, timeFrom: number, timeTo: number): Iterable<WindowBytesEntry>;
  /** Every key's values with timeFrom <= window start <= timeTo, by window start then key. */
  fetchAll(timeFrom: number, timeTo: number): Iterable<WindowBytesEntry>;
  /** Stream time as this store has observed it (the largest window start put). */
  observedStreamTime(): number;
}

export interface SessionBytesEntry {
  readonly key: Buffer;
  readonly start: number;
  readonly end: number;
  readonly value: Buffer;
}

export interface SessionBytesStore extends StateStore {
  readonly retentionMs: number;
  put(key: Buffer, start: number, end: number, value: Buffer | null): void;
  fetchSession(key: Buffer, start: number, end: number): Buffer | undefined;
  /** Sessions of one key with end >= earliestSessionEnd and start <= latestSessionStart, by end then start. */
  findSessions(key: Buffer, earliestSessionEnd: number, latestSessionStart: number): Iterable<SessionBytesEntry>;
  /** Every session, by end time then key then start. */
  all(): Iterable<SessionBytesEntry>;
}

/** Creates the bytes store at the bottom of a store stack: in memory or lmdb. */
export interface KeyValueBytesStoreSupplier {
  readonly name: string;
  readonly kind: 'keyValue';
  get(): KeyValueBytesStore;
}

export interface WindowBytesStoreSupplier {
  readonly name: string;
  readonly kind: 'window';
  readonly retentionMs: number;
  readonly windowSizeMs: number;
  readonly retainDuplicates: boolean;
  get(): WindowBytesStore;
}

export interface SessionBytesStoreSupplier {
  readonly name: string;
  readonly kind: 'session';
  readonly retentionMs: number;
  get(): SessionBytesStore;
}

export type BytesStoreSupplier = KeyValueBytesStoreSupplier | WindowBytesStoreSupplier | SessionBytesStoreSupplier;

/** Thrown when a store is used wrongly or cannot do its work; says which store. */
export class StateStoreError extends Error {
  override name = 'StateStoreError';
}
