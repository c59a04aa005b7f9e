/**
 * The registry's state: subjects, their versions, schemas by id and the
 * compatibility levels, kept in the compacted topic `_schemas` with the real
 * registry's record layout, so either registry can read the other's topic:
 *
 *   key   {"keytype":"SCHEMA","subject":S,"version":V,"magic":1}
 *   value {"subject":S,"version":V,"id":ID,"schema":TEXT,"schemaType":"JSON","deleted":false}
 *         (schemaType omitted for AVRO; deleted=true is a soft delete; null a hard delete)
 *   key   {"keytype":"CONFIG","subject":S|null,"magic":0}
 *   value {"compatibilityLevel":"BACKWARD"} (null removes a subject's level)
 */
import type { KafkaBasedLog } from '../storage/kafka-based-log.ts';
import { ERROR_CODES, RegistryError, schemaNotFound, subjectNotFound, versionNotFound } from './errors.ts';
import {
  type CompatibilityLevel,
  compatibilityProblems,
  type ParsedSchema,
  parseSchema,
  type SchemaType,
  schemasToCheck,
} from './schema-types.ts';

export interface SchemaVersion {
  subject: string;
  version: number;
  id: number;
  schema: string;
  schemaType: SchemaType;
  deleted: boolean;
}

interface SchemaKey {
  keytype: 'SCHEMA';
  subject: string;
  version: number;
  magic: 1;
}
interface ConfigKey {
  keytype: 'CONFIG';
  subject: string | null;
  magic: 0;
}

export const DEFAULT_COMPATIBILITY: CompatibilityLevel = 'BACKWARD';

export class SchemaStore {
  /** subject -> version -> entry */
  private readonly subjects = new Map<string, Map<number, SchemaVersion>>();
  private readonly schemasById = new Map<number, { schema: string; schemaType: SchemaType }>();
  /** `${type}:${canonical}` -> id: one id per distinct schema, across subjects. */
  private readonly idsByContent = new Map<string, number>();
  private readonly subjectLevels = new Map<string, CompatibilityLevel>();
  private globalLevel: CompatibilityLevel = DEFAULT_COMPATIBILITY;
  private maxId = 0;
  /** Writes are serialized: each one reads the state the previous one left. */
  private writing: Promise<unknown> = Promise.resolve();

  constructor(private readonly log: KafkaBasedLog) {}

  async start(): Promise<void> {
    await this.log.start();
    for (const record of await this.log.readToEnd()) this.apply(record.key, record.value);
  }

  async stop(): Promise<void> {
    await this.log.stop();
  }

  private apply(keyText: string, valueText: string | null): void {
    let key: SchemaKey | ConfigKey | { keytype: string };
    try {
      key = JSON.parse(keyText);
    } catch {
      return; // NOOP and foreign records are not ours to interpret.
    }
    if (key.keytype === 'SCHEMA') {
      const { subject, version } = key as SchemaKey;
      const versions = this.subjects.get(subject) ?? new Map<number, SchemaVersion>();
      this.subjects.set(subject, versions);
      if (valueText === null) {
        versions.delete(version);
        return;
      }
      const value = JSON.parse(valueText) as Omit<SchemaVersion, 'schemaType'> & { schemaType?: SchemaType };
      const entry: SchemaVersion = {
        ...value,
        schemaType: value.schemaType ?? 'AVRO',
        deleted: value.deleted ?? false,
      };
      versions.set(version, entry);
      this.schemasById.set(entry.id, { schema: entry.schema, schemaType: entry.schemaType });
      this.idsByContent.set(`${entry.schemaType}:${entry.schema}`, entry.id);
      this.maxId = Math.max(this.maxId, entry.id);
    } else if (key.keytype === 'CONFIG') {
      const { subject } = key as ConfigKey;
      const level = valueText === null ? undefined : (JSON.parse(valueText).compatibilityLevel as CompatibilityLevel);
      if (subject === null) this.globalLevel = level ?? DEFAULT_COMPATIBILITY;
      else if (level) this.subjectLevels.set(subject, level);
      else this.subjectLevels.delete(subject);
    }
  }

