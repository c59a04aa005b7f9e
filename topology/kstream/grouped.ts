/**
 * Grouped streams and tables, and their windowed forms: count, reduce and
 * aggregate. A grouped stream whose key changed is repartitioned (topic
 * `<grouped name or store name>-repartition`) before its aggregation; a
 * grouped table always is, carrying Change pairs.
 */
import type { ProcessorSupplier } from '../processor/processor.ts';
import { type Serde, Serdes } from '../serde/serde.ts';
import { sessionWindowedSerde, timeWindowedSerde, type Windowed } from '../serde/windowed.ts';
import type { StateStore } from '../state/store.ts';
import type { StoreBuilder } from '../state/stores.ts';
import { Stores } from '../state/stores.ts';
import { type Change, changeSerde } from './change.ts';
import type { BuilderState } from './internal.ts';
import type { KStream } from './kstream.ts';
import { KTable, type WindowInfo, windowStoreGetter } from './ktable.ts';
import type { Materialized, Named } from './options.ts';
import {
  type Aggregator,
  type Initializer,
  type Reducer,
  StreamAggregateProcessor,
  StreamReduceProcessor,
  TableAggregateProcessor,
  TableReduceProcessor,
} from './processors/aggregate.ts';
import { storeGetter, type TableNodeState, type ValueGetterSupplier } from './processors/table.ts';
import { type Merger, SessionWindowAggregateProcessor, TimeWindowAggregateProcessor } from './processors/windowed.ts';
import type { SessionWindows, TimeWindows } from './windows.ts';

const count = (): number => 0;
const increment = (_k: unknown, _v: unknown, agg: number): number => agg + 1;
const decrement = (_k: unknown, _v: unknown, agg: number): number => agg - 1;

export class KGroupedStream<K, V> {
  /** @internal */
  constructor(
    private readonly b: BuilderState,
    private readonly stream: KStream<K, V>,
    private readonly keySerde: Serde<K> | null,
    private readonly valueSerde: Serde<V> | null,
    private readonly repartitionName: string | null,
  ) {}

  count(materialized: Materialized<K, number> & Named = {}): KTable<K, number> {
    return this.aggregate(count, increment, { valueSerde: Serdes.Long(), ...materialized });
  }

  reduce(reducer: Reducer<V>, materialized: Materialized<K, V> & Named = {}): KTable<K, V> {
    return this.doAggregate(
      'KSTREAM-REDUCE-',
      materialized,
      this.valueSerde,
      (storeName, state) => () => new StreamReduceProcessor<K, V>(storeName, reducer, state),
    );
  }

  aggregate<VA>(
    initializer: Initializer<VA>,
    aggregator: Aggregator<K, V, VA>,
    materialized: Materialized<K, VA> & Named = {},
  ): KTable<K, VA> {
    return this.doAggregate(
      'KSTREAM-AGGREGATE-',
      materialized,
      null,
      (storeName, state) => () => new StreamAggregateProcessor<K, V, VA>(storeName, initializer, aggregator, state),
    );
  }

  windowedBy(windows: TimeWindows): TimeWindowedKStream<K, V>;
  windowedBy(windows: SessionWindows): SessionWindowedKStream<K, V>;
  windowedBy(windows: TimeWindows | SessionWindows): TimeWindowedKStream<K, V> | SessionWindowedKStream<K, V> {
    return 'sizeMs' in windows ? new TimeWindowedKStream(this, windows) : new SessionWindowedKStream(this, windows);
  }

  /** @internal The node aggregations hang from: the stream, repartitioned if its key changed. */
  input(storeName: string): { node: string; keySerde: Serde<K>; sourceTopics: readonly string[] } {
    const base = this.repartitionName ?? storeName;
    const stream = this.stream.partitioned(base, this.repartitionName !== null, this.keySerde, this.valueSerde);
    return {
      node: stream.node,
      keySerde: this.b.keySerde(this.keySerde ?? stream.keySerde, `aggregation ${storeName}`),
      sourceTopics: stream.sourceTopics,
    };
  }

