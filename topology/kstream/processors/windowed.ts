/**
 * Windowed aggregations, with Kafka Streams' rules:
 *
 * - time windows: a record updates every window containing it whose end is
 *   after `stream time - grace`; for the other windows it is late and dropped
 *   (so a record is dropped from a window once stream time >= end + grace).
 *   The result timestamp is the largest input timestamp in the window.
 * - session windows: a record merges every session of its key within the
 *   inactivity gap into one; the merged sessions are deleted downstream
 *   (a Change with a null new value) and the new session forwarded, with the
 *   session end as timestamp. Late when the merged session ends before
 *   `stream time - grace - gap`.
 *
 * Stream time here is the largest timestamp this processor has seen.
 */
import type { Processor, ProcessorContext } from '../../processor/processor.ts';
import { Record } from '../../processor/record.ts';
import { type Windowed, windowed } from '../../serde/windowed.ts';
import type { SessionStore, TimestampedWindowStore } from '../../state/typed.ts';
import { type Change, change } from '../change.ts';
import type { SessionWindows, TimeWindows } from '../windows.ts';
import type { Aggregator, Initializer } from './aggregate.ts';
import type { TableNodeState } from './table.ts';

/** Forwards window updates at once, or through the window store's cache when it has one. */
class WindowTupleForwarder<K, V> {
  /** True when updates go downstream on flush: then the processor builds no record for them. */
  readonly cached: boolean;

  constructor(
    store: TimestampedWindowStore<K, V>,
    private readonly context: ProcessorContext<Windowed<K>, Change<V>>,
    sendOldValues: () => boolean,
  ) {
    this.cached = store.setFlushListener(
      (key, newValue, oldValue, timestamp) => {
        context.forward(
          new Record(
            key,
            change(newValue?.value ?? null, sendOldValues() ? (oldValue?.value ?? null) : null),
            timestamp,
          ),
        );
      },
      sendOldValues, // without old values downstream, a flush does not read the values it replaces
    );
  }

  maybeForward(record: Record<Windowed<K>, Change<V>>): void {
    if (!this.cached) this.context.forward(record);
  }
}

export class TimeWindowAggregateProcessor<K, V, VA> implements Processor<K, V, Windowed<K>, Change<VA>> {
  private context!: ProcessorContext<Windowed<K>, Change<VA>>;
  private store!: TimestampedWindowStore<K, VA>;
  private forwarder!: WindowTupleForwarder<K, VA>;
  private observedStreamTime = -1;

  constructor(
    private readonly storeName: string,
    private readonly windows: TimeWindows,
    /** Null for reduce: the first value is the aggregate. */
    private readonly initializer: Initializer<VA> | null,
    private readonly aggregator: Aggregator<K, V, VA>,
    private readonly state: TableNodeState,
  ) {}

  init(context: ProcessorContext<Windowed<K>, Change<VA>>): void {
    this.context = context;
    this.store = context.getStateStore(this.storeName);
    this.forwarder = new WindowTupleForwarder(this.store, context, () => this.state.sendOldValues);
  }

  process(record: Record<K, V>): void {
    const key = record.key;
    if (key === null || key === undefined) {
      this.context.recordSkipped('null-key', 'windowed aggregations skip records with a null key');
      return;
    }
    const timestamp = record.timestamp;
    if (timestamp > this.observedStreamTime) this.observedStreamTime = timestamp;
    const closeTime = this.observedStreamTime - this.windows.graceMs;
    // The windows containing the record, oldest first (without the array windowStartsFor makes).
    const advance = this.windows.advanceMs;
    for (let start = this.windows.firstWindowStart(timestamp); start <= timestamp; start += advance) {
      const end = start + this.windows.sizeMs;
      if (end <= closeTime) {
        this.context.recordSkipped(
          'expired-window',
          `record at ${timestamp} is too late for window [${start},${end}): stream time ${this.observedStreamTime}, grace ${this.windows.graceMs} ms`,
        );
        continue;
      }
      const old = this.store.fetch(key, start);
      let oldAgg: VA | null;
      let newAgg: VA;
      if (old === null) {
        oldAgg = this.initializer === null ? null : this.initializer();
        newAgg = oldAgg === null ? (record.value as unknown as VA) : this.aggregator(key, record.value, oldAgg);
      } else {
        oldAgg = old.value;
        newAgg = this.aggregator(key, record.value, oldAgg);
      }
      const newTimestamp = old === null ? timestamp : Math.max(timestamp, old.timestamp);
      this.store.put(key, { value: newAgg, timestamp: newTimestamp }, start);
      if (this.forwarder.cached) continue;
      this.forwarder.maybeForward(
        new Record(
          windowed(key, start, end),
          change(newAgg, this.state.sendOldValues ? oldAgg : null),
          newTimestamp,
          record.headers,
        ),
      );
    }
  }
}

export type Merger<K, VA> = (key: K, aggregate1: VA, aggregate2: VA) => VA;

export class SessionWindowAggregateProcessor<K, V, VA> implements Processor<K, V, Windowed<K>, Change<VA>> {
  private context!: ProcessorContext<Windowed<K>, Change<VA>>;
  private store!: SessionStore<K, VA>;
  private observedStreamTime = -1;

  constructor(
    private readonly storeName: string,
    private readonly windows: SessionWindows,
    /** Null for reduce. */
    private readonly initializer: Initializer<VA> | null,
    private readonly aggregator: Aggregator<K, V, VA>,
    private readonly merger: Merger<K, VA>,
    private readonly state: TableNodeState,
  ) {}

  init(context: ProcessorContext<Windowed<K>, Change<VA>>): void {
    this.context = context;
    this.store = context.getStateStore(this.storeName);
  }

  process(record: Record<K, V>): void {
    const key = record.key;
    if (key === null || key === undefined) {
      this.context.recordSkipped('null-key', 'session aggregations skip records with a null key');
      return;
    }
    const timestamp = record.timestamp;
    if (timestamp > this.observedStreamTime) this.observedStreamTime = timestamp;
    const closeTime = this.observedStreamTime - this.windows.graceMs - this.windows.gapMs;
    const merged = this.store.findSessions(key, timestamp - this.windows.gapMs, timestamp + this.windows.gapMs);
    let start = timestamp;
    let end = timestamp;
    let agg: VA | null = this.initializer === null ? null : this.initializer();
    for (const session of merged) {
      agg = agg === null ? session.value : this.merger(key, agg, session.value);
      if (session.key.window.start < start) start = session.key.window.start;
      if (session.key.window.end > end) end = session.key.window.end;
    }
    if (end < closeTime) {
      this.context.recordSkipped(
        'expired-window',
        `record at ${timestamp} is too late for session [${start},${end}]: stream time ${this.observedStreamTime}, gap ${this.windows.gapMs} ms, grace ${this.windows.graceMs} ms`,
      );
      return;
    }
    if (start !== timestamp || end !== timestamp) {
      for (const session of merged) {
        this.store.remove(session.key);
        this.context.forward(
          new Record(
            session.key,
            change<VA>(null, this.state.sendOldValues ? session.value : null),
            session.key.window.end,
            record.headers,
          ),
        );
      }
    }
    const newAgg = agg === null ? (record.value as unknown as VA) : this.aggregator(key, record.value, agg);
    const sessionKey = windowed(key, start, end);
    this.store.put(sessionKey, newAgg);
    this.context.forward(new Record(sessionKey, change<VA>(newAgg, null), end, record.headers));
  }
}
