/**
 * KStream: a record stream. Operators add nodes to the topology; a
 * key-changing operator (map, flatMap, selectKey, groupBy) marks the stream
 * so that the next stateful operator (aggregation, join) first routes it
 * through a repartition topic, as Kafka Streams does.
 */
import type { Processor, ProcessorSupplier } from '../processor/processor.ts';
import { TopologyError } from '../processor/topology.ts';
import { readInt64, type Serde, Serdes, writeInt64 } from '../serde/serde.ts';
import type { StateStore } from '../state/store.ts';
import type { StoreBuilder } from '../state/stores.ts';
import { Stores } from '../state/stores.ts';
import { KGroupedStream } from './grouped.ts';
import type { BuilderState } from './internal.ts';
import { KTable } from './ktable.ts';
import type {
  Consumed,
  Grouped,
  Joined,
  Materialized,
  Named,
  Produced,
  Repartitioned,
  StreamJoined,
} from './options.ts';
import {
  JoinTimeTracker,
  JoinWindowProcessor,
  type OuterKey,
  type OuterValue,
  StreamStreamJoinProcessor,
  StreamTableJoinProcessor,
  type ValueJoiner,
} from './processors/joins.ts';
import {
  BranchProcessor,
  FilterProcessor,
  FlatMapProcessor,
  FlatMapValuesProcessor,
  type KeyValueMapper,
  MapProcessor,
  MapValuesProcessor,
  PassThroughProcessor,
  PeekProcessor,
  type Predicate,
  SelectKeyProcessor,
  type ValueMapper,
} from './processors/stream.ts';
import { storeGetter, type TableNodeState, TableSourceProcessor } from './processors/table.ts';
import type { JoinWindows } from './windows.ts';

export class KStream<K, V> {
  /** @internal */
  constructor(
    readonly b: BuilderState,
    readonly node: string,
    readonly keySerde: Serde<K> | null,
    readonly valueSerde: Serde<V> | null,
    /** Topics this stream's partitions come from (for co-partitioning checks). */
    readonly sourceTopics: readonly string[],
    /** The key changed since the last partitioning: a stateful operator must repartition first. */
    readonly repartitionRequired: boolean,
  ) {}

  private add<K2, V2>(
    prefix: string,
    named: Named | undefined,
    supplier: ProcessorSupplier<K, V, K2, V2>,
    keySerde: Serde<K2> | null,
    valueSerde: Serde<V2> | null,
    repartition: boolean,
  ): KStream<K2, V2> {
    const name = named?.name ?? this.b.newName(prefix);
    this.b.topology.addProcessor(name, supplier, this.node);
    return new KStream(this.b, name, keySerde, valueSerde, this.sourceTopics, repartition);
  }

  filter(predicate: Predicate<K, V>, named?: Named): KStream<K, V> {
    return this.add(
      'KSTREAM-FILTER-',
      named,
      () => new FilterProcessor(predicate, false),
      this.keySerde,
      this.valueSerde,
      this.repartitionRequired,
    );
  }

  filterNot(predicate: Predicate<K, V>, named?: Named): KStream<K, V> {
    return this.add(
      'KSTREAM-FILTER-',
      named,
      () => new FilterProcessor(predicate, true),
      this.keySerde,
      this.valueSerde,
      this.repartitionRequired,
    );
  }

  map<KR, VR>(mapper: KeyValueMapper<K, V, { key: KR; value: VR }>, named?: Named): KStream<KR, VR> {
    return this.add('KSTREAM-MAP-', named, () => new MapProcessor(mapper), null, null, true);
  }

  mapValues<VR>(mapper: ValueMapper<K, V, VR>, named?: Named): KStream<K, VR> {
    return this.add(
      'KSTREAM-MAPVALUES-',
      named,
      () => new MapValuesProcessor(mapper),
      this.keySerde,
      null,
      this.repartitionRequired,
    );
  }

