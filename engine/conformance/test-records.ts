/**
 * How QTT files write records, and the bytes they stand for. ksqlDB's
 * runner writes a test value as the topic's format would: JSON values as
 * JSON text exactly as given, DELIMITED values as the given line, KAFKA
 * keys and values with Kafka's primitive encodings, schema-registry formats
 * through the source's schema. Outputs are read back into the same shapes.
 */
import { type Serde, Serdes, sessionWindowedSerde, timeWindowedSerde, windowed } from '../../topology/index.ts';
import type { DataSource } from '../metastore/metastore.ts';
import { keySerde, valueSerde } from '../serde/formats.ts';
import type { Column, KeyValues, Row } from '../types/schema.ts';
import { coerce } from '../types/values.ts';
import type { QttRecord } from './qtt.ts';

const SR_HEADER = Buffer.from([0, 0, 0, 0, 1]);

function kafkaPrimitive(column: Column): Serde<unknown> {
  switch (column.type.base) {
    case 'INTEGER':
    case 'DATE':
    case 'TIME':
      return Serdes.Integer() as Serde<unknown>;
    case 'BIGINT':
    case 'TIMESTAMP':
      return Serdes.Long() as Serde<unknown>;
    case 'DOUBLE':
      return Serdes.Double() as Serde<unknown>;
    case 'BYTES':
      return Serdes.Bytes() as Serde<unknown>;
    default:
      return Serdes.String() as Serde<unknown>;
  }
}

/** The bytes of a test key, for a source's key format (and window when given). */
export function keyBytes(source: DataSource, record: QttRecord): Buffer | null {
  const columns = source.schema.key;
  const key = record.key ?? null;
  let inner: Buffer | null;
  if (key === null && columns.length <= 1) inner = null;
  else inner = plainKeyBytes(source, columns, key);
  if (record.window && source.window) {
    const passthrough: Serde<Buffer> = { serialize: (_t, v) => v, deserialize: (_t, b) => b };
    const serde =
      source.window.type === 'SESSION'
        ? sessionWindowedSerde(passthrough)
        : timeWindowedSerde(passthrough, source.window.sizeMs ?? undefined);
    return serde.serialize(source.topic, windowed(inner ?? Buffer.alloc(0), record.window.start, record.window.end));
  }
  return inner;
}

function plainKeyBytes(source: DataSource, columns: readonly Column[], key: unknown): Buffer | null {
  if (columns.length === 0) return key === null ? null : Buffer.from(String(key));
  switch (source.keyFormat) {
    case 'KAFKA': {
      const column = columns[0] as Column;
      const v =
        typeof key === 'string' && column.type.base !== 'STRING' && column.type.base !== 'BYTES' ? Number(key) : key;
      return kafkaPrimitive(column).serialize(source.topic, v as never);
    }
    case 'JSON':
      return Buffer.from(JSON.stringify(key));
    case 'JSON_SR':
      return Buffer.concat([SR_HEADER, Buffer.from(JSON.stringify(key))]);
    case 'DELIMITED':
      return Buffer.from(String(key));
    case 'PROTOBUF':
    case 'PROTOBUF_NOSR': {
      // Protobuf keys are messages: QTT writes them as objects of key columns.
      const obj =
        key !== null && typeof key === 'object' && !Array.isArray(key)
          ? (key as Row)
          : { [(columns[0] as Column).name]: key };
      const values = columns.map((c) => coerce(caseInsensitive(obj, [c])[c.name] ?? null, c.type));
      return keySerde(source.keyFormat, columns, source.keyOptions).serialize(source.topic, values);
    }
    default: {
      const values: KeyValues =
        columns.length === 1
          ? [coerce(key, (columns[0] as Column).type)]
          : columns.map((c) => coerce((key as Row | null)?.[c.name] ?? null, c.type));
      return keySerde(source.keyFormat, columns, source.keyOptions).serialize(source.topic, values);
    }
  }
}

