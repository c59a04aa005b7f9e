/**
 * StreamsBuilder: the DSL's entry. `stream()` and `table()` read topics;
 * operators build the graph; `build()` returns the Topology to run.
 */
import type { Topology } from '../processor/topology.ts';
import type { Serde } from '../serde/serde.ts';
import { type BuilderOptions, BuilderState } from './internal.ts';
import { KStream } from './kstream.ts';
import { KTable } from './ktable.ts';
import type { Consumed, Materialized } from './options.ts';
import { storeGetter, type TableNodeState, TableSourceProcessor } from './processors/table.ts';

export class StreamsBuilder {
  private readonly b: BuilderState;

  constructor(options: BuilderOptions = {}) {
    this.b = new BuilderState(options);
  }

  stream<K, V>(topics: string | readonly string[], consumed: Consumed<K, V> = {}): KStream<K, V> {
    const list = typeof topics === 'string' ? [topics] : [...topics];
    const name = consumed.name ?? this.b.newName('KSTREAM-SOURCE-');
    const keySerde = this.b.keySerde(consumed.keySerde, `source ${list.join(', ')}`);
    const valueSerde = this.b.valueSerde(consumed.valueSerde, `source ${list.join(', ')}`);
    this.b.topology.addSource(name, list, {
      keySerde: keySerde as Serde<unknown>,
      valueSerde: valueSerde as Serde<unknown>,
      timestampExtractor: consumed.timestampExtractor ?? null,
    });
    return new KStream(this.b, name, keySerde, valueSerde, list, false);
  }

  /**
   * Reads a topic as a table. It keeps a store only when materialized (a
   * storeName) or when a later operator needs its values (joins, groupBy).
   */
  table<K, V>(topic: string, consumed: Consumed<K, V> = {}, materialized: Materialized<K, V> = {}): KTable<K, V> {
    const b = this.b;
    const sourceName = consumed.name ?? b.newName('KSTREAM-SOURCE-');
    const keySerde = b.keySerde(materialized.keySerde ?? consumed.keySerde, `table ${topic}`);
    const valueSerde = b.valueSerde(materialized.valueSerde ?? consumed.valueSerde, `table ${topic}`);
    b.topology.addSource(sourceName, [topic], {
      keySerde: keySerde as Serde<unknown>,
      valueSerde: valueSerde as Serde<unknown>,
      timestampExtractor: consumed.timestampExtractor ?? null,
    });
    const name = b.newName('KTABLE-SOURCE-');
    const generatedStore = materialized.storeName ?? b.newName(`${topic}-STATE-STORE-`);
    const state: TableNodeState = { sendOldValues: false, storeName: null };
    b.topology.addProcessor(name, () => new TableSourceProcessor(state), sourceName);
    let registered = false;
    const materialize = () => {
      if (registered) return;
      registered = true;
      state.storeName = generatedStore;
      b.onBuildMaterialize(() =>
        b.topology.addStateStore(b.keyValueStore(generatedStore, keySerde, valueSerde, materialized), name),
      );
    };
    if (materialized.storeName !== undefined) materialize();
    return new KTable<K, V>(
      b,
      name,
      keySerde,
      valueSerde,
      [topic],
      'source',
      state,
      () => {
        materialize();
        return storeGetter(generatedStore);
      },
      [],
      materialize,
    );
  }

  build(): Topology {
    return this.b.build();
  }
}
