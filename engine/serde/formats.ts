/**
 * ksqlDB's serialization formats for keys and values:
 *
 *   KAFKA      one column, Kafka's primitive encodings (INT 4 bytes, BIGINT 8, DOUBLE 8, STRING UTF-8)
 *   JSON       an object of columns; one column may be unwrapped (keys always are)
 *   DELIMITED  one line of text, columns in schema order, CSV quoting
 *   NONE       no key at all
 *   AVRO / JSON_SR / PROTOBUF  through the schema registry (schema-registry.ts)
 *
 * Each serde turns bytes into the engine's values (coerced to the declared
 * types) and back; a record it cannot read throws a SerializationError, which
 * the runtime logs and skips.
 */

import { encodeWireFormat } from '../../connect/serde/index.ts';
import { type Serde, Serdes, SerializationError } from '../../topology/index.ts';
import { fieldRowBuilder, rowPicker } from '../types/row-builder.ts';
import type { Column, KeyValues, Row } from '../types/schema.ts';
import { formatType, type SqlType } from '../types/sql-type.ts';
import { CastError, coerce, decimalText, javaDouble, toText } from '../types/values.ts';
import { avroKeySerde, avroValueSerde } from './avro.ts';
import { jsonSrWriterSchemaText } from './json-schema.ts';
import { type SchemaRegistryClient, subjectSchemaIds } from './schema-registry.ts';

export type FormatName = 'KAFKA' | 'JSON' | 'DELIMITED' | 'NONE' | 'AVRO' | 'JSON_SR' | 'PROTOBUF' | 'PROTOBUF_NOSR';

export const FORMATS: readonly FormatName[] = [
  'KAFKA',
  'JSON',
  'DELIMITED',
  'NONE',
  'AVRO',
  'JSON_SR',
  'PROTOBUF',
  'PROTOBUF_NOSR',
];

/** A statement-level problem with a format: unsupported type, too many columns. */
export class FormatError extends Error {
  override name = 'KsqlException';
}

export interface FormatOptions {
  readonly delimiter?: string;
  /** WRAP_SINGLE_VALUE: false writes a lone value column without its object. */
  readonly wrapSingleValue?: boolean;
  readonly registry?: SchemaRegistryClient;
  /** The subject's record name (AVRO full schema name). */
  readonly schemaName?: string;
  /** KEY_SCHEMA_ID / VALUE_SCHEMA_ID: AVRO writes with this registered schema (its defaults fill what is missing). */
  readonly schemaId?: number;
}

export function checkFormat(format: string): FormatName {
  const f = format.toUpperCase();
  if (!(FORMATS as readonly string[]).includes(f)) throw new FormatError(`Unknown format: ${format}`);
  return f as FormatName;
}

/** Rejects column types a format cannot carry, with ksqlDB's wording. */
export function validateColumns(format: FormatName, columns: readonly Column[], isKey: boolean): void {
  if (format === 'NONE') {
    if (columns.length > 0)
      throw new FormatError(
        `The 'NONE' format can only be used when no columns are defined. Got: ${columns.map((c) => c.name).join(', ')}`,
      );
    return;
  }
  const shown = columns.map((c) => `\`${c.name}\` ${formatType(c.type)}${isKey ? ' KEY' : ''}`).join(', ');
  const fail = (reason: string): never => {
    if (!isKey) throw new FormatError(reason);
    throw new FormatError(
      `Key format does not support schema.\nformat: ${format}\nschema: Persistence{columns=[${shown}], features=[]}\nreason: ${reason}`,
    );
  };
  if (format === 'KAFKA' && columns.length > 1)
    fail(`The '${format}' format only supports a single field. Got: [${shown}]`);
  for (const c of columns) {
    const t = c.type.base;
    if (format === 'DELIMITED' && (t === 'STRUCT' || t === 'ARRAY' || t === 'MAP')) {
      throw new FormatError(`The 'DELIMITED' format does not support type '${t}', column: \`${c.name}\``);
    }
    if (format === 'KAFKA' && (t === 'STRUCT' || t === 'ARRAY' || t === 'MAP' || t === 'BOOLEAN' || t === 'DECIMAL')) {
      fail(`The 'KAFKA' format does not support type '${t}'`);
    }
    if ((format === 'JSON' || format === 'JSON_SR') && c.type.base === 'MAP' && c.type.key.base !== 'STRING') {
      throw new FormatError('JSON only supports MAP types with STRING keys');
    }
  }
}

