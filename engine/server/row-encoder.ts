/**
 * A JSON row sent to /inserts-stream -> the Kafka record of a stream: each
 * column found by name (as written, else upper-cased, as ksqlDB's unquoted
 * names are), coerced to the column's type, serialized in the stream's key
 * and value formats. A value that does not fit its column is an error
 * naming the column.
 */
import type { DataSource } from '../metastore/metastore.ts';
import { sourceKeySerde, sourceValueSerde } from '../planner/physical-plan.ts';
import type { Row } from '../types/schema.ts';
import { coerce } from '../types/values.ts';

export interface EncodedRecord {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly timestamp: number;
}

export type RowEncoder = (row: Record<string, unknown>) => EncodedRecord;

export function rowEncoder(source: DataSource, now: () => number = Date.now): RowEncoder {
  const keySerde = sourceKeySerde(source);
  const valueSerde = sourceValueSerde(source);
  const columns = [...source.schema.key, ...source.schema.value.filter((c) => !c.header)];
  const known = new Set([...columns.map((c) => c.name), 'ROWTIME']);
  return (input) => {
    const byName = new Map<string, unknown>();
    for (const [name, value] of Object.entries(input)) {
      const resolved = known.has(name) ? name : name.toUpperCase();
      if (!known.has(resolved)) throw new Error(`Column name ${name} does not exist.`);
      byName.set(resolved, value);
    }
    const row: Row = {};
    for (const c of columns) {
      const value = byName.get(c.name);
      if (value === undefined || value === null) {
        row[c.name] = null;
        continue;
      }
      // Throws ksqlDB's "Can't convert type" naming the column.
      row[c.name] = coerce(value, c.type, c.name);
    }
    const rowtime = byName.get('ROWTIME');
    const value: Row = {};
    for (const c of source.schema.value) value[c.name] = row[c.name] ?? null;
    return {
      key: keySerde.serialize(
        source.topic,
        source.schema.key.map((c) => row[c.name] ?? null),
      ),
      value: valueSerde.serialize(source.topic, value),
      timestamp: typeof rowtime === 'number' ? rowtime : now(),
    };
  };
}
