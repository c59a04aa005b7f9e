/**
 * A table materialized for pull queries: the table's topic read from the
 * start (read_committed, so exactly what the materializing query committed)
 * into a map from key to row, kept in step as the query writes on. Lookups
 * by key read one entry; key ranges use a sorted index of the keys, rebuilt
 * when keys have come or gone since the last range query; equality on a
 * value column uses an index of that column, built by the first query that
 * asks and kept up to date from then on. A scan reads the rows in ksqlDB's
 * store order (partition, then serialized key), kept until keys change.
 */
import type { KafkaMessage } from 'kafkajs';
import { SESSION_WINDOW_BYTES, TIME_WINDOW_BYTES, windowedKeyPartition } from '../../topology/index.ts';
import type { DataSource } from '../metastore/metastore.ts';
import type { Row } from '../types/schema.ts';
import { type SourceDecoder, sourceDecoder } from './source-records.ts';
import { compareKeys, type KeyLookup } from './transient-query.ts';

interface Entry {
  readonly keyValues: readonly unknown[];
  row: Row;
}

export class MaterializedView {
  private readonly entries = new Map<string, Entry>();
  private readonly decode: SourceDecoder;
  /** Every entry in store order, for scans; null when keys changed since it was built. */
  private storeOrdered: Entry[] | null = null;
  /** Keys sorted by their first column, for ranges; null when keys changed since it was built. */
  private sorted: Entry[] | null = null;
  /** Per indexed value column: value -> the key ids of the rows holding it. */
  private readonly valueIndexes = new Map<string, Map<unknown, Set<string>>>();
  /** Each row's serialized key, the order of a store's scan within a partition. */
  private readonly keyBytes = new WeakMap<Row, Buffer>();

  constructor(readonly source: DataSource) {
    this.decode = sourceDecoder(source);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Applies one partition's batch of the table's topic. */
  apply(partition: number, messages: readonly KafkaMessage[]): void {
    for (const message of messages) {
      const record = this.decode(partition, message);
      if (record === null) continue;
      const existing = this.entries.get(record.id);
      if (existing !== undefined) this.unindex(record.id, existing.row);
      if (record.row === null) {
        if (this.entries.delete(record.id)) {
          this.sorted = null;
          this.storeOrdered = null;
        }
        continue;
      }
      // A copy: the message's key is a view into the whole fetch response, which it would keep alive.
      if (message.key !== null) this.keyBytes.set(record.row, Buffer.from(message.key));
      if (existing !== undefined) existing.row = record.row;
      else {
        this.entries.set(record.id, { keyValues: record.keyValues, row: record.row });
        this.sorted = null;
        this.storeOrdered = null;
      }
      this.index(record.id, record.row);
    }
  }

  /** The table topic's partition count (set once its reader runs; 0 before). */
  partitionCount = 0;

  /** The serialized key (window included) a row was read with. */
  keyBytesOf(row: Row): Buffer | undefined {
    return this.keyBytes.get(row);
  }

  /**
   * The partition of the state store ksqlDB keeps a row in: its topic
   * partition, except that a windowed row's store is chosen by the key
   * without its window (Kafka Streams' WindowedStreamPartitioner).
   */
  storePartitionOf(row: Row): number {
    const bytes = this.keyBytes.get(row);
    const window = this.source.window;
    if (window === null || bytes === undefined || this.partitionCount === 0) return Number(row.ROWPARTITION ?? 0);
    const windowBytes = window.type === 'SESSION' ? SESSION_WINDOW_BYTES : TIME_WINDOW_BYTES;
    return windowedKeyPartition(bytes, windowBytes, this.partitionCount);
  }

  /** The row stored under a key id (see keyString). */
  get(id: string): Row | undefined {
    return this.entries.get(id)?.row;
  }

  /** The rows a lookup selects: exact keys, a range of the first key column, or every row. */
  *rows(lookup: KeyLookup | null, keyId: (key: readonly unknown[]) => string): Iterable<Row> {
    if (lookup === null) {
      for (const entry of this.inStoreOrder()) yield entry.row;
      return;
    }
    if (lookup.kind === 'keys') {
      for (const key of lookup.keys) {
        const row = this.entries.get(keyId(key))?.row;
        if (row !== undefined) yield row;
      }
      return;
    }
    const sorted = this.sortedByKey();
    let i = lookup.low === null ? 0 : lowerBound(sorted, lookup.low);
    if (lookup.low !== null && !lookup.lowInclusive) {
      while (i < sorted.length && compareKeys((sorted[i] as Entry).keyValues[0], lookup.low) === 0) i++;
    }
    for (; i < sorted.length; i++) {
      const entry = sorted[i] as Entry;
      if (lookup.high !== null) {
        const c = compareKeys(entry.keyValues[0], lookup.high);
        if (c > 0 || (c === 0 && !lookup.highInclusive)) break;
      }
      yield entry.row;
    }
  }

  /** The rows whose `column` holds one of `values` (an equality index on that column). */
  *rowsWithValues(column: string, values: readonly unknown[]): Iterable<Row> {
    let index = this.valueIndexes.get(column);
    if (index === undefined) {
      index = new Map();
      this.valueIndexes.set(column, index);
      for (const [id, entry] of this.entries) addTo(index, entry.row[column], id);
    }
    for (const value of new Set(values)) {
      for (const id of index.get(value) ?? []) {
        const row = this.entries.get(id)?.row;
        if (row !== undefined) yield row;
      }
    }
  }

  private index(id: string, row: Row): void {
    for (const [column, index] of this.valueIndexes) addTo(index, row[column], id);
  }

  private unindex(id: string, row: Row): void {
    for (const [column, index] of this.valueIndexes) {
      const ids = index.get(row[column]);
      ids?.delete(id);
      if (ids?.size === 0) index.delete(row[column]);
    }
  }

  /** Every entry in ksqlDB's scan order (see pull-query.ts), rebuilt when keys have come or gone. */
  private inStoreOrder(): Entry[] {
    if (this.storeOrdered === null) {
      const decorated = [...this.entries.values()].map((entry) => ({
        entry,
        partition: this.storePartitionOf(entry.row),
        key: this.keyBytes.get(entry.row),
      }));
      decorated.sort(
        (a, b) =>
          a.partition - b.partition || (a.key !== undefined && b.key !== undefined ? Buffer.compare(a.key, b.key) : 0),
      );
      this.storeOrdered = decorated.map((d) => d.entry);
    }
    return this.storeOrdered;
  }

  private sortedByKey(): Entry[] {
    if (this.sorted === null) {
      this.sorted = [...this.entries.values()].sort((a, b) => compareKeys(a.keyValues[0], b.keyValues[0]));
    }
    return this.sorted;
  }
}

function addTo(index: Map<unknown, Set<string>>, value: unknown, id: string): void {
  const ids = index.get(value);
  if (ids === undefined) index.set(value, new Set([id]));
  else ids.add(id);
}

function lowerBound(sorted: readonly Entry[], value: unknown): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareKeys((sorted[mid] as Entry).keyValues[0], value) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
