/**
 * Connect's converters: bytes from Kafka to Connect data (schema and value),
 * named by the Java class names a connector config uses, so configs written
 * for the real worker work here as they are.
 *
 *   io.confluent.connect.avro.AvroConverter          wire format + registry, Avro
 *   io.confluent.connect.json.JsonSchemaConverter    wire format + registry, JSON Schema
 *   org.apache.kafka.connect.json.JsonConverter      inline {"schema","payload"} (schemas.enable)
 *   org.apache.kafka.connect.storage.StringConverter UTF-8 strings
 *   org.apache.kafka.connect.converters.ByteArrayConverter raw bytes
 */
import { SchemaRegistryClient } from '../schema-registry/client.ts';
import { decodePayload, decodeWireFormat, RegistryDeserializer, type ResolvedSchema } from '../serde/index.ts';
import { avroToConnectSchema, avroValueToConnect } from './avro-data.ts';
import { type ConnectSchema, DataException, LOGICAL, type SchemaAndValue } from './connect-data.ts';
import { envelopeSchemaToConnect, jsonSchemaToConnect, jsonValueToConnect } from './json-data.ts';

export * from './connect-data.ts';

export interface Converter {
  /** null bytes (a tombstone value, a null key) convert to a null value. */
  toConnectData(topic: string, bytes: Buffer | null): Promise<SchemaAndValue> | SchemaAndValue;
}

export const CONVERTER_CLASSES = {
  avro: 'io.confluent.connect.avro.AvroConverter',
  jsonSchema: 'io.confluent.connect.json.JsonSchemaConverter',
  json: 'org.apache.kafka.connect.json.JsonConverter',
  string: 'org.apache.kafka.connect.storage.StringConverter',
  byteArray: 'org.apache.kafka.connect.converters.ByteArrayConverter',
} as const;

const NULL: SchemaAndValue = { schema: null, value: null };

/** Whether values of a schema need a walk to reach Connect's representation (decimals, micros, bytes in JSON). */
function needsWalk(schema: ConnectSchema): boolean {
  if (schema.name === LOGICAL.decimal || schema.parameters?.unit === 'micros' || schema.type === 'BYTES') return true;
  if (schema.type === 'STRUCT') return (schema.fields ?? []).some((f) => needsWalk(f.schema));
  if (schema.type === 'ARRAY' || schema.type === 'MAP') return true;
  return false;
}

/** AvroConverter and JsonSchemaConverter: both read the wire format and fetch schemas by id. */
export class RegistryConverter implements Converter {
  private readonly deserializer: RegistryDeserializer;
  private readonly schemas = new Map<number, { connect: ConnectSchema; walk: boolean }>();

  constructor(
    registry: SchemaRegistryClient,
    private readonly expected: 'AVRO' | 'JSON',
  ) {
    this.deserializer = new RegistryDeserializer(registry);
  }

  private connectSchemaOf(resolved: ResolvedSchema) {
    let found = this.schemas.get(resolved.id);
    if (!found) {
      if (resolved.schemaType !== this.expected) {
        throw new DataException(
          `Schema id ${resolved.id} is ${resolved.schemaType}, but this converter reads ${this.expected}; set the converter to ${resolved.schemaType === 'AVRO' ? CONVERTER_CLASSES.avro : CONVERTER_CLASSES.jsonSchema}`,
        );
      }
      const connect =
        resolved.schemaType === 'AVRO'
          ? avroToConnectSchema(JSON.parse(resolved.text))
          : jsonSchemaToConnect(resolved.json ?? {});
      found = { connect, walk: needsWalk(connect) };
      this.schemas.set(resolved.id, found);
    }
    return found;
  }

  /** Synchronous once the record's schema id has been seen: no promise per record on the hot path. */
  toConnectData(_topic: string, bytes: Buffer | null): Promise<SchemaAndValue> | SchemaAndValue {
    if (bytes === null) return NULL;
    const { schemaId, payload } = decodeWireFormat(bytes);
    const known = this.deserializer.resolvedSchema(schemaId);
    if (known !== undefined) return this.toConnect(known, decodePayload(known, payload));
    return this.deserializer.deserialize(bytes).then(({ schema, value }) => this.toConnect(schema, value));
  }