  flatMap<KR, VR>(mapper: KeyValueMapper<K, V, Iterable<{ key: KR; value: VR }>>, named?: Named): KStream<KR, VR> {
    return this.add('KSTREAM-FLATMAP-', named, () => new FlatMapProcessor(mapper), null, null, true);
  }

  flatMapValues<VR>(mapper: ValueMapper<K, V, Iterable<VR>>, named?: Named): KStream<K, VR> {
    return this.add(
      'KSTREAM-FLATMAPVALUES-',
      named,
      () => new FlatMapValuesProcessor(mapper),
      this.keySerde,
      null,
      this.repartitionRequired,
    );
  }

  selectKey<KR>(selector: KeyValueMapper<K, V, KR>, named?: Named): KStream<KR, V> {
    return this.add('KSTREAM-KEY-SELECT-', named, () => new SelectKeyProcessor(selector), null, this.valueSerde, true);
  }

  peek(action: (key: K, value: V) => void, named?: Named): KStream<K, V> {
    return this.add(
      'KSTREAM-PEEK-',
      named,
      () => new PeekProcessor(action, true),
      this.keySerde,
      this.valueSerde,
      this.repartitionRequired,
    );
  }

  foreach(action: (key: K, value: V) => void, named?: Named): void {
    this.add('KSTREAM-FOREACH-', named, () => new PeekProcessor(action, false), this.keySerde, this.valueSerde, false);
  }

  /** Runs a Processor API processor inside the DSL, with the named stores connected to it. */
  process<KR, VR>(
    supplier: () => Processor<K, V, KR, VR>,
    options: { name?: string; stores?: readonly string[] } = {},
  ): KStream<KR, VR> {
    const out = this.add<KR, VR>('KSTREAM-PROCESSOR-', options, supplier, null, null, true);
    if (options.stores?.length) this.b.topology.connectProcessorAndStateStores([out.node], ...options.stores);
    return out;
  }

  /**
   * Like `process`, for a processor that forwards each record under the key it
   * came with (Kafka Streams' processValues): the stream keeps its key serde
   * and needs no repartition before a join or grouping by key.
   */
  processValues<VR>(
    supplier: () => Processor<K, V, K, VR>,
    options: { name?: string; stores?: readonly string[] } = {},
  ): KStream<K, VR> {
    const out = this.add<K, VR>(
      'KSTREAM-PROCESSVALUES-',
      options,
      supplier,
      this.keySerde,
      null,
      this.repartitionRequired,
    );
    if (options.stores?.length) this.b.topology.connectProcessorAndStateStores([out.node], ...options.stores);
    return out;
  }

  /**
   * Splits the stream: each record goes to the first branch whose predicate
   * accepts it, else to the default branch (if any). Branches are named
   * `<prefix><name>` (or `<prefix><index>`).
   */
  split(named?: Named): BranchedKStream<K, V> {
    const name = named?.name ?? this.b.newName('KSTREAM-BRANCH-');
    return new BranchedKStream(this, name, named?.name ?? name);
  }

  merge(other: KStream<K, V>, named?: Named): KStream<K, V> {
    const name = named?.name ?? this.b.newName('KSTREAM-MERGE-');
    this.b.topology.addProcessor(name, () => new PassThroughProcessor(), this.node, other.node);
    return new KStream(
      this.b,
      name,
      this.keySerde ?? other.keySerde,
      this.valueSerde ?? other.valueSerde,
      [...this.sourceTopics, ...other.sourceTopics],
      this.repartitionRequired || other.repartitionRequired,
    );
  }

  to(topic: string, produced: Produced<K, V> = {}): void {
    const name = produced.name ?? this.b.newName('KSTREAM-SINK-');
    this.b.topology.addSink(
      name,
      topic,
      {
        keySerde: this.b.keySerde(produced.keySerde ?? this.keySerde, `sink to ${topic}`) as Serde<unknown>,
        valueSerde: this.b.valueSerde(produced.valueSerde ?? this.valueSerde, `sink to ${topic}`) as Serde<unknown>,
        partitioner: produced.partitioner ?? null,
      },
      this.node,
    );
  }

