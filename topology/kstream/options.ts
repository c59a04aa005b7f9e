/**
 * Options of DSL operations, named after Kafka Streams' config objects
 * (Consumed, Produced, Grouped, Materialized, Joined, StreamJoined,
 * Repartitioned). A missing serde falls back to the builder's default; a
 * missing name is generated (KSTREAM-FILTER-0000000003 style).
 */

import type { TimestampExtractor } from '../processor/timestamp.ts';
import type { StreamPartitioner } from '../processor/topology.ts';
import type { Serde } from '../serde/serde.ts';

/** The serdes most options carry; each falls back to the builder's default. */
export interface KeyValueSerdes<K, V> {
  readonly keySerde?: Serde<K>;
  readonly valueSerde?: Serde<V>;
}

export interface Named {
  readonly name?: string;
}

export interface Consumed<K, V> extends KeyValueSerdes<K, V>, Named {
  readonly timestampExtractor?: TimestampExtractor;
}

export interface Produced<K, V> extends KeyValueSerdes<K, V>, Named {
  readonly partitioner?: StreamPartitioner;
}

export interface Grouped<K, V> extends KeyValueSerdes<K, V> {
  /** Names the repartition topic `<name>-repartition` and its nodes. */
  readonly name?: string;
}

export interface Repartitioned<K, V> extends KeyValueSerdes<K, V>, Named {
  readonly partitions?: number;
}

export interface Materialized<K, V> extends KeyValueSerdes<K, V> {
  /** Names the store (and its changelog `<application.id>-<name>-changelog`); generated when absent. */
  readonly storeName?: string;
  /** lmdb on disk instead of memory. */
  readonly persistent?: boolean;
  /** Default true; only has an effect when the runtime has caching on. */
  readonly caching?: boolean;
  /** Default true: the store is backed by a changelog topic. */
  readonly logging?: boolean;
  /** Window and session stores: how long windows are kept (at least size + grace). */
  readonly retentionMs?: number;
}

export interface Joined<K, V, VO> extends KeyValueSerdes<K, V>, Named {
  readonly otherValueSerde?: Serde<VO>;
}

export interface StreamJoined<K, V, VO> extends KeyValueSerdes<K, V> {
  readonly otherValueSerde?: Serde<VO>;
  /** Base name of the processors. */
  readonly name?: string;
  /** Base name of the join stores: `<storeName>-this-join-store`, `-other-join-store`, `-outer-shared-join-store`. */
  readonly storeName?: string;
  readonly persistent?: boolean;
  readonly logging?: boolean;
}
