/**
 * Values as ksqlDB's REST API writes them in query rows: numbers and strings
 * as JSON, TIMESTAMP/DATE/TIME as ISO text, BYTES as base64, structs as
 * objects keyed by field name.
 */
import type { SqlType } from '../types/sql-type.ts';

export function restValue(value: unknown, type: SqlType): unknown {
  if (value === null || value === undefined) return null;
  switch (type.base) {
    case 'BYTES':
      return Buffer.isBuffer(value) ? value.toString('base64') : value;
    case 'TIMESTAMP':
      return typeof value === 'number' ? new Date(value).toISOString().slice(0, 23) : value;
    case 'DATE':
      return typeof value === 'number' ? new Date(value * 86_400_000).toISOString().slice(0, 10) : value;
    case 'TIME':
      return typeof value === 'number' ? new Date(value).toISOString().slice(11, 23) : value;
    case 'ARRAY':
      return (value as unknown[]).map((v) => restValue(v, type.element));
    case 'MAP':
      return Object.fromEntries(
        Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, restValue(v, type.value)]),
      );
    case 'STRUCT': {
      const obj = value as Record<string, unknown>;
      return Object.fromEntries(type.fields.map((f) => [f.name, restValue(obj[f.name], f.type)]));
    }
    default:
      return value;
  }
}

/** Whether a type needs converting at all: most columns go out as they are. */
export function isPlainJson(type: SqlType): boolean {
  switch (type.base) {
    case 'BOOLEAN':
    case 'INTEGER':
    case 'BIGINT':
    case 'DOUBLE':
    case 'DECIMAL':
    case 'STRING':
      return true;
    default:
      return false;
  }
}
