/**
 * The schema types the registry accepts (AVRO, JSON), their parsing, the
 * canonical text under which identical schemas share one id, and the
 * compatibility checks between a new schema and earlier ones.
 */
import avro from 'avsc';
import { invalidSchema } from './errors.ts';

export type SchemaType = 'AVRO' | 'JSON';
export const SCHEMA_TYPES: readonly SchemaType[] = ['JSON', 'AVRO'];

export type CompatibilityLevel =
  | 'NONE'
  | 'BACKWARD'
  | 'BACKWARD_TRANSITIVE'
  | 'FORWARD'
  | 'FORWARD_TRANSITIVE'
  | 'FULL'
  | 'FULL_TRANSITIVE';
export const COMPATIBILITY_LEVELS: readonly CompatibilityLevel[] = [
  'NONE',
  'BACKWARD',
  'BACKWARD_TRANSITIVE',
  'FORWARD',
  'FORWARD_TRANSITIVE',
  'FULL',
  'FULL_TRANSITIVE',
];

export type JsonSchemaDocument = { [key: string]: unknown };

export interface ParsedSchema {
  type: SchemaType;
  /** Compact JSON text: what the registry stores and answers, and what identical schemas share. */
  canonical: string;
  /** The Avro type, for AVRO. */
  avro?: avro.Type;
  /** The JSON Schema document, for JSON. */
  json?: JsonSchemaDocument;
}

/**
 * avsc options for every Avro type Tally builds: plain values for nullable
 * unions, as Connect expects. A fresh object each time: avsc keeps its
 * registry of named types in the options, and a shared one would refuse the
 * second schema that names a record `Vote`.
 */
export const avroOptions = () => ({ wrapUnions: 'auto' as const });

export function parseSchema(type: SchemaType, text: string): ParsedSchema {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    // An Avro schema may be a bare primitive name ("string"), which is not JSON.
    if (type === 'AVRO' && /^[a-z]+$/.test(text.trim())) document = text.trim();
    else throw invalidSchema(`the ${type} schema is not valid JSON (${(error as Error).message})`);
  }
  if (type === 'AVRO') {
    try {
      const avroType = avro.Type.forSchema(document as avro.Schema, avroOptions());
      return { type, canonical: JSON.stringify(document), avro: avroType };
    } catch (error) {
      throw invalidSchema(`the Avro schema does not parse: ${(error as Error).message}`);
    }
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    if (typeof document !== 'boolean') throw invalidSchema('a JSON Schema must be an object or a boolean');
  }
  return { type, canonical: JSON.stringify(document), json: (document ?? {}) as JsonSchemaDocument };
}

/** The schemas a new one is checked against: the latest only, or all of them for *_TRANSITIVE. */
export function schemasToCheck<T>(level: CompatibilityLevel, earlierOldestFirst: T[]): T[] {
  if (level === 'NONE' || earlierOldestFirst.length === 0) return [];
  return level.endsWith('_TRANSITIVE') ? earlierOldestFirst : earlierOldestFirst.slice(-1);
}

/** Reasons the candidate is incompatible with `earlier` at `level`; empty when compatible. */
export function compatibilityProblems(
  level: CompatibilityLevel,
  candidate: ParsedSchema,
  earlier: ParsedSchema,
): string[] {
  if (level === 'NONE') return [];
  if (candidate.type !== earlier.type) {
    return [`the schema type changed from ${earlier.type} to ${candidate.type}`];
  }
  const backward = level.startsWith('BACKWARD') || level.startsWith('FULL');
  const forward = level.startsWith('FORWARD') || level.startsWith('FULL');
  const problems: string[] = [];
  // BACKWARD: consumers on the new schema read data written with the old one.
  if (backward)
    problems.push(...readerProblems(candidate, earlier, 'new schema cannot read data written with the old'));
  // FORWARD: consumers still on the old schema read data written with the new one.
  if (forward) problems.push(...readerProblems(earlier, candidate, 'old schema cannot read data written with the new'));
  return problems;
}

function readerProblems(reader: ParsedSchema, writer: ParsedSchema, what: string): string[] {
  if (reader.avro && writer.avro) {
    try {
      reader.avro.createResolver(writer.avro);
      return [];
    } catch (error) {
      return [`${what}: ${(error as Error).message}`];
    }
  }
  return jsonReaderProblems(reader.json ?? {}, writer.json ?? {}, '#').map((p) => `${what}: ${p}`);
}

/**
 * A reader JSON Schema accepts every document of a writer schema when (a
 * practical subset of the rules): the types agree (integer may widen to
 * number), every property the reader requires was required by the writer,
 * and a closed reader does not drop properties the writer allowed.
 */
function jsonReaderProblems(reader: JsonSchemaDocument, writer: JsonSchemaDocument, where: string): string[] {
  const problems: string[] = [];
  const readerTypes = typesOf(reader);
  const writerTypes = typesOf(writer);
  if (readerTypes && writerTypes) {
    for (const t of writerTypes) {
      const accepted = readerTypes.includes(t) || (t === 'integer' && readerTypes.includes('number'));
      if (!accepted) problems.push(`${where}: type ${t} is no longer accepted (now ${readerTypes.join(' | ')})`);
    }
  }
  const readerProps = (reader.properties ?? {}) as Record<string, JsonSchemaDocument>;
  const writerProps = (writer.properties ?? {}) as Record<string, JsonSchemaDocument>;
  const writerRequired = new Set((writer.required ?? []) as string[]);
  for (const name of (reader.required ?? []) as string[]) {
    if (!writerRequired.has(name)) problems.push(`${where}/properties/${name}: newly required`);
  }
  for (const [name, readerProp] of Object.entries(readerProps)) {
    const writerProp = writerProps[name];
    if (writerProp) problems.push(...jsonReaderProblems(readerProp, writerProp, `${where}/properties/${name}`));
  }
  if (reader.additionalProperties === false) {
    for (const name of Object.keys(writerProps)) {
      if (!(name in readerProps)) problems.push(`${where}/properties/${name}: removed from a closed content model`);
    }
  }
  return problems;
}

function typesOf(schema: JsonSchemaDocument): string[] | undefined {
  if (typeof schema.type === 'string') return [schema.type];
  if (Array.isArray(schema.type)) return schema.type as string[];
  return undefined;
}
