/**
 * The engine's schema registry backed by a real registry service over HTTP
 * (`ksql.schema.registry.url`), through connect/'s REST client.
 *
 * The engine's serdes are synchronous (they run inside topology processors),
 * and HTTP is not, so the server does the HTTP where ksqlDB does its registry
 * work, and the serdes read what it cached:
 *
 *   - register: before a statement that writes a topic (CREATE ... AS SELECT,
 *     INSERT INTO, INSERT VALUES) and for every sink on start, the server
 *     registers the sink's key and value schemas (`prepareSink`), as ksqlDB's
 *     SchemaRegisterInjector does; a serde's register() then finds the id.
 *   - read: before CREATE STREAM/TABLE, the subjects' latest versions (schema
 *     inference, KEY_SCHEMA_ID / VALUE_SCHEMA_ID); before queries start, every
 *     version of their source topics' subjects, so the readers find each id.
 *
 * A record whose schema id appeared after its query started misses the cache:
 * it goes to the processing log, and the id is fetched for the next records.
 */
import { SerializationError } from '../../topology/index.ts';
import type { DataSource, MetaStore, PersistentQuery } from '../metastore/metastore.ts';
import type { Statement } from '../parser/ast.ts';
import { avroWriterSchemaText } from '../serde/avro.ts';
import { jsonSrWriterSchemaText } from '../serde/json-schema.ts';
import type { RegisteredSchema, SchemaRegistryClient, SchemaType } from '../serde/schema-registry.ts';

/** What the engine needs of connect/'s SchemaRegistryClient (schema-registry/client.ts). */
export interface RegistryHttpClient {
  readonly url: string;
  register(subject: string, schema: string, schemaType?: 'AVRO' | 'JSON'): Promise<number>;
  getSchemaById(id: number): Promise<{ schema: string; schemaType: 'AVRO' | 'JSON' }>;
  getVersion(
    subject: string,
    version?: number | 'latest',
  ): Promise<{ subject: string; version: number; id: number; schema: string; schemaType: 'AVRO' | 'JSON' }>;
  listVersions(subject: string): Promise<number[]>;
}

const isNotFound = (error: unknown) => (error as { status?: number }).status === 404;

export class RemoteSchemaRegistry implements SchemaRegistryClient {
  private readonly byId = new Map<number, RegisteredSchema>();
  private readonly ids = new Map<string, number>();
  private readonly latestBySubject = new Map<string, RegisteredSchema | null>();
  private readonly fetching = new Set<number>();
  private readonly preparedQueries = new Set<string>();

  constructor(private readonly http: RegistryHttpClient) {}

  get url(): string {
    return this.http.url;
  }

  register(subject: string, schemaType: SchemaType, schema: string): number {
    const id = this.ids.get(registrationKey(subject, schemaType, schema));
    if (id === undefined) {
      throw new SerializationError(
        `Schema for subject ${subject} was not registered with the schema registry at ${this.http.url} before the query wrote it (the server registers sink schemas when a statement runs); schema: ${schema}`,
      );
    }
    return id;
  }

  registerWithId(subject: string): number {
    throw new Error(
      `Registering a schema under a chosen id (subject ${subject}) is for tests with an in-memory registry; the schema registry at ${this.http.url} assigns ids`,
    );
  }

  getById(id: number): RegisteredSchema {
    const found = this.byId.get(id);
    if (found !== undefined) return found;
    this.fetchInBackground(id);
    throw new SerializationError(
      `Schema id ${id} is not known yet to this server; it is being fetched from the schema registry at ${this.http.url}, so later records with it will be read`,
    );
  }

  latest(subject: string): RegisteredSchema | null {
    return this.latestBySubject.get(subject) ?? null;
  }

