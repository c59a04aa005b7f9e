/**
 * PostgreSQL as the JDBC sink connector's PostgreSqlDatabaseDialect writes
 * it: the type of each Connect schema, quoted identifiers, and the batched
 * statements. Rows travel as one array parameter per column through
 * unnest(), so a batch of 3,000 rows is one statement with a handful of
 * parameters (much cheaper to parse than 18,000 placeholders); tables with
 * array columns fall back to a VALUES list, since unnest flattens arrays.
 *
 *   insert  INSERT INTO t (k, v) SELECT * FROM unnest($1::bigint[], $2::text[]) AS v(k, v)
 *   upsert  ... ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v
 *   update  UPDATE t AS t SET v = s.v FROM unnest(...) AS s(k, v) WHERE t.k = s.k
 *   delete  DELETE FROM t AS t USING unnest($1::bigint[]) AS s(k) WHERE t.k = s.k
 */
import { type ConnectSchema, DataException, LOGICAL } from '../converters/index.ts';

/** The column type the connector creates for a Connect schema. */
export function sqlType(schema: ConnectSchema): string {
  switch (schema.name) {
    case LOGICAL.decimal:
      return 'DECIMAL';
    case LOGICAL.date:
      return 'DATE';
    case LOGICAL.time:
      return 'TIME';
    case LOGICAL.timestamp:
      return 'TIMESTAMP';
  }
  switch (schema.type) {
    case 'INT8':
    case 'INT16':
      return 'SMALLINT';
    case 'INT32':
      return 'INT';
    case 'INT64':
      return 'BIGINT';
    case 'FLOAT32':
      return 'REAL';
    case 'FLOAT64':
      return 'DOUBLE PRECISION';
    case 'BOOLEAN':
      return 'BOOLEAN';
    case 'STRING':
      return 'TEXT';
    case 'BYTES':
      return 'BYTEA';
    case 'ARRAY': {
      const element = schema.valueSchema!;
      if (element.type === 'ARRAY' || element.type === 'MAP' || element.type === 'STRUCT') {
        throw new DataException(`Unsupported source data type: ARRAY of ${element.type} has no PostgreSQL column type`);
      }
      return `${sqlType(element)}[]`;
    }
    default:
      throw new DataException(
        `Unsupported source data type: ${schema.type}${schema.name ? ` (${schema.name})` : ''}; the JDBC sink writes primitive fields, logical types and arrays only`,
      );
  }
}

export function quoteIdentifier(name: string, quote: boolean): string {
  return quote ? `"${name.replaceAll('"', '""')}"` : name;
}

/** `schema.table` or `table`, each part quoted. */
export function quoteTable(table: string, quote: boolean): string {
  return table
    .split('.')
    .map((part) => quoteIdentifier(part, quote))
    .join('.');
}

const iso = (ms: number) => new Date(ms).toISOString();

/** A Connect value as the text PostgreSQL reads for the column (timestamps in UTC, as the connector's db.timezone default). */
export function bindValue(schema: ConnectSchema, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (schema.name) {
    case LOGICAL.timestamp:
      return value instanceof Date ? value.toISOString().slice(0, -1) : iso(Number(value)).slice(0, -1);
    case LOGICAL.date:
      return value instanceof Date ? value.toISOString().slice(0, 10) : iso(Number(value) * 86_400_000).slice(0, 10);
    case LOGICAL.time:
      return value instanceof Date ? value.toISOString().slice(11, -1) : iso(Number(value)).slice(11, -1);
  }
  if (schema.type === 'ARRAY') return (value as unknown[]).map((v) => bindValue(schema.valueSchema!, v));
  if (typeof value === 'bigint') return value.toString();
  return value;
}

export interface StatementColumn {
  name: string;
  /** The column's type in the table (format_type), used for casts. */
  type: string;
  schema: ConnectSchema;
}

export interface Statement {
  text: string;
  values: unknown[];
}

/** The rows as a FROM item `... AS s(cols)` and its parameters. */
function rowSource(columns: StatementColumn[], rows: unknown[][], quote: boolean): Statement {
  const aliases = columns.map((c) => quoteIdentifier(c.name, quote)).join(', ');
  const unnestable = columns.every((c) => !c.type.endsWith('[]'));
  if (unnestable) {
    const arrays = columns.map((_, i) => rows.map((row) => row[i]));
    const casts = columns.map((c, i) => `$${i + 1}::${c.type}[]`).join(', ');
    return { text: `unnest(${casts}) AS s(${aliases})`, values: arrays };
  }
  const values: unknown[] = [];
  const tuples = rows.map((row) => {
    const placeholders = row.map((v, i) => {
      values.push(v);
      return `$${values.length}::${columns[i]!.type}`;
    });
    return `(${placeholders.join(', ')})`;
  });
  return { text: `(VALUES ${tuples.join(', ')}) AS s(${aliases})`, values };
}

