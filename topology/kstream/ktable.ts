/**
 * KTable: a changelog stream read as a table. Every table node forwards
 * Change pairs; old values travel only when a downstream operator needs them
 * (groupBy, left/outer joins), which may force a source table to keep a
 * store (materialization), exactly as in Kafka Streams.
 */
import { TopologyError } from '../processor/topology.ts';
import { type Serde, Serdes } from '../serde/serde.ts';
import type { Windowed } from '../serde/windowed.ts';
import type { StateStore } from '../state/store.ts';
import type { StoreBuilder } from '../state/stores.ts';
import { Stores } from '../state/stores.ts';
import { type TimestampedWindowStore, valueAndTimestampSerde } from '../state/typed.ts';
import { changeSerde } from './change.ts';
import { KGroupedTable } from './grouped.ts';
import type { BuilderState } from './internal.ts';
import { KStream } from './kstream.ts';
import type { Grouped, Materialized, Named } from './options.ts';
import { TableRepartitionMapProcessor } from './processors/aggregate.ts';
import { ForeignKeyJoinProcessor, ForeignKeyRightProcessor } from './processors/fk-join.ts';
import { type TableJoinKind, TableTableJoinProcessor, tableJoinGetter, type ValueJoiner } from './processors/joins.ts';
import type { KeyValueMapper, Predicate, ValueMapper } from './processors/stream.ts';
import { PassThroughProcessor } from './processors/stream.ts';
import { type BufferConfig, SuppressFinalProcessor } from './processors/suppress.ts';
import {
  filterGetter,
  mapValuesGetter,
  storeGetter,
  TableFilterProcessor,
  TableMapValuesProcessor,
  type TableNodeState,
  TableToStreamProcessor,
  type ValueGetterSupplier,
} from './processors/table.ts';

type TableKind = 'source' | 'derived' | 'aggregate' | 'join' | 'suppress';

/** What suppression needs to know about a windowed table. */
export interface WindowInfo {
  readonly closeAfterMs: number;
}

export interface Suppressed {
  readonly kind: 'untilWindowCloses';
  readonly buffer: BufferConfig;
  readonly name?: string;
}

export const Suppressed = {
  /** One final result per window, when it closes (EMIT FINAL). */
  untilWindowCloses(buffer: BufferConfig = {}, name?: string): Suppressed {
    return name === undefined ? { kind: 'untilWindowCloses', buffer } : { kind: 'untilWindowCloses', buffer, name };
  },
} as const;

export class KTable<K, V> {
  /** @internal */
  constructor(
    readonly b: BuilderState,
    readonly node: string,
    readonly keySerde: Serde<K> | null,
    readonly valueSerde: Serde<V> | null,
    readonly sourceTopics: readonly string[],
    private readonly kind: TableKind,
    readonly state: TableNodeState,
    private readonly getterFactory: () => ValueGetterSupplier<K, V>,
    private readonly parents: readonly KTable<unknown, unknown>[],
    /** Materializes a source table on demand (sets state.storeName). */
    private readonly materialize: (() => void) | null,
    readonly windowInfo: WindowInfo | null = null,
  ) {}

  /** The store with this table's values, when it has one. */
  get queryableStoreName(): string | null {
    return this.state.storeName;
  }

  /** @internal Lookups into this table; may force a source table to keep a store. */
  valueGetter(): ValueGetterSupplier<K, V> {
    return this.getterFactory();
  }

  /** @internal Asks this table to send old values; false if it cannot without a store and `force` is off. */
  enableSendingOldValues(force: boolean): boolean {
    if (this.state.sendOldValues) return true;
    switch (this.kind) {
      case 'source':
        if (this.state.storeName === null) {
          if (!force || this.materialize === null) return false;
          this.materialize();
        }
        break;
      case 'derived':
        if (
          this.state.storeName === null &&
          !(this.parents[0] as KTable<unknown, unknown>).enableSendingOldValues(force)
        )
          return false;
        break;
      case 'join':
        for (const parent of this.parents) parent.enableSendingOldValues(true);
        break;
      case 'suppress':
        if (!(this.parents[0] as KTable<unknown, unknown>).enableSendingOldValues(force)) return false;
        break;
      case 'aggregate':
        break;
    }
    this.state.sendOldValues = true;
    return true;
  }

  filter(predicate: Predicate<K, V>, materialized?: Materialized<K, V> & Named): KTable<K, V> {
    return this.doFilter(predicate, false, materialized);
  }

  filterNot(predicate: Predicate<K, V>, materialized?: Materialized<K, V> & Named): KTable<K, V> {
    return this.doFilter(predicate, true, materialized);
  }

