/**
 * AVRO through the schema registry, in Confluent's wire format:
 *
 *   [magic 0x00][schema id: int32 BE][Avro binary body]
 *
 * The writer schema is derived from the columns as ksqlDB does (a record
 * `io.confluent.ksql.avro_schemas.KsqlDataSourceSchema` of optional fields,
 * or a single key column's optional type alone) and registered under the
 * topic's subject, `<topic>-key` or `<topic>-value`; the reader looks the
 * writer's schema up by id. The framing is the one Connect's converters
 * read (connect/serde's wire format).
 */
import avro from 'avsc';
import { decodeWireFormat, encodeWireFormat } from '../../connect/serde/index.ts';
import { type Serde, SerializationError } from '../../topology/index.ts';
import type { Column, KeyValues, Row } from '../types/schema.ts';
import type { SqlType } from '../types/sql-type.ts';
import { coerce } from '../types/values.ts';
import type { FormatOptions } from './formats.ts';
import { processRegistry, type SchemaRegistryClient, subjectSchemaIds } from './schema-registry.ts';

function avroType(type: SqlType, name: string): unknown {
  switch (type.base) {
    case 'BOOLEAN':
      return 'boolean';
    case 'INTEGER':
      return 'int';
    case 'BIGINT':
      return 'long';
    case 'DOUBLE':
      return 'double';
    case 'STRING':
      return 'string';
    case 'BYTES':
      return 'bytes';
    case 'DECIMAL':
      // Carried as text inside the engine's encoding: avsc has no decimal logical type by default.
      return { type: 'bytes', logicalType: 'decimal', precision: type.precision, scale: type.scale };
    case 'DATE':
      return { type: 'int', logicalType: 'date' };
    case 'TIME':
      return { type: 'int', logicalType: 'time-millis' };
    case 'TIMESTAMP':
      return { type: 'long', logicalType: 'timestamp-millis' };
    case 'ARRAY':
      return { type: 'array', items: optional(avroType(type.element, `${name}_element`)) };
    case 'MAP':
      return { type: 'map', values: optional(avroType(type.value, `${name}_value`)) };
    case 'STRUCT':
      return {
        type: 'record',
        name,
        fields: type.fields.map((f) => ({
          name: f.name,
          type: optional(avroType(f.type, `${name}_${f.name}`)),
          default: null,
        })),
      };
  }
}

const optional = (t: unknown) => ['null', t];

export function avroSchemaFor(columns: readonly Column[], name = 'KsqlDataSourceSchema'): unknown {
  return {
    type: 'record',
    name,
    namespace: 'io.confluent.ksql.avro_schemas',
    fields: columns.map((c) => ({
      name: c.name,
      type: optional(avroType(c.type, `${name}_${c.name}`)),
      default: null,
    })),
  };
}

/** Engine value -> the value avsc writes (decimals as unscaled two's-complement bytes). */
function toAvro(value: unknown, type: SqlType): unknown {
  if (value === null || value === undefined) return null;
  switch (type.base) {
    case 'DECIMAL': {
      let unscaled = BigInt(Math.round((value as number) * 10 ** type.scale));
      const bytes: number[] = [];
      for (;;) {
        bytes.unshift(Number(unscaled & 0xffn));
        unscaled >>= 8n;
        if (
          (unscaled === 0n && ((bytes[0] as number) & 0x80) === 0) ||
          (unscaled === -1n && ((bytes[0] as number) & 0x80) !== 0)
        )
          break;
      }
      return Buffer.from(bytes);
    }
    case 'ARRAY':
      return (value as unknown[]).map((v) => toAvro(v, type.element));
    case 'MAP':
      return Object.fromEntries(Object.entries(value as Row).map(([k, v]) => [k, toAvro(v, type.value)]));
    case 'STRUCT':
      return Object.fromEntries(type.fields.map((f) => [f.name, toAvro((value as Row)[f.name], f.type)]));
    default:
      return value;
  }
}