  /**
   * @internal Names an aggregation of this stream (store first, then the
   * repartition if any, then the node, as Kafka Streams numbers them) and
   * resolves its serdes.
   */
  target<VA>(
    prefix: string,
    materialized: Materialized<K, VA> & Named,
    defaultValueSerde: Serde<VA> | null,
    what: string,
  ): AggregationTarget<K, VA> {
    const storeName = materialized.storeName ?? this.b.newName(`${prefix.slice(0, -1)}-STATE-STORE-`);
    const { node, keySerde, sourceTopics } = this.input(storeName);
    const name = materialized.name ?? this.b.newName(prefix);
    const valueSerde = this.b.valueSerde(materialized.valueSerde ?? defaultValueSerde, `${what} ${name}`);
    return { storeName, name, node, keySerde, valueSerde, sourceTopics };
  }

  /** @internal */
  get builder(): BuilderState {
    return this.b;
  }

  /** @internal */
  get groupValueSerde(): Serde<V> | null {
    return this.valueSerde;
  }

  private doAggregate<VA>(
    prefix: string,
    materialized: Materialized<K, VA> & Named,
    defaultValueSerde: Serde<VA> | null | undefined,
    supplier: (storeName: string, state: TableNodeState) => ProcessorSupplier<K, V, K, Change<VA>>,
  ): KTable<K, VA> {
    const t = this.target(prefix, materialized, (defaultValueSerde as Serde<VA> | null) ?? null, 'aggregation');
    const state: TableNodeState = { sendOldValues: false, storeName: t.storeName };
    const store = this.b.keyValueStore(t.storeName, materialized.keySerde ?? t.keySerde, t.valueSerde, materialized);
    return aggregateTable(this.b, t.name, t.node, supplier(t.storeName, state), store, {
      keySerde: t.keySerde,
      valueSerde: t.valueSerde,
      sourceTopics: t.sourceTopics,
      state,
      getter: () => storeGetter(t.storeName),
    });
  }
}

export class TimeWindowedKStream<K, V> {
  /** @internal */
  constructor(
    private readonly grouped: KGroupedStream<K, V>,
    private readonly windows: TimeWindows,
  ) {}

  count(materialized: Materialized<K, number> & Named = {}): KTable<Windowed<K>, number> {
    return this.aggregate(count, increment, { valueSerde: Serdes.Long(), ...materialized });
  }

  reduce(reducer: Reducer<V>, materialized: Materialized<K, V> & Named = {}): KTable<Windowed<K>, V> {
    return this.doAggregate<V>('KSTREAM-REDUCE-', materialized, this.grouped.groupValueSerde, null, (_k, v, agg) =>
      reducer(agg, v),
    );
  }

  aggregate<VA>(
    initializer: Initializer<VA>,
    aggregator: Aggregator<K, V, VA>,
    materialized: Materialized<K, VA> & Named = {},
  ): KTable<Windowed<K>, VA> {
    return this.doAggregate('KSTREAM-AGGREGATE-', materialized, null, initializer, aggregator);
  }

