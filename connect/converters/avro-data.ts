/**
 * Avro schemas and values to Connect's (Confluent's AvroData): a union of
 * null and one type is that type, optional; enums are strings; logical
 * types become Connect's logical types.
 */
import type avro from 'avsc';
import { type ConnectSchema, DataException, decimalToString, LOGICAL } from './connect-data.ts';

type AvroSchemaJson = string | AvroSchemaJson[] | { [key: string]: unknown };

export function avroToConnectSchema(schema: AvroSchemaJson, named = new Map<string, ConnectSchema>()): ConnectSchema {
  if (typeof schema === 'string') {
    return primitive(schema, named);
  }
  if (Array.isArray(schema)) {
    const branches = schema.filter((s) => s !== 'null');
    if (branches.length === 1 && branches.length < schema.length) {
      return { ...avroToConnectSchema(branches[0]!, named), optional: true };
    }
    throw new DataException(
      `Avro union ${JSON.stringify(schema)} has no Connect equivalent the JDBC sink can write; use [null, T] unions only`,
    );
  }
  const type = schema.type as AvroSchemaJson;
  const logical = schema.logicalType as string | undefined;
  if (logical === 'timestamp-millis' || logical === 'timestamp-micros' || logical === 'local-timestamp-millis') {
    return {
      type: 'INT64',
      optional: false,
      name: LOGICAL.timestamp,
      ...(logical.endsWith('micros') && { parameters: { unit: 'micros' } }),
    };
  }
  if (logical === 'date') return { type: 'INT32', optional: false, name: LOGICAL.date };
  if (logical === 'time-millis') return { type: 'INT32', optional: false, name: LOGICAL.time };
  if (logical === 'decimal') {
    return {
      type: 'BYTES',
      optional: false,
      name: LOGICAL.decimal,
      parameters: { scale: String(schema.scale ?? 0), 'connect.decimal.precision': String(schema.precision ?? '') },
    };
  }
  switch (type) {
    case 'record': {
      const fields = (schema.fields as { name: string; type: AvroSchemaJson; default?: unknown }[]).map((f, index) => {
        const fieldSchema = avroToConnectSchema(f.type, named);
        return {
          name: f.name,
          index,
          schema: 'default' in f && f.default !== null ? { ...fieldSchema, defaultValue: f.default } : fieldSchema,
        };
      });
      const struct: ConnectSchema = { type: 'STRUCT', optional: false, name: String(schema.name), fields };
      named.set(String(schema.name), struct);
      return struct;
    }
    case 'enum':
      return { type: 'STRING', optional: false };
    case 'fixed':
      return { type: 'BYTES', optional: false };
    case 'array':
      return {
        type: 'ARRAY',
        optional: false,
        valueSchema: avroToConnectSchema(schema.items as AvroSchemaJson, named),
      };
    case 'map':
      return {
        type: 'MAP',
        optional: false,
        keySchema: { type: 'STRING', optional: false },
        valueSchema: avroToConnectSchema(schema.values as AvroSchemaJson, named),
      };
    default:
      return avroToConnectSchema(type, named);
  }
}

function primitive(name: string, named: Map<string, ConnectSchema>): ConnectSchema {
  switch (name) {
    case 'int':
      return { type: 'INT32', optional: false };
    case 'long':
      return { type: 'INT64', optional: false };
    case 'float':
      return { type: 'FLOAT32', optional: false };
    case 'double':
      return { type: 'FLOAT64', optional: false };
    case 'boolean':
      return { type: 'BOOLEAN', optional: false };
    case 'string':
      return { type: 'STRING', optional: false };
    case 'bytes':
      return { type: 'BYTES', optional: false };
    case 'null':
      return { type: 'STRING', optional: true };
    default: {
      const found = named.get(name);
      if (!found) throw new DataException(`Avro type '${name}' is unknown`);
      return found;
    }
  }
}

/** Avro's in-memory value (avsc) to Connect's, by the Connect schema derived from the same Avro schema. */
export function avroValueToConnect(schema: ConnectSchema, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (schema.name === LOGICAL.decimal && Buffer.isBuffer(value)) {
    return decimalToString(value, Number(schema.parameters?.scale ?? 0));
  }
  if (schema.name === LOGICAL.timestamp && schema.parameters?.unit === 'micros')
    return Math.floor(Number(value) / 1000);
  switch (schema.type) {
    case 'STRUCT': {
      const record = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const field of schema.fields ?? []) out[field.name] = avroValueToConnect(field.schema, record[field.name]);
      return out;
    }
    case 'ARRAY':
      return (value as unknown[]).map((v) => avroValueToConnect(schema.valueSchema!, v));
    case 'STRING':
      // avsc decodes enums to their symbol already; a wrapped union would be an object.
      return typeof value === 'string' ? value : String(value);
    default:
      return value;
  }
}

export function isAvroType(type: unknown): type is avro.Type {
  return typeof type === 'object' && type !== null && 'fromBuffer' in type;
}
