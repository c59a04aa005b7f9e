/**
 * Joins, with Kafka Streams' semantics:
 *
 * - stream-stream: each side buffers its records in a window store; a record
 *   joins the other side's records within [t - before, t + after] and the
 *   result takes the larger timestamp. Left/outer results for records that
 *   found no partner are held in a shared "outer" store and emitted only
 *   when their window has closed (stream time > t + after + grace), which is
 *   what ksqlDB relies on; with the legacy window (`JoinWindows.of`) they are
 *   emitted at once.
 * - stream-table: the table is looked up when the stream record arrives;
 *   table updates emit nothing.
 * - table-table: updates on either side emit; deletes emit tombstones when
 *   a result existed.
 *
 * Records with a null key (or a null stream value) cannot join and are
 * skipped with a processing-log entry.
 */
import type { Processor, ProcessorContext } from '../../processor/processor.ts';
import { Record } from '../../processor/record.ts';
import type { KeyValueStore, WindowStore } from '../../state/typed.ts';
import { type Change, change } from '../change.ts';
import type { JoinWindows } from '../windows.ts';
import type { TableNodeState, ValueGetter, ValueGetterSupplier } from './table.ts';

export type ValueJoiner<V1, V2, VR> = (value1: V1 | null, value2: V2 | null, key: unknown) => VR;

/** Puts each record of one side into that side's join buffer, and passes it on to the join. */
export class JoinWindowProcessor<K, V> implements Processor<K, V, K, V> {
  private context!: ProcessorContext<K, V>;
  private store!: WindowStore<K, V>;

  constructor(private readonly storeName: string) {}

  init(context: ProcessorContext<K, V>): void {
    this.context = context;
    this.store = context.getStateStore(this.storeName);
  }

  process(record: Record<K, V>): void {
    if (record.key === null || record.key === undefined) {
      this.context.recordSkipped('null-key', 'joins skip records with a null key');
      return;
    }
    this.context.forward(record);
    this.store.put(record.key, record.value, record.timestamp);
  }
}

/** Stream time across both sides of one stream-stream join, per task. */
export class JoinTimeTracker {
  streamTime = -1;
  minTime = Number.MAX_SAFE_INTEGER;
  nextTimeToEmit = 0;

  advance(timestamp: number): void {
    if (timestamp > this.streamTime) this.streamTime = timestamp;
  }
}

export interface OuterKey<K> {
  readonly timestamp: number;
  readonly leftSide: boolean;
  readonly key: K;
}

export interface OuterValue<V1, V2> {
  readonly left: V1[];
  readonly right: V2[];
}

export class StreamStreamJoinProcessor<K, VThis, VOther, VR> implements Processor<K, VThis, K, VR> {
  private context!: ProcessorContext<K, VR>;
  private otherStore!: WindowStore<K, VOther>;
  private outerStore: KeyValueStore<OuterKey<K>, OuterValue<unknown, unknown>> | null = null;
  private time!: JoinTimeTracker;
  private emitIntervalMs = 0;
  private readonly beforeMs: number;
  private readonly afterMs: number;

  constructor(
    private readonly leftSide: boolean,
    private readonly otherStoreName: string,
    private readonly windows: JoinWindows,
    /** Always called as joiner(left value, right value). */
    private readonly joiner: ValueJoiner<unknown, unknown, VR>,
    /** This side's records are kept when they find no partner (left side of a left join, both sides of an outer join). */
    private readonly outer: boolean,
    private readonly outerStoreName: string | null,
    private readonly tracker: (taskId: string) => JoinTimeTracker,
  ) {
    this.beforeMs = leftSide ? windows.beforeMs : windows.afterMs;
    this.afterMs = leftSide ? windows.afterMs : windows.beforeMs;
  }

  init(context: ProcessorContext<K, VR>): void {
    this.context = context;
    this.otherStore = context.getStateStore(this.otherStoreName);
    this.time = this.tracker(context.taskId);
    if (this.outerStoreName !== null && this.windows.spuriousResultFix) {
      this.outerStore = context.getStateStore(this.outerStoreName);
      this.emitIntervalMs = Number(context.config.outerJoinEmitIntervalMs ?? 0);
    }
  }

  private join(thisValue: unknown, otherValue: unknown, key: K): VR {
    return this.leftSide ? this.joiner(thisValue, otherValue, key) : this.joiner(otherValue, thisValue, key);
  }

