/**
 * Grouped aggregations over a key-value store, with Kafka Streams' rules:
 * a stream aggregate skips records with a null key or value; its result
 * timestamp is the largest input timestamp of the group; a table aggregate
 * subtracts the old value and adds the new one, so a row that changes group
 * moves its contribution from one aggregate to the other.
 */
import type { Processor, ProcessorContext } from '../../processor/processor.ts';
import { Record } from '../../processor/record.ts';
import type { TimestampedKeyValueStore } from '../../state/typed.ts';
import { type Change, change } from '../change.ts';
import type { KeyValueMapper } from './stream.ts';
import { makeRecordFrom, type TableNodeState, TupleForwarder } from './table.ts';

export type Initializer<VA> = () => VA;
export type Aggregator<K, V, VA> = (key: K, value: V, aggregate: VA) => VA;
export type Reducer<V> = (aggregate: V, value: V) => V;

/** The store, forwarding and result of the four grouped aggregations (stream or table, aggregate or reduce). */
abstract class GroupedAggregateProcessor<K, VIn, VA> implements Processor<K, VIn, K, Change<VA>> {
  protected context!: ProcessorContext<K, Change<VA>>;
  protected store!: TimestampedKeyValueStore<K, VA>;
  private forwarder!: TupleForwarder<K, VA>;

  constructor(
    private readonly storeName: string,
    private readonly state: TableNodeState,
  ) {}

  init(context: ProcessorContext<K, Change<VA>>): void {
    this.context = context;
    this.store = context.getStateStore(this.storeName);
    this.forwarder = new TupleForwarder(this.store, context, () => this.state.sendOldValues, makeRecordFrom(context));
  }

  abstract process(record: Record<K, VIn>): void;

  /** Stores the new aggregate (null deletes it) and forwards the change, with the old aggregate when asked. */
  protected emit(record: Record<K, VIn>, key: K, newAgg: VA | null, oldAgg: VA | null, timestamp: number): void {
    this.store.put(key, newAgg === null ? null : { value: newAgg, timestamp });
    if (this.forwarder.cached) return; // the cache forwards the update when it flushes
    // One record with the new value and timestamp (withValue().withTimestamp() would make two).
    this.forwarder.maybeForward(
      new Record(record.key, change(newAgg, this.state.sendOldValues ? oldAgg : null), timestamp, record.headers),
    );
  }
}

/** Stream aggregate and reduce: they differ only in where a group starts and how a value is added. */
abstract class StreamFoldProcessor<K, V, VA> extends GroupedAggregateProcessor<K, V, VA> {
  /** The aggregate of a group with no record yet (forwarded as the old value of its first result). */
  protected abstract initial(): VA | null;
  protected abstract add(key: K, value: V, aggregate: VA | null): VA;

  process(record: Record<K, V>): void {
    const key = record.key;
    if (key === null || key === undefined || record.value === null || record.value === undefined) {
      this.context.recordSkipped(
        key === null || key === undefined ? 'null-key' : 'null-value',
        'aggregations skip records with a null key or value',
      );
      return;
    }
    const old = this.store.get(key);
    const oldAgg = old === null ? this.initial() : old.value;
    const timestamp = old === null ? record.timestamp : Math.max(record.timestamp, old.timestamp);
    this.emit(record, key, this.add(key, record.value, oldAgg), oldAgg, timestamp);
  }
}

export class StreamAggregateProcessor<K, V, VA> extends StreamFoldProcessor<K, V, VA> {
  constructor(
    storeName: string,
    private readonly initializer: Initializer<VA>,
    private readonly aggregator: Aggregator<K, V, VA>,
    state: TableNodeState,
  ) {
    super(storeName, state);
  }

  protected initial(): VA {
    return this.initializer();
  }

  protected add(key: K, value: V, aggregate: VA | null): VA {
    return this.aggregator(key, value, aggregate as VA);
  }
}

/** A group starts with its first value. */
export class StreamReduceProcessor<K, V> extends StreamFoldProcessor<K, V, V> {
  constructor(
    storeName: string,
    private readonly reducer: Reducer<V>,
    state: TableNodeState,
  ) {
    super(storeName, state);
  }

  protected initial(): null {
    return null;
  }

  protected add(_key: K, value: V, aggregate: V | null): V {
    return aggregate === null ? value : this.reducer(aggregate, value);
  }
}