/** The most rows one statement carries: PostgreSQL allows 65,535 parameters, which binds the VALUES form. */
export function maxRowsPerStatement(columns: StatementColumn[], batchSize: number): number {
  const unnestable = columns.every((c) => !c.type.endsWith('[]'));
  return unnestable ? batchSize : Math.max(1, Math.min(batchSize, Math.floor(65_535 / Math.max(1, columns.length))));
}

export function insertStatement(
  table: string,
  keys: StatementColumn[],
  nonKeys: StatementColumn[],
  rows: unknown[][],
  mode: 'insert' | 'upsert',
  quote: boolean,
): Statement {
  const columns = [...keys, ...nonKeys];
  const source = rowSource(columns, rows, quote);
  const names = columns.map((c) => quoteIdentifier(c.name, quote)).join(', ');
  let text = `INSERT INTO ${quoteTable(table, quote)} (${names}) SELECT * FROM ${source.text}`;
  if (mode === 'upsert') {
    const conflict = keys.map((c) => quoteIdentifier(c.name, quote)).join(', ');
    const updates = nonKeys.map(
      (c) => `${quoteIdentifier(c.name, quote)} = EXCLUDED.${quoteIdentifier(c.name, quote)}`,
    );
    text +=
      updates.length > 0
        ? ` ON CONFLICT (${conflict}) DO UPDATE SET ${updates.join(', ')}`
        : ` ON CONFLICT (${conflict}) DO NOTHING`;
  }
  return { text, values: source.values };
}

export function updateStatement(
  table: string,
  keys: StatementColumn[],
  nonKeys: StatementColumn[],
  rows: unknown[][],
  quote: boolean,
): Statement | undefined {
  if (nonKeys.length === 0) return undefined;
  const source = rowSource([...keys, ...nonKeys], rows, quote);
  const q = (c: StatementColumn) => quoteIdentifier(c.name, quote);
  const sets = nonKeys.map((c) => `${q(c)} = s.${q(c)}`).join(', ');
  const where = keys.map((c) => `t.${q(c)} = s.${q(c)}`).join(' AND ');
  return {
    text: `UPDATE ${quoteTable(table, quote)} AS t SET ${sets} FROM ${source.text} WHERE ${where}`,
    values: source.values,
  };
}

export function deleteStatement(table: string, keys: StatementColumn[], rows: unknown[][], quote: boolean): Statement {
  const source = rowSource(keys, rows, quote);
  const q = (c: StatementColumn) => quoteIdentifier(c.name, quote);
  const where = keys.map((c) => `t.${q(c)} = s.${q(c)}`).join(' AND ');
  return {
    text: `DELETE FROM ${quoteTable(table, quote)} AS t USING ${source.text} WHERE ${where}`,
    values: source.values,
  };
}

export function createTableStatement(
  table: string,
  keys: StatementColumn[],
  nonKeys: StatementColumn[],
  quote: boolean,
): string {
  const definitions = [...keys, ...nonKeys].map((c) => columnDefinition(c, keys.includes(c), quote));
  if (keys.length > 0) definitions.push(`PRIMARY KEY(${keys.map((c) => quoteIdentifier(c.name, quote)).join(',')})`);
  return `CREATE TABLE IF NOT EXISTS ${quoteTable(table, quote)} (\n${definitions.map((d) => `  ${d}`).join(',\n')})`;
}

export function addColumnStatement(table: string, column: StatementColumn, quote: boolean): string {
  return `ALTER TABLE ${quoteTable(table, quote)} ADD COLUMN IF NOT EXISTS ${columnDefinition(column, false, quote)}`;
}

function columnDefinition(column: StatementColumn, isKey: boolean, quote: boolean): string {
  let definition = `${quoteIdentifier(column.name, quote)} ${column.type}`;
  const { defaultValue, optional } = column.schema;
  if (defaultValue !== undefined && defaultValue !== null && !isKey) {
    definition += ` DEFAULT ${literal(bindValue(column.schema, defaultValue))}`;
  }
  if (isKey || !optional) definition += ' NOT NULL';
  else definition += ' NULL';
  return definition;
}

function literal(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return `'${String(value).replaceAll("'", "''")}'`;
}
