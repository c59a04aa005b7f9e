/**
 * Knows each destination table's columns, and creates tables (auto.create)
 * and adds missing columns (auto.evolve) the way the connector does: only
 * adds, never drops or alters; a missing field that is required and has no
 * default cannot be added to a table with rows, so it is an error.
 */
import type pg from 'pg';
import { DataException } from '../converters/index.ts';
import type { JdbcSinkConfig } from './config.ts';
import type { FieldsMetadata } from './fields.ts';
import {
  addColumnStatement,
  createTableStatement,
  quoteTable,
  type StatementColumn,
  sqlType,
} from './postgres-dialect.ts';

export interface TableColumns {
  /** column name -> format_type(), e.g. `bigint`, `text[]`, `timestamp without time zone` */
  types: Map<string, string>;
}

/**
 * A column's type by field name, else by the name ignoring case, as the
 * connector's DbStructure finds missing fields: with
 * quote.sql.identifiers=never PostgreSQL folds ksqlDB's `VOTES` to `votes`,
 * and that column is the field's, not a missing one.
 */
export function columnType(columns: TableColumns, name: string): string | undefined {
  const exact = columns.types.get(name);
  if (exact !== undefined) return exact;
  const lower = name.toLowerCase();
  for (const [column, type] of columns.types) if (column.toLowerCase() === lower) return type;
  return undefined;
}

export class TableManager {
  private readonly tables = new Map<string, TableColumns>();

  constructor(private readonly config: JdbcSinkConfig) {}

  /** Forget what is known, after a failed transaction (a CREATE in it was rolled back). */
  reset(): void {
    this.tables.clear();
  }

  private async describe(client: pg.ClientBase, table: string): Promise<TableColumns | undefined> {
    const name = quoteTable(table, this.config.quoteIdentifiers);
    const { rows } = await client.query<{ name: string; type: string }>(
      `SELECT attname AS name, format_type(atttypid, atttypmod) AS type
         FROM pg_attribute WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
      [name],
    );
    if (rows.length === 0) return undefined;
    return { types: new Map(rows.map((r) => [r.name, r.type])) };
  }

  /** The table's columns for these fields, creating or evolving the table as configured. */
  async ensure(
    client: pg.ClientBase,
    table: string,
    fields: FieldsMetadata,
  ): Promise<{ keys: StatementColumn[]; nonKeys: StatementColumn[] }> {
    let columns = this.tables.get(table) ?? (await this.describe(client, table));
    const quote = this.config.quoteIdentifiers;
    const planned = (c: { name: string; schema: StatementColumn['schema'] }) => ({
      name: c.name,
      schema: c.schema,
      type: sqlType(c.schema),
    });
    if (!columns) {
      if (!this.config.autoCreate) {
        throw new DataException(
          `Table ${quoteTable(table, quote)} is missing and auto-creation is disabled: create it, or set auto.create=true`,
        );
      }
      await client.query(
        createTableStatement(table, fields.keyColumns.map(planned), fields.valueColumns.map(planned), quote),
      );
      columns = await this.describe(client, table);
      if (!columns) throw new DataException(`Table ${quoteTable(table, quote)} was created but cannot be found`);
    }
    const existing = columns;
    const missing = fields.allColumns.filter((c) => columnType(existing, c.name) === undefined);
    if (missing.length > 0) {
      if (!this.config.autoEvolve) {
        throw new DataException(
          `Table ${quoteTable(table, quote)} is missing fields (${missing.map((c) => c.name).join(', ')}) and auto-evolution is disabled: add the columns, or set auto.evolve=true`,
        );
      }
      for (const column of missing) {
        if (!column.schema.optional && column.schema.defaultValue === undefined) {
          throw new DataException(
            `Cannot ALTER TABLE ${quoteTable(table, quote)} to add missing field ${column.name}, as the field is not optional and does not have a default value; make it optional or give it a default in the schema`,
          );
        }
        await client.query(addColumnStatement(table, planned(column), quote));
      }
      columns = (await this.describe(client, table))!;
    }
    this.tables.set(table, columns);
    const known = columns;
    const actual = (c: { name: string; schema: StatementColumn['schema'] }) => ({
      name: c.name,
      schema: c.schema,
      type: columnType(known, c.name) ?? sqlType(c.schema),
    });
    return { keys: fields.keyColumns.map(actual), nonKeys: fields.valueColumns.map(actual) };
  }
}
