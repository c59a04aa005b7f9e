/**
 * A small typed client of the schema registry's REST API, with the caches
 * every serializer needs: schema by id (immutable, cached forever) and id by
 * subject and schema (so a producer registers once, not per record).
 */
import type { SchemaType } from './schema-types.ts';

export class SchemaRegistryError extends Error {
  readonly status: number;
  readonly errorCode: number;
  constructor(status: number, errorCode: number, message: string) {
    super(message);
    this.name = 'SchemaRegistryError';
    this.status = status;
    this.errorCode = errorCode;
  }
}

export interface RegisteredSchema {
  subject: string;
  version: number;
  id: number;
  schema: string;
  schemaType: SchemaType;
}

export class SchemaRegistryClient {
  private readonly byId = new Map<number, Promise<{ schema: string; schemaType: SchemaType }>>();
  private readonly idBySubjectSchema = new Map<string, Promise<number>>();

  constructor(readonly url: string) {
    this.url = url.replace(/\/+$/, '');
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.url}${path}`, {
        method,
        headers: { 'content-type': 'application/vnd.schemaregistry.v1+json', accept: 'application/json' },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
    } catch (error) {
      throw new SchemaRegistryError(
        503,
        50300,
        `Schema registry at ${this.url} is unreachable (${(error as Error).cause ?? (error as Error).message}); is it running? (SCHEMA_REGISTRY_URL)`,
      );
    }
    const text = await response.text();
    const parsed = text ? JSON.parse(text) : undefined;
    if (!response.ok) {
      const { error_code: code = response.status, message = text } = (parsed ?? {}) as {
        error_code?: number;
        message?: string;
      };
      throw new SchemaRegistryError(response.status, code, `${method} ${path}: ${message} (error ${code})`);
    }
    return parsed as T;
  }

  /** Registers (or finds) a schema under a subject; answers its id. Cached per subject and schema text. */
  register(subject: string, schema: string, schemaType: SchemaType = 'AVRO'): Promise<number> {
    const key = `${subject}\u0000${schemaType}\u0000${schema}`;
    let id = this.idBySubjectSchema.get(key);
    if (!id) {
      id = this.request<{ id: number }>('POST', `/subjects/${encodeURIComponent(subject)}/versions`, {
        schema,
        ...(schemaType !== 'AVRO' && { schemaType }),
      }).then((r) => r.id);
      id.catch(() => this.idBySubjectSchema.delete(key));
      this.idBySubjectSchema.set(key, id);
    }
    return id;
  }

  getSchemaById(id: number): Promise<{ schema: string; schemaType: SchemaType }> {
    let found = this.byId.get(id);
    if (!found) {
      found = this.request<{ schema: string; schemaType?: SchemaType }>('GET', `/schemas/ids/${id}`).then((r) => ({
        schema: r.schema,
        schemaType: r.schemaType ?? 'AVRO',
      }));
      found.catch(() => this.byId.delete(id));
      this.byId.set(id, found);
    }
    return found;
  }

  async getVersion(subject: string, version: number | 'latest' = 'latest'): Promise<RegisteredSchema> {
    const r = await this.request<Omit<RegisteredSchema, 'schemaType'> & { schemaType?: SchemaType }>(
      'GET',
      `/subjects/${encodeURIComponent(subject)}/versions/${version}`,
    );
    return { ...r, schemaType: r.schemaType ?? 'AVRO' };
  }

  listSubjects(): Promise<string[]> {
    return this.request('GET', '/subjects');
  }

  listVersions(subject: string): Promise<number[]> {
    return this.request('GET', `/subjects/${encodeURIComponent(subject)}/versions`);
  }

  deleteSubject(subject: string, permanent = false): Promise<number[]> {
    return this.request('DELETE', `/subjects/${encodeURIComponent(subject)}${permanent ? '?permanent=true' : ''}`);
  }

  async setCompatibility(level: string, subject?: string): Promise<void> {
    await this.request('PUT', subject ? `/config/${encodeURIComponent(subject)}` : '/config', { compatibility: level });
  }

  async getCompatibility(subject?: string): Promise<string> {
    const path = subject ? `/config/${encodeURIComponent(subject)}?defaultToGlobal=true` : '/config';
    return (await this.request<{ compatibilityLevel: string }>('GET', path)).compatibilityLevel;
  }

  async testCompatibility(subject: string, schema: string, schemaType: SchemaType = 'AVRO'): Promise<boolean> {
    const r = await this.request<{ is_compatible: boolean }>(
      'POST',
      `/compatibility/subjects/${encodeURIComponent(subject)}/versions/latest`,
      { schema, ...(schemaType !== 'AVRO' && { schemaType }) },
    );
    return r.is_compatible;
  }
}
