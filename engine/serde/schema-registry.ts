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
  /** Schemas it imports (a .proto's `import "event.proto"`), as the registry's REST API names them. */
  readonly references?: readonly SchemaReference[];
}

/** A schema's reference to another registered schema: `name` as the schema imports it, found under subject/version. */
export interface SchemaReference {
  readonly name: string;
  readonly subject: string;
  readonly version: number;
}

export interface SchemaRegistryClient {
  register(subject: string, schemaType: SchemaType, schema: string): number;
  registerWithId(
    subject: string,
    schemaType: SchemaType,
    schema: string,
    id: number,
    references?: readonly SchemaReference[],
  ): number;
  getById(id: number): RegisteredSchema;
  latest(subject: string): RegisteredSchema | null;
}

/**
 * The texts of the schemas a schema references, each after the ones it references in turn (depth first,
 * each once); a reference the registry does not know is an error naming it.
 */
export function referencedSchemas(registry: SchemaRegistryClient, schema: RegisteredSchema): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (s: RegisteredSchema) => {
    for (const ref of s.references ?? []) {
      const key = `${ref.subject}/${ref.version}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const found = registry.latest(ref.subject);
      if (found === null) {
        throw new Error(`Schema reference ${ref.name} not found: no schema under subject ${ref.subject}`);
      }
      visit(found);
      out.push(found.schema);
    }
  };
  visit(schema);
  return out;
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
  registerWithId(
    subject: string,
    schemaType: SchemaType,
    schema: string,
    id: number,
    references?: readonly SchemaReference[],
  ): number {
    const versions = this.bySubject.get(subject) ?? [];
    const registered: RegisteredSchema = {
      id,
      subject,
      version: versions.length + 1,
      schemaType,
      schema,
      ...(references !== undefined && references.length > 0 ? { references } : {}),
    };
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
