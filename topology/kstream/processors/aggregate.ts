/**
 * Grouped aggregations over a key-value store, with Kafka Streams' rules:
 * a stream aggregate skips records with a null key or value; its result
 * timestamp is the largest input timestamp of the group; a table aggregate
 * subtracts the old value and adds the new one, so a row that changes group
 * moves its contribution from one aggregate to the other.
 */
import type { Processor, ProcessorContext } from '../../processor/processor.ts';
import type { Record } from '../../processor/record.ts';
import type { TimestampedKeyValueStore } from '../../state/typed.ts';
import { type Change, change } from '../change.ts';
import type { KeyValueMapper } from './stream.ts';
import { makeRecordFrom, type TableNodeState, TupleForwarder } from './table.ts';

export type Initializer<VA> = () => VA;
export type Aggregator<K, V, VA> = (key: K, value: V, aggregate: VA) => VA;
export type Reducer<V> = (aggregate: V, value: V) => V;

export class StreamAggregateProcessor<K, V, VA> implements Processor<K, V, K, Change<VA>> {
  private context!: ProcessorContext<K, Change<VA>>;
  private store!: TimestampedKeyValueStore<K, VA>;
  private forwarder!: TupleForwarder<K, VA>;

  constructor(
    private readonly storeName: string,
    private readonly initializer: Initializer<VA>,
    private readonly aggregator: Aggregator<K, V, VA>,
    private readonly state: TableNodeState,
  ) {}

  init(context: ProcessorContext<K, Change<VA>>): void {
    this.context = context;
    this.store = context.getStateStore(this.storeName);
    this.forwarder = new TupleForwarder(this.store, context, () => this.state.sendOldValues, makeRecordFrom(context));
  }

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
    const oldAgg = old === null ? this.initializer() : old.value;
    const timestamp = old === null ? record.timestamp : Math.max(record.timestamp, old.timestamp);
    const newAgg = this.aggregator(key, record.value, oldAgg);
    this.store.put(key, { value: newAgg, timestamp });
    this.forwarder.maybeForward(
      record.withValue(change(newAgg, this.state.sendOldValues ? oldAgg : null)).withTimestamp(timestamp),
    );
  }
}

export class StreamReduceProcessor<K, V> implements Processor<K, V, K, Change<V>> {
  private context!: ProcessorContext<K, Change<V>>;
  private store!: TimestampedKeyValueStore<K, V>;
  private forwarder!: TupleForwarder<K, V>;

  constructor(
    private readonly storeName: string,
    private readonly reducer: Reducer<V>,
    private readonly state: TableNodeState,
  ) {}

  init(context: ProcessorContext<K, Change<V>>): void {
    this.context = context;
    this.store = context.getStateStore(this.storeName);
    this.forwarder = new TupleForwarder(this.store, context, () => this.state.sendOldValues, makeRecordFrom(context));
  }

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
    const newAgg = old === null ? record.value : this.reducer(old.value, record.value);
    const timestamp = old === null ? record.timestamp : Math.max(record.timestamp, old.timestamp);
    this.store.put(key, { value: newAgg, timestamp });
    this.forwarder.maybeForward(
      record.withValue(change(newAgg, this.state.sendOldValues ? (old?.value ?? null) : null)).withTimestamp(timestamp),
    );
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

export class TableAggregateProcessor<K, V, VA> implements Processor<K, Change<V>, K, Change<VA>> {
  private context!: ProcessorContext<K, Change<VA>>;
  private store!: TimestampedKeyValueStore<K, VA>;
  private forwarder!: TupleForwarder<K, VA>;

  constructor(
    private readonly storeName: string,
    private readonly initializer: Initializer<VA>,
    private readonly adder: Aggregator<K, V, VA>,
    private readonly subtractor: Aggregator<K, V, VA>,
    private readonly state: TableNodeState,
  ) {}

  init(context: ProcessorContext<K, Change<VA>>): void {
    this.context = context;
    this.store = context.getStateStore(this.storeName);
    this.forwarder = new TupleForwarder(this.store, context, () => this.state.sendOldValues, makeRecordFrom(context));
  }

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
      agg = this.subtractor(key, record.value.oldValue, oldAgg);
      timestamp = Math.max(record.timestamp, old?.timestamp ?? record.timestamp);
    }
    if (record.value.newValue !== null) {
      agg = this.adder(key, record.value.newValue, agg ?? this.initializer());
      if (old !== null) timestamp = Math.max(record.timestamp, old.timestamp);
    }
    this.store.put(key, agg === null ? null : { value: agg, timestamp });
    this.forwarder.maybeForward(
      record.withValue(change(agg, this.state.sendOldValues ? oldAgg : null)).withTimestamp(timestamp),
    );
  }
}

export class TableReduceProcessor<K, V> implements Processor<K, Change<V>, K, Change<V>> {
  private context!: ProcessorContext<K, Change<V>>;
  private store!: TimestampedKeyValueStore<K, V>;
  private forwarder!: TupleForwarder<K, V>;

  constructor(
    private readonly storeName: string,
    private readonly adder: Reducer<V>,
    private readonly subtractor: Reducer<V>,
    private readonly state: TableNodeState,
  ) {}

  init(context: ProcessorContext<K, Change<V>>): void {
    this.context = context;
    this.store = context.getStateStore(this.storeName);
    this.forwarder = new TupleForwarder(this.store, context, () => this.state.sendOldValues, makeRecordFrom(context));
  }

  process(record: Record<K, Change<V>>): void {
    const key = record.key;
    if (key === null || key === undefined) {
      this.context.recordSkipped('null-key', 'aggregations skip records with a null key');
      return;
    }
    const old = this.store.get(key);
    const oldAgg = old?.value ?? null;
    let timestamp = record.timestamp;
    let agg: V | null = oldAgg;
    if (record.value.oldValue !== null && oldAgg !== null) {
      agg = this.subtractor(oldAgg, record.value.oldValue);
      timestamp = Math.max(record.timestamp, old?.timestamp ?? record.timestamp);
    }
    if (record.value.newValue !== null) {
      agg = agg === null ? record.value.newValue : this.adder(agg, record.value.newValue);
      if (old !== null) timestamp = Math.max(record.timestamp, old.timestamp);
    }
    this.store.put(key, agg === null ? null : { value: agg, timestamp });
    this.forwarder.maybeForward(
      record.withValue(change(agg, this.state.sendOldValues ? oldAgg : null)).withTimestamp(timestamp),
    );
  }
}
