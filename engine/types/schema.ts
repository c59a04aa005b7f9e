/**
 * A source's logical schema: key columns then value columns, as ksqlDB
 * prints it (`ID INT KEY, NAME STRING`). Rows are plain objects keyed by
 * column name; keys are arrays of the key columns' values, in order.
 */
import { formatType, type SqlType } from './sql-type.ts';

export interface Column {
  readonly name: string;
  readonly type: SqlType;
  /** HEADERS / HEADER('k') columns are read from record headers, never written. */
  readonly header?: { readonly key: string | null } | null;
}

export interface LogicalSchema {
  readonly key: readonly Column[];
  readonly value: readonly Column[];
}

export type Row = Record<string, unknown>;
export type KeyValues = unknown[];

/** The pseudo columns every source has; WINDOWSTART/WINDOWEND only windowed ones. */
export const PSEUDO_COLUMNS = ['ROWTIME', 'ROWPARTITION', 'ROWOFFSET'] as const;
export const WINDOW_BOUNDS = ['WINDOWSTART', 'WINDOWEND'] as const;
export const RESERVED_COLUMNS = new Set<string>([...PSEUDO_COLUMNS, ...WINDOW_BOUNDS]);

export function formatSchema(schema: LogicalSchema): string {
  const key = schema.key.map((c) => `\`${c.name}\` ${formatType(c.type)} KEY`);
  const value = schema.value.map((c) => `\`${c.name}\` ${formatType(c.type)}`);
  return [...key, ...value].join(', ');
}

export function findColumn(schema: LogicalSchema, name: string): Column | undefined {
  return schema.key.find((c) => c.name === name) ?? schema.value.find((c) => c.name === name);
}
