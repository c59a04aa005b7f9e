/**
 * Columns from a registered schema, for CREATE STREAM / TABLE statements
 * that leave their columns out (ksqlDB's schema inference): Avro, JSON
 * Schema and Protobuf (.proto text, the common subset: scalars, nested
 * messages, repeated, map<>).
 */
import type { Column } from '../types/schema.ts';
import {
  array,
  BIGINT,
  BOOLEAN,
  BYTES,
  DATE,
  DOUBLE,
  decimal,
  INTEGER,
  map,
  type SqlType,
  STRING,
  struct,
  TIME,
  TIMESTAMP,
} from '../types/sql-type.ts';
import type { RegisteredSchema } from './schema-registry.ts';

export class SchemaInferenceError extends Error {
  override name = 'KsqlException';
}

/**
 * A record / object / message schema gives one column per field; anything else one column named `single`.
 * `imports`: the texts of the schemas it references (see referencedSchemas), for the types a .proto imports.
 */
export function columnsFromSchema(
  schema: RegisteredSchema,
  single: string,
  fullName: string | null = null,
  imports: readonly string[] = [],
): Column[] {
  const type = sqlTypeOf(schema, fullName, imports);
  if (type.base === 'STRUCT') return type.fields.map((f) => ({ name: f.name, type: f.type }));
  return [{ name: single, type }];
}

function sqlTypeOf(schema: RegisteredSchema, fullName: string | null, imports: readonly string[]): SqlType {
  switch (schema.schemaType) {
    case 'AVRO':
      return avroType(JSON.parse(schema.schema));
    case 'JSON':
      return jsonSchemaType(JSON.parse(schema.schema));
    case 'PROTOBUF':
      return protobufType(schema.schema, fullName, imports);
  }
}

// ---------------------------------------------------------------- Avro

function avroType(s: unknown): SqlType {
  if (typeof s === 'string') {
    switch (s) {
      case 'int':
        return INTEGER;
      case 'long':
        return BIGINT;
      case 'float':
      case 'double':
        return DOUBLE;
      case 'string':
        return STRING;
      case 'boolean':
        return BOOLEAN;
      case 'bytes':
        return BYTES;
      default:
        throw new SchemaInferenceError(`Unsupported Avro type: ${s}`);
    }
  }
  if (Array.isArray(s)) {
    const nonNull = s.filter((t) => t !== 'null');
    if (nonNull.length !== 1) throw new SchemaInferenceError('Avro unions other than [null, T] are not supported');
    return avroType(nonNull[0]);
  }
  const o = s as Record<string, unknown>;
  switch (o.logicalType) {
    case 'decimal':
      return decimal(Number(o.precision), Number(o.scale ?? 0));
    case 'date':
      return DATE;
    case 'time-millis':
      return TIME;
    case 'timestamp-millis':
      return TIMESTAMP;
  }
  switch (o.type) {
    case 'record':
      return struct(
        ((o.fields ?? []) as { name: string; type: unknown }[]).map((f) => ({ name: f.name, type: avroType(f.type) })),
      );
    case 'array':
      return array(avroType(o.items));
    case 'map':
      return map(STRING, avroType(o.values));
    case 'enum':
      return STRING;
    default:
      return avroType(o.type);
  }
}

// ---------------------------------------------------------------- JSON Schema

function jsonSchemaType(s: Record<string, unknown>): SqlType {
  if (Array.isArray(s.oneOf)) {
    const nonNull = (s.oneOf as Record<string, unknown>[]).filter((t) => t.type !== 'null');
    if (nonNull.length === 1) return jsonSchemaType(nonNull[0] as Record<string, unknown>);
  }
  const connect = s['connect.type'];
  switch (s.type) {
    case 'integer':
      return connect === 'int32' || connect === 'int16' || connect === 'int8' ? INTEGER : BIGINT;
    case 'number':
      return connect === 'bytes' ? decimal(Number(s['connect.parameters.precision'] ?? 38), 0) : DOUBLE;
    case 'string':
      return STRING;
    case 'boolean':
      return BOOLEAN;
    case 'array':
      return array(jsonSchemaType((s.items ?? {}) as Record<string, unknown>));
    case 'object': {
      if (s.properties === undefined && typeof s.additionalProperties === 'object') {
        return map(STRING, jsonSchemaType(s.additionalProperties as Record<string, unknown>));
      }
      const props = (s.properties ?? {}) as Record<string, Record<string, unknown>>;
      return struct(Object.entries(props).map(([name, t]) => ({ name, type: jsonSchemaType(t) })));
    }
    default:
      throw new SchemaInferenceError(`Unsupported JSON schema type: ${JSON.stringify(s.type)}`);
  }
}

