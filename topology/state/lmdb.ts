/**
 * Persistent bytes stores on lmdb, for state larger than memory.
 *
 * Durability comes from the changelog, as with Kafka Streams' RocksDB
 * stores (which run without a write-ahead log): lmdb runs with noSync, and
 * writes are buffered in memory and applied in one lmdb transaction per
 * flush (a commit), or earlier when the buffer grows or a range read needs
 * them. Keys carry a one-byte prefix because lmdb rejects empty keys; the
 * prefix keeps byte order.
 */
import fs from 'node:fs';
import path from 'node:path';
import { type Database, open, type RootDatabase } from 'lmdb';
import { readInt64, writeInt64 } from '../serde/serde.ts';
import { keyFromId, keyId, prefixUpperBound } from './bytes.ts';
import {
  type BytesEntry,
  type KeyValueBytesStore,
  type SessionBytesEntry,
  type SessionBytesStore,
  StateStoreError,
  type StoreContext,
  type WindowBytesEntry,
  type WindowBytesStore,
} from './store.ts';

const MAX_BUFFERED_WRITES = 10_000;
const NO_TIMESTAMP = -1;
const EMPTY = Buffer.alloc(0);

type BinaryDb = Database<Buffer, Buffer>;

/** Opens (creating) the store's lmdb environment under the task's state folder. */
function openEnvironment(name: string, context: StoreContext): RootDatabase<Buffer, Buffer> {
  if (context.stateDir === null) {
    throw new StateStoreError(`persistent store ${name} needs a state directory (the stateDir setting)`);
  }
  const dir = path.join(context.stateDir, context.applicationId, context.taskId, name);
  fs.mkdirSync(dir, { recursive: true });
  return open<Buffer, Buffer>({ path: dir, noSync: true, maxDbs: 4, keyEncoding: 'binary', encoding: 'binary' });
}

function openDb(root: RootDatabase<Buffer, Buffer>, name: string): BinaryDb {
  return root.openDB<Buffer, Buffer>({ name, keyEncoding: 'binary', encoding: 'binary' });
}

function stored(key: Buffer): Buffer {
  const out = Buffer.allocUnsafe(key.length + 1);
  out[0] = 0;
  key.copy(out, 1);
  return out;
}

abstract class LmdbStore {
  readonly persistent = true;
  protected root: RootDatabase<Buffer, Buffer> | null = null;

  constructor(readonly name: string) {}

  protected env(): RootDatabase<Buffer, Buffer> {
    if (this.root === null) throw new StateStoreError(`store ${this.name} is not open (init it first)`);
    return this.root;
  }

  close(): void {
    this.flush();
    void this.root?.close();
    this.root = null;
  }

  abstract flush(): void;
}

export class LmdbKeyValueStore extends LmdbStore implements KeyValueBytesStore {
  private db: BinaryDb | null = null;
  /** Writes not yet in lmdb: stored key id -> value, null for a delete. */
  private readonly buffered = new Map<string, Buffer | null>();

  init(context: StoreContext): void {
    this.root = openEnvironment(this.name, context);
    this.db = openDb(this.root, 'kv');
  }

  get(key: Buffer): Buffer | undefined {
    const k = stored(key);
    const pending = this.buffered.get(keyId(k));
    if (pending !== undefined) return pending ?? undefined;
    return this.database().get(k) ?? undefined;
  }

  put(key: Buffer, value: Buffer | null): void {
    this.buffered.set(keyId(stored(key)), value);
    if (this.buffered.size >= MAX_BUFFERED_WRITES) this.flush();
  }

  range(from: Buffer | null, to: Buffer | null): BytesEntry[] {
    this.flush();
    const out: BytesEntry[] = [];
    const options = {
      start: from === null ? Buffer.from([0]) : stored(from),
      end: to === null ? Buffer.from([1]) : stored(to),
      inclusiveEnd: to !== null,
    };
    for (const { key, value } of this.database().getRange(options))
      out.push({ key: Buffer.from(key.subarray(1)), value });
    return out;
  }

  prefixScan(prefix: Buffer): BytesEntry[] {
    this.flush();
    const start = stored(prefix);
    const end = prefixUpperBound(start) ?? Buffer.from([1]);
    const out: BytesEntry[] = [];
    for (const { key, value } of this.database().getRange({ start, end }))
      out.push({ key: Buffer.from(key.subarray(1)), value });
    return out;
  }

  approximateNumEntries(): number {
    return this.database().getCount() + this.buffered.size;
  }

  flush(): void {
    if (this.buffered.size === 0 || this.db === null) return;
    const db = this.db;
    this.env().transactionSync(() => {
      for (const [id, value] of this.buffered) {
        if (value === null) db.removeSync(keyFromId(id));
        else db.putSync(keyFromId(id), value);
      }
    });
    this.buffered.clear();
  }

