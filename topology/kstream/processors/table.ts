/**
 * Table processors: a table is a changelog stream of Change pairs. Each
 * table node can serve lookups through a value getter (its own store when
 * materialized, or its parent's getter with its function applied), and sends
 * old values only when a downstream operator asked for them: the same rules
 * as Kafka Streams' KTableSource, KTableFilter and KTableMapValues.
 */
import type { Processor, ProcessorContext } from '../../processor/processor.ts';
import { Record } from '../../processor/record.ts';
import type { TimestampedKeyValueStore, ValueAndTimestamp } from '../../state/typed.ts';
import { type Change, change } from '../change.ts';
import type { Predicate, ValueMapper } from './stream.ts';

export interface ValueGetter<K, V> {
  init(context: ProcessorContext): void;
  get(key: K): ValueAndTimestamp<V> | null;
}

export interface ValueGetterSupplier<K, V> {
  get(): ValueGetter<K, V>;
  readonly storeNames: readonly string[];
}

/** Mutable per table node until the topology is built; read when processors are created. */
export interface TableNodeState {
  sendOldValues: boolean;
  /** Store holding this node's current values, when materialized. */
  storeName: string | null;
}

export function storeGetter<K, V>(storeName: string): ValueGetterSupplier<K, V> {
  return {
    storeNames: [storeName],
    get: () => {
      let store: TimestampedKeyValueStore<K, V>;
      return {
        init: (context) => {
          store = context.getStateStore(storeName);
        },
        get: (key) => store.get(key),
      };
    },
  };
}

/**
 * Forwards a table update: through the store's cache when it has one (the
 * cache's flush forwards the coalesced update), else at once.
 */
export class TupleForwarder<K, V> {
  /** True when updates go downstream on flush: then callers need build no record for maybeForward. */
  readonly cached: boolean;

  constructor(
    store: TimestampedKeyValueStore<K, V> | null,
    private readonly context: ProcessorContext<K, Change<V>>,
    private readonly sendOldValues: () => boolean,
    makeRecord: (key: K, value: Change<V>, timestamp: number) => Record<K, Change<V>>,
  ) {
    this.cached =
      store?.setFlushListener((key, newValue, oldValue, timestamp) => {
        context.forward(
          makeRecord(
            key,
            change(newValue?.value ?? null, this.sendOldValues() ? (oldValue?.value ?? null) : null),
            timestamp,
          ),
        );
      }) ?? false;
  }

  maybeForward(record: Record<K, Change<V>>): void {
    if (!this.cached) this.context.forward(record);
  }
}

/** A table node that keeps its values in a store when materialized (state.storeName), else only forwards. */
abstract class TableNodeProcessor<K, VIn, V> implements Processor<K, VIn, K, Change<V>> {
  protected context!: ProcessorContext<K, Change<V>>;
  protected store: TimestampedKeyValueStore<K, V> | null = null;
  protected forwarder!: TupleForwarder<K, V>;

  constructor(protected readonly state: TableNodeState) {}

  init(context: ProcessorContext<K, Change<V>>): void {
    this.context = context;
    if (this.state.storeName !== null) this.store = context.getStateStore(this.state.storeName);
    this.forwarder = new TupleForwarder(this.store, context, () => this.state.sendOldValues, makeRecordFrom(context));
  }

  abstract process(record: Record<K, VIn>): void;

  /** Stores the new value when materialized (the cache may forward it later), and forwards the change. */
  protected update(record: Record<K, VIn>, newValue: V | null, oldValue: V | null): void {
    if (this.store !== null) {
      this.store.put(record.key, newValue === null ? null : { value: newValue, timestamp: record.timestamp });
      if (!this.forwarder.cached) this.forwarder.maybeForward(record.withValue(change(newValue, oldValue)));
    } else {
      this.context.forward(record.withValue(change(newValue, oldValue)));
    }
  }
}

