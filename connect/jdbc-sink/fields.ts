/**
 * Which columns a record writes and which form the primary key, by pk.mode
 * (the connector's FieldsMetadata):
 *
 *   none          every value field; no key
 *   kafka         __connect_topic, __connect_partition, __connect_offset (or pk.fields) + value fields
 *   record_key    a primitive key as one column (pk.fields[0], default __connect_key),
 *                 or the key struct's fields (pk.fields, default all) + value fields
 *   record_value  value fields; pk.fields (default all) of them form the key
 */
import { type ConnectField, type ConnectSchema, DataException, type SinkRecord } from '../converters/index.ts';
import type { JdbcSinkConfig } from './config.ts';

export interface Column {
  name: string;
  schema: ConnectSchema;
  /** Reads this column's value from a record. */
  read: (record: SinkRecord) => unknown;
}

export interface FieldsMetadata {
  keyColumns: Column[];
  valueColumns: Column[];
  /** key columns then value columns: the order of every statement's column list. */
  allColumns: Column[];
}

const structFields = (schema: ConnectSchema | null, what: string, topic: string): ConnectField[] => {
  if (schema?.type !== 'STRUCT') {
    throw new DataException(
      `Sink connector requires records with a non-null Struct ${what} and non-null Struct schema, but found record in topic ${topic} with ${what} schema ${schema ? schema.type : 'null'}; use a converter with schemas (AvroConverter, JsonSchemaConverter, or JsonConverter with schemas.enable=true)`,
    );
  }
  return schema.fields ?? [];
};

export function fieldsMetadata(
  config: JdbcSinkConfig,
  record: SinkRecord,
  valueSchema: ConnectSchema | null,
): FieldsMetadata {
  const keyColumns: Column[] = [];
  const keyNames = new Set<string>();
  switch (config.pkMode) {
    case 'none':
      break;
    case 'kafka': {
      const [topic, partition, offset] = config.pkFields as [string, string, string];
      keyColumns.push(
        { name: topic, schema: { type: 'STRING', optional: false }, read: (r) => r.topic },
        { name: partition, schema: { type: 'INT32', optional: false }, read: (r) => r.partition },
        { name: offset, schema: { type: 'INT64', optional: false }, read: (r) => r.offset },
      );
      break;
    }
    case 'record_key': {
      const keySchema = record.keySchema;
      if (!keySchema) {
        throw new DataException(
          `PK mode for table is RECORD_KEY, but record key schema is missing in topic ${record.topic} partition ${record.partition} offset ${record.offset}; set key.converter to one with schemas`,
        );
      }
      if (keySchema.type === 'STRUCT') {
        const fields = keySchema.fields ?? [];
        const wanted = config.pkFields.length > 0 ? config.pkFields : fields.map((f) => f.name);
        for (const name of wanted) {
          const field = fields.find((f) => f.name === name);
          if (!field) {
            throw new DataException(
              `PK field '${name}' (pk.fields) is not in the key of topic ${record.topic}; key fields: ${fields.map((f) => f.name).join(', ')}`,
            );
          }
          keyColumns.push({ name, schema: field.schema, read: (r) => (r.key as Record<string, unknown>)[name] });
        }
      } else {
        if (config.pkFields.length > 1) {
          throw new DataException(
            `Need exactly one PK column defined since the key schema for records is a primitive type (${keySchema.type}), defined columns are: ${config.pkFields.join(', ')}`,
          );
        }
        const name = config.pkFields[0] ?? '__connect_key';
        keyColumns.push({ name, schema: { ...keySchema, optional: false }, read: (r) => r.key });
      }
      break;
    }
    case 'record_value': {
      const fields = structFields(valueSchema, 'value', record.topic);
      const wanted = config.pkFields.length > 0 ? config.pkFields : fields.map((f) => f.name);
      for (const name of wanted) {
        const field = fields.find((f) => f.name === name);
        if (!field) {
          throw new DataException(
            `PK field '${name}' (pk.fields) is not in the value of topic ${record.topic}; value fields: ${fields.map((f) => f.name).join(', ')}`,
          );
        }
        keyColumns.push({ name, schema: field.schema, read: (r) => (r.value as Record<string, unknown>)[name] });
      }
      break;
    }
  }
  for (const c of keyColumns) keyNames.add(c.name);
  const valueColumns: Column[] = [];
  // Tombstones need only the key; any other record needs a struct schema.
  if (valueSchema || (record.value !== null && record.value !== undefined)) {
    const whitelist = new Set(config.fieldsWhitelist);
    for (const field of structFields(valueSchema, 'value', record.topic)) {
      if (keyNames.has(field.name)) continue;
      if (whitelist.size > 0 && !whitelist.has(field.name)) continue;
      const name = field.name;
      valueColumns.push({ name, schema: field.schema, read: (r) => (r.value as Record<string, unknown>)[name] });
    }
  }
  return { keyColumns, valueColumns, allColumns: [...keyColumns, ...valueColumns] };
}
