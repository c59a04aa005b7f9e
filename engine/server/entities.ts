/**
 * The entities `POST /ksql` answers, one per statement, in ksqlDB's shapes
 * (KsqlEntity subclasses, named by `@type`), built from the metastore.
 */
import type { DataSource, MetaStore, PersistentQuery } from '../metastore/metastore.ts';
import type { SqlType } from '../types/sql-type.ts';

export type KsqlEntity = {
  readonly '@type': string;
  readonly statementText: string;
  readonly warnings: never[];
} & Record<string, unknown>;

export interface CommandStatus {
  readonly status: 'SUCCESS' | 'ERROR' | 'QUEUED' | 'PARSING' | 'EXECUTING' | 'TERMINATED';
  readonly message: string;
  readonly queryId: string | null;
}

function entity(type: string, statementText: string, body: Record<string, unknown>): KsqlEntity {
  return { '@type': type, statementText, ...body, warnings: [] };
}

export function currentStatus(
  statementText: string,
  commandId: string,
  commandStatus: CommandStatus,
  commandSequenceNumber: number,
): KsqlEntity {
  return entity('currentStatus', statementText, { commandId, commandStatus, commandSequenceNumber });
}

export function sourceList(statementText: string, metastore: MetaStore, type: 'STREAM' | 'TABLE'): KsqlEntity {
  const sources = metastore
    .allSources()
    .filter((s) => s.type === type)
    .map((s) => ({
      type,
      name: s.name,
      topic: s.topic,
      keyFormat: s.keyFormat,
      valueFormat: s.valueFormat,
      isWindowed: s.window !== null,
    }));
  return type === 'STREAM'
    ? entity('streams', statementText, { streams: sources })
    : entity('tables', statementText, { tables: sources });
}

/** ksqlDB's RunningQuery. */
function runningQuery(q: PersistentQuery, metastore: MetaStore, state: string) {
  const sink = metastore.source(q.sink);
  return {
    queryString: q.sql,
    sinks: [q.sink],
    sinkKafkaTopics: sink ? [sink.topic] : [],
    id: q.id,
    statusCount: { [state]: 1 },
    queryType: 'PERSISTENT',
    state,
  };
}

export function queryList(
  statementText: string,
  metastore: MetaStore,
  stateOf: (queryId: string) => string,
): KsqlEntity {
  return entity('queries', statementText, {
    queries: metastore.allQueries().map((q) => runningQuery(q, metastore, stateOf(q.id))),
  });
}

/** ksqlDB's SqlSchemaFormatter JSON form of a type (`{type, fields, memberSchema}`). */
export function schemaOf(type: SqlType): Record<string, unknown> {
  switch (type.base) {
    case 'INTEGER':
      return { type: 'INTEGER', fields: null, memberSchema: null };
    case 'ARRAY':
      return { type: 'ARRAY', fields: null, memberSchema: schemaOf(type.element) };
    case 'MAP':
      return { type: 'MAP', fields: null, memberSchema: schemaOf(type.value) };
    case 'STRUCT':
      return {
        type: 'STRUCT',
        fields: type.fields.map((f) => ({ name: f.name, schema: schemaOf(f.type) })),
        memberSchema: null,
      };
    case 'DECIMAL':
      return {
        type: 'DECIMAL',
        fields: null,
        memberSchema: null,
        parameters: { precision: type.precision, scale: type.scale },
      };
    default:
      return { type: type.base, fields: null, memberSchema: null };
  }
}

export function sourceDescription(
  statementText: string,
  source: DataSource,
  metastore: MetaStore,
  partitions: number,
  extended: boolean,
  stateOf: (queryId: string) => string = () => 'RUNNING',
): KsqlEntity {
  const fields = [
    ...source.schema.key.map((c) => ({ name: c.name, schema: schemaOf(c.type), type: 'KEY' })),
    ...source.schema.value.map((c) => ({ name: c.name, schema: schemaOf(c.type) })),
  ];
  // ksqlDB's RunningQuery, as LIST QUERIES shows them: the queries reading and writing this source.
  const ids = (qs: PersistentQuery[]) => qs.map((q) => runningQuery(q, metastore, stateOf(q.id)));
  return entity('sourceDescription', statementText, {
    sourceDescription: {
      name: source.name,
      windowType: source.window?.type ?? null,
      readQueries: ids(metastore.queriesReading(source.name)),
      writeQueries: ids(metastore.queriesWriting(source.name)),
      fields,
      type: source.type,
      timestamp: source.timestamp?.column ?? '',
      statistics: '',
      errorStats: '',
      extended,
      keyFormat: source.keyFormat,
      valueFormat: source.valueFormat,
      topic: source.topic,
      partitions,
      replication: metastore.topic(source.topic)?.replicas ?? 1,
      statement: source.sql,
      queryOffsetSummaries: [],
      sourceConstraints: metastore.queriesReading(source.name).map((q) => q.sink),
    },
  });
}

/** SHOW TYPES: ksqlDB's TypeList, the custom types by name. */
export function typeList(statementText: string, types: ReadonlyMap<string, SqlType>): KsqlEntity {
  return entity('type_list', statementText, {
    types: Object.fromEntries([...types].map(([name, type]) => [name, schemaOf(type)])),
  });
}

export function kafkaTopics(
  statementText: string,
  topics: readonly { name: string; partitions: number }[],
): KsqlEntity {
  return entity('kafka_topics', statementText, {
    topics: topics.map((t) => ({ name: t.name, replicaInfo: Array.from({ length: t.partitions }, () => 1) })),
  });
}

export function propertiesList(statementText: string, properties: Readonly<Record<string, unknown>>): KsqlEntity {
  return entity('properties', statementText, {
    properties: Object.entries(properties).map(([name, value]) => ({ name, scope: 'KSQL', value: String(value) })),
    overwrittenProperties: [],
    defaultProperties: [],
  });
}

/** The body of an error answer: `statement_error` when a statement failed, else `generic_error`. */
export interface KsqlErrorMessage {
  readonly '@type': 'statement_error' | 'generic_error';
  readonly error_code: number;
  readonly message: string;
  readonly statementText?: string;
  readonly entities?: readonly KsqlEntity[];
}

/** An error to answer with: `errorCode` is the HTTP status times 100 plus a detail (40001 bad statement). */
export class KsqlRequestError extends Error {
  constructor(
    readonly errorCode: number,
    message: string,
    readonly statementText: string | null = null,
    readonly entities: readonly KsqlEntity[] = [],
  ) {
    super(message);
  }

  get httpStatus(): number {
    return Math.floor(this.errorCode / 100);
  }

  toJSON(): KsqlErrorMessage {
    return this.statementText === null
      ? { '@type': 'generic_error', error_code: this.errorCode, message: this.message }
      : {
          '@type': 'statement_error',
          error_code: this.errorCode,
          message: this.message,
          statementText: this.statementText,
          entities: this.entities,
        };
  }
}

export const ERROR_CODES = {
  badRequest: 40000,
  badStatement: 40001,
  queryEndpoint: 40002,
  notFound: 40400,
  serverError: 50000,
} as const;
