/**
 * Kafka records of a source's topic -> the rows transient queries read: key
 * columns, value columns, ROWTIME, ROWPARTITION, ROWOFFSET and, for windowed
 * sources, WINDOWSTART/WINDOWEND (the same rows the persistent queries'
 * SourceRowProcessor makes). A record that cannot be read yields null.
 */
import type { IHeaders } from 'kafkajs';
import type { DataSource } from '../metastore/metastore.ts';
import { sourceKeySerde, sourceValueSerde } from '../planner/physical-plan.ts';
import { type AnyKey, isWindowed } from '../planner/processors.ts';
import type { Row } from '../types/schema.ts';

export interface SourceRecord {
  /** Identifies the row within a table (key and window); tables keep one row per id. */
  readonly id: string;
  readonly keyValues: readonly unknown[];
  /** Null for a table's tombstone (the row with `id` is deleted). */
  readonly row: Row | null;
  /** A windowed key's window (what a tombstone still says of its row). */
  readonly window?: { readonly start: number; readonly end: number };
}

export interface KafkaMessageLike {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly timestamp: string;
  readonly offset: string;
  readonly headers?: IHeaders;
}

export type SourceDecoder = (partition: number, message: KafkaMessageLike) => SourceRecord | null;

export function sourceDecoder(source: DataSource): SourceDecoder {
  const keySerde = sourceKeySerde(source);
  const valueSerde = sourceValueSerde(source);
  const keyColumns = source.schema.key;
  const valueColumns = source.schema.value;
  const topic = source.topic;
  return (partition, message) => {
    let key: AnyKey | null;
    let value: Row | null;
    try {
      key = keySerde.deserialize(topic, message.key) as AnyKey | null;
      value = valueSerde.deserialize(topic, message.value);
    } catch {
      return null;
    }
    const keyValues = (isWindowed(key) ? key.key : key) ?? [];
    if (source.type === 'TABLE' && keyColumns.length > 0 && keyValues.every((v) => v === null)) return null;
    const id = isWindowed(key)
      ? JSON.stringify([...keyValues, key.window.start, key.window.end])
      : keyString(keyValues as unknown[]);
    if (value === null && source.type === 'TABLE') {
      return isWindowed(key) ? { id, keyValues, row: null, window: key.window } : { id, keyValues, row: null };
    }
    // A stream's record without a value is not a row transient queries see (ksqlDB skips it as invalid).
    if (value === null && message.value === null && valueColumns.length > 0) return null;
    const row: Row = {};
    keyColumns.forEach((c, i) => {
      row[c.name] = keyValues[i] ?? null;
    });
    for (const c of valueColumns)
      row[c.name] = c.header ? headerValue(message.headers, c.header.key) : (value?.[c.name] ?? null);
    row.ROWTIME = Number(message.timestamp);
    row.ROWPARTITION = partition;
    row.ROWOFFSET = Number(message.offset);
    if (isWindowed(key)) {
      row.WINDOWSTART = key.window.start;
      row.WINDOWEND = key.window.end;
    }
    return { id, keyValues, row };
  };
}

/** The map key of a (non-windowed) key: what lookups compute from the WHERE clause's constants. */
export function keyString(keyValues: readonly unknown[]): string {
  if (keyValues.length === 1) {
    const v = keyValues[0];
    // The common single string or number key, without JSON's cost.
    if (typeof v === 'string') return `s${v}`;
    if (typeof v === 'number') return `n${v}`;
  }
  return `j${JSON.stringify(keyValues)}`;
}

function headerValue(headers: IHeaders | undefined, key: string | null): unknown {
  const entries = Object.entries(headers ?? {}).map(([k, v]) => ({
    KEY: k,
    VALUE: Buffer.isBuffer(v) ? v.toString('base64') : v === undefined ? null : String(v),
  }));
  if (key === null) return entries;
  return entries.find((e) => e.KEY === key)?.VALUE ?? null;
}