  private doFilter(
    predicate: Predicate<K, V>,
    negate: boolean,
    materialized?: Materialized<K, V> & Named,
  ): KTable<K, V> {
    const name = materialized?.name ?? this.b.newName('KTABLE-FILTER-');
    const state: TableNodeState = { sendOldValues: false, storeName: null };
    this.b.topology.addProcessor(name, () => new TableFilterProcessor(predicate, negate, state), this.node);
    const keySerde = materialized?.keySerde ?? this.keySerde;
    const valueSerde = materialized?.valueSerde ?? this.valueSerde;
    if (materialized?.storeName !== undefined)
      this.addDerivedStore(name, state, materialized.storeName, keySerde, valueSerde, materialized);
    const parentGetter = () => this.valueGetter();
    return new KTable(
      this.b,
      name,
      keySerde,
      valueSerde,
      this.sourceTopics,
      'derived',
      state,
      () =>
        state.storeName !== null ? storeGetter<K, V>(state.storeName) : filterGetter(parentGetter(), predicate, negate),
      [this as KTable<unknown, unknown>],
      null,
      this.windowInfo,
    );
  }

  mapValues<VR>(mapper: ValueMapper<K, V, VR>, materialized?: Materialized<K, VR> & Named): KTable<K, VR> {
    const name = materialized?.name ?? this.b.newName('KTABLE-MAPVALUES-');
    const state: TableNodeState = { sendOldValues: false, storeName: null };
    this.b.topology.addProcessor(name, () => new TableMapValuesProcessor(mapper, state), this.node);
    const keySerde = materialized?.keySerde ?? this.keySerde;
    const valueSerde = materialized?.valueSerde ?? null;
    if (materialized?.storeName !== undefined)
      this.addDerivedStore(name, state, materialized.storeName, keySerde, valueSerde, materialized);
    const parentGetter = () => this.valueGetter();
    return new KTable(
      this.b,
      name,
      keySerde,
      valueSerde,
      this.sourceTopics,
      'derived',
      state,
      () => (state.storeName !== null ? storeGetter<K, VR>(state.storeName) : mapValuesGetter(parentGetter(), mapper)),
      [this as KTable<unknown, unknown>],
      null,
      this.windowInfo,
    );
  }

  private addDerivedStore<VS>(
    node: string,
    state: TableNodeState,
    storeName: string,
    keySerde: Serde<K> | null,
    valueSerde: Serde<VS> | null,
    materialized: Materialized<K, VS>,
  ): void {
    state.storeName = storeName;
    const builder = this.b.keyValueStore(
      storeName,
      this.b.keySerde(keySerde, `table ${node}`),
      this.b.valueSerde(valueSerde, `table ${node}`),
      materialized,
    );
    this.b.topology.addStateStore(builder, node);
  }

  /** A stream of this table's updates: new values, deletes as tombstones. */
  toStream(named?: Named): KStream<K, V> {
    const name = named?.name ?? this.b.newName('KTABLE-TOSTREAM-');
    this.b.topology.addProcessor(name, () => new TableToStreamProcessor(), this.node);
    return new KStream<K, V>(this.b, name, this.keySerde, this.valueSerde, this.sourceTopics, false);
  }

  /**
   * Regroups rows under a new key for an aggregation with adder and
   * subtractor; each row update subtracts the old row and adds the new one.
   */
  groupBy<KR, VR>(
    selector: KeyValueMapper<K, V, { key: KR; value: VR }>,
    grouped: Grouped<KR, VR> = {},
  ): KGroupedTable<KR, VR> {
    this.enableSendingOldValues(true);
    const name = grouped.name === undefined ? this.b.newName('KTABLE-SELECT-') : `${grouped.name}-select`;
    const keySerde = this.b.keySerde(grouped.keySerde ?? null, `table groupBy ${name}`);
    const single = this.b.options.tableGroupByEmitsSingleChange ?? true;
    const keysEqual = (a: KR, b: KR) => {
      if (a === b) return true;
      const ab = keySerde.serialize('', a);
      const bb = keySerde.serialize('', b);
      return ab !== null && bb !== null && ab.equals(bb);
    };
    this.b.topology.addProcessor(name, () => new TableRepartitionMapProcessor(selector, keysEqual, single), this.node);
    return new KGroupedTable<KR, VR>(this.b, name, keySerde, grouped.valueSerde ?? null, grouped.name ?? null);
  }

  join<VO, VR>(
    other: KTable<K, VO>,
    joiner: ValueJoiner<V, VO, VR>,
    materialized?: Materialized<K, VR> & Named,
  ): KTable<K, VR> {
    return this.doJoin(other, joiner, 'inner', materialized);
  }