/**
 * Table groupBy: maps each update to the new grouping key and value. The old
 * pair goes first (to be subtracted), then the new one (to be added); when
 * both land on the same key they travel as one Change (Kafka Streams 3.5+).
 */
export class TableRepartitionMapProcessor<K, V, KR, VR> implements Processor<K, Change<V>, KR, Change<VR>> {
  private context!: ProcessorContext<KR, Change<VR>>;

  constructor(
    private readonly mapper: KeyValueMapper<K, V, { key: KR; value: VR }>,
    private readonly keysEqual: (a: KR, b: KR) => boolean,
    private readonly singleChangeWhenKeyKept: boolean,
  ) {}

  init(context: ProcessorContext<KR, Change<VR>>): void {
    this.context = context;
  }

  process(record: Record<K, Change<V>>): void {
    if (record.key === null || record.key === undefined) {
      this.context.recordSkipped('null-key', 'table groupBy needs the table key');
      return;
    }
    const newPair = record.value.newValue === null ? null : this.mapper(record.key, record.value.newValue);
    const oldPair = record.value.oldValue === null ? null : this.mapper(record.key, record.value.oldValue);
    const oldOk =
      oldPair !== null &&
      oldPair.key !== null &&
      oldPair.key !== undefined &&
      oldPair.value !== null &&
      oldPair.value !== undefined;
    const newOk =
      newPair !== null &&
      newPair.key !== null &&
      newPair.key !== undefined &&
      newPair.value !== null &&
      newPair.value !== undefined;
    if (this.singleChangeWhenKeyKept && oldOk && newOk && this.keysEqual(oldPair.key, newPair.key)) {
      this.context.forward(record.withKey(oldPair.key).withValue(change(newPair.value, oldPair.value)));
      return;
    }
    if (oldOk) this.context.forward(record.withKey(oldPair.key).withValue(change<VR>(null, oldPair.value)));
    if (newOk) this.context.forward(record.withKey(newPair.key).withValue(change<VR>(newPair.value, null)));
  }
}

/** Table aggregate and reduce: they differ only in how a value is subtracted and added. */
abstract class TableFoldProcessor<K, V, VA> extends GroupedAggregateProcessor<K, Change<V>, VA> {
  protected abstract subtract(key: K, value: V, aggregate: VA): VA;
  protected abstract add(key: K, value: V, aggregate: VA | null): VA;

  process(record: Record<K, Change<V>>): void {
    const key = record.key;
    if (key === null || key === undefined) {
      this.context.recordSkipped('null-key', 'aggregations skip records with a null key');
      return;
    }
    const old = this.store.get(key);
    const oldAgg = old?.value ?? null;
    let timestamp = record.timestamp;
    let agg: VA | null = oldAgg;
    if (record.value.oldValue !== null && oldAgg !== null) {
      agg = this.subtract(key, record.value.oldValue, oldAgg);
      timestamp = Math.max(record.timestamp, old?.timestamp ?? record.timestamp);
    }
    if (record.value.newValue !== null) {
      agg = this.add(key, record.value.newValue, agg);
      if (old !== null) timestamp = Math.max(record.timestamp, old.timestamp);
    }
    this.emit(record, key, agg, oldAgg, timestamp);
  }
}

export class TableAggregateProcessor<K, V, VA> extends TableFoldProcessor<K, V, VA> {
  constructor(
    storeName: string,
    private readonly initializer: Initializer<VA>,
    private readonly adder: Aggregator<K, V, VA>,
    private readonly subtractor: Aggregator<K, V, VA>,
    state: TableNodeState,
  ) {
    super(storeName, state);
  }

  protected subtract(key: K, value: V, aggregate: VA): VA {
    return this.subtractor(key, value, aggregate);
  }

  protected add(key: K, value: V, aggregate: VA | null): VA {
    return this.adder(key, value, aggregate ?? this.initializer());
  }
}

export class TableReduceProcessor<K, V> extends TableFoldProcessor<K, V, V> {
  constructor(
    storeName: string,
    private readonly adder: Reducer<V>,
    private readonly subtractor: Reducer<V>,
    state: TableNodeState,
  ) {
    super(storeName, state);
  }

  protected subtract(_key: K, value: V, aggregate: V): V {
    return this.subtractor(aggregate, value);
  }

  protected add(_key: K, value: V, aggregate: V | null): V {
    return aggregate === null ? value : this.adder(aggregate, value);
  }
}
