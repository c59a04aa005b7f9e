/**
 * Kafka Connect's data model (org.apache.kafka.connect.data): schemas with
 * a type, optionality and a logical name, and the record a sink task gets.
 * Struct values are plain objects keyed by field name; logical values keep
 * their Connect representation (Timestamp: epoch ms; Date: days since epoch
 * as a number; Decimal: a decimal string) until the sink binds them.
 */

export type ConnectType =
  | 'INT8'
  | 'INT16'
  | 'INT32'
  | 'INT64'
  | 'FLOAT32'
  | 'FLOAT64'
  | 'BOOLEAN'
  | 'STRING'
  | 'BYTES'
  | 'ARRAY'
  | 'MAP'
  | 'STRUCT';

export const LOGICAL = {
  timestamp: 'org.apache.kafka.connect.data.Timestamp',
  date: 'org.apache.kafka.connect.data.Date',
  time: 'org.apache.kafka.connect.data.Time',
  decimal: 'org.apache.kafka.connect.data.Decimal',
} as const;

export interface ConnectSchema {
  type: ConnectType;
  optional: boolean;
  name?: string;
  version?: number;
  defaultValue?: unknown;
  parameters?: Record<string, string>;
  /** STRUCT */
  fields?: ConnectField[];
  /** ARRAY and MAP values */
  valueSchema?: ConnectSchema;
  /** MAP keys */
  keySchema?: ConnectSchema;
}

export interface ConnectField {
  name: string;
  index: number;
  schema: ConnectSchema;
}

export interface SchemaAndValue {
  /** null for schemaless data (JsonConverter with schemas.enable=false). */
  schema: ConnectSchema | null;
  value: unknown;
}

export interface SinkRecord {
  topic: string;
  partition: number;
  offset: number;
  timestamp: number;
  keySchema: ConnectSchema | null;
  key: unknown;
  valueSchema: ConnectSchema | null;
  /** null is a tombstone. */
  value: unknown;
}

/** A record's data does not fit Connect's model, or its schema is missing; the message says which and why. */
export class DataException extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DataException';
  }
}

export function schemaOf(type: ConnectType, optional = false, extra: Partial<ConnectSchema> = {}): ConnectSchema {
  return { type, optional, ...extra };
}

/** Decimal bytes (big-endian two's complement, unscaled) to a decimal string. */
export function decimalToString(bytes: Buffer, scale: number): string {
  let unscaled = 0n;
  for (const byte of bytes) unscaled = (unscaled << 8n) | BigInt(byte);
  if (bytes.length > 0 && (bytes[0]! & 0x80) !== 0) unscaled -= 1n << BigInt(bytes.length * 8);
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  const whole = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative ? `-${whole}` : whole;
}

const fingerprints = new WeakMap<ConnectSchema, string>();

/**
 * A stable text for a schema, used to tell when a topic's schema changed between records.
 * Converters hand out one schema object per schema id, so the text is kept per object
 * (it was a JSON.stringify per record, the sink's largest cost after PostgreSQL).
 */
export function schemaFingerprint(schema: ConnectSchema | null): string {
  if (schema === null) return 'null';
  let text = fingerprints.get(schema);
  if (text === undefined) {
    text = JSON.stringify(schema);
    fingerprints.set(schema, text);
  }
  return text;
}
