/**
 * Runs a pull query on a materialized table: the rows its key lookup or
 * range selects, or its value-column equality through the view's index
 * (every row when the WHERE clause pins neither), filtered by the WHERE
 * clause, in the order ksqlDB answers them, projected, up to LIMIT.
 *
 * ksqlDB reads its state store partition by partition: a scan answers the
 * partitions in turn, each partition's rows in the order of their
 * serialized keys (window start last); a keyed lookup groups its keys by
 * partition, partitions in the order their first key is named, keys in the
 * order the WHERE clause names them.
 */
import type { Row } from '../types/schema.ts';
import type { MaterializedView } from './materialized-view.ts';
import { keyString } from './source-records.ts';
import type { TransientQuery } from './transient-query.ts';

export function runPullQuery(query: TransientQuery, view: MaterializedView): unknown[][] {
  if (query.limit === 0) return [];
  const filter = query.filterBeyondLookup ? query.where : null;
  const rows =
    query.valueLookup === null
      ? view.rows(query.lookup, keyString)
      : view.rowsWithValues(query.valueLookup.column, query.valueLookup.values);
  const selected: Row[] = [];
  for (const row of rows) if (filter === null || filter(row)) selected.push(row);
  const ordered = inStoreOrder(query, view, selected);
  const out: unknown[][] = [];
  for (const row of ordered) {
    out.push(query.project(row));
    if (query.limit !== null && out.length >= query.limit) break;
  }
  return out;
}

function inStoreOrder(query: TransientQuery, view: MaterializedView, rows: Row[]): Row[] {
  // A whole-table scan already comes in store order.
  if (rows.length < 2 || (query.lookup === null && query.valueLookup === null && query.pullKeys === null)) return rows;
  const keyNames = query.source.schema.key.map((k) => k.name);
  const keyOf = (row: Row) => keyString(keyNames.map((n) => row[n] ?? null));
  const decorated = rows.map((row) => ({
    row,
    partition: view.storePartitionOf(row),
    key: view.keyBytesOf(row),
    rank: 0,
  }));
  if (query.pullKeys !== null) {
    // ksqlDB groups the keys by partition, partitions in the order their first key is named.
    const lookupIndex = new Map(query.pullKeys.map((k, i) => [keyString(k), i]));
    const partitionOfKey = new Map<number, number>();
    for (const d of decorated) {
      d.rank = lookupIndex.get(keyOf(d.row)) ?? 0;
      partitionOfKey.set(d.rank, d.partition);
    }
    const partitionRank = new Map<number, number>();
    for (const index of [...partitionOfKey.keys()].sort((a, b) => a - b)) {
      const partition = partitionOfKey.get(index) as number;
      if (!partitionRank.has(partition)) partitionRank.set(partition, partitionRank.size);
    }
    for (const d of decorated) d.partition = partitionRank.get(d.partition) ?? 0;
  }
  decorated.sort(
    (a, b) =>
      a.partition - b.partition ||
      a.rank - b.rank ||
      (a.key !== undefined && b.key !== undefined ? Buffer.compare(a.key, b.key) : 0),
  );
  return decorated.map((d) => d.row);
}