  /** Always routes the stream through an internal topic `<name>-repartition`. */
  repartition(repartitioned: Repartitioned<K, V> = {}): KStream<K, V> {
    return this.throughRepartition(
      repartitioned.name ?? this.b.newName('KSTREAM-REPARTITION-'),
      repartitioned.name !== undefined,
      repartitioned.keySerde ?? null,
      repartitioned.valueSerde ?? null,
    );
  }

  /** @internal This stream, repartitioned first if its key changed. */
  partitioned(base: string, named: boolean, keySerde: Serde<K> | null, valueSerde: Serde<V> | null): KStream<K, V> {
    return this.repartitionRequired ? this.throughRepartition(base, named, keySerde, valueSerde) : this;
  }

  private throughRepartition(
    base: string,
    named: boolean,
    keySerde: Serde<K> | null,
    valueSerde: Serde<V> | null,
  ): KStream<K, V> {
    const ks = this.b.keySerde(keySerde ?? this.keySerde, `repartition ${base}`);
    const vs = this.b.valueSerde(valueSerde ?? this.valueSerde, `repartition ${base}`);
    const { node, topic } = this.b.repartition(this.node, base, ks as Serde<unknown>, vs as Serde<unknown>, named);
    return new KStream(this.b, node, ks, vs, [topic], false);
  }

  /** Reads the stream as a table: the latest value per key; null values delete. */
  toTable(materialized: Materialized<K, V> & Named = {}): KTable<K, V> {
    const stream = this.partitioned(
      materialized.name ?? this.node,
      materialized.name !== undefined,
      materialized.keySerde ?? null,
      materialized.valueSerde ?? null,
    );
    const name = materialized.name ?? this.b.newName('KSTREAM-TOTABLE-');
    const storeName = materialized.storeName ?? this.b.newName('KSTREAM-TOTABLE-STATE-STORE-');
    const state: TableNodeState = { sendOldValues: false, storeName };
    const keySerde = materialized.keySerde ?? stream.keySerde;
    const valueSerde = materialized.valueSerde ?? stream.valueSerde;
    this.b.topology.addProcessor(name, () => new TableSourceProcessor(state), stream.node);
    this.b.topology.addStateStore(
      this.b.keyValueStore(
        storeName,
        this.b.keySerde(keySerde, `toTable ${name}`),
        this.b.valueSerde(valueSerde, `toTable ${name}`),
        materialized,
      ),
      name,
    );
    return new KTable(
      this.b,
      name,
      keySerde,
      valueSerde,
      stream.sourceTopics,
      'source',
      state,
      () => storeGetter(storeName),
      [],
      null,
    );
  }

  groupByKey(grouped: Grouped<K, V> = {}): KGroupedStream<K, V> {
    return new KGroupedStream(
      this.b,
      this,
      grouped.keySerde ?? this.keySerde,
      grouped.valueSerde ?? this.valueSerde,
      grouped.name ?? null,
    );
  }

  groupBy<KR>(selector: KeyValueMapper<K, V, KR>, grouped: Grouped<KR, V> = {}): KGroupedStream<KR, V> {
    const selected = this.selectKey(selector);
    return new KGroupedStream(
      this.b,
      selected,
      grouped.keySerde ?? null,
      grouped.valueSerde ?? this.valueSerde,
      grouped.name ?? null,
    );
  }

  /** Inner join with a table (looked up when each stream record arrives) or with a stream within a window. */
  join<VO, VR>(other: KTable<K, VO>, joiner: ValueJoiner<V, VO, VR>, joined?: Joined<K, V, VO>): KStream<K, VR>;
  join<VO, VR>(
    other: KStream<K, VO>,
    joiner: ValueJoiner<V, VO, VR>,
    windows: JoinWindows,
    joined?: StreamJoined<K, V, VO>,
  ): KStream<K, VR>;
  join<VO, VR>(
    other: KTable<K, VO> | KStream<K, VO>,
    joiner: ValueJoiner<V, VO, VR>,
    windowsOrJoined?: JoinWindows | Joined<K, V, VO>,
    streamJoined?: StreamJoined<K, V, VO>,
  ): KStream<K, VR> {
    return this.joinWith(other, joiner, windowsOrJoined, streamJoined, false);
  }