  private async append(key: SchemaKey | ConfigKey, value: object | null): Promise<void> {
    const keyText = JSON.stringify(key);
    const valueText = value === null ? null : JSON.stringify(value);
    await this.log.write(keyText, valueText);
    this.apply(keyText, valueText);
  }

  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const result = this.writing.then(work, work);
    this.writing = result.catch(() => undefined);
    return result;
  }

  // ---- reads

  listSubjects(includeDeleted = false): string[] {
    return [...this.subjects.keys()].filter((s) => this.versionsOf(s, includeDeleted).length > 0).sort();
  }

  /** Live versions, oldest first. */
  versionsOf(subject: string, includeDeleted = false): SchemaVersion[] {
    const versions = this.subjects.get(subject);
    if (!versions) return [];
    return [...versions.values()].filter((v) => includeDeleted || !v.deleted).sort((a, b) => a.version - b.version);
  }

  /** `latest`, `-1` or a number; throws 40401 / 40402 / 42202. */
  getVersion(subject: string, version: string | number, includeDeleted = false): SchemaVersion {
    const versions = this.versionsOf(subject, includeDeleted);
    if (versions.length === 0) throw subjectNotFound(subject);
    if (version === 'latest' || version === -1 || version === '-1') return versions[versions.length - 1]!;
    const number = typeof version === 'number' ? version : Number(version);
    if (!Number.isInteger(number) || number < 1) {
      throw new RegistryError(
        ERROR_CODES.invalidVersion,
        `The specified version '${version}' is not a valid version id. Allowed values are between [1, 2^31-1] and the string "latest"`,
      );
    }
    const found = versions.find((v) => v.version === number);
    if (!found) throw versionNotFound(subject, number);
    return found;
  }

  getById(id: number): { schema: string; schemaType: SchemaType } {
    const found = this.schemasById.get(id);
    if (!found) throw schemaNotFound(`Schema ${id} not found`);
    return found;
  }

  subjectVersionsOfId(id: number): { subject: string; version: number }[] {
    this.getById(id);
    const out: { subject: string; version: number }[] = [];
    for (const subject of this.listSubjects()) {
      for (const v of this.versionsOf(subject)) if (v.id === id) out.push({ subject, version: v.version });
    }
    return out;
  }

  /** The version of `subject` holding this schema; throws 40401 or 40403. */
  lookup(subject: string, schemaText: string, schemaType: SchemaType): SchemaVersion {
    const versions = this.versionsOf(subject);
    if (versions.length === 0) throw subjectNotFound(subject);
    const parsed = parseSchema(schemaType, schemaText);
    const found = versions.find((v) => v.schemaType === schemaType && v.schema === parsed.canonical);
    if (!found) throw schemaNotFound();
    return found;
  }

  globalCompatibility(): CompatibilityLevel {
    return this.globalLevel;
  }

  subjectCompatibility(subject: string): CompatibilityLevel | undefined {
    return this.subjectLevels.get(subject);
  }

  effectiveCompatibility(subject: string): CompatibilityLevel {
    return this.subjectLevels.get(subject) ?? this.globalLevel;
  }

  /** Problems with registering `schema` under `subject` against `version` (or the level's set). */
  compatibilityProblemsOf(
    subject: string,
    candidate: ParsedSchema,
    against?: SchemaVersion,
    level = this.effectiveCompatibility(subject),
  ): string[] {
    const earlier = against ? [against] : schemasToCheck(level, this.versionsOf(subject));
    return earlier.flatMap((version) =>
      compatibilityProblems(level, candidate, parseSchema(version.schemaType, version.schema)).map(
        (p) => `version ${version.version}: ${p}`,
      ),
    );
  }

  // ---- writes

  /** Registers a schema under a subject; an identical live schema answers its existing id. */
  register(subject: string, schemaText: string, schemaType: SchemaType): Promise<number> {
    return this.serialized(async () => {
      const parsed = parseSchema(schemaType, schemaText);
      const versions = this.versionsOf(subject);
      const same = versions.find((v) => v.schemaType === schemaType && v.schema === parsed.canonical);
      if (same) return same.id;
      const problems = this.compatibilityProblemsOf(subject, parsed);
      if (problems.length > 0) {
        throw new RegistryError(
          ERROR_CODES.incompatibleSchema,
          `Schema being registered is incompatible with an earlier schema for subject "${subject}" (compatibility ${this.effectiveCompatibility(subject)}); details: ${problems.join('; ')}. Change the schema compatibly, or set /config/${subject} to NONE if the break is intended.`,
        );
      }
      const id = this.idsByContent.get(`${schemaType}:${parsed.canonical}`) ?? this.maxId + 1;
      // Version numbers keep counting past soft-deleted versions, as in the real registry.
      const all = this.versionsOf(subject, true);
      const version = (all[all.length - 1]?.version ?? 0) + 1;
      await this.append(
        { keytype: 'SCHEMA', subject, version, magic: 1 },
        {
          subject,
          version,
          id,
          schema: parsed.canonical,
          ...(schemaType !== 'AVRO' && { schemaType }),
          deleted: false,
        },
      );
      return id;
    });
  }

  /** Soft-deletes (or, permanent, removes a soft-deleted) version; answers the version number. */
  deleteVersion(subject: string, version: string, permanent: boolean): Promise<number> {
    return this.serialized(async () => {
      const entry = this.getVersion(subject, version, permanent);
      if (permanent && !entry.deleted) {
        throw new RegistryError(
          ERROR_CODES.subjectNotSoftDeleted,
          `Subject '${subject}' Version ${entry.version} was not deleted first before being permanently deleted`,
        );
      }
      const key: SchemaKey = { keytype: 'SCHEMA', subject, version: entry.version, magic: 1 };
      await this.append(key, permanent ? null : { ...this.valueOf(entry), deleted: true });
      return entry.version;
    });
  }

  deleteSubject(subject: string, permanent: boolean): Promise<number[]> {
    return this.serialized(async () => {
      const versions = this.versionsOf(subject, permanent);
      if (versions.length === 0) throw subjectNotFound(subject);
      if (permanent && versions.some((v) => !v.deleted)) {
        throw new RegistryError(
          ERROR_CODES.subjectNotSoftDeleted,
          `Subject '${subject}' was not deleted first before being permanently deleted`,
        );
      }
      for (const entry of versions) {
        const key: SchemaKey = { keytype: 'SCHEMA', subject, version: entry.version, magic: 1 };
        await this.append(key, permanent ? null : { ...this.valueOf(entry), deleted: true });
      }
      return versions.map((v) => v.version);
    });
  }

  setCompatibility(subject: string | null, level: CompatibilityLevel | null): Promise<void> {
    return this.serialized(() =>
      this.append({ keytype: 'CONFIG', subject, magic: 0 }, level === null ? null : { compatibilityLevel: level }),
    );
  }

  private valueOf(entry: SchemaVersion) {
    const { schemaType, ...rest } = entry;
    return { ...rest, ...(schemaType !== 'AVRO' && { schemaType }) };
  }
}
