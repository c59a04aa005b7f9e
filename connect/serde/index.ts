/**
 * Serializers and deserializers for records in the schema registry's wire
 * format, shared by the engine (writing AVRO / JSON_SR topics) and the JDBC
 * sink (reading them). Subjects follow the TopicNameStrategy:
 * `<topic>-key` and `<topic>-value`.
 */
import avro from 'avsc';
import type { SchemaRegistryClient } from '../schema-registry/client.ts';
import { avroOptions, type JsonSchemaDocument, type SchemaType } from '../schema-registry/schema-types.ts';
import { decodeWireFormat, encodeWireFormat, SerializationError } from './wire-format.ts';

export { decodeWireFormat, encodeWireFormat, HEADER_SIZE, MAGIC_BYTE, SerializationError } from './wire-format.ts';

export function subjectName(topic: string, isKey: boolean): string {
  return `${topic}-${isKey ? 'key' : 'value'}`;
}

/** A schema as the registry stores it, with what it takes to read and write values of it. */
export interface ResolvedSchema {
  id: number;
  schemaType: SchemaType;
  text: string;
  /** AVRO only. */
  avro?: avro.Type;
  /** JSON only. */
  json?: JsonSchemaDocument;
}

export interface SerializerOptions {
  registry: SchemaRegistryClient;
  /** AVRO (default) or JSON (JSON_SR). */
  schemaType?: SchemaType;
  /** The schema: an Avro schema object or JSON Schema document, or its text. */
  schema: object | string;
  /** The subject; or topic + isKey for `<topic>-key|value`. */
  subject?: string;
  topic?: string;
  isKey?: boolean;
}

/**
 * Writes values of one schema. The first serialize() registers the schema
 * (auto.register.schemas); later ones reuse the id without a request.
 */
export class RegistrySerializer {
  private readonly schemaType: SchemaType;
  private readonly schemaText: string;
  private readonly subject: string;
  private readonly avroType: avro.Type | undefined;
  private id: number | undefined;

  constructor(private readonly options: SerializerOptions) {
    this.schemaType = options.schemaType ?? 'AVRO';
    this.schemaText = typeof options.schema === 'string' ? options.schema : JSON.stringify(options.schema);
    const subject = options.subject ?? (options.topic ? subjectName(options.topic, options.isKey ?? false) : undefined);
    if (!subject) throw new Error('RegistrySerializer needs a subject, or a topic (and isKey)');
    this.subject = subject;
    if (this.schemaType === 'AVRO') this.avroType = avro.Type.forSchema(JSON.parse(this.schemaText), avroOptions());
  }

  /** The schema id, registering the schema on first use. */
  async schemaId(): Promise<number> {
    this.id ??= await this.options.registry.register(this.subject, this.schemaText, this.schemaType);
    return this.id;
  }

  async serialize(value: unknown): Promise<Buffer> {
    const id = await this.schemaId();
    return this.serializeWithId(id, value);
  }

  /** Synchronous once schemaId() has resolved: for tight loops. */
  serializeWithId(id: number, value: unknown): Buffer {
    if (this.avroType) {
      let payload: Buffer;
      try {
        payload = this.avroType.toBuffer(value);
      } catch (error) {
        throw new SerializationError(
          `Value does not match the Avro schema of subject ${this.subject}: ${(error as Error).message}`,
          { cause: error },
        );
      }
      return encodeWireFormat(id, payload);
    }
    return encodeWireFormat(id, Buffer.from(JSON.stringify(value)));
  }
}

export interface Deserialized {
  schema: ResolvedSchema;
  value: unknown;
}

/** Reads wire-format bytes of any schema id, fetching each schema once. */
export class RegistryDeserializer {
  private readonly resolved = new Map<number, ResolvedSchema>();

  constructor(private readonly registry: SchemaRegistryClient) {}

  async resolve(id: number): Promise<ResolvedSchema> {
    let schema = this.resolved.get(id);
    if (!schema) {
      const { schema: text, schemaType } = await this.registry.getSchemaById(id);
      schema =
        schemaType === 'AVRO'
          ? { id, schemaType, text, avro: avro.Type.forSchema(JSON.parse(text), avroOptions()) }
          : { id, schemaType, text, json: JSON.parse(text) as JsonSchemaDocument };
      this.resolved.set(id, schema);
    }
    return schema;
  }

  /** A schema already fetched, else undefined: lets callers decode without a promise. */
  resolvedSchema(id: number): ResolvedSchema | undefined {
    return this.resolved.get(id);
  }

  async deserialize(bytes: Buffer): Promise<Deserialized> {
    const { schemaId, payload } = decodeWireFormat(bytes);
    const schema = this.resolved.get(schemaId) ?? (await this.resolve(schemaId));
    return { schema, value: decodePayload(schema, payload) };
  }
}

export function decodePayload(schema: ResolvedSchema, payload: Buffer): unknown {
  try {
    if (schema.avro) return schema.avro.fromBuffer(payload);
    return JSON.parse(payload.toString('utf8'));
  } catch (error) {
    throw new SerializationError(
      `Cannot read ${schema.schemaType} data with schema id ${schema.id}: ${(error as Error).message}`,
      { cause: error },
    );
  }
}
