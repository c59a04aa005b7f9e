/**
 * JSON to Connect: JSON Schema documents (Confluent's JsonSchemaData,
 * including its `connect.type` hints that ksqlDB writes) and the
 * JsonConverter's inline envelope `{"schema": ..., "payload": ...}`.
 */
import { type ConnectSchema, type ConnectType, DataException, decimalToString, LOGICAL } from './connect-data.ts';

type JsonSchema = { [key: string]: unknown } | boolean;

const CONNECT_TYPE_HINTS: Record<string, ConnectType> = {
  int8: 'INT8',
  int16: 'INT16',
  int32: 'INT32',
  int64: 'INT64',
  float32: 'FLOAT32',
  float64: 'FLOAT64',
  bytes: 'BYTES',
  map: 'MAP',
};

export function jsonSchemaToConnect(schema: JsonSchema, optional = false): ConnectSchema {
  if (typeof schema === 'boolean') throw new DataException('a boolean JSON Schema has no Connect equivalent');
  const variants = (schema.oneOf ?? schema.anyOf) as JsonSchema[] | undefined;
  if (variants) {
    const nonNull = variants.filter((v) => typeof v !== 'object' || v.type !== 'null');
    if (nonNull.length === 1) return jsonSchemaToConnect(nonNull[0]!, true);
    throw new DataException(
      `JSON Schema oneOf/anyOf with ${nonNull.length} non-null branches has no Connect equivalent`,
    );
  }
  let type = schema.type as string | string[] | undefined;
  if (Array.isArray(type)) {
    const nonNull = type.filter((t) => t !== 'null');
    optional ||= nonNull.length < type.length;
    type = nonNull[0];
  }
  const hint = schema['connect.type'] as string | undefined;
  const logical = schema.title as string | undefined;
  const base = (t: ConnectType, extra: Partial<ConnectSchema> = {}): ConnectSchema => ({
    type: t,
    optional,
    ...('default' in schema && { defaultValue: schema.default }),
    ...extra,
  });
  if (logical === LOGICAL.timestamp || logical === LOGICAL.date || logical === LOGICAL.time) {
    return base(logical === LOGICAL.timestamp ? 'INT64' : 'INT32', { name: logical });
  }
  if (logical === LOGICAL.decimal)
    return base('BYTES', {
      name: LOGICAL.decimal,
      parameters: {
        scale: String(
          schema['connect.parameters'] ? (schema['connect.parameters'] as Record<string, string>).scale : 0,
        ),
      },
    });
  if (hint && CONNECT_TYPE_HINTS[hint] && hint !== 'map') return base(CONNECT_TYPE_HINTS[hint]);
  switch (type) {
    case 'integer':
      return base('INT64');
    case 'number':
      return base('FLOAT64');
    case 'string':
      return base('STRING');
    case 'boolean':
      return base('BOOLEAN');
    case 'array':
      return base('ARRAY', { valueSchema: jsonSchemaToConnect((schema.items ?? {}) as JsonSchema) });
    case 'object': {
      if (hint === 'map') {
        return base('MAP', {
          keySchema: { type: 'STRING', optional: false },
          valueSchema: jsonSchemaToConnect((schema.additionalProperties ?? {}) as JsonSchema),
        });
      }
      const required = new Set((schema.required ?? []) as string[]);
      const properties = Object.entries((schema.properties ?? {}) as Record<string, JsonSchema>);
      // connect.index keeps the writer's field order when the document was reordered.
      properties.sort(
        ([, a], [, b]) =>
          Number((a as Record<string, unknown>)['connect.index'] ?? 0) -
          Number((b as Record<string, unknown>)['connect.index'] ?? 0),
      );
      const fields = properties.map(([fieldName, fieldSchema], index) => ({
        name: fieldName,
        index,
        schema: jsonSchemaToConnect(fieldSchema, !required.has(fieldName)),
      }));
      return base('STRUCT', { fields, ...(typeof schema.title === 'string' && { name: schema.title }) });
    }
    default:
      throw new DataException(`JSON Schema type ${JSON.stringify(type)} has no Connect equivalent`);
  }
}

const ENVELOPE_TYPES: Record<string, ConnectType> = {
  int8: 'INT8',
  int16: 'INT16',
  int32: 'INT32',
  int64: 'INT64',
  float: 'FLOAT32',
  float32: 'FLOAT32',
  double: 'FLOAT64',
  float64: 'FLOAT64',
  boolean: 'BOOLEAN',
  string: 'STRING',
  bytes: 'BYTES',
  array: 'ARRAY',
  map: 'MAP',
  struct: 'STRUCT',
};

/** The JsonConverter's schema JSON (`{"type":"struct","fields":[{"field":"id","type":"int32"}]}`). */
export function envelopeSchemaToConnect(schema: Record<string, unknown>): ConnectSchema {
  const type = ENVELOPE_TYPES[String(schema.type)];
  if (!type) throw new DataException(`JsonConverter schema type ${JSON.stringify(schema.type)} is unknown`);
  const out: ConnectSchema = { type, optional: schema.optional === true };
  if (typeof schema.name === 'string') out.name = schema.name;
  if (schema.parameters) out.parameters = schema.parameters as Record<string, string>;
  if ('default' in schema) out.defaultValue = schema.default;
  if (type === 'STRUCT') {
    out.fields = ((schema.fields ?? []) as Record<string, unknown>[]).map((f, index) => ({
      name: String(f.field),
      index,
      schema: envelopeSchemaToConnect(f),
    }));
  }
  if (type === 'ARRAY') out.valueSchema = envelopeSchemaToConnect(schema.items as Record<string, unknown>);
  if (type === 'MAP') {
    out.keySchema = envelopeSchemaToConnect(schema.keys as Record<string, unknown>);
    out.valueSchema = envelopeSchemaToConnect(schema.values as Record<string, unknown>);
  }
  return out;
}

/** JSON values to Connect values: bytes arrive base64, decimals as base64 of the unscaled value or a number. */
export function jsonValueToConnect(schema: ConnectSchema, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (schema.type) {
    case 'STRUCT': {
      const record = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const field of schema.fields ?? []) out[field.name] = jsonValueToConnect(field.schema, record[field.name]);
      return out;
    }
    case 'ARRAY':
      return (value as unknown[]).map((v) => jsonValueToConnect(schema.valueSchema!, v));
    case 'BYTES':
      // decimal.format=NUMERIC writes a number; BASE64 (the JsonConverter's default) the unscaled two's-complement bytes.
      if (schema.name === LOGICAL.decimal) {
        if (typeof value === 'number') return String(value);
        if (typeof value === 'string')
          return decimalToString(Buffer.from(value, 'base64'), Number(schema.parameters?.scale ?? 0));
        return value;
      }
      return typeof value === 'string' ? Buffer.from(value, 'base64') : value;
    default:
      return value;
  }
}