export function keySerde(
  format: FormatName,
  columns: readonly Column[],
  options: FormatOptions = {},
): Serde<KeyValues> {
  if (columns.length === 0 || format === 'NONE') {
    return { serialize: () => null, deserialize: (_t, bytes) => (bytes === null ? null : []) };
  }
  switch (format) {
    case 'KAFKA':
      return singleColumn(kafkaSerde(columns[0] as Column));
    case 'JSON':
    case 'JSON_SR':
    case 'PROTOBUF':
    case 'PROTOBUF_NOSR':
      return columns.length === 1
        ? singleColumn(jsonColumnSerde(columns[0] as Column, srFrame(format, columns, true, options)))
        : asKeyValues(jsonRowSerde(columns, true, srFrame(format, columns, true, options)), columns);
    case 'DELIMITED':
      return asKeyValues(delimitedSerde(columns, options.delimiter ?? ','), columns);
    case 'AVRO':
      return avroKeySerde(columns, options);
  }
}

export function valueSerde(format: FormatName, columns: readonly Column[], options: FormatOptions = {}): Serde<Row> {
  const written = columns.filter((c) => !c.header);
  switch (format) {
    case 'KAFKA': {
      if (written.length === 0) return { serialize: () => null, deserialize: (_t, b) => (b === null ? null : {}) };
      const column = written[0] as Column;
      const inner = kafkaSerde(column);
      return {
        serialize: (topic, row) => (row === null ? null : inner.serialize(topic, row[column.name] ?? null)),
        deserialize: (topic, bytes) => (bytes === null ? null : { [column.name]: inner.deserialize(topic, bytes) }),
      };
    }
    case 'JSON':
    case 'JSON_SR':
    case 'PROTOBUF':
    case 'PROTOBUF_NOSR': {
      if (written.length === 1 && options.wrapSingleValue === false) {
        const column = written[0] as Column;
        const inner = jsonColumnSerde(column, srFrame(format, written, false, options));
        return {
          serialize: (topic, row) => (row === null ? null : inner.serialize(topic, row[column.name] ?? null)),
          deserialize: (topic, bytes) => (bytes === null ? null : { [column.name]: inner.deserialize(topic, bytes) }),
        };
      }
      const rows = jsonRowSerde(written, false, srFrame(format, written, false, options));
      if (format === 'JSON' || format === 'JSON_SR') return rows;
      // Protobuf has no null for scalars: a null column is written as its type's default.
      return {
        serialize: (topic, row) => (row === null ? null : rows.serialize(topic, withProtobufDefaults(row, written))),
        deserialize: (topic, bytes) => {
          const row = rows.deserialize(topic, bytes);
          return row === null ? null : withProtobufDefaults(row, written);
        },
      };
    }
    case 'DELIMITED':
      return delimitedSerde(written, options.delimiter ?? ',');
    case 'AVRO':
      return avroValueSerde(written, options);
    case 'NONE':
      return { serialize: () => null, deserialize: () => null };
  }
}

function protobufDefault(type: SqlType): unknown {
  switch (type.base) {
    case 'STRING':
      return '';
    case 'BOOLEAN':
      return false;
    case 'ARRAY':
      return [];
    case 'MAP':
      return {};
    case 'STRUCT':
    case 'BYTES':
      return null;
    default:
      return 0;
  }
}

function protobufValue(value: unknown, type: SqlType): unknown {
  if (value === null || value === undefined) return protobufDefault(type);
  if (type.base === 'STRUCT') {
    const obj = value as Row;
    return Object.fromEntries(type.fields.map((f) => [f.name, protobufValue(obj[f.name], f.type)]));
  }
  if (type.base === 'ARRAY') return (value as unknown[]).map((v) => protobufValue(v, type.element));
  if (type.base === 'MAP') {
    return Object.fromEntries(Object.entries(value as Row).map(([k, v]) => [k, protobufValue(v, type.value)]));
  }
  return value;
}

function withProtobufDefaults(row: Row, columns: readonly Column[]): Row {
  const out: Row = {};
  for (const c of columns) out[c.name] = protobufValue(row[c.name], c.type);
  return out;
}

function singleColumn(inner: Serde<unknown>): Serde<KeyValues> {
  return {
    serialize: (topic, key) => (key === null ? null : inner.serialize(topic, key[0] ?? null)),
    deserialize: (topic, bytes) => [inner.deserialize(topic, bytes)],
  };
}