  process(record: Record<K, VThis>): void {
    const timestamp = record.timestamp;
    this.time.advance(timestamp);
    if (record.key === null || record.key === undefined || record.value === null || record.value === undefined) {
      this.context.recordSkipped(
        record.key == null ? 'null-key' : 'null-value',
        'stream-stream joins skip records with a null key or value',
      );
      return;
    }
    if (timestamp === this.time.streamTime && this.outerStore !== null) this.emitNonJoined(record);
    const timeFrom = Math.max(0, timestamp - this.beforeMs);
    const timeTo = Math.max(0, timestamp + this.afterMs);
    const matches = this.otherStore.fetchRange(record.key, timeFrom, timeTo);
    for (const other of matches) {
      if (this.outerStore !== null) {
        // The partner now has a match: it must not be emitted as non-joined later.
        const otherKey: OuterKey<K> = { timestamp: other.windowStart, leftSide: !this.leftSide, key: record.key };
        if (this.outerStore.get(otherKey) !== null) this.outerStore.put(otherKey, null);
      }
      this.context.forward(
        record
          .withValue(this.join(record.value, other.value, record.key))
          .withTimestamp(Math.max(timestamp, other.windowStart)),
      );
    }
    if (!this.outer || matches.length > 0) return;
    if (this.outerStore === null || timeTo < this.time.streamTime) {
      this.context.forward(record.withValue(this.join(record.value, null, record.key)));
      return;
    }
    if (timestamp < this.time.minTime) this.time.minTime = timestamp;
    const thisKey: OuterKey<K> = { timestamp, leftSide: this.leftSide, key: record.key };
    const held = this.outerStore.get(thisKey) ?? { left: [], right: [] };
    const updated = this.leftSide
      ? { left: [...held.left, record.value], right: held.right }
      : { left: held.left, right: [...held.right, record.value] };
    this.outerStore.put(thisKey, updated);
  }

  /** Emits held records whose join window has closed, oldest first. */
  private emitNonJoined(record: Record<K, VThis>): void {
    const store = this.outerStore as KeyValueStore<OuterKey<K>, OuterValue<unknown, unknown>>;
    const time = this.time;
    if (time.minTime + this.afterMs + this.windows.graceMs >= time.streamTime) return;
    const now = this.context.currentSystemTimeMs();
    if (now < time.nextTimeToEmit) return;
    time.nextTimeToEmit = now + this.emitIntervalMs;
    time.minTime = Number.MAX_SAFE_INTEGER;
    let leftOpen = false;
    let rightOpen = false;
    for (const entry of store.all()) {
      const outerKey = entry.key;
      time.minTime = outerKey.timestamp;
      if (leftOpen && rightOpen) break;
      // A left record waits `after` for a right partner; a right one waits `before`.
      const lookBack = outerKey.leftSide ? this.windows.afterMs : this.windows.beforeMs;
      if (time.minTime + lookBack + this.windows.graceMs >= time.streamTime) {
        if (outerKey.leftSide) leftOpen = true;
        else rightOpen = true;
        continue;
      }
      for (const value of entry.value.left) {
        this.context.forward(
          record
            .withKey(outerKey.key)
            .withValue(this.joiner(value, null, outerKey.key))
            .withTimestamp(outerKey.timestamp),
        );
      }
      for (const value of entry.value.right) {
        this.context.forward(
          record
            .withKey(outerKey.key)
            .withValue(this.joiner(null, value, outerKey.key))
            .withTimestamp(outerKey.timestamp),
        );
      }
      store.put(outerKey, null);
    }
    if (!leftOpen && !rightOpen) time.minTime = Number.MAX_SAFE_INTEGER;
  }
}

export class StreamTableJoinProcessor<K, V1, V2, VR> implements Processor<K, V1, K, VR> {
  private context!: ProcessorContext<K, VR>;
  private getter!: ValueGetter<K, V2>;

  constructor(
    private readonly tableGetter: ValueGetterSupplier<K, V2>,
    private readonly joiner: ValueJoiner<V1, V2, VR>,
    private readonly leftJoin: boolean,
  ) {}

  init(context: ProcessorContext<K, VR>): void {
    this.context = context;
    this.getter = this.tableGetter.get();
    this.getter.init(context);
  }

