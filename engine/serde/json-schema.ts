/**
 * The JSON Schema ksqlDB registers for JSON_SR data (Connect's
 * JsonSchemaData): every column optional (`oneOf` null), `connect.type`
 * hints for the widths JSON cannot tell apart, logical types by title, and
 * `connect.index` keeping the column order. Connect's JsonSchemaConverter
 * reads it back into the same schema (connect/converters/json-data.ts).
 */
import type { Column } from '../types/schema.ts';
import type { SqlType } from '../types/sql-type.ts';

type JsonSchema = Record<string, unknown>;

const logical = (title: string, connectType: string): JsonSchema => ({
  type: 'integer',
  title: `org.apache.kafka.connect.data.${title}`,
  'connect.version': 1,
  'connect.type': connectType,
});

function optional(schema: JsonSchema): JsonSchema {
  return { oneOf: [{ type: 'null' }, schema] };
}

function jsonType(type: SqlType): JsonSchema {
  switch (type.base) {
    case 'BOOLEAN':
      return { type: 'boolean' };
    case 'INTEGER':
      return { type: 'integer', 'connect.type': 'int32' };
    case 'BIGINT':
      return { type: 'integer', 'connect.type': 'int64' };
    case 'DOUBLE':
      return { type: 'number', 'connect.type': 'float64' };
    case 'STRING':
      return { type: 'string' };
    case 'BYTES':
      return { type: 'string', 'connect.type': 'bytes' };
    case 'DATE':
      return logical('Date', 'int32');
    case 'TIME':
      return logical('Time', 'int32');
    case 'TIMESTAMP':
      return logical('Timestamp', 'int64');
    case 'DECIMAL':
      return {
        type: 'number',
        title: 'org.apache.kafka.connect.data.Decimal',
        'connect.version': 1,
        'connect.parameters': { scale: String(type.scale), 'connect.decimal.precision': String(type.precision) },
      };
    case 'ARRAY':
      return { type: 'array', items: optional(jsonType(type.element)) };
    case 'MAP':
      return { type: 'object', additionalProperties: optional(jsonType(type.value)), 'connect.type': 'map' };
    case 'STRUCT':
      return objectOf(type.fields.map((f) => ({ name: f.name, type: f.type })));
  }
}

function objectOf(fields: readonly { name: string; type: SqlType }[]): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  fields.forEach((f, index) => {
    properties[f.name] = { ...optional(jsonType(f.type)), 'connect.index': index };
  });
  return { type: 'object', properties };
}

/**
 * The schema a JSON_SR writer registers: for a lone key column, or a lone
 * value column with WRAP_SINGLE_VALUE=false, that column's type; else an
 * object of the columns.
 */
export function jsonSrWriterSchemaText(
  columns: readonly Column[],
  options: { readonly wrapSingleValue?: boolean },
  isKey: boolean,
): string {
  const unwrapped = columns.length === 1 && (isKey || options.wrapSingleValue === false);
  const schema = unwrapped ? optional(jsonType((columns[0] as Column).type)) : objectOf(columns);
  return JSON.stringify(schema);
}