  private doAggregate<VA>(
    prefix: string,
    materialized: Materialized<K, VA> & Named,
    defaultValueSerde: Serde<VA> | null,
    initializer: Initializer<VA> | null,
    aggregator: Aggregator<K, V, VA>,
  ): KTable<Windowed<K>, VA> {
    const windows = this.windows;
    const { storeName, name, node, keySerde, valueSerde, sourceTopics } = this.grouped.target(
      prefix,
      materialized,
      defaultValueSerde,
      'windowed aggregation',
    );
    const retention = Math.max(materialized.retentionMs ?? 0, windows.sizeMs + windows.graceMs);
    const supplier = materialized.persistent
      ? Stores.persistentWindowStore(storeName, retention, windows.sizeMs, false)
      : Stores.inMemoryWindowStore(storeName, retention, windows.sizeMs, false);
    const store = Stores.timestampedWindowStoreBuilder(supplier, materialized.keySerde ?? keySerde, valueSerde);
    if (materialized.caching !== false) store.withCachingEnabled();
    if (materialized.logging === false) store.withLoggingDisabled();
    const state: TableNodeState = { sendOldValues: false, storeName };
    return aggregateTable(
      this.grouped.builder,
      name,
      node,
      () => new TimeWindowAggregateProcessor<K, V, VA>(storeName, windows, initializer, aggregator, state),
      store as unknown as StoreBuilder<StateStore>,
      {
        keySerde: timeWindowedSerde(keySerde, windows.sizeMs),
        valueSerde,
        sourceTopics,
        state,
        getter: () => windowStoreGetter<K, VA>(storeName),
        windowInfo: { closeAfterMs: windows.graceMs },
      },
    );
  }
}

export class SessionWindowedKStream<K, V> {
  /** @internal */
  constructor(
    private readonly grouped: KGroupedStream<K, V>,
    private readonly windows: SessionWindows,
  ) {}

  count(materialized: Materialized<K, number> & Named = {}): KTable<Windowed<K>, number> {
    return this.aggregate(count, increment, (_k, a, b) => a + b, { valueSerde: Serdes.Long(), ...materialized });
  }

  reduce(reducer: Reducer<V>, materialized: Materialized<K, V> & Named = {}): KTable<Windowed<K>, V> {
    return this.doAggregate<V>(
      'KSTREAM-REDUCE-',
      materialized,
      this.grouped.groupValueSerde,
      null,
      (_k, v, agg) => reducer(agg, v),
      (_k, a, b) => reducer(a, b),
    );
  }

  aggregate<VA>(
    initializer: Initializer<VA>,
    aggregator: Aggregator<K, V, VA>,
    merger: Merger<K, VA>,
    materialized: Materialized<K, VA> & Named = {},
  ): KTable<Windowed<K>, VA> {
    return this.doAggregate('KSTREAM-AGGREGATE-', materialized, null, initializer, aggregator, merger);
  }

  private doAggregate<VA>(
    prefix: string,
    materialized: Materialized<K, VA> & Named,
    defaultValueSerde: Serde<VA> | null,
    initializer: Initializer<VA> | null,
    aggregator: Aggregator<K, V, VA>,
    merger: Merger<K, VA>,
  ): KTable<Windowed<K>, VA> {
    const windows = this.windows;
    const { storeName, name, node, keySerde, valueSerde, sourceTopics } = this.grouped.target(
      prefix,
      materialized,
      defaultValueSerde,
      'session aggregation',
    );
    const retention = Math.max(materialized.retentionMs ?? 0, windows.gapMs + windows.graceMs);
    const supplier = materialized.persistent
      ? Stores.persistentSessionStore(storeName, retention)
      : Stores.inMemorySessionStore(storeName, retention);
    const store = Stores.sessionStoreBuilder(supplier, materialized.keySerde ?? keySerde, valueSerde);
    if (materialized.logging === false) store.withLoggingDisabled();
    const state: TableNodeState = { sendOldValues: false, storeName };
    return aggregateTable(
      this.grouped.builder,
      name,
      node,
      () => new SessionWindowAggregateProcessor<K, V, VA>(storeName, windows, initializer, aggregator, merger, state),
      store as unknown as StoreBuilder<StateStore>,
      {
        keySerde: sessionWindowedSerde(keySerde),
        valueSerde,
        sourceTopics,
        state,
        getter: () => {
          throw new Error(`session aggregation ${name} cannot be looked up by key yet`);
        },
        windowInfo: { closeAfterMs: windows.gapMs + windows.graceMs },
      },
    );
  }
}

export class KGroupedTable<K, V> {
  /** @internal */
  constructor(
    private readonly b: BuilderState,
    private readonly node: string,
    private readonly keySerde: Serde<K>,
    private readonly valueSerde: Serde<V> | null,
    private readonly repartitionName: string | null,
  ) {}