  leftJoin<VO, VR>(other: KTable<K, VO>, joiner: ValueJoiner<V, VO, VR>, joined?: Joined<K, V, VO>): KStream<K, VR>;
  leftJoin<VO, VR>(
    other: KStream<K, VO>,
    joiner: ValueJoiner<V, VO, VR>,
    windows: JoinWindows,
    joined?: StreamJoined<K, V, VO>,
  ): KStream<K, VR>;
  leftJoin<VO, VR>(
    other: KTable<K, VO> | KStream<K, VO>,
    joiner: ValueJoiner<V, VO, VR>,
    windowsOrJoined?: JoinWindows | Joined<K, V, VO>,
    streamJoined?: StreamJoined<K, V, VO>,
  ): KStream<K, VR> {
    return this.joinWith(other, joiner, windowsOrJoined, streamJoined, true);
  }

  outerJoin<VO, VR>(
    other: KStream<K, VO>,
    joiner: ValueJoiner<V, VO, VR>,
    windows: JoinWindows,
    joined: StreamJoined<K, V, VO> = {},
  ): KStream<K, VR> {
    return this.streamJoin(other, joiner, windows, joined, true, true);
  }

  /** join and leftJoin: with a table, or with a stream within a window. */
  private joinWith<VO, VR>(
    other: KTable<K, VO> | KStream<K, VO>,
    joiner: ValueJoiner<V, VO, VR>,
    windowsOrJoined: JoinWindows | Joined<K, V, VO> | undefined,
    streamJoined: StreamJoined<K, V, VO> | undefined,
    leftJoin: boolean,
  ): KStream<K, VR> {
    return other instanceof KTable
      ? this.tableJoin(other, joiner, leftJoin, windowsOrJoined as Joined<K, V, VO> | undefined)
      : this.streamJoin(other, joiner, windowsOrJoined as JoinWindows, streamJoined ?? {}, leftJoin, false);
  }

  private tableJoin<VO, VR>(
    table: KTable<K, VO>,
    joiner: ValueJoiner<V, VO, VR>,
    leftJoin: boolean,
    joined: Joined<K, V, VO> = {},
  ): KStream<K, VR> {
    const stream = this.partitioned(
      joined.name ?? this.node,
      joined.name !== undefined,
      joined.keySerde ?? null,
      joined.valueSerde ?? null,
    );
    const name = joined.name ?? this.b.newName(leftJoin ? 'KSTREAM-LEFTJOIN-' : 'KSTREAM-JOIN-');
    const getter = table.valueGetter();
    this.b.topology.addProcessor(name, () => new StreamTableJoinProcessor(getter, joiner, leftJoin), stream.node);
    this.b.topology.requireCopartitioned([...stream.sourceTopics, ...table.sourceTopics]);
    const topology = this.b.topology;
    this.b.onBuildConnect(() => topology.connectProcessorAndStateStores([name], ...getter.storeNames));
    return new KStream(this.b, name, stream.keySerde, null, stream.sourceTopics, false);
  }

