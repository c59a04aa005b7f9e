/**
 * Runs a pull query on a materialized table: the rows its key lookup or
 * range selects, or its value-column equality through the view's index
 * (every row when the WHERE clause pins neither), filtered by what the
 * WHERE clause says beyond the key, projected, up to LIMIT.
 */
import type { MaterializedView } from './materialized-view.ts';
import { keyString } from './source-records.ts';
import type { TransientQuery } from './transient-query.ts';

export function runPullQuery(query: TransientQuery, view: MaterializedView): unknown[][] {
  const out: unknown[][] = [];
  const filter = query.filterBeyondLookup ? query.where : null;
  if (query.limit === 0) return out;
  const rows =
    query.valueLookup === null
      ? view.rows(query.lookup, keyString)
      : view.rowsWithValues(query.valueLookup.column, query.valueLookup.values);
  for (const row of rows) {
    if (filter !== null && !filter(row)) continue;
    out.push(query.project(row));
    if (query.limit !== null && out.length >= query.limit) break;
  }
  return out;
}