  count(materialized: Materialized<K, number> & Named = {}): KTable<K, number> {
    return this.aggregate(count, increment, decrement, { valueSerde: Serdes.Long(), ...materialized });
  }

  reduce(adder: Reducer<V>, subtractor: Reducer<V>, materialized: Materialized<K, V> & Named = {}): KTable<K, V> {
    return this.doAggregate(
      'KTABLE-REDUCE-',
      materialized,
      this.valueSerde,
      (storeName, state) => () => new TableReduceProcessor<K, V>(storeName, adder, subtractor, state),
    );
  }

  /** `adder` folds in a row's new value, `subtractor` takes out its old one. */
  aggregate<VA>(
    initializer: Initializer<VA>,
    adder: Aggregator<K, V, VA>,
    subtractor: Aggregator<K, V, VA>,
    materialized: Materialized<K, VA> & Named = {},
  ): KTable<K, VA> {
    return this.doAggregate(
      'KTABLE-AGGREGATE-',
      materialized,
      null,
      (storeName, state) => () =>
        new TableAggregateProcessor<K, V, VA>(storeName, initializer, adder, subtractor, state),
    );
  }

  private doAggregate<VA>(
    prefix: string,
    materialized: Materialized<K, VA> & Named,
    defaultValueSerde: Serde<VA> | null,
    supplier: (storeName: string, state: TableNodeState) => ProcessorSupplier<K, Change<V>, K, Change<VA>>,
  ): KTable<K, VA> {
    const b = this.b;
    const storeName = materialized.storeName ?? b.newName(`${prefix.slice(0, -1)}-STATE-STORE-`);
    const base = this.repartitionName ?? storeName;
    const valueSerde = b.valueSerde(this.valueSerde, `table groupBy ${base} (give Grouped.valueSerde)`);
    const { node, topic } = b.repartition(
      this.node,
      base,
      this.keySerde as Serde<unknown>,
      changeSerde(valueSerde) as Serde<unknown>,
      this.repartitionName !== null,
      false,
    );
    const name = materialized.name ?? b.newName(prefix);
    const aggSerde = b.valueSerde(materialized.valueSerde ?? defaultValueSerde, `aggregation ${name}`);
    const state: TableNodeState = { sendOldValues: false, storeName };
    const store = b.keyValueStore(storeName, materialized.keySerde ?? this.keySerde, aggSerde, materialized);
    return aggregateTable(b, name, node, supplier(storeName, state), store, {
      keySerde: this.keySerde,
      valueSerde: aggSerde,
      sourceTopics: [topic],
      state,
      getter: () => storeGetter(storeName),
    });
  }
}

/** Where an aggregation of a grouped stream reads from, and what it is named. */
interface AggregationTarget<K, VA> {
  readonly storeName: string;
  readonly name: string;
  readonly node: string;
  readonly keySerde: Serde<K>;
  readonly valueSerde: Serde<VA>;
  readonly sourceTopics: readonly string[];
}

/** Adds an aggregation's processor and store and returns the table of its results. */
function aggregateTable<KIn, VIn, KT, VA>(
  b: BuilderState,
  name: string,
  parent: string,
  processor: ProcessorSupplier<KIn, VIn, KT, Change<VA>>,
  store: StoreBuilder<StateStore>,
  table: {
    keySerde: Serde<KT>;
    valueSerde: Serde<VA>;
    sourceTopics: readonly string[];
    state: TableNodeState;
    getter: () => ValueGetterSupplier<KT, VA>;
    windowInfo?: WindowInfo;
  },
): KTable<KT, VA> {
  b.topology.addProcessor(name, processor, parent);
  b.topology.addStateStore(store, name);
  return new KTable<KT, VA>(
    b,
    name,
    table.keySerde,
    table.valueSerde,
    table.sourceTopics,
    'aggregate',
    table.state,
    table.getter,
    [],
    null,
    table.windowInfo ?? null,
  );
}