  private streamJoin<VO, VR>(
    other: KStream<K, VO>,
    joiner: ValueJoiner<V, VO, VR>,
    windows: JoinWindows,
    joined: StreamJoined<K, V, VO>,
    leftOuter: boolean,
    rightOuter: boolean,
  ): KStream<K, VR> {
    if (windows === undefined) throw new TopologyError('a stream-stream join needs JoinWindows');
    const named = joined.name !== undefined;
    const left = this.partitioned(
      named ? `${joined.name}-left` : this.node,
      named,
      joined.keySerde ?? null,
      joined.valueSerde ?? null,
    );
    const right = other.partitioned(
      named ? `${joined.name}-right` : other.node,
      named,
      joined.keySerde ?? null,
      joined.otherValueSerde ?? null,
    );
    const b = this.b;
    const keySerde = b.keySerde(joined.keySerde ?? left.keySerde ?? right.keySerde, 'stream-stream join');
    const thisValueSerde = b.valueSerde(joined.valueSerde ?? left.valueSerde, 'stream-stream join (this side)');
    const otherValueSerde = b.valueSerde(joined.otherValueSerde ?? right.valueSerde, 'stream-stream join (other side)');
    const thisWindowed = named ? `${joined.name}-this-windowed` : b.newName('KSTREAM-WINDOWED-');
    const otherWindowed = named ? `${joined.name}-other-windowed` : b.newName('KSTREAM-WINDOWED-');
    const joinThis = named
      ? `${joined.name}-this-join`
      : b.newName(rightOuter ? 'KSTREAM-OUTERTHIS-' : 'KSTREAM-JOINTHIS-');
    const joinOther = named
      ? `${joined.name}-other-join`
      : b.newName(leftOuter ? 'KSTREAM-OUTEROTHER-' : 'KSTREAM-JOINOTHER-');
    const merge = named ? `${joined.name}-merge` : b.newName('KSTREAM-MERGE-');
    const storeBase = joined.storeName;
    const thisStore = storeBase ? `${storeBase}-this-join-store` : `${joinThis}-store`;
    const otherStore = storeBase ? `${storeBase}-other-join-store` : `${joinOther}-store`;
    const outerStore =
      leftOuter && windows.spuriousResultFix
        ? storeBase
          ? `${storeBase}-outer-shared-join-store`
          : `${b.newName('KSTREAM-OUTERSHARED-')}-store`
        : null;
    const retention = windows.beforeMs + windows.afterMs + windows.graceMs;
    const size = windows.beforeMs + windows.afterMs;
    const windowStore = (name: string, valueSerde: Serde<unknown>) => {
      const supplier = joined.persistent
        ? Stores.persistentWindowStore(name, retention, size, true)
        : Stores.inMemoryWindowStore(name, retention, size, true);
      const builder = Stores.windowStoreBuilder(supplier, keySerde as Serde<unknown>, valueSerde);
      if (joined.logging === false) builder.withLoggingDisabled();
      return builder as unknown as StoreBuilder<StateStore>;
    };
    const trackers = new Map<string, JoinTimeTracker>();
    const tracker = (taskId: string) => {
      let t = trackers.get(taskId);
      if (t === undefined) {
        t = new JoinTimeTracker();
        trackers.set(taskId, t);
      }
      return t;
    };
    const topology = b.topology;
    const j = joiner as ValueJoiner<unknown, unknown, VR>;
    topology.addProcessor(thisWindowed, () => new JoinWindowProcessor(thisStore), left.node);
    topology.addProcessor(otherWindowed, () => new JoinWindowProcessor(otherStore), right.node);
    topology.addProcessor(
      joinThis,
      () => new StreamStreamJoinProcessor(true, otherStore, windows, j, leftOuter, outerStore, tracker),
      thisWindowed,
    );
    topology.addProcessor(
      joinOther,
      () => new StreamStreamJoinProcessor(false, thisStore, windows, j, rightOuter, outerStore, tracker),
      otherWindowed,
    );
    topology.addProcessor(merge, () => new PassThroughProcessor(), joinThis, joinOther);
    topology.addStateStore(windowStore(thisStore, thisValueSerde as Serde<unknown>), thisWindowed, joinOther);
    topology.addStateStore(windowStore(otherStore, otherValueSerde as Serde<unknown>), otherWindowed, joinThis);
    if (outerStore !== null) {
      const supplier = joined.persistent
        ? Stores.persistentKeyValueStore(outerStore)
        : Stores.inMemoryKeyValueStore(outerStore);
      const builder = Stores.keyValueStoreBuilder(
        supplier,
        outerKeySerde(keySerde),
        outerValueSerde(thisValueSerde, otherValueSerde),
      );
      if (joined.logging === false) builder.withLoggingDisabled();
      topology.addStateStore(builder as unknown as StoreBuilder<StateStore>, joinThis, joinOther);
    }
    topology.requireCopartitioned([...left.sourceTopics, ...right.sourceTopics]);
    return new KStream(b, merge, keySerde, null, [...left.sourceTopics, ...right.sourceTopics], false);
  }
}