  private toConnect(schema: ResolvedSchema, value: unknown): SchemaAndValue {
    const { connect, walk } = this.connectSchemaOf(schema);
    if (!walk) return { schema: connect, value };
    return {
      schema: connect,
      value: this.expected === 'AVRO' ? avroValueToConnect(connect, value) : jsonValueToConnect(connect, value),
    };
  }
}

export class StringConverter implements Converter {
  private static readonly SCHEMA: ConnectSchema = { type: 'STRING', optional: true };
  toConnectData(_topic: string, bytes: Buffer | null): SchemaAndValue {
    return bytes === null
      ? { schema: StringConverter.SCHEMA, value: null }
      : { schema: StringConverter.SCHEMA, value: bytes.toString('utf8') };
  }
}

export class ByteArrayConverter implements Converter {
  private static readonly SCHEMA: ConnectSchema = { type: 'BYTES', optional: true };
  toConnectData(_topic: string, bytes: Buffer | null): SchemaAndValue {
    return { schema: ByteArrayConverter.SCHEMA, value: bytes };
  }
}

export class JsonConverter implements Converter {
  private readonly schemaCache = new Map<string, ConnectSchema>();
  constructor(private readonly schemasEnabled: boolean) {}

  toConnectData(topic: string, bytes: Buffer | null): SchemaAndValue {
    if (bytes === null) return NULL;
    let json: unknown;
    try {
      json = JSON.parse(bytes.toString('utf8'));
    } catch (error) {
      throw new DataException(
        `Converting byte[] to Kafka Connect data failed due to serialization error of topic ${topic}: ${(error as Error).message}`,
      );
    }
    if (!this.schemasEnabled) return { schema: null, value: json };
    const envelope = json as { schema?: Record<string, unknown>; payload?: unknown };
    if (typeof envelope !== 'object' || envelope === null || !('schema' in envelope) || !('payload' in envelope)) {
      throw new DataException(
        'JsonConverter with schemas.enable requires "schema" and "payload" fields and may not contain additional fields. If you are trying to deserialize plain JSON data, set schemas.enable=false in your converter configuration.',
      );
    }
    if (envelope.schema === null || envelope.schema === undefined) return { schema: null, value: envelope.payload };
    const key = JSON.stringify(envelope.schema);
    let schema = this.schemaCache.get(key);
    if (!schema) {
      schema = envelopeSchemaToConnect(envelope.schema);
      this.schemaCache.set(key, schema);
    }
    return { schema, value: jsonValueToConnect(schema, envelope.payload) };
  }
}

/**
 * The converter a connector config names for keys or values: `key.converter`
 * / `value.converter` with their `key.converter.*` properties, else the
 * worker's defaults.
 */
export function createConverter(
  config: Record<string, string>,
  workerDefaults: Record<string, string>,
  isKey: boolean,
): Converter {
  const prefix = isKey ? 'key.converter' : 'value.converter';
  const className = config[prefix] ?? workerDefaults[prefix] ?? CONVERTER_CLASSES.avro;
  const setting = (name: string) => config[`${prefix}.${name}`] ?? workerDefaults[`${prefix}.${name}`];
  switch (className) {
    case CONVERTER_CLASSES.avro:
    case CONVERTER_CLASSES.jsonSchema: {
      const url = setting('schema.registry.url');
      if (!url) {
        throw new DataException(
          `${prefix}.schema.registry.url is required by ${className}: set it to the schema registry's URL`,
        );
      }
      return new RegistryConverter(
        new SchemaRegistryClient(url.split(',')[0]!.trim()),
        className === CONVERTER_CLASSES.avro ? 'AVRO' : 'JSON',
      );
    }
    case CONVERTER_CLASSES.json:
      return new JsonConverter((setting('schemas.enable') ?? 'true').toLowerCase() !== 'false');
    case CONVERTER_CLASSES.string:
      return new StringConverter();
    case CONVERTER_CLASSES.byteArray:
      return new ByteArrayConverter();
    default:
      throw new DataException(
        `${prefix}=${className} is not a converter this worker has; use one of ${Object.values(CONVERTER_CLASSES).join(', ')}`,
      );
  }
}
