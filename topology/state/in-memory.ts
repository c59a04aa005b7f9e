/**
 * Bytes stores in memory. Each keeps the order Kafka Streams' stores keep
 * (unsigned byte order of keys, then time), and the retention rules of its
 * in-memory window and session stores.
 */

import { KeyIdCache, keyFromId, keyId, lowerBound } from './bytes.ts';
import {
  type BytesEntry,
  type KeyValueBytesStore,
  type SessionBytesEntry,
  type SessionBytesStore,
  StateStoreError,
  type WindowBytesEntry,
  type WindowBytesStore,
} from './store.ts';

/** Stream time before any record, as Kafka's NO_TIMESTAMP. */
const NO_TIMESTAMP = -1;

export class InMemoryKeyValueStore implements KeyValueBytesStore {
  readonly persistent = false;
  private readonly map = new Map<string, Buffer>();
  // Range queries need order; writes must stay O(1). New keys wait in
  // `pending` and are merged into `sorted` when a range query comes.
  private sorted: string[] = [];
  private pending: string[] = [];
  private deletions = 0;
  private open = false;

  constructor(readonly name: string) {}

  init(): void {
    this.open = true;
  }

  /** A get and a put of the same key buffer convert it to a Map key once. */
  private readonly ids = new KeyIdCache();

  get(key: Buffer): Buffer | undefined {
    return this.map.get(this.ids.of(key));
  }

  put(key: Buffer, value: Buffer | null): void {
    const id = this.ids.of(key);
    if (value === null) {
      if (this.map.delete(id)) this.deletions++;
      return;
    }
    const size = this.map.size;
    this.map.set(id, value);
    if (this.map.size !== size) this.pending.push(id); // a new key: one Map operation instead of has() and set()
  }

  range(from: Buffer | null, to: Buffer | null): BytesEntry[] {
    const sorted = this.orderedIds();
    const fromId = from === null ? null : keyId(from);
    const toId = to === null ? null : keyId(to);
    const out: BytesEntry[] = [];
    for (let i = fromId === null ? 0 : lowerBound(sorted, fromId); i < sorted.length; i++) {
      const id = sorted[i] as string;
      if (toId !== null && id > toId) break;
      const value = this.map.get(id);
      if (value !== undefined) out.push({ key: keyFromId(id), value });
    }
    return out;
  }

  prefixScan(prefix: Buffer): BytesEntry[] {
    const sorted = this.orderedIds();
    const prefixId = keyId(prefix);
    const out: BytesEntry[] = [];
    for (let i = lowerBound(sorted, prefixId); i < sorted.length; i++) {
      const id = sorted[i] as string;
      if (!id.startsWith(prefixId)) break;
      const value = this.map.get(id);
      if (value !== undefined) out.push({ key: keyFromId(id), value });
    }
    return out;
  }

  approximateNumEntries(): number {
    return this.map.size;
  }

  flush(): void {}

  close(): void {
    this.open = false;
  }

  get isOpen(): boolean {
    return this.open;
  }

  /** Merges pending keys and drops deleted ones; builds a new array so running iterations keep theirs. */
  private orderedIds(): string[] {
    if (this.pending.length === 0 && this.deletions === 0) return this.sorted;
    const added = this.pending.sort();
    const merged: string[] = [];
    let i = 0;
    let j = 0;
    let last: string | undefined;
    const old = this.sorted;
    while (i < old.length || j < added.length) {
      const next =
        j >= added.length || (i < old.length && (old[i] as string) <= (added[j] as string)) ? old[i++] : added[j++];
      if (next !== last && next !== undefined && this.map.has(next)) merged.push(next);
      last = next;
    }
    this.sorted = merged;
    this.pending = [];
    this.deletions = 0;
    return merged;
  }
}

/** One window start's values: key id -> value (or values, when duplicates are retained). */
type WindowSegment = Map<string, Buffer | Buffer[]>;