  private database(): BinaryDb {
    if (this.db === null) throw new StateStoreError(`store ${this.name} is not open (init it first)`);
    return this.db;
  }
}

/**
 * The window and session stores: a primary index by key and a time index
 * whose keys start with the time retention goes by, with writes buffered as
 * (primary key, time key, value) and expired entries deleted on flush.
 */
abstract class TimeIndexedLmdbStore extends LmdbStore {
  protected byKey: BinaryDb | null = null;
  protected byTime: BinaryDb | null = null;
  protected streamTime = NO_TIMESTAMP;
  protected ops: Array<[Buffer, Buffer, Buffer | null]> = [];

  constructor(
    name: string,
    readonly retentionMs: number,
  ) {
    super(name);
  }

  init(context: StoreContext): void {
    this.root = openEnvironment(this.name, context);
    this.byKey = openDb(this.root, 'by-key');
    this.byTime = openDb(this.root, 'by-time');
    const meta = this.root.get(Buffer.from('stream-time'));
    if (meta !== undefined) this.streamTime = readInt64(meta, 0);
  }

  /** The primary-index key of an entry of the time index. */
  protected abstract primaryOfTimeKey(timeKey: Buffer): Buffer;

  flush(): void {
    if (this.root === null) return;
    const byKey = this.db(this.byKey);
    const byTime = this.db(this.byTime);
    const minLive = this.streamTime - this.retentionMs + 1;
    const expired = minLive > 0 ? [...byTime.getKeys({ start: withStart(0), end: withStart(minLive) })] : [];
    if (this.ops.length === 0 && expired.length === 0) return;
    const ops = this.ops;
    this.ops = [];
    const streamTime = Buffer.allocUnsafe(8);
    writeInt64(streamTime, 0, this.streamTime);
    this.env().transactionSync(() => {
      for (const [pk, tk, value] of ops) {
        if (value === null) {
          byKey.removeSync(pk);
          byTime.removeSync(tk);
        } else {
          byKey.putSync(pk, value);
          byTime.putSync(tk, EMPTY);
        }
      }
      for (const tk of expired) {
        byKey.removeSync(this.primaryOfTimeKey(tk));
        byTime.removeSync(tk);
      }
      this.env().putSync(Buffer.from('stream-time'), streamTime);
    });
  }

  protected db(db: BinaryDb | null): BinaryDb {
    if (db === null) throw new StateStoreError(`store ${this.name} is not open (init it first)`);
    return db;
  }
}

/**
 * Window store on lmdb. Primary index [0][key][start][seq] -> value serves
 * one key's time range; a time index [start][key][seq] serves fetchAll and
 * retention, so expired windows are deleted without a full scan.
 */
export class LmdbWindowStore extends TimeIndexedLmdbStore implements WindowBytesStore {
  private seqnum = 0;

  constructor(
    name: string,
    retentionMs: number,
    readonly retainDuplicates: boolean,
  ) {
    super(name, retentionMs);
  }

  observedStreamTime(): number {
    return this.streamTime;
  }

  put(key: Buffer, value: Buffer | null, windowStart: number): void {
    if (windowStart > this.streamTime) this.streamTime = windowStart;
    if (windowStart <= this.streamTime - this.retentionMs) return;
    if (this.retainDuplicates && value === null) return;
    if (this.retainDuplicates) this.seqnum = (this.seqnum + 1) & 0x7fffffff;
    const seq = this.retainDuplicates ? this.seqnum : 0;
    this.ops.push([primaryKey(key, windowStart, seq), timeKey(key, windowStart, seq), value]);
    if (this.ops.length >= MAX_BUFFERED_WRITES) this.flush();
  }

  fetch(key: Buffer, windowStart: number): Buffer | undefined {
    if (windowStart <= this.streamTime - this.retentionMs) return undefined;
    this.flush();
    if (this.retainDuplicates) return this.fetchRange(key, windowStart, windowStart)[0]?.value;
    return this.db(this.byKey).get(primaryKey(key, windowStart, 0)) ?? undefined;
  }

  fetchRange(key: Buffer, timeFrom: number, timeTo: number): WindowBytesEntry[] {
    this.flush();
    const out: WindowBytesEntry[] = [];
    const from = Math.max(timeFrom, this.streamTime - this.retentionMs + 1, 0);
    if (from > timeTo) return out;
    const range = { start: primaryKey(key, from, 0), end: primaryKey(key, timeTo, 0x7fffffff), inclusiveEnd: true };
    for (const entry of this.db(this.byKey).getRange(range)) {
      if (entry.key.length !== key.length + 13) continue; // a longer key that shares this prefix
      out.push({ key, windowStart: readInt64(entry.key, key.length + 1), value: entry.value });
    }
    return out;
  }