function fromAvro(value: unknown, type: SqlType): unknown {
  if (value === null || value === undefined) return null;
  switch (type.base) {
    case 'DECIMAL': {
      if (typeof value === 'number') return value;
      const bytes = value as Buffer;
      let n = 0n;
      for (const b of bytes) n = (n << 8n) | BigInt(b);
      if (bytes.length > 0 && ((bytes[0] as number) & 0x80) !== 0) n -= 1n << BigInt(bytes.length * 8);
      return Number(n) / 10 ** type.scale;
    }
    case 'ARRAY':
      return (value as unknown[]).map((v) => fromAvro(v, type.element));
    case 'MAP':
      return Object.fromEntries(Object.entries(value as Row).map(([k, v]) => [k, fromAvro(v, type.value)]));
    case 'STRUCT': {
      const obj = value as Row;
      const upper = new Map(Object.entries(obj).map(([k, v]) => [k.toUpperCase(), v]));
      return Object.fromEntries(
        type.fields.map((f) => [
          f.name,
          fromAvro(f.name in obj ? obj[f.name] : upper.get(f.name.toUpperCase()), f.type),
        ]),
      );
    }
    default:
      return coerce(value, type);
  }
}

interface AvroCodec {
  encode(topic: string, row: Row): Buffer;
  decode(topic: string, bytes: Buffer): Row;
}

/** A key's single column is written unwrapped, as ksqlDB writes AVRO keys; a value's only with WRAP_SINGLE_VALUE=false. */
function isUnwrapped(columns: readonly Column[], options: FormatOptions, isKey: boolean): boolean {
  return columns.length === 1 && (isKey || options.wrapSingleValue === false);
}

/**
 * The schema text the AVRO serde registers for these columns under
 * `<topic>-key` or `<topic>-value`: what a server with a remote registry
 * registers ahead of the query that writes the topic.
 */
export function avroWriterSchemaText(columns: readonly Column[], options: FormatOptions, isKey: boolean): string {
  const schema = isUnwrapped(columns, options, isKey)
    ? optional(avroType((columns[0] as Column).type, 'KsqlDataSourceSchema'))
    : avroSchemaFor(columns, options.schemaName);
  return JSON.stringify(schema);
}

/** A value's field by the writer's field name: the column of that name, else of that name in another case. */
function fieldValue(obj: Row, name: string): unknown {
  if (name in obj) return obj[name];
  const upper = name.toUpperCase();
  for (const [k, v] of Object.entries(obj)) if (k.toUpperCase() === upper) return v;
  return undefined;
}

/**
 * A value shaped for a registered writer schema (KEY_SCHEMA_ID / VALUE_SCHEMA_ID): record fields by the
 * schema's names, and a field's default where the value has none, as Connect's Struct gives a field's default
 * for a null.
 */
function forWriter(type: avro.Type, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (type instanceof avro.types.RecordType) {
    const obj = value as Row;
    return Object.fromEntries(
      type.fields.map((f) => {
        const v = fieldValue(obj, f.name);
        if (v === null || v === undefined) return [f.name, f.defaultValue() ?? null];
        return [f.name, forWriter(f.type, v)];
      }),
    );
  }
  if (type instanceof avro.types.UnwrappedUnionType) {
    const branches = type.types.filter((t) => t.typeName !== 'null');
    return branches.length === 1 ? forWriter(branches[0] as avro.Type, value) : value;
  }
  if (type instanceof avro.types.ArrayType) return (value as unknown[]).map((v) => forWriter(type.itemsType, v));
  if (type instanceof avro.types.MapType) {
    return Object.fromEntries(Object.entries(value as Row).map(([k, v]) => [k, forWriter(type.valuesType, v)]));
  }
  return value;
}

interface Writer {
  readonly type: avro.Type;
  readonly id: (topic: string) => number;
  /** Set for a registered writer schema: the value reshaped for it. */
  readonly shape: ((value: unknown) => unknown) | null;
}