export class InMemoryWindowStore implements WindowBytesStore {
  readonly persistent = false;
  private readonly segments = new Map<number, WindowSegment>();
  // The segment used last: records come in time order, so consecutive ones mostly share a window.
  private lastStart = Number.NaN;
  private lastSegment: WindowSegment | undefined = undefined;
  /** A fetch and a put of the same key buffer convert it to a Map key once. */
  private readonly ids = new KeyIdCache();
  private starts: number[] = [];
  private streamTime = NO_TIMESTAMP;

  constructor(
    readonly name: string,
    readonly retentionMs: number,
    readonly retainDuplicates: boolean,
  ) {}

  init(): void {}

  observedStreamTime(): number {
    return this.streamTime;
  }

  put(key: Buffer, value: Buffer | null, windowStart: number): void {
    this.removeExpired();
    if (windowStart > this.streamTime) this.streamTime = windowStart;
    if (windowStart <= this.streamTime - this.retentionMs) return; // expired: Kafka Streams skips it too
    if (this.retainDuplicates && value === null) return;
    const id = this.ids.of(key);
    let segment = this.segment(windowStart);
    if (value === null) {
      segment?.delete(id);
      return;
    }
    if (segment === undefined) {
      segment = new Map();
      this.segments.set(windowStart, segment);
      this.lastStart = windowStart;
      this.lastSegment = segment;
      const at = lowerBound(this.starts, windowStart);
      this.starts.splice(at, 0, windowStart);
    }
    if (this.retainDuplicates) {
      const existing = segment.get(id) as Buffer[] | undefined;
      if (existing === undefined) segment.set(id, [value]);
      else existing.push(value);
    } else {
      segment.set(id, value);
    }
  }

  fetch(key: Buffer, windowStart: number): Buffer | undefined {
    if (windowStart <= this.streamTime - this.retentionMs) return undefined;
    const found = this.segment(windowStart)?.get(this.ids.of(key));
    if (found === undefined) return undefined;
    return Array.isArray(found) ? found[0] : found;
  }

  fetchRange(key: Buffer, timeFrom: number, timeTo: number): WindowBytesEntry[] {
    const out: WindowBytesEntry[] = [];
    const minLive = Math.max(timeFrom, this.streamTime - this.retentionMs + 1);
    if (minLive > timeTo) return out;
    const id = keyId(key);
    const starts = this.starts;
    for (let i = lowerBound(starts, minLive); i < starts.length; i++) {
      const start = starts[i] as number;
      if (start > timeTo) break;
      const found = this.segments.get(start)?.get(id);
      if (found === undefined) continue;
      if (Array.isArray(found)) for (const value of found) out.push({ key, windowStart: start, value });
      else out.push({ key, windowStart: start, value: found });
    }
    return out;
  }

  fetchAll(timeFrom: number, timeTo: number): WindowBytesEntry[] {
    const out: WindowBytesEntry[] = [];
    const minLive = Math.max(timeFrom, this.streamTime - this.retentionMs + 1);
    const starts = this.starts;
    for (let i = lowerBound(starts, minLive); i < starts.length; i++) {
      const start = starts[i] as number;
      if (start > timeTo) break;
      const segment = this.segments.get(start);
      if (segment === undefined) continue;
      for (const id of [...segment.keys()].sort()) {
        const found = segment.get(id) as Buffer | Buffer[];
        const key = keyFromId(id);
        if (Array.isArray(found)) for (const value of found) out.push({ key, windowStart: start, value });
        else out.push({ key, windowStart: start, value: found });
      }
    }
    return out;
  }

  flush(): void {}

  close(): void {
    this.segments.clear();
    this.lastStart = Number.NaN;
    this.lastSegment = undefined;
    this.starts = [];
  }

  private segment(windowStart: number): WindowSegment | undefined {
    if (windowStart !== this.lastStart) {
      this.lastStart = windowStart;
      this.lastSegment = this.segments.get(windowStart);
    }
    return this.lastSegment;
  }

  private removeExpired(): void {
    const minLive = this.streamTime - this.retentionMs + 1;
    let drop = 0;
    while (drop < this.starts.length && (this.starts[drop] as number) < minLive) {
      this.segments.delete(this.starts[drop] as number);
      if (this.starts[drop] === this.lastStart) {
        this.lastStart = Number.NaN;
        this.lastSegment = undefined;
      }
      drop++;
    }
    if (drop > 0) this.starts = this.starts.slice(drop);
  }
}