function asKeyValues(inner: Serde<Row>, columns: readonly Column[]): Serde<KeyValues> {
  return {
    serialize: (topic, key) => {
      if (key === null) return null;
      const row: Row = {};
      columns.forEach((c, i) => {
        row[c.name] = key[i] ?? null;
      });
      return inner.serialize(topic, row);
    },
    deserialize: (topic, bytes) => {
      const row = inner.deserialize(topic, bytes);
      return columns.map((c) => (row === null ? null : (row[c.name] ?? null)));
    },
  };
}

function kafkaSerde(column: Column): Serde<unknown> {
  const wrap = <T>(serde: Serde<T>): Serde<unknown> => ({
    serialize: (topic, v) => serde.serialize(topic, v as T | null),
    deserialize: (topic, bytes) => {
      try {
        return serde.deserialize(topic, bytes);
      } catch (error) {
        throw new SerializationError(
          `Failed to deserialize ${formatType(column.type)} from topic: ${topic}. ${(error as Error).message}`,
        );
      }
    },
  });
  switch (column.type.base) {
    case 'INTEGER':
    case 'DATE':
    case 'TIME':
      return wrap(Serdes.Integer());
    case 'BIGINT':
    case 'TIMESTAMP':
      return wrap(Serdes.Long());
    case 'DOUBLE':
      return wrap(Serdes.Double());
    case 'STRING':
      return wrap(Serdes.String());
    case 'BYTES':
      return wrap(Serdes.Bytes());
    default:
      throw new FormatError(`The 'KAFKA' format does not support type '${column.type.base}'`);
  }
}

/** JSON_SR's framing: the schema registered for the topic's subject (json-schema.ts), in the wire format. */
type SrFrame = ((topic: string, body: Buffer) => Buffer) | null;

function srFrame(format: FormatName, columns: readonly Column[], isKey: boolean, options: FormatOptions): SrFrame {
  if (format !== 'JSON_SR') return null;
  const schemaId = subjectSchemaIds(options.registry, 'JSON', jsonSrWriterSchemaText(columns, options, isKey), isKey);
  return (topic, body) => encodeWireFormat(schemaId(topic), body);
}

function jsonText(bytes: Buffer, topic: string, sr: SrFrame): unknown {
  const body = sr !== null && bytes.length >= 5 && bytes[0] === 0 ? bytes.subarray(5) : bytes;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new SerializationError(`Failed to deserialize value from topic: ${topic}. ${(error as Error).message}`);
  }
}

function jsonBytes(value: unknown, topic: string, sr: SrFrame): Buffer {
  // A scalar is written as it is: only Buffers and objects need toJson's copy.
  const json = value !== null && typeof value === 'object' ? toJson(value) : value;
  const body = Buffer.from(JSON.stringify(json), 'utf8');
  return sr === null ? body : sr(topic, body);
}

/** A row of columns: toJson only when some column holds an object (a struct, array, map or Buffer). */
function jsonRowBytes(row: Record<string, unknown>, scalars: boolean, topic: string, sr: SrFrame): Buffer {
  const body = Buffer.from(JSON.stringify(scalars ? row : toJson(row)), 'utf8');
  return sr === null ? body : sr(topic, body);
}

/** Buffers become base64 text in JSON, as ksqlDB writes BYTES. */
function toJson(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return value.toString('base64');
  if (Array.isArray(value)) return value.map(toJson);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toJson(v);
    return out;
  }
  return value;
}

function jsonColumnSerde(column: Column, sr: SrFrame): Serde<unknown> {
  return {
    serialize: (topic, v) => (v === null ? null : jsonBytes(v, topic, sr)),
    deserialize: (topic, bytes) => {
      if (bytes === null) return null;
      try {
        return coerce(jsonText(bytes, topic, sr), column.type);
      } catch (error) {
        if (error instanceof CastError)
          throw new SerializationError(`Failed to deserialize value from topic: ${topic}. ${error.message}`);
        throw error;
      }
    },
  };
}