  process(record: Record<K, V1>): void {
    if (record.key === null || record.key === undefined || record.value === null || record.value === undefined) {
      this.context.recordSkipped(
        record.key == null ? 'null-key' : 'null-value',
        'stream-table joins skip records with a null key or value',
      );
      return;
    }
    const other = this.getter.get(record.key)?.value ?? null;
    if (this.leftJoin || other !== null)
      this.context.forward(record.withValue(this.joiner(record.value, other, record.key)));
  }
}

export type TableJoinKind = 'inner' | 'left' | 'outer';

/**
 * One side of a table-table join. `thisIsLeft` says whether updates arrive
 * from the left table; the joiner is always called as (left, right).
 * Modes, from this side's point of view: 'inner'; 'preserved' (the left side
 * of a left join: this row survives without a partner); 'dependent' (the
 * right side of a left join: results exist only while the left row does);
 * 'outer'.
 */
export type TableJoinSideMode = 'inner' | 'preserved' | 'dependent' | 'outer';

export class TableTableJoinProcessor<K, VThis, VOther, VR> implements Processor<K, Change<VThis>, K, Change<VR>> {
  private context!: ProcessorContext<K, Change<VR>>;
  private getter!: ValueGetter<K, VOther>;

  constructor(
    private readonly otherGetter: ValueGetterSupplier<K, VOther>,
    private readonly joiner: ValueJoiner<unknown, unknown, VR>,
    private readonly thisIsLeft: boolean,
    private readonly mode: TableJoinSideMode,
    private readonly state: TableNodeState,
  ) {}

  init(context: ProcessorContext<K, Change<VR>>): void {
    this.context = context;
    this.getter = this.otherGetter.get();
    this.getter.init(context);
  }

  private join(thisValue: VThis | null, otherValue: VOther | null, key: K): VR {
    return this.thisIsLeft ? this.joiner(thisValue, otherValue, key) : this.joiner(otherValue, thisValue, key);
  }

  process(record: Record<K, Change<VThis>>): void {
    const key = record.key;
    if (key === null || key === undefined) {
      this.context.recordSkipped('null-key', 'table-table joins skip records with a null key');
      return;
    }
    const other = this.getter.get(key);
    const otherValue = other?.value ?? null;
    const { newValue, oldValue } = record.value;
    const mode = this.mode;
    if (otherValue === null && (mode === 'inner' || mode === 'dependent')) return;
    if (otherValue === null && newValue === null && oldValue === null) return;
    const timestamp = other === null ? record.timestamp : Math.max(record.timestamp, other.timestamp);
    const sendOld = this.state.sendOldValues;
    let joinedNew: VR | null = null;
    let joinedOld: VR | null = null;
    if (mode === 'inner' || mode === 'preserved') {
      if (newValue !== null) joinedNew = this.join(newValue, otherValue, key);
      if (sendOld && oldValue !== null) joinedOld = this.join(oldValue, otherValue, key);
    } else if (mode === 'outer') {
      if (otherValue !== null || newValue !== null) joinedNew = this.join(newValue, otherValue, key);
      if (sendOld && (otherValue !== null || oldValue !== null)) joinedOld = this.join(oldValue, otherValue, key);
    } else {
      // The left row exists, so a deleted right row still yields (left, null).
      joinedNew = this.join(newValue, otherValue, key);
      if (sendOld) joinedOld = this.join(oldValue, otherValue, key);
    }
    this.context.forward(new Record(key, change(joinedNew, joinedOld), timestamp, record.headers));
  }
}

/** Lookups into a join result, composed from both sides' getters. */
export function tableJoinGetter<K, V1, V2, VR>(
  left: ValueGetterSupplier<K, V1>,
  right: ValueGetterSupplier<K, V2>,
  joiner: ValueJoiner<V1, V2, VR>,
  kind: TableJoinKind,
): ValueGetterSupplier<K, VR> {
  return {
    storeNames: [...left.storeNames, ...right.storeNames],
    get: () => {
      const l = left.get();
      const r = right.get();
      return {
        init: (context) => {
          l.init(context);
          r.init(context);
        },
        get: (key) => {
          const lv = l.get(key);
          if (lv === null && kind !== 'outer') return null;
          const rv = r.get(key);
          if (rv === null && kind === 'inner') return null;
          if (lv === null && rv === null) return null;
          return {
            value: joiner(lv?.value ?? null, rv?.value ?? null, key),
            timestamp: Math.max(lv?.timestamp ?? 0, rv?.timestamp ?? 0),
          };
        },
      };
    },
  };
}