  leftJoin<VO, VR>(
    other: KTable<K, VO>,
    joiner: ValueJoiner<V, VO, VR>,
    materialized?: Materialized<K, VR> & Named,
  ): KTable<K, VR> {
    return this.doJoin(other, joiner, 'left', materialized);
  }

  outerJoin<VO, VR>(
    other: KTable<K, VO>,
    joiner: ValueJoiner<V, VO, VR>,
    materialized?: Materialized<K, VR> & Named,
  ): KTable<K, VR> {
    return this.doJoin(other, joiner, 'outer', materialized);
  }

  private doJoin<VO, VR>(
    other: KTable<K, VO>,
    joiner: ValueJoiner<V, VO, VR>,
    kind: TableJoinKind,
    materialized?: Materialized<K, VR> & Named,
  ): KTable<K, VR> {
    // Left and outer joins need to know whether a result existed before, so they take old values.
    if (kind !== 'inner') this.enableSendingOldValues(true);
    if (kind === 'outer') other.enableSendingOldValues(true);
    const base = materialized?.name;
    const thisName = base
      ? `${base}-join-this`
      : this.b.newName(
          kind === 'inner' ? 'KTABLE-JOINTHIS-' : kind === 'left' ? 'KTABLE-LEFTTHIS-' : 'KTABLE-OUTERTHIS-',
        );
    const otherName = base
      ? `${base}-join-other`
      : this.b.newName(
          kind === 'inner' ? 'KTABLE-JOINOTHER-' : kind === 'left' ? 'KTABLE-LEFTOTHER-' : 'KTABLE-OUTEROTHER-',
        );
    const mergeName = base ?? this.b.newName('KTABLE-MERGE-');
    const state: TableNodeState = { sendOldValues: false, storeName: null };
    const thisGetter = this.valueGetter();
    const otherGetter = other.valueGetter();
    const j = joiner as ValueJoiner<unknown, unknown, VR>;
    const topology = this.b.topology;
    topology.addProcessor(
      thisName,
      () => new TableTableJoinProcessor(otherGetter, j, true, kind === 'left' ? 'preserved' : kind, state),
      this.node,
    );
    topology.addProcessor(
      otherName,
      () => new TableTableJoinProcessor(thisGetter, j, false, kind === 'left' ? 'dependent' : kind, state),
      other.node,
    );
    topology.addProcessor(mergeName, () => new PassThroughProcessor(), thisName, otherName);
    topology.requireCopartitioned([...this.sourceTopics, ...other.sourceTopics]);
    this.connectGetters(thisName, otherGetter, otherName, thisGetter);
    const keySerde = materialized?.keySerde ?? this.keySerde;
    const valueSerde = materialized?.valueSerde ?? null;
    let node = mergeName;
    let getter = () => tableJoinGetter(thisGetter, otherGetter, joiner, kind);
    if (materialized?.storeName !== undefined) {
      // A named result keeps its own store, fed by a pass-through after the merge.
      const storeName = materialized.storeName;
      const builder = this.b.keyValueStore(
        storeName,
        this.b.keySerde(keySerde, `join ${mergeName}`),
        this.b.valueSerde(valueSerde, `join ${mergeName}`),
        materialized,
      );
      const materializer = this.b.newName('KTABLE-MAPVALUES-');
      state.storeName = storeName;
      topology.addProcessor(materializer, () => new TableMapValuesProcessor<K, VR, VR>((v) => v, state), mergeName);
      topology.addStateStore(builder, materializer);
      node = materializer;
      getter = () => storeGetter<K, VR>(storeName);
    }
    return new KTable(
      this.b,
      node,
      keySerde,
      valueSerde,
      [...this.sourceTopics, ...other.sourceTopics],
      'join',
      state,
      getter,
      [this as KTable<unknown, unknown>, other as KTable<unknown, unknown>],
      null,
    );
  }

  /** At build time, connects each side of a two-table join to the stores the other side's getter reads. */
  private connectGetters(
    thisNode: string,
    otherGetter: ValueGetterSupplier<unknown, unknown>,
    otherNode: string,
    thisGetter: ValueGetterSupplier<unknown, unknown>,
  ): void {
    const topology = this.b.topology;
    this.b.onBuildConnect(() => {
      topology.connectProcessorAndStateStores([thisNode], ...otherGetter.storeNames);
      topology.connectProcessorAndStateStores([otherNode], ...thisGetter.storeNames);
    });
  }