/** The writer: the registered schema of KEY_SCHEMA_ID / VALUE_SCHEMA_ID, else our own, registered under the subject. */
function writerFor(registry: SchemaRegistryClient, text: string, options: FormatOptions, isKey: boolean): Writer {
  const id = options.schemaId;
  if (id === undefined) {
    return {
      type: avro.Type.forSchema(JSON.parse(text) as avro.Schema, { wrapUnions: false }),
      id: subjectSchemaIds(registry, 'AVRO', text, isKey),
      shape: null,
    };
  }
  const registered = registry.getById(id);
  if (registered.schemaType !== 'AVRO') {
    throw new SerializationError(`Schema ${id} is a ${registered.schemaType} schema, not an AVRO one`);
  }
  const type = avro.Type.forSchema(JSON.parse(registered.schema) as avro.Schema, { wrapUnions: false });
  return { type, id: () => id, shape: (value) => forWriter(type, value) };
}

function codec(columns: readonly Column[], options: FormatOptions, isKey: boolean): AvroCodec {
  const registry = options.registry ?? processRegistry();
  const unwrapped = isUnwrapped(columns, options, isKey);
  const text = avroWriterSchemaText(columns, options, isKey);
  // Looked up on first write: a remote registry has the schema of an id cached by then.
  let writer: Writer | undefined;
  const readers = new Map<number, avro.Type>();
  return {
    encode(topic, row) {
      writer ??= writerFor(registry, text, options, isKey);
      let value = unwrapped
        ? toAvro(row[(columns[0] as Column).name], (columns[0] as Column).type)
        : Object.fromEntries(columns.map((c) => [c.name, toAvro(row[c.name], c.type)]));
      if (writer.shape !== null) value = writer.shape(value);
      return encodeWireFormat(writer.id(topic), writer.type.toBuffer(value));
    },
    decode(topic, bytes) {
      let framed: { schemaId: number; payload: Buffer };
      try {
        framed = decodeWireFormat(bytes);
      } catch {
        throw new SerializationError(`Failed to deserialize value from topic: ${topic}. Unknown magic byte!`);
      }
      const { schemaId } = framed;
      let reader = readers.get(schemaId);
      if (reader === undefined) {
        const registered = registry.getById(schemaId);
        reader = avro.Type.forSchema(JSON.parse(registered.schema), { wrapUnions: false });
        readers.set(schemaId, reader);
      }
      const decoded = reader.fromBuffer(framed.payload) as unknown;
      if (unwrapped) return { [(columns[0] as Column).name]: fromAvro(decoded, (columns[0] as Column).type) };
      const obj = (decoded ?? {}) as Row;
      const upper = new Map(Object.entries(obj).map(([k, v]) => [k.toUpperCase(), v]));
      return Object.fromEntries(
        columns.map((c) => [c.name, fromAvro(c.name in obj ? obj[c.name] : upper.get(c.name.toUpperCase()), c.type)]),
      );
    },
  };
}

export function avroValueSerde(columns: readonly Column[], options: FormatOptions): Serde<Row> {
  const c = codec(columns, options, false);
  return {
    serialize: (topic, row) => (row === null ? null : c.encode(topic, row)),
    deserialize: (topic, bytes) => (bytes === null ? null : c.decode(topic, bytes)),
  };
}

export function avroKeySerde(columns: readonly Column[], options: FormatOptions): Serde<KeyValues> {
  const c = codec(columns, options, true);
  return {
    serialize: (topic, key) => {
      if (key === null) return null;
      return c.encode(topic, Object.fromEntries(columns.map((col, i) => [col.name, key[i] ?? null])));
    },
    deserialize: (topic, bytes) => {
      if (bytes === null) return null;
      const row = c.decode(topic, bytes);
      return columns.map((col) => row[col.name] ?? null);
    },
  };
}
