/**
 * What a panel reads from PostgreSQL: the tables of the dashboard's schema
 * with their column kinds, and a snapshot of one table (its first rows and
 * its totals). Identifiers come from the catalog, and are still quoted.
 */
import pg from 'pg';

export type ColumnKind = 'number' | 'text' | 'time' | 'boolean' | 'other';

export interface ColumnInfo {
  name: string;
  kind: ColumnKind;
  /** Part of the primary key (a sink table's key columns, which upserts match on). */
  key?: boolean;
}

export interface TableInfo {
  schema: string;
  name: string;
  columns: ColumnInfo[];
}

export type CellValue = number | string | boolean | Date | null;

export interface TableSnapshot {
  table: TableInfo;
  /** At most `ROW_LIMIT` rows, numbers as numbers. */
  rows: Record<string, CellValue>[];
  rowCount: number;
  /** The sum of every numeric column outside the key over all rows (not only those shown). */
  totals: Record<string, number>;
  /** The numeric column outside the key that rows are ordered by, descending, if there is one. */
  orderedBy?: string;
}

export const ROW_LIMIT = 50;

const NUMERIC_TYPES = new Set(['smallint', 'integer', 'bigint', 'numeric', 'real', 'double precision']);
const TEXT_TYPES = new Set(['text', 'character varying', 'character', 'name', 'uuid']);

export function columnKind(dataType: string): ColumnKind {
  if (NUMERIC_TYPES.has(dataType)) return 'number';
  if (TEXT_TYPES.has(dataType)) return 'text';
  if (dataType.startsWith('timestamp') || dataType === 'date') return 'time';
  if (dataType === 'boolean') return 'boolean';
  return 'other';
}

const quote = (identifier: string) => pg.escapeIdentifier(identifier);

/** Every ordinary or partitioned table of the schema (not partitions), by name. */
export async function listTables(db: pg.Pool | pg.Client, schema: string): Promise<TableInfo[]> {
  const { rows } = await db.query<{ table_name: string; column_name: string; data_type: string; key: boolean }>(
    `SELECT c.relname AS table_name, a.attname AS column_name, format_type(a.atttypid, NULL) AS data_type,
            EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary AND a.attnum = ANY (i.indkey)) AS key
       FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition
      ORDER BY c.relname, a.attnum`,
    [schema],
  );
  const tables = new Map<string, TableInfo>();
  for (const row of rows) {
    let table = tables.get(row.table_name);
    if (!table) {
      table = { schema, name: row.table_name, columns: [] };
      tables.set(row.table_name, table);
    }
    table.columns.push({ name: row.column_name, kind: columnKind(row.data_type), ...(row.key && { key: true }) });
  }
  return [...tables.values()];
}

function normalise(value: unknown, kind: ColumnKind): CellValue {
  if (value === null || value === undefined) return null;
  // pg returns bigint and numeric as strings, to keep precision; a dashboard shows them as numbers.
  if (kind === 'number') return Number(value);
  if (value instanceof Date || typeof value === 'boolean' || typeof value === 'number') return value;
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

export async function readSnapshot(db: pg.Pool | pg.Client, table: TableInfo): Promise<TableSnapshot> {
  const from = `${quote(table.schema)}.${quote(table.name)}`;
  // A number in the key (an hour, a year) names a row; the measures are the numbers outside it.
  const numeric = table.columns.filter((c) => c.kind === 'number' && !c.key);
  const orderedBy = numeric[0]?.name;
  const order = orderedBy ? ` ORDER BY ${quote(orderedBy)} DESC NULLS LAST` : '';
  const sums = numeric.map((c, i) => `, sum(${quote(c.name)})::float8 AS s${i}`).join('');
  const [rowsResult, totalsResult] = await Promise.all([
    db.query(`SELECT * FROM ${from}${order} LIMIT ${ROW_LIMIT}`),
    db.query(`SELECT count(*)::float8 AS n${sums} FROM ${from}`),
  ]);
  const rows = rowsResult.rows.map((row: Record<string, unknown>) => {
    const out: Record<string, CellValue> = {};
    for (const column of table.columns) out[column.name] = normalise(row[column.name], column.kind);
    return out;
  });
  const totalsRow = totalsResult.rows[0] as Record<string, number | null>;
  const totals: Record<string, number> = {};
  numeric.forEach((c, i) => {
    totals[c.name] = totalsRow[`s${i}`] ?? 0;
  });
  return { table, rows, rowCount: totalsRow.n ?? 0, totals, ...(orderedBy && { orderedBy }) };
}