/** The bytes of a test value, for a source's value format. */
export function valueBytes(source: DataSource, value: unknown): Buffer | null {
  if (value === null || value === undefined) return null;
  const columns = source.schema.value.filter((c) => !c.header);
  switch (source.valueFormat) {
    case 'JSON':
    case 'PROTOBUF':
    case 'PROTOBUF_NOSR':
      return Buffer.from(JSON.stringify(value));
    case 'JSON_SR':
      return Buffer.concat([SR_HEADER, Buffer.from(JSON.stringify(value))]);
    case 'DELIMITED':
      return Buffer.from(typeof value === 'string' ? value : String(value));
    case 'KAFKA': {
      const column = columns[0];
      if (column === undefined) return null;
      const v = typeof value === 'string' && column.type.base !== 'STRING' ? Number(value) : value;
      return kafkaPrimitive(column).serialize(source.topic, v as never);
    }
    default: {
      const unwrapped = columns.length === 1 && source.valueOptions.wrapSingleValue === false;
      const row: Row = unwrapped ? { [(columns[0] as Column).name]: value } : caseInsensitive(value as Row, columns);
      const coerced: Row = {};
      for (const c of columns) coerced[c.name] = coerce(row[c.name] ?? null, c.type);
      return valueSerde(source.valueFormat, columns, source.valueOptions).serialize(source.topic, coerced);
    }
  }
}

function caseInsensitive(value: Row, columns: readonly Column[]): Row {
  const out: Row = {};
  const upper = new Map(Object.entries(value ?? {}).map(([k, v]) => [k.toUpperCase(), v]));
  for (const c of columns) out[c.name] = c.name in (value ?? {}) ? value[c.name] : upper.get(c.name.toUpperCase());
  return out;
}

/** A written key in the shape QTT expects: a lone column's value, an object of columns, or null. */
export function readKey(
  source: DataSource,
  bytes: Buffer | null,
): { key: unknown; window: { start: number; end: number } | null } {
  const columns = source.schema.key;
  if (bytes === null) return { key: null, window: null };
  let body = bytes;
  let window: { start: number; end: number } | null = null;
  if (source.window) {
    const passthrough: Serde<Buffer> = { serialize: (_t, v) => v, deserialize: (_t, b) => b };
    const serde =
      source.window.type === 'SESSION'
        ? sessionWindowedSerde(passthrough)
        : timeWindowedSerde(passthrough, source.window.sizeMs ?? undefined);
    const w = serde.deserialize(source.topic, bytes);
    if (w !== null) {
      body = w.key;
      window = w.window;
    }
  }
  if (columns.length === 0) return { key: null, window };
  switch (source.keyFormat) {
    case 'KAFKA':
      return { key: kafkaPrimitive(columns[0] as Column).deserialize(source.topic, body), window };
    case 'JSON':
      return { key: JSON.parse(body.toString('utf8')), window };
    case 'PROTOBUF':
    case 'PROTOBUF_NOSR': {
      const values = keySerde(source.keyFormat, columns, source.keyOptions).deserialize(source.topic, body) ?? [];
      return { key: Object.fromEntries(columns.map((c, i) => [c.name, values[i] ?? null])), window };
    }
    case 'JSON_SR':
      return { key: JSON.parse(body.subarray(5).toString('utf8')), window };
    case 'DELIMITED':
      return { key: body.toString('utf8'), window };
    default: {
      const values = keySerde(source.keyFormat, columns, source.keyOptions).deserialize(source.topic, body) ?? [];
      if (columns.length === 1) return { key: values[0] ?? null, window };
      return { key: Object.fromEntries(columns.map((c, i) => [c.name, values[i] ?? null])), window };
    }
  }
}

/** A written value in the shape QTT expects. */
export function readValue(source: DataSource, bytes: Buffer | null): unknown {
  if (bytes === null) return null;
  const columns = source.schema.value.filter((c) => !c.header);
  switch (source.valueFormat) {
    case 'JSON':
    case 'PROTOBUF':
    case 'PROTOBUF_NOSR':
      return JSON.parse(bytes.toString('utf8'));
    case 'JSON_SR':
      return JSON.parse(bytes.subarray(5).toString('utf8'));
    case 'DELIMITED':
      return bytes.toString('utf8');
    case 'KAFKA':
      return columns[0] ? kafkaPrimitive(columns[0]).deserialize(source.topic, bytes) : null;
    default: {
      const row = valueSerde(source.valueFormat, columns, source.valueOptions).deserialize(source.topic, bytes);
      if (row === null) return null;
      if (columns.length === 1 && source.valueOptions.wrapSingleValue === false)
        return row[(columns[0] as Column).name] ?? null;
      return toPlain(row);
    }
  }
}

function toPlain(v: unknown): unknown {
  if (Buffer.isBuffer(v)) return v.toString('base64');
  if (Array.isArray(v)) return v.map(toPlain);
  if (v !== null && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toPlain(x)]));
  return v;
}
