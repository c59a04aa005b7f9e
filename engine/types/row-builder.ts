/**
 * Rows built per record with a fixed list of fields, as object literals
 * compiled once per list. A loop of `row[name] = value` goes through V8's
 * megamorphic keyed stores (every field of every query passes the same
 * store site) and is two to three times slower than a literal, which also
 * gives every row of the list one hidden class from the start.
 *
 * The generated code holds only the field names, as JSON string literals,
 * and calls to the given functions: nothing else of the input becomes code.
 */
import type { Row } from './schema.ts';

/** Names an object literal cannot take as plain fields (`__proto__: v` sets the prototype). */
const NOT_LITERAL = new Set(['__proto__']);

function literalSafe(fields: readonly string[]): boolean {
  return new Set(fields).size === fields.length && !fields.some((f) => NOT_LITERAL.has(f));
}

/**
 * `(arg) => ({ [fields[0]]: values[0](arg), ... })`: the values computed in
 * order, the fields in order (what the loop would build, byte for byte when
 * serialized).
 */
export function rowBuilder<A>(fields: readonly string[], values: readonly ((arg: A) => unknown)[]): (arg: A) => Row {
  if (fields.length !== values.length) throw new Error('rowBuilder: one value function per field');
  if (!literalSafe(fields)) {
    return (arg) => {
      const out: Row = {};
      for (let i = 0; i < fields.length; i++) out[fields[i] as string] = (values[i] as (arg: A) => unknown)(arg);
      return out;
    };
  }
  const body = fields.map((f, i) => `${JSON.stringify(f)}: v${i}(arg)`).join(', ');
  const params = fields.map((_f, i) => `v${i}`);
  return new Function(...params, `return function (arg) { return { ${body} }; };`)(...values) as (arg: A) => Row;
}

/**
 * `(row) => ({ [fields[0]]: row[fields[0]] ?? null, ... })`: the fields
 * picked from a row, null for a missing one.
 */
export function rowPicker(fields: readonly string[]): (row: Row) => Row {
  if (!literalSafe(fields)) {
    return (row) => {
      const out: Row = {};
      for (const f of fields) out[f] = row[f] ?? null;
      return out;
    };
  }
  const body = fields.map((f) => `${JSON.stringify(f)}: row[${JSON.stringify(f)}] ?? null`).join(', ');
  return new Function(`return function (row) { return { ${body} }; };`)() as (row: Row) => Row;
}

/** Field names of a source row (source-row processor): key columns, value columns and the three pseudo columns. */
export interface SourceRowFields {
  readonly key: readonly string[];
  /** Each value column's field in the row, and its name in the decoded value. */
  readonly value: readonly { readonly field: string; readonly column: string }[];
  readonly rowtime: string;
  readonly rowpartition: string;
  readonly rowoffset: string;
}

export type SourceRowBuild = (
  key: readonly unknown[],
  value: Row,
  rowtime: unknown,
  partition: unknown,
  offset: unknown,
) => Row;

/**
 * `(key, value, rowtime, partition, offset) => row`: key columns from the
 * key's values, value columns from the decoded value (null when missing),
 * then the pseudo columns, in that order.
 */
export function sourceRowBuilder(f: SourceRowFields): SourceRowBuild {
  const fields = [...f.key, ...f.value.map((v) => v.field), f.rowtime, f.rowpartition, f.rowoffset];
  if (!literalSafe(fields) || f.value.some((v) => NOT_LITERAL.has(v.column))) {
    return (key, value, rowtime, partition, offset) => {
      const row: Row = {};
      f.key.forEach((name, i) => {
        row[name] = key[i] ?? null;
      });
      for (const v of f.value) row[v.field] = value[v.column] ?? null;
      row[f.rowtime] = rowtime;
      row[f.rowpartition] = partition;
      row[f.rowoffset] = offset;
      return row;
    };
  }
  const q = JSON.stringify;
  const body = [
    ...f.key.map((name, i) => `${q(name)}: key[${i}] ?? null`),
    ...f.value.map((v) => `${q(v.field)}: value[${q(v.column)}] ?? null`),
    `${q(f.rowtime)}: rowtime`,
    `${q(f.rowpartition)}: partition`,
    `${q(f.rowoffset)}: offset`,
  ].join(', ');
  return new Function(
    `return function (key, value, rowtime, partition, offset) { return { ${body} }; };`,
  )() as SourceRowBuild;
}

/** Turns one field's value into a column's: called as convert(value, types[i], names[i]). */
export type FieldConverter<T> = (value: unknown, type: T, name: string) => unknown;

/**
 * `(object) => ({ [names[i]]: convert(object[fields[i]], types[i], names[i]), ... })`:
 * a row of columns read from an object's fields (undefined where a column has
 * no field), converted in order.
 */
export function fieldRowBuilder<T>(
  names: readonly string[],
  fields: readonly (string | undefined)[],
  types: readonly T[],
  convert: FieldConverter<T>,
): (object: Record<string, unknown>) => Row {
  if (!literalSafe(names)) {
    return (object) => {
      const row: Row = {};
      for (let i = 0; i < names.length; i++) {
        const field = fields[i];
        row[names[i] as string] = convert(
          field === undefined ? undefined : object[field],
          types[i] as T,
          names[i] as string,
        );
      }
      return row;
    };
  }
  const q = JSON.stringify;
  const body = names
    .map((name, i) => {
      const field = fields[i];
      const value = field === undefined ? 'undefined' : `object[${q(field)}]`;
      return `${q(name)}: convert(${value}, types[${i}], names[${i}])`;
    })
    .join(', ');
  return new Function('convert', 'types', 'names', `return function (object) { return { ${body} }; };`)(
    convert,
    types,
    names,
  ) as (object: Record<string, unknown>) => Row;
}