export class TableSourceProcessor<K, V> extends TableNodeProcessor<K, V, V> {
  process(record: Record<K, V>): void {
    if (record.key === null || record.key === undefined) {
      this.context.recordSkipped('null-key', 'table records need a key');
      return;
    }
    if (this.store === null) {
      this.context.forward(record.withValue(change(record.value, null)));
      return;
    }
    const old = this.store.get(record.key);
    this.store.put(record.key, record.value === null ? null : { value: record.value, timestamp: record.timestamp });
    if (this.forwarder.cached) return; // the cache forwards the update when it flushes
    this.forwarder.maybeForward(
      record.withValue(change(record.value, this.state.sendOldValues ? (old?.value ?? null) : null)),
    );
  }
}

/** Builds a forwardable record outside process() (cache flushes), carrying the flushed timestamp. */
export function makeRecordFrom<K, V>(_context: ProcessorContext<K, Change<V>>) {
  return (key: K, value: Change<V>, timestamp: number) => new Record(key, value, timestamp);
}

export class TableFilterProcessor<K, V> extends TableNodeProcessor<K, Change<V>, V> {
  constructor(
    private readonly predicate: Predicate<K, V>,
    private readonly negate: boolean,
    state: TableNodeState,
  ) {
    super(state);
  }

  private compute(key: K, value: V | null): V | null {
    return value !== null && this.predicate(key, value) !== this.negate ? value : null;
  }

  process(record: Record<K, Change<V>>): void {
    const key = record.key;
    const newValue = this.compute(key, record.value.newValue);
    const oldValue = this.state.sendOldValues ? this.compute(key, record.value.oldValue) : null;
    // Without old values the filter cannot know whether the key passed before,
    // so it forwards a delete for every rejected update (as Kafka Streams does).
    if (this.state.sendOldValues && oldValue === null && newValue === null) return;
    this.update(record, newValue, oldValue);
  }
}

export function filterGetter<K, V>(
  parent: ValueGetterSupplier<K, V>,
  predicate: Predicate<K, V>,
  negate: boolean,
): ValueGetterSupplier<K, V> {
  return derivedGetter(parent, (key, found) => (predicate(key, found.value) !== negate ? found : null));
}

/** Lookups through the parent's getter with this node's function applied to what it finds. */
function derivedGetter<K, V, VR>(
  parent: ValueGetterSupplier<K, V>,
  apply: (key: K, found: ValueAndTimestamp<V>) => ValueAndTimestamp<VR> | null,
): ValueGetterSupplier<K, VR> {
  return {
    storeNames: parent.storeNames,
    get: () => {
      const inner = parent.get();
      return {
        init: (context) => inner.init(context),
        get: (key) => {
          const found = inner.get(key);
          return found === null ? null : apply(key, found);
        },
      };
    },
  };
}

export class TableMapValuesProcessor<K, V, VR> extends TableNodeProcessor<K, Change<V>, VR> {
  constructor(
    private readonly mapper: ValueMapper<K, V, VR>,
    state: TableNodeState,
  ) {
    super(state);
  }

  process(record: Record<K, Change<V>>): void {
    const key = record.key;
    const newValue = record.value.newValue === null ? null : this.mapper(record.value.newValue, key);
    const oldValue =
      this.state.sendOldValues && record.value.oldValue !== null ? this.mapper(record.value.oldValue, key) : null;
    this.update(record, newValue, oldValue);
  }
}

export function mapValuesGetter<K, V, VR>(
  parent: ValueGetterSupplier<K, V>,
  mapper: ValueMapper<K, V, VR>,
): ValueGetterSupplier<K, VR> {
  return derivedGetter(parent, (key, found) => ({ value: mapper(found.value, key), timestamp: found.timestamp }));
}

/** toStream(): the new value of each update; deletes become tombstones. */
export class TableToStreamProcessor<K, V> implements Processor<K, Change<V>, K, V | null> {
  private context!: ProcessorContext<K, V | null>;

  init(context: ProcessorContext<K, V | null>): void {
    this.context = context;
  }

  process(record: Record<K, Change<V>>): void {
    this.context.forward(record.withValue(record.value.newValue));
  }
}
