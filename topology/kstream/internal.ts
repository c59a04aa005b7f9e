/**
 * What the DSL objects share while a topology is being built: the topology
 * under construction, the name generator (KSTREAM-FILTER-0000000003 style,
 * one counter for nodes and stores, as Kafka Streams), default serdes, and
 * work deferred to build(): stores a table only gets when a later operator
 * needs its values (materialization), and the store connections that follow.
 */
import { Topology, TopologyError } from '../processor/topology.ts';
import type { Serde } from '../serde/serde.ts';
import type { StateStore } from '../state/store.ts';
import type { StoreBuilder } from '../state/stores.ts';
import { Stores } from '../state/stores.ts';
import type { Materialized } from './options.ts';
import { DropNullKeyProcessor } from './processors/stream.ts';

export interface BuilderOptions {
  readonly defaultKeySerde?: Serde<unknown>;
  readonly defaultValueSerde?: Serde<unknown>;
  /**
   * Table groupBy: an update that keeps its group travels as one Change
   * (Kafka Streams 3.5+). False sends a subtraction and an addition, as
   * older versions did.
   */
  readonly tableGroupByEmitsSingleChange?: boolean;
}

export class BuilderState {
  readonly topology = new Topology();
  private index = 0;
  private readonly materializations: Array<() => void> = [];
  private readonly connections: Array<() => void> = [];
  private built = false;

  constructor(readonly options: BuilderOptions) {}

  /** `<prefix><10-digit index>`, as Kafka Streams generates names. */
  newName(prefix: string): string {
    return `${prefix}${String(this.index++).padStart(10, '0')}`;
  }

  keySerde<K>(given: Serde<K> | null | undefined, what: string): Serde<K> {
    const serde = given ?? (this.options.defaultKeySerde as Serde<K> | undefined);
    if (serde === undefined || serde === null) {
      throw new TopologyError(
        `${what}: no key serde; give one (Consumed, Grouped, Produced, Materialized) or set defaultKeySerde`,
      );
    }
    return serde;
  }

  valueSerde<V>(given: Serde<V> | null | undefined, what: string): Serde<V> {
    const serde = given ?? (this.options.defaultValueSerde as Serde<V> | undefined);
    if (serde === undefined || serde === null) {
      throw new TopologyError(
        `${what}: no value serde; give one (Consumed, Grouped, Produced, Materialized) or set defaultValueSerde`,
      );
    }
    return serde;
  }

  onBuildMaterialize(step: () => void): void {
    this.materializations.push(step);
  }

  onBuildConnect(step: () => void): void {
    this.connections.push(step);
  }

  build(): Topology {
    if (!this.built) {
      this.built = true;
      for (const step of this.materializations) step();
      for (const step of this.connections) step();
    }
    return this.topology;
  }

  /**
   * Routes a stream through an internal topic `<base>-repartition` (after
   * dropping records without a key), so that records are partitioned by
   * their new key before a stateful operator. Returns the source node name.
   */
  repartition(
    parent: string,
    base: string,
    keySerde: Serde<unknown>,
    valueSerde: Serde<unknown>,
    named: boolean,
    dropNullKeys = true,
  ): { node: string; topic: string } {
    const topic = `${base}-repartition`;
    let upstream = parent;
    if (dropNullKeys) {
      const filter = named ? `${base}-repartition-filter` : this.newName('KSTREAM-FILTER-');
      this.topology.addProcessor(filter, () => new DropNullKeyProcessor(), parent);
      upstream = filter;
    }
    const sink = named ? `${base}-repartition-sink` : this.newName('KSTREAM-SINK-');
    this.topology.addSink(sink, topic, { keySerde, valueSerde }, upstream);
    const source = named ? `${base}-repartition-source` : this.newName('KSTREAM-SOURCE-');
    this.topology.addSource(source, [topic], { keySerde, valueSerde });
    this.topology.markInternal(topic);
    return { node: source, topic };
  }

  /** A timestamped key-value store builder from Materialized settings. */
  keyValueStore<K, V>(
    name: string,
    keySerde: Serde<K>,
    valueSerde: Serde<V>,
    materialized?: Materialized<K, V>,
  ): StoreBuilder<StateStore> {
    const supplier = materialized?.persistent
      ? Stores.persistentKeyValueStore(name)
      : Stores.inMemoryKeyValueStore(name);
    const builder = Stores.timestampedKeyValueStoreBuilder(supplier, keySerde, valueSerde);
    if (materialized?.caching !== false) builder.withCachingEnabled();
    if (materialized?.logging === false) builder.withLoggingDisabled();
    return builder as unknown as StoreBuilder<StateStore>;
  }
}