  /**
   * Foreign-key join: each row of this table joins the row of `other` whose
   * key `foreignKey` extracts from it. Updates on either side emit; a row
   * whose foreign key changes leaves its old partner. Runs within one task
   * (both tables must be read by the same sub-topology).
   */
  joinOnForeignKey<KO, VO, VR>(
    other: KTable<KO, VO>,
    foreignKey: (value: V) => KO | null,
    joiner: ValueJoiner<V, VO, VR>,
    options: { leftJoin?: boolean; name?: string; valueSerde?: Serde<VR> } = {},
  ): KTable<K, VR> {
    const leftJoin = options.leftJoin ?? false;
    const base = options.name ?? this.b.newName('KTABLE-FK-JOIN-');
    const keySerde = this.b.keySerde(this.keySerde, `foreign-key join ${base}`);
    const otherKeySerde = this.b.keySerde(other.keySerde, `foreign-key join ${base}`);
    const thisGetter = this.valueGetter();
    const otherGetter = other.valueGetter();
    const subscriptions = `${base}-subscription-store`;
    const subscriptionStore = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(subscriptions), bytes, bytes);
    const state: TableNodeState = { sendOldValues: false, storeName: null };
    const topology = this.b.topology;
    const leftName = `${base}-left`;
    const rightName = `${base}-right`;
    const j = joiner as ValueJoiner<unknown, unknown, VR>;
    topology.addProcessor(
      leftName,
      () => new ForeignKeyJoinProcessor(subscriptions, keySerde, otherKeySerde, foreignKey, otherGetter, j, leftJoin),
      this.node,
    );
    topology.addProcessor(
      rightName,
      () => new ForeignKeyRightProcessor(subscriptions, keySerde, otherKeySerde, thisGetter, j, leftJoin),
      other.node,
    );
    topology.addStateStore(subscriptionStore as unknown as StoreBuilder<StateStore>, leftName, rightName);
    this.enableSendingOldValues(true);
    const mergeName = `${base}-merge`;
    topology.addProcessor(mergeName, () => new PassThroughProcessor(), leftName, rightName);
    this.connectGetters(leftName, otherGetter, rightName, thisGetter);
    return new KTable<K, VR>(
      this.b,
      mergeName,
      this.keySerde,
      options.valueSerde ?? null,
      [...this.sourceTopics, ...other.sourceTopics],
      'derived',
      state,
      () => {
        throw new TopologyError(
          `foreign-key join ${base}: materialize it (mapValues with a storeName) before joining or grouping it`,
        );
      },
      [],
      null,
    );
  }

  /** Holds windowed results until their window closes, then emits each window's final value once. */
  suppress(suppressed: Suppressed): KTable<K, V> {
    if (this.windowInfo === null)
      throw new TopologyError(
        'suppress(untilWindowCloses) needs a windowed table (from windowedBy().aggregate/count/reduce)',
      );
    const name = suppressed.name ?? this.b.newName('KTABLE-SUPPRESS-');
    const storeName = `${name}-store`;
    const keySerde = this.b.keySerde(this.keySerde, `suppress ${name}`) as unknown as Serde<Windowed<unknown>>;
    const valueSerde = this.b.valueSerde(this.valueSerde, `suppress ${name}`);
    const store = Stores.keyValueStoreBuilder(
      Stores.inMemoryKeyValueStore(storeName),
      bytes,
      timestampedChangeSerde(valueSerde),
    );
    const closeAfter = this.windowInfo.closeAfterMs;
    this.b.topology.addProcessor(
      name,
      () => new SuppressFinalProcessor(storeName, keySerde, closeAfter, suppressed.buffer),
      this.node,
    );
    this.b.topology.addStateStore(store as unknown as StoreBuilder<StateStore>, name);
    const state: TableNodeState = { sendOldValues: false, storeName: null };
    const parentGetter = () => this.valueGetter();
    return new KTable(
      this.b,
      name,
      this.keySerde,
      this.valueSerde,
      this.sourceTopics,
      'suppress',
      state,
      parentGetter,
      [this as KTable<unknown, unknown>],
      null,
      this.windowInfo,
    );
  }
}

const bytes = Serdes.Bytes();

function timestampedChangeSerde<V>(valueSerde: Serde<V>) {
  return valueAndTimestampSerde(changeSerde(valueSerde));
}

/** Getter for a windowed aggregate's table: the window store, keyed by windowed key. */
export function windowStoreGetter<K, V>(storeName: string): ValueGetterSupplier<Windowed<K>, V> {
  return {
    storeNames: [storeName],
    get: () => {
      let store: TimestampedWindowStore<K, V>;
      return {
        init: (context) => {
          store = context.getStateStore(storeName);
        },
        get: (key) => store.fetch(key.key, key.window.start),
      };
    },
  };
}