  fetchAll(timeFrom: number, timeTo: number): WindowBytesEntry[] {
    this.flush();
    const out: WindowBytesEntry[] = [];
    const from = Math.max(timeFrom, this.streamTime - this.retentionMs + 1, 0);
    if (from > timeTo) return out;
    const byKey = this.db(this.byKey);
    const start = withStart(from);
    const end = withStart(timeTo + 1);
    for (const { key: tk } of this.db(this.byTime).getRange({ start, end })) {
      const windowStart = readInt64(tk, 0);
      const key = Buffer.from(tk.subarray(8, tk.length - 4));
      const value = byKey.get(primaryKey(key, windowStart, tk.readInt32BE(tk.length - 4)));
      if (value !== undefined) out.push({ key, windowStart, value });
    }
    return out;
  }

  protected primaryOfTimeKey(tk: Buffer): Buffer {
    return primaryKey(tk.subarray(8, tk.length - 4), readInt64(tk, 0), tk.readInt32BE(tk.length - 4));
  }
}

function primaryKey(key: Buffer, windowStart: number, seq: number): Buffer {
  const out = Buffer.allocUnsafe(key.length + 13);
  out[0] = 0;
  key.copy(out, 1);
  writeInt64(out, key.length + 1, windowStart);
  out.writeInt32BE(seq, key.length + 9);
  return out;
}

function timeKey(key: Buffer, windowStart: number, seq: number): Buffer {
  const out = Buffer.allocUnsafe(key.length + 12);
  writeInt64(out, 0, windowStart);
  key.copy(out, 8);
  out.writeInt32BE(seq, key.length + 8);
  return out;
}

function withStart(time: number): Buffer {
  const out = Buffer.allocUnsafe(8);
  writeInt64(out, 0, Math.max(0, time));
  return out;
}

/**
 * Session store on lmdb: [0][key][end][start] -> value for one key's
 * sessions, and [end][key][start] for all() and retention.
 */
export class LmdbSessionStore extends TimeIndexedLmdbStore implements SessionBytesStore {
  put(key: Buffer, start: number, end: number, value: Buffer | null): void {
    if (end > this.streamTime) this.streamTime = end;
    if (end <= this.streamTime - this.retentionMs) return;
    this.ops.push([sessionPrimary(key, start, end), sessionTime(key, start, end), value]);
    if (this.ops.length >= MAX_BUFFERED_WRITES) this.flush();
  }

  fetchSession(key: Buffer, start: number, end: number): Buffer | undefined {
    this.flush();
    return this.db(this.byKey).get(sessionPrimary(key, start, end)) ?? undefined;
  }

  findSessions(key: Buffer, earliestSessionEnd: number, latestSessionStart: number): SessionBytesEntry[] {
    this.flush();
    const out: SessionBytesEntry[] = [];
    const minEnd = Math.max(0, earliestSessionEnd, this.streamTime - this.retentionMs + 1);
    const range = {
      start: sessionPrimary(key, 0, minEnd),
      end: sessionPrimary(key, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER),
      inclusiveEnd: true,
    };
    for (const entry of this.db(this.byKey).getRange(range)) {
      if (entry.key.length !== key.length + 17) continue;
      const end = readInt64(entry.key, key.length + 1);
      const start = readInt64(entry.key, key.length + 9);
      if (start <= latestSessionStart) out.push({ key, start, end, value: entry.value });
    }
    return out;
  }

  all(): SessionBytesEntry[] {
    this.flush();
    const out: SessionBytesEntry[] = [];
    const byKey = this.db(this.byKey);
    const minLive = Math.max(0, this.streamTime - this.retentionMs + 1);
    for (const { key: tk } of this.db(this.byTime).getRange({ start: withStart(minLive) })) {
      const end = readInt64(tk, 0);
      const key = Buffer.from(tk.subarray(8, tk.length - 8));
      const start = readInt64(tk, tk.length - 8);
      const value = byKey.get(sessionPrimary(key, start, end));
      if (value !== undefined) out.push({ key, start, end, value });
    }
    return out;
  }

  protected primaryOfTimeKey(tk: Buffer): Buffer {
    return sessionPrimary(tk.subarray(8, tk.length - 8), readInt64(tk, tk.length - 8), readInt64(tk, 0));
  }
}

function sessionPrimary(key: Buffer, start: number, end: number): Buffer {
  const out = Buffer.allocUnsafe(key.length + 17);
  out[0] = 0;
  key.copy(out, 1);
  writeInt64(out, key.length + 1, end);
  writeInt64(out, key.length + 9, start);
  return out;
}

function sessionTime(key: Buffer, start: number, end: number): Buffer {
  const out = Buffer.allocUnsafe(key.length + 16);
  writeInt64(out, 0, end);
  key.copy(out, 8);
  writeInt64(out, key.length + 8, start);
  return out;
}