/** [timestamp: int64][side: 1 left, 0 right][key]: ordered by time, right before left, then key. */
function outerKeySerde<K>(keySerde: Serde<K>): Serde<OuterKey<K>> {
  return {
    serialize(topic, value) {
      if (value === null) return null;
      const key = keySerde.serialize(topic, value.key) ?? Buffer.alloc(0);
      const out = Buffer.allocUnsafe(9 + key.length);
      writeInt64(out, 0, value.timestamp);
      out[8] = value.leftSide ? 1 : 0;
      key.copy(out, 9);
      return out;
    },
    deserialize(topic, bytes) {
      if (bytes === null) return null;
      return {
        timestamp: readInt64(bytes, 0),
        leftSide: bytes[8] === 1,
        key: keySerde.deserialize(topic, bytes.subarray(9)) as K,
      };
    },
  };
}

/** The held values of one (time, side, key): a JSON list of base64 values of the side's serde. */
function outerValueSerde<V1, V2>(left: Serde<V1>, right: Serde<V2>): Serde<OuterValue<V1, V2>> {
  const json = Serdes.Json<{ l: string[]; r: string[] }>();
  return {
    serialize(topic, value) {
      if (value === null) return null;
      return json.serialize(topic, {
        l: value.left.map((v) => (left.serialize(topic, v) ?? Buffer.alloc(0)).toString('base64')),
        r: value.right.map((v) => (right.serialize(topic, v) ?? Buffer.alloc(0)).toString('base64')),
      });
    },
    deserialize(topic, bytes) {
      const raw = json.deserialize(topic, bytes);
      if (raw === null) return null;
      return {
        left: raw.l.map((s) => left.deserialize(topic, Buffer.from(s, 'base64')) as V1),
        right: raw.r.map((s) => right.deserialize(topic, Buffer.from(s, 'base64')) as V2),
      };
    },
  };
}

export class BranchedKStream<K, V> {
  private readonly predicates: Predicate<K, V>[] = [];
  private readonly children: string[] = [];
  private readonly branches: { [name: string]: KStream<K, V> } = {};
  private done = false;

  /** @internal */
  constructor(
    private readonly parent: KStream<K, V>,
    private readonly node: string,
    private readonly prefix: string,
  ) {}

  branch(predicate: Predicate<K, V>, name?: string): this {
    this.checkOpen();
    this.predicates.push(predicate);
    this.children.push(this.childName(name));
    return this;
  }

  /** Ends the split: records no predicate accepts go to the default branch. */
  defaultBranch(name?: string): { [name: string]: KStream<K, V> } {
    return this.finish(this.childName(name ?? '0'));
  }

  /** Ends the split: records no predicate accepts are dropped. */
  noDefaultBranch(): { [name: string]: KStream<K, V> } {
    return this.finish(null);
  }

  private childName(name: string | undefined): string {
    return `${this.prefix}-${name ?? String(this.children.length + 1)}`;
  }

  private finish(defaultChild: string | null): { [name: string]: KStream<K, V> } {
    this.checkOpen();
    this.done = true;
    const p = this.parent;
    const predicates = [...this.predicates];
    const children = [...this.children];
    p.b.topology.addProcessor(this.node, () => new BranchProcessor(predicates, children, defaultChild), p.node);
    for (const child of defaultChild === null ? children : [...children, defaultChild]) {
      p.b.topology.addProcessor(child, () => new PassThroughProcessor(), this.node);
      this.branches[child] = new KStream(p.b, child, p.keySerde, p.valueSerde, p.sourceTopics, p.repartitionRequired);
    }
    return this.branches;
  }

  private checkOpen(): void {
    if (this.done) throw new TopologyError(`split ${this.node} is already complete`);
  }
}

export type { Consumed };