// ---------------------------------------------------------------- Protobuf

interface ProtoMessage {
  readonly name: string;
  readonly fields: { name: string; type: string; repeated: boolean }[];
  readonly nested: Map<string, ProtoMessage>;
}

const PROTO_SCALARS: Record<string, SqlType> = {
  int32: INTEGER,
  sint32: INTEGER,
  sfixed32: INTEGER,
  uint32: BIGINT,
  int64: BIGINT,
  sint64: BIGINT,
  sfixed64: BIGINT,
  uint64: BIGINT,
  fixed32: BIGINT,
  fixed64: BIGINT,
  string: STRING,
  bool: BOOLEAN,
  double: DOUBLE,
  float: DOUBLE,
  bytes: BYTES,
  'google.protobuf.Timestamp': TIMESTAMP,
};

/** The messages of a .proto text; `imports`: the texts of the .proto files it imports, whose messages it may use. */
function protobufType(text: string, fullName: string | null, imports: readonly string[] = []): SqlType {
  const top = new Map<string, ProtoMessage>();
  for (const imported of imports) parseProto(imported, top);
  const order = parseProto(text, top);
  const wanted = fullName ? (top.get(fullName.split('.').pop() as string) ?? order[0]) : order[0];
  if (wanted === undefined) throw new SchemaInferenceError('The Protobuf schema has no message');
  const resolve = (type: string, scope: ProtoMessage): SqlType => {
    const m = /^map\s*<\s*([\w.]+)\s*,\s*([\w.]+)\s*>$/.exec(type);
    if (m) return map(resolve(m[1] as string, scope), resolve(m[2] as string, scope));
    const scalar = PROTO_SCALARS[type];
    if (scalar) return scalar;
    const message = scope.nested.get(type) ?? top.get(type.split('.').pop() as string);
    if (message === undefined) return STRING; // an enum
    return messageType(message);
  };
  const messageType = (m: ProtoMessage): SqlType =>
    struct(
      m.fields.map((f) => {
        const t = resolve(f.type, m);
        return { name: f.name, type: f.repeated ? array(t) : t };
      }),
    );
  return messageType(wanted);
}

/** Adds a .proto text's top-level messages to `top`; returns them in their order. */
function parseProto(text: string, top: Map<string, ProtoMessage>): ProtoMessage[] {
  const tokens = text.replace(/\/\/[^\n]*/g, '').match(/map\s*<[^>]*>|[A-Za-z_][\w.]*|\d+|[{}=;<>,]|"[^"]*"/g) ?? [];
  let i = 0;
  const order: ProtoMessage[] = [];
  const parseMessage = (name: string): ProtoMessage => {
    const m: ProtoMessage = { name, fields: [], nested: new Map() };
    i++; // {
    while (i < tokens.length && tokens[i] !== '}') {
      const t = tokens[i] as string;
      if (t === 'message') {
        const nestedName = tokens[i + 1] as string;
        i += 2;
        m.nested.set(nestedName, parseMessage(nestedName));
        continue;
      }
      if (t === 'enum' || t === 'oneof') {
        // enums read as strings; oneof fields are skipped with their block
        let depth = 0;
        while (i < tokens.length) {
          if (tokens[i] === '{') depth++;
          if (tokens[i] === '}' && --depth === 0) break;
          i++;
        }
        i++;
        continue;
      }
      const repeated = t === 'repeated';
      if (repeated || t === 'optional') i++;
      const type = tokens[i] as string;
      const fieldName = tokens[i + 1] as string;
      m.fields.push({ name: fieldName, type, repeated });
      while (i < tokens.length && tokens[i] !== ';') i++;
      i++;
    }
    i++; // }
    return m;
  };
  while (i < tokens.length) {
    if (tokens[i] === 'message') {
      const name = tokens[i + 1] as string;
      i += 2;
      const m = parseMessage(name);
      top.set(name, m);
      order.push(m);
    } else i++;
  }
  return order;
}
