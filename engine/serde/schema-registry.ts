/**
 * The schema registry as the engine needs it: register a schema under a
 * subject (`<topic>-key` / `<topic>-value`), read one by id. The in-memory
 * registry serves tests and the conformance runner; a REST client for the
 * registry service (connect/) implements the same interface later.
 */

export type SchemaType = 'AVRO' | 'JSON' | 'PROTOBUF';

export interface RegisteredSchema {
  readonly id: number;
  readonly subject: string;
  readonly version: number;
  readonly schemaType: SchemaType;
  /** The schema text (Avro JSON, JSON Schema, or .proto). */
  readonly schema: string;
}

export interface SchemaRegistryClient {
  register(subject: string, schemaType: SchemaType, schema: string): number;
  registerWithId(subject: string, schemaType: SchemaType, schema: string, id: number): number;
  getById(id: number): RegisteredSchema;
  latest(subject: string): RegisteredSchema | null;
}

/**
 * The schema id a serializer writes for a topic: its schema registered under
 * the topic's subject (`<topic>-key` / `<topic>-value`) on first use. Without
 * a registry (tests, the conformance runner) a process-wide in-memory one.
 */
export function subjectSchemaIds(
  registry: SchemaRegistryClient | undefined,
  schemaType: SchemaType,
  schema: string,
  isKey: boolean,
): (topic: string) => number {
  const target = registry ?? processRegistry();
  const ids = new Map<string, number>();
  return (topic) => {
    let id = ids.get(topic);
    if (id === undefined) {
      id = target.register(`${topic}-${isKey ? 'key' : 'value'}`, schemaType, schema);
      ids.set(topic, id);
    }
    return id;
  };
}

let fallback: InMemorySchemaRegistry | undefined;
/** The in-memory registry serdes use when they are given none. */
export function processRegistry(): InMemorySchemaRegistry {
  fallback ??= new InMemorySchemaRegistry();
  return fallback;
}

export class InMemorySchemaRegistry implements SchemaRegistryClient {
  private readonly byId = new Map<number, RegisteredSchema>();
  private readonly bySubject = new Map<string, RegisteredSchema[]>();

  /** Registers a schema under a given id (as QTT files name them: KEY_SCHEMA_ID=101). */
  registerWithId(subject: string, schemaType: SchemaType, schema: string, id: number): number {
    const versions = this.bySubject.get(subject) ?? [];
    const registered: RegisteredSchema = { id, subject, version: versions.length + 1, schemaType, schema };
    this.byId.set(id, registered);
    versions.push(registered);
    this.bySubject.set(subject, versions);
    return id;
  }

  register(subject: string, schemaType: SchemaType, schema: string): number {
    const versions = this.bySubject.get(subject) ?? [];
    const same = versions.find((v) => v.schema === schema);
    if (same) return same.id;
    const existing = [...this.byId.values()].find((s) => s.schema === schema && s.schemaType === schemaType);
    const id = existing?.id ?? Math.max(0, ...this.byId.keys()) + 1;
    const registered: RegisteredSchema = { id, subject, version: versions.length + 1, schemaType, schema };
    if (!existing) this.byId.set(id, registered);
    versions.push(registered);
    this.bySubject.set(subject, versions);
    return id;
  }

  getById(id: number): RegisteredSchema {
    const s = this.byId.get(id);
    if (s === undefined) throw new Error(`Schema ${id} not found`);
    return s;
  }

  latest(subject: string): RegisteredSchema | null {
    const versions = this.bySubject.get(subject);
    return versions?.[versions.length - 1] ?? null;
  }
}