interface Session {
  readonly start: number;
  readonly end: number;
  value: Buffer;
}

export class InMemorySessionStore implements SessionBytesStore {
  readonly persistent = false;
  /** Per key, sessions ordered by end then start. */
  private readonly byKey = new Map<string, Session[]>();
  private streamTime = NO_TIMESTAMP;
  private sweptAt = NO_TIMESTAMP;

  constructor(
    readonly name: string,
    readonly retentionMs: number,
  ) {}

  init(): void {}

  put(key: Buffer, start: number, end: number, value: Buffer | null): void {
    if (end < start) throw new StateStoreError(`store ${this.name}: session end ${end} is before its start ${start}`);
    if (end > this.streamTime) this.streamTime = end;
    this.maybeSweep();
    if (end <= this.streamTime - this.retentionMs) return;
    const id = keyId(key);
    let sessions = this.byKey.get(id);
    const at = sessions === undefined ? -1 : indexOfSession(sessions, start, end);
    if (value === null) {
      if (sessions !== undefined && at >= 0 && sessions[at]?.start === start && sessions[at]?.end === end) {
        sessions.splice(at, 1);
        if (sessions.length === 0) this.byKey.delete(id);
      }
      return;
    }
    if (sessions === undefined) {
      sessions = [];
      this.byKey.set(id, sessions);
    }
    const position = indexOfSession(sessions, start, end);
    const existing = sessions[position];
    if (existing !== undefined && existing.start === start && existing.end === end) existing.value = value;
    else sessions.splice(position, 0, { start, end, value });
  }

  fetchSession(key: Buffer, start: number, end: number): Buffer | undefined {
    const sessions = this.byKey.get(keyId(key));
    if (sessions === undefined) return undefined;
    const found = sessions[indexOfSession(sessions, start, end)];
    return found !== undefined && found.start === start && found.end === end ? found.value : undefined;
  }

  findSessions(key: Buffer, earliestSessionEnd: number, latestSessionStart: number): SessionBytesEntry[] {
    const out: SessionBytesEntry[] = [];
    const sessions = this.byKey.get(keyId(key));
    if (sessions === undefined) return out;
    const minLive = this.streamTime - this.retentionMs + 1;
    for (const session of sessions) {
      if (session.end < earliestSessionEnd || session.end < minLive || session.start > latestSessionStart) continue;
      out.push({ key, start: session.start, end: session.end, value: session.value });
    }
    return out;
  }

  all(): SessionBytesEntry[] {
    const out: SessionBytesEntry[] = [];
    const minLive = this.streamTime - this.retentionMs + 1;
    for (const id of [...this.byKey.keys()].sort()) {
      const key = keyFromId(id);
      for (const session of this.byKey.get(id) ?? []) {
        if (session.end >= minLive) out.push({ key, start: session.start, end: session.end, value: session.value });
      }
    }
    return out.sort((a, b) => a.end - b.end || Buffer.compare(a.key, b.key) || a.start - b.start);
  }

  flush(): void {}

  close(): void {
    this.byKey.clear();
  }

  /** Expired sessions are invisible at once (reads filter them); memory is reclaimed in sweeps. */
  private maybeSweep(): void {
    const interval = Math.max(1, Math.floor(this.retentionMs / 2));
    if (this.streamTime - this.sweptAt < interval) return;
    this.sweptAt = this.streamTime;
    const minLive = this.streamTime - this.retentionMs + 1;
    for (const [id, sessions] of this.byKey) {
      const live = sessions.filter((s) => s.end >= minLive);
      if (live.length === 0) this.byKey.delete(id);
      else if (live.length !== sessions.length) this.byKey.set(id, live);
    }
  }
}

/** First index whose (end, start) is >= the given one. */
function indexOfSession(sessions: readonly Session[], start: number, end: number): number {
  let lo = 0;
  let hi = sessions.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const s = sessions[mid] as Session;
    if (s.end < end || (s.end === end && s.start < start)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