function jsonRowSerde(columns: readonly Column[], isKey: boolean, sr: SrFrame): Serde<Row> {
  const fieldsOf = columnFields(columns);
  const pick = rowPicker(columns.map((c) => c.name));
  const names = columns.map((c) => c.name);
  const types = columns.map((c) => c.type);
  // The reader of rows with the fields of the last record (columnFields keeps its answer while they hold).
  let readFields: readonly (string | undefined)[] | null = null;
  let readRow: (object: Record<string, unknown>) => Row = () => ({});
  return {
    serialize: (topic, row) => {
      if (row === null) return null;
      const out = pick(row);
      let scalars = true;
      for (const name in out) {
        const v = out[name];
        if (v !== null && typeof v === 'object') {
          scalars = false;
          break;
        }
      }
      return jsonRowBytes(out, scalars, topic, sr);
    },
    deserialize: (topic, bytes) => {
      if (bytes === null) return null;
      const parsed = jsonText(bytes, topic, sr);
      try {
        if (parsed === null) return null;
        if (typeof parsed !== 'object' || Array.isArray(parsed)) {
          // A lone column may arrive unwrapped.
          if (columns.length === 1)
            return { [(columns[0] as Column).name]: coerce(parsed, (columns[0] as Column).type) };
          throw new CastError(
            `Can't convert type. sourceType: ${Array.isArray(parsed) ? 'ArrayNode' : typeof parsed}, requiredType: STRUCT`,
          );
        }
        const object = parsed as Record<string, unknown>;
        const fields = fieldsOf(object);
        if (fields !== readFields) {
          readFields = fields;
          readRow = fieldRowBuilder(names, fields, types, coerce);
        }
        return readRow(object);
      } catch (error) {
        if (error instanceof CastError)
          throw new SerializationError(
            `Failed to deserialize ${isKey ? 'key' : 'value'} from topic: ${topic}. ${error.message}`,
          );
        throw error;
      }
    },
  };
}

/**
 * Which JSON field feeds each column: the field of the column's name, else
 * the first whose upper-cased name is the column's (ksqlDB matches JSON
 * fields ignoring case), else the same for the upper-cased column name.
 * Records of a topic nearly always have the same fields in the same order,
 * so the answer for the last field list is kept and reused while it holds.
 */
function columnFields(
  columns: readonly Column[],
): (object: Record<string, unknown>) => readonly (string | undefined)[] {
  let lastKeys: readonly string[] = [];
  let lastFields: readonly (string | undefined)[] = [];
  return (object) => {
    // The same fields in the same order as the last record: checked without listing them.
    let i = 0;
    let same = true;
    for (const k in object) {
      if (k !== lastKeys[i++]) {
        same = false;
        break;
      }
    }
    if (same && i === lastKeys.length) return lastFields;
    const keys = Object.keys(object);
    if (keys.length !== lastKeys.length || keys.some((k, i) => k !== lastKeys[i])) {
      const byName = new Map<string, string>();
      for (const k of keys) {
        byName.set(k, k);
        const upper = k.toUpperCase();
        if (!byName.has(upper)) byName.set(upper, k);
      }
      lastKeys = keys;
      lastFields = columns.map((c) => byName.get(c.name) ?? byName.get(c.name.toUpperCase()));
    }
    return lastFields;
  };
}

function delimitedSerde(columns: readonly Column[], delimiter: string): Serde<Row> {
  return {
    serialize: (_topic, row) => {
      if (row === null) return null;
      const fields = columns.map((c) => {
        const v = row[c.name];
        if (v === null || v === undefined) return '';
        const text =
          c.type.base === 'DOUBLE'
            ? javaDouble(v as number)
            : c.type.base === 'DECIMAL'
              ? decimalText(v as number, c.type.scale)
              : toText(v, c.type);
        return /["\n\r]/.test(text) || text.includes(delimiter) ? `"${text.replaceAll('"', '""')}"` : text;
      });
      return Buffer.from(fields.join(delimiter), 'utf8');
    },
    deserialize: (topic, bytes) => {
      if (bytes === null) return null;
      const fields = splitDelimited(bytes.toString('utf8'), delimiter);
      if (fields.length !== columns.length) {
        throw new SerializationError(
          `Failed to deserialize value from topic: ${topic}. Unexpected field count, csvFields:${fields.length} schemaFields:${columns.length}`,
        );
      }
      const row: Row = {};
      columns.forEach((c, i) => {
        const f = fields[i] as string | null;
        try {
          row[c.name] = f === null || (f === '' && c.type.base !== 'STRING') ? null : coerce(f, c.type);
        } catch (error) {
          throw new SerializationError(`Failed to deserialize value from topic: ${topic}. ${(error as Error).message}`);
        }
      });
      return row;
    },
  };
}

/** Splits one CSV line; an empty unquoted field is null. */
function splitDelimited(line: string, delimiter: string): (string | null)[] {
  const out: (string | null)[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let value = '';
      i++;
      while (i < line.length) {
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += line[i];
        i++;
      }
      out.push(value);
    } else {
      const end = line.indexOf(delimiter, i);
      const value = end < 0 ? line.slice(i) : line.slice(i, end);
      out.push(value === '' ? null : value);
      i = end < 0 ? line.length : end;
    }
    if (line.startsWith(delimiter, i)) {
      i += delimiter.length;
      continue;
    }
    return out;
  }
}