  /** Throws, naming the URL, unless the registry answers (a 404 for a subject nobody registers is an answer). */
  async ensureReachable(): Promise<void> {
    try {
      await this.http.listVersions('_tally-reachability-probe-value');
    } catch (error) {
      if (isNotFound(error)) return;
      throw new Error(
        `The schema registry at ${this.http.url} (ksql.schema.registry.url, SCHEMA_REGISTRY_URL) does not answer: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }

  /** Registers (or finds) a schema; afterwards register() answers its id without a request. */
  async ensureRegistered(subject: string, schemaType: SchemaType, schema: string): Promise<number> {
    const key = registrationKey(subject, schemaType, schema);
    const known = this.ids.get(key);
    if (known !== undefined) return known;
    if (schemaType === 'PROTOBUF') {
      throw new Error(
        `PROTOBUF schemas cannot be registered with the schema registry at ${this.http.url} (subject ${subject})`,
      );
    }
    const id = await this.http.register(subject, schema, schemaType);
    this.ids.set(key, id);
    if (!this.byId.has(id)) this.byId.set(id, { id, subject, version: 0, schemaType, schema });
    return id;
  }

  /**
   * Registers the AVRO and JSON_SR key and value schemas a source's writers will register, under
   * `<topic>-key|value`; for an AVRO side with a schema id, caches that schema (its writer's).
   */
  async prepareSink(source: DataSource): Promise<void> {
    const sides = [
      { isKey: true, format: source.keyFormat, columns: source.schema.key, options: source.keyOptions },
      {
        isKey: false,
        format: source.valueFormat,
        columns: source.schema.value.filter((c) => !c.header),
        options: source.valueOptions,
      },
    ];
    for (const { isKey, format, columns, options } of sides) {
      if (columns.length === 0 || (format !== 'AVRO' && format !== 'JSON_SR')) continue;
      if (format === 'AVRO' && options.schemaId !== undefined) {
        // KEY_SCHEMA_ID / VALUE_SCHEMA_ID: the writer uses that registered schema; nothing to register.
        await this.prepareId(options.schemaId);
        continue;
      }
      const subject = `${source.topic}-${isKey ? 'key' : 'value'}`;
      if (format === 'AVRO')
        await this.ensureRegistered(subject, 'AVRO', avroWriterSchemaText(columns, options, isKey));
      else await this.ensureRegistered(subject, 'JSON', jsonSrWriterSchemaText(columns, options, isKey));
    }
  }

  /** Caches every version of `<topic>-key` and `<topic>-value` (readers) and the latest (inference). */
  async prepareSubjects(topic: string, allVersions: boolean): Promise<void> {
    for (const subject of [`${topic}-key`, `${topic}-value`]) {
      let versions: (number | 'latest')[] = ['latest'];
      if (allVersions) {
        try {
          versions = await this.http.listVersions(subject);
        } catch (error) {
          if (!isNotFound(error)) throw error;
          versions = [];
        }
      }
      let latest: RegisteredSchema | null = null;
      for (const version of versions) {
        try {
          const v = await this.http.getVersion(subject, version);
          const registered: RegisteredSchema = { ...v };
          this.byId.set(v.id, registered);
          this.ids.set(registrationKey(subject, v.schemaType, v.schema), v.id);
          if (latest === null || v.version > latest.version) latest = registered;
        } catch (error) {
          if (!isNotFound(error)) throw error;
        }
      }
      this.latestBySubject.set(subject, latest);
    }
  }

  /** What a statement reads from the registry while it executes: inferred schemas, INSERT VALUES' writers. */
  async beforeStatement(s: Statement, metastore: MetaStore): Promise<void> {
    if (s.kind === 'createSource') {
      const topic = s.properties.get('KAFKA_TOPIC');
      if (typeof topic === 'string') await this.prepareSubjects(topic, false);
      for (const name of ['KEY_SCHEMA_ID', 'VALUE_SCHEMA_ID']) {
        const id = s.properties.get(name);
        if (typeof id === 'number') await this.prepareId(id);
      }
    } else if (s.kind === 'insertValues') {
      const target = metastore.source(s.target);
      if (target !== undefined) await this.prepareSink(target);
    }
  }

  /** Before queries start: their sinks' schemas registered, their sources' schemas cached. */
  async beforeQueries(queries: readonly PersistentQuery[], metastore: MetaStore): Promise<void> {
    for (const query of queries) {
      if (this.preparedQueries.has(query.id)) continue;
      const sink = metastore.source(query.sink);
      if (sink !== undefined) await this.prepareSink(sink);
      for (const name of query.sources) {
        const source = metastore.source(name);
        if (source !== undefined && (source.keyFormat === 'AVRO' || source.valueFormat === 'AVRO')) {
          await this.prepareSubjects(source.topic, true);
        }
      }
      this.preparedQueries.add(query.id);
    }
  }

  /** Caches a schema by id (KEY_SCHEMA_ID / VALUE_SCHEMA_ID). */
  async prepareId(id: number): Promise<void> {
    if (this.byId.has(id)) return;
    const { schema, schemaType } = await this.http.getSchemaById(id);
    this.byId.set(id, { id, subject: '', version: 0, schemaType, schema });
  }

  private fetchInBackground(id: number): void {
    if (this.fetching.has(id)) return;
    this.fetching.add(id);
    void this.prepareId(id)
      .catch(() => {})
      .finally(() => this.fetching.delete(id));
  }
}

function registrationKey(subject: string, schemaType: SchemaType, schema: string): string {
  return `${subject}\u0000${schemaType}\u0000${schema}`;
}
