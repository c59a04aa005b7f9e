/**
 * ksqlDB's SQL types, and how values of each are held in memory:
 *
 *   BOOLEAN boolean; INT, BIGINT, DOUBLE number (BIGINT exact to 2^53);
 *   DECIMAL(p, s) number rounded to s places; STRING string; BYTES Buffer;
 *   DATE days since the epoch; TIME milliseconds of the day;
 *   TIMESTAMP epoch milliseconds; ARRAY unknown[]; MAP plain object (keys are
 *   strings); STRUCT plain object keyed by field name. null is SQL NULL.
 */

export type SqlType =
  | { readonly base: 'BOOLEAN' | 'INTEGER' | 'BIGINT' | 'DOUBLE' | 'STRING' | 'BYTES' | 'DATE' | 'TIME' | 'TIMESTAMP' }
  | { readonly base: 'DECIMAL'; readonly precision: number; readonly scale: number }
  | { readonly base: 'ARRAY'; readonly element: SqlType }
  | { readonly base: 'MAP'; readonly key: SqlType; readonly value: SqlType }
  | { readonly base: 'STRUCT'; readonly fields: readonly StructField[] };

export interface StructField {
  readonly name: string;
  readonly type: SqlType;
}

export type BaseType = SqlType['base'];

export const BOOLEAN: SqlType = { base: 'BOOLEAN' };
export const INTEGER: SqlType = { base: 'INTEGER' };
export const BIGINT: SqlType = { base: 'BIGINT' };
export const DOUBLE: SqlType = { base: 'DOUBLE' };
export const STRING: SqlType = { base: 'STRING' };
export const BYTES: SqlType = { base: 'BYTES' };
export const DATE: SqlType = { base: 'DATE' };
export const TIME: SqlType = { base: 'TIME' };
export const TIMESTAMP: SqlType = { base: 'TIMESTAMP' };

export const decimal = (precision: number, scale: number): SqlType => ({ base: 'DECIMAL', precision, scale });
export const array = (element: SqlType): SqlType => ({ base: 'ARRAY', element });
export const map = (key: SqlType, value: SqlType): SqlType => ({ base: 'MAP', key, value });
export const struct = (fields: readonly StructField[]): SqlType => ({ base: 'STRUCT', fields });

export function isNumeric(t: SqlType): boolean {
  return t.base === 'INTEGER' || t.base === 'BIGINT' || t.base === 'DOUBLE' || t.base === 'DECIMAL';
}

export function isIntegral(t: SqlType): boolean {
  return t.base === 'INTEGER' || t.base === 'BIGINT';
}

/** The type as ksqlDB prints it in schemas and messages: `STRUCT<A STRING>`, `DECIMAL(4, 1)`. */
export function formatType(t: SqlType): string {
  switch (t.base) {
    case 'DECIMAL':
      return `DECIMAL(${t.precision}, ${t.scale})`;
    case 'ARRAY':
      return `ARRAY<${formatType(t.element)}>`;
    case 'MAP':
      return `MAP<${formatType(t.key)}, ${formatType(t.value)}>`;
    case 'STRUCT':
      return `STRUCT<${t.fields.map((f) => `${quoteIfNeeded(f.name)} ${formatType(f.type)}`).join(', ')}>`;
    default:
      return t.base;
  }
}

function quoteIfNeeded(name: string): string {
  return `\`${name}\``;
}

export function typesEqual(a: SqlType, b: SqlType): boolean {
  return formatType(a) === formatType(b);
}

/** Decimal precision and scale that hold every value of an integral or decimal type. */
export function asDecimal(t: SqlType): { precision: number; scale: number } | null {
  if (t.base === 'DECIMAL') return { precision: t.precision, scale: t.scale };
  if (t.base === 'INTEGER') return { precision: 10, scale: 0 };
  if (t.base === 'BIGINT') return { precision: 19, scale: 0 };
  return null;
}

/** The wider of two numeric types, following ksqlDB's promotion INT < BIGINT < DECIMAL < DOUBLE. */
export function widerNumeric(a: SqlType, b: SqlType): SqlType {
  const rank = (t: SqlType) => ['INTEGER', 'BIGINT', 'DECIMAL', 'DOUBLE'].indexOf(t.base);
  if (a.base === 'DECIMAL' && b.base === 'DECIMAL') {
    const scale = Math.max(a.scale, b.scale);
    const digits = Math.max(a.precision - a.scale, b.precision - b.scale);
    return decimal(Math.min(38, digits + scale), scale);
  }
  if (a.base === 'DECIMAL' && isIntegral(b)) return widerNumeric(a, decimalOf(b));
  if (b.base === 'DECIMAL' && isIntegral(a)) return widerNumeric(decimalOf(a), b);
  return rank(a) >= rank(b) ? a : b;
}

function decimalOf(t: SqlType): SqlType {
  const d = asDecimal(t) as { precision: number; scale: number };
  return decimal(d.precision, d.scale);
}
