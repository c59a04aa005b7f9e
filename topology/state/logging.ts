/**
 * Change-logging wrappers: write through to the bytes store and append the
 * change to the store's changelog, in Kafka Streams' changelog formats:
 *
 *   key-value:  key = key bytes;                       value = value bytes
 *   window:     key = [key][window start][seqnum];    value = value bytes
 *   session:    key = [key][session end][session start]; value = value bytes
 *
 * A timestamped store keeps [timestamp: int64][value] in the bytes store; its
 * changelog carries the plain value with the record timestamp set to that
 * timestamp, which is how it is restored.
 */
import { readInt64 } from '../serde/serde.ts';
import { parseSessionStoreKey, parseWindowStoreKey, sessionStoreKey, windowStoreKey, withTimestamp } from './bytes.ts';
import { type ChangelogWriter, changelogTopic } from './changelog.ts';
import type {
  BytesEntry,
  KeyValueBytesStore,
  SessionBytesEntry,
  SessionBytesStore,
  StoreContext,
  WindowBytesEntry,
  WindowBytesStore,
} from './store.ts';

abstract class Logged<S extends KeyValueBytesStore | WindowBytesStore | SessionBytesStore> {
  protected writer: ChangelogWriter | null = null;
  protected topic = '';
  protected partition = 0;
  protected context: StoreContext | null = null;

  constructor(
    protected readonly inner: S,
    protected readonly timestamped: boolean,
  ) {}

  get name(): string {
    return this.inner.name;
  }

  get persistent(): boolean {
    return this.inner.persistent;
  }

  init(context: StoreContext): void {
    this.inner.init(context);
    this.context = context;
    this.writer = context.changelog;
    this.topic = changelogTopic(context.applicationId, this.inner.name);
    this.partition = context.partition;
  }

  flush(): void {
    this.inner.flush();
  }

  close(): void {
    this.inner.close();
  }

  protected log(key: Buffer, value: Buffer | null): void {
    if (this.writer === null) return;
    if (this.timestamped && value !== null) {
      if (this.writer.logTimestamped !== undefined) this.writer.logTimestamped(this.topic, this.partition, key, value);
      else this.writer.log(this.topic, this.partition, key, value.subarray(8), readInt64(value, 0));
    } else {
      this.writer.log(this.topic, this.partition, key, value, this.context?.recordTimestamp() ?? 0);
    }
  }

  /** The bytes-store value for a changelog value: timestamped stores get their timestamp back. */
  protected stored(value: Buffer | null, timestamp: number): Buffer | null {
    if (value === null || !this.timestamped) return value;
    return Buffer.concat([withTimestamp(EMPTY, timestamp), value]);
  }
}

const EMPTY = Buffer.alloc(0);

export class LoggedKeyValueStore extends Logged<KeyValueBytesStore> implements KeyValueBytesStore {
  get(key: Buffer): Buffer | undefined {
    return this.inner.get(key);
  }

  put(key: Buffer, value: Buffer | null): void {
    this.inner.put(key, value);
    this.log(key, value);
  }

  range(from: Buffer | null, to: Buffer | null): Iterable<BytesEntry> {
    return this.inner.range(from, to);
  }

  prefixScan(prefix: Buffer): Iterable<BytesEntry> {
    return this.inner.prefixScan(prefix);
  }

  approximateNumEntries(): number {
    return this.inner.approximateNumEntries();
  }

  restore(key: Buffer, value: Buffer | null, timestamp: number): void {
    this.inner.put(key, this.stored(value, timestamp));
  }
}

export class LoggedWindowStore extends Logged<WindowBytesStore> implements WindowBytesStore {
  private seqnum = 0;

  get retentionMs(): number {
    return this.inner.retentionMs;
  }

  get retainDuplicates(): boolean {
    return this.inner.retainDuplicates;
  }

  observedStreamTime(): number {
    return this.inner.observedStreamTime();
  }

  put(key: Buffer, value: Buffer | null, windowStart: number): void {
    this.inner.put(key, value, windowStart);
    if (this.inner.retainDuplicates) {
      if (value === null) return;
      this.seqnum = (this.seqnum + 1) & 0x7fffffff;
    }
    const seqnum = this.inner.retainDuplicates ? this.seqnum : 0;
    const writer = this.writer;
    if (this.timestamped && value !== null && writer?.logTimestampedWindow !== undefined) {
      writer.logTimestampedWindow(this.topic, this.partition, key, windowStart, seqnum, value);
      return;
    }
    this.log(windowStoreKey(key, windowStart, seqnum), value);
  }

  fetch(key: Buffer, windowStart: number): Buffer | undefined {
    return this.inner.fetch(key, windowStart);
  }

  fetchRange(key: Buffer, timeFrom: number, timeTo: number): Iterable<WindowBytesEntry> {
    return this.inner.fetchRange(key, timeFrom, timeTo);
  }

  fetchAll(timeFrom: number, timeTo: number): Iterable<WindowBytesEntry> {
    return this.inner.fetchAll(timeFrom, timeTo);
  }

  restore(key: Buffer, value: Buffer | null, timestamp: number): void {
    const parsed = parseWindowStoreKey(key);
    this.inner.put(Buffer.from(parsed.key), this.stored(value, timestamp), parsed.windowStart);
  }
}

export class LoggedSessionStore extends Logged<SessionBytesStore> implements SessionBytesStore {
  get retentionMs(): number {
    return this.inner.retentionMs;
  }

  put(key: Buffer, start: number, end: number, value: Buffer | null): void {
    this.inner.put(key, start, end, value);
    this.log(sessionStoreKey(key, start, end), value);
  }

  fetchSession(key: Buffer, start: number, end: number): Buffer | undefined {
    return this.inner.fetchSession(key, start, end);
  }

  findSessions(key: Buffer, earliestSessionEnd: number, latestSessionStart: number): Iterable<SessionBytesEntry> {
    return this.inner.findSessions(key, earliestSessionEnd, latestSessionStart);
  }

  all(): Iterable<SessionBytesEntry> {
    return this.inner.all();
  }

  restore(key: Buffer, value: Buffer | null): void {
    const parsed = parseSessionStoreKey(key);
    this.inner.put(Buffer.from(parsed.key), parsed.start, parsed.end, value);
  }
}
