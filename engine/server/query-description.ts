/**
 * ksqlDB's `queryDescription` entity (QueryDescriptionEntity), what EXPLAIN
 * answers: for a persistent query by id, and for a SELECT that would run as
 * a transient push query (ksqlDB plans it in a sandbox; here it is planned
 * without being started).
 */
import type { MetaStore, PersistentQuery } from '../metastore/metastore.ts';
import type { Column, LogicalSchema } from '../types/schema.ts';
import { formatType } from '../types/sql-type.ts';
import { type KsqlEntity, schemaOf } from './entities.ts';

/** ksqlDB's QueryError: one failure of a query, newest last. */
export interface QueryError {
  readonly timestamp: number;
  readonly errorMessage: string;
  readonly type: 'USER' | 'SYSTEM' | 'UNKNOWN';
}

export interface PersistentQueryStatus {
  /** KsqlQueryStatus: RUNNING, ERROR, UNRESPONSIVE. */
  readonly state: string;
  /** `host:port` of this server, the key of ksqlHostQueryStatus. */
  readonly host: string;
  readonly consumerGroupId: string;
  readonly errors: readonly QueryError[];
  /** The engine's current properties: a query's own that differ are its overrides. */
  readonly serverProperties: Readonly<Record<string, unknown>>;
}

/** ksqlDB's execution plan text: one step a line, the sink first, sources indented under it. */
function executionPlan(queryId: string, sink: { name: string; schema: LogicalSchema } | null, sources: SourceStep[]) {
  const schemaText = (schema: LogicalSchema) =>
    [
      ...schema.key.map((c) => `${c.name} ${formatType(c.type)} KEY`),
      ...schema.value.map((c) => `${c.name} ${formatType(c.type)}`),
    ].join(', ');
  const lines: string[] = [];
  let depth = 0;
  if (sink !== null) {
    lines.push(` > [ SINK ] | Schema: ${schemaText(sink.schema)} | Logger: ${queryId}.${sink.name}`);
    depth = 1;
  }
  for (const source of sources) {
    lines.push(
      `${'\t\t'.repeat(depth)} > [ SOURCE ] | Schema: ${schemaText(source.schema)} | Logger: ${queryId}.KsqlTopic.Source`,
    );
  }
  return lines.join('\n');
}

interface SourceStep {
  readonly schema: LogicalSchema;
}

function fieldsOf(schema: LogicalSchema, keyAsKey: boolean) {
  const field = (c: Column, key: boolean) => ({ name: c.name, schema: schemaOf(c.type), ...(key && { type: 'KEY' }) });
  return [...schema.key.map((c) => field(c, keyAsKey)), ...schema.value.map((c) => field(c, false))];
}

function sourcesOf(metastore: MetaStore, names: readonly string[]): SourceStep[] {
  return [...new Set(names)].flatMap((name) => {
    const source = metastore.source(name);
    return source ? [{ schema: source.schema }] : [];
  });
}

export function persistentQueryDescription(
  statementText: string,
  query: PersistentQuery,
  metastore: MetaStore,
  status: PersistentQueryStatus,
): KsqlEntity {
  const sink = metastore.source(query.sink);
  const overridden = Object.fromEntries(
    Object.entries(query.properties).filter(([name, value]) => status.serverProperties[name] !== value),
  );
  return {
    '@type': 'queryDescription',
    statementText,
    queryDescription: {
      id: query.id,
      statementText: query.sql,
      windowType: sink?.window?.type ?? null,
      fields: sink ? fieldsOf(sink.schema, true) : [],
      sources: [...new Set(query.sources)],
      sinks: [query.sink],
      topology: query.topology.describe(),
      executionPlan: executionPlan(
        query.id,
        sink ? { name: sink.name, schema: sink.schema } : null,
        sourcesOf(metastore, query.sources),
      ),
      overriddenProperties: overridden,
      ksqlHostQueryStatus: { [status.host]: status.state },
      queryType: 'PERSISTENT',
      queryErrors: status.errors,
      tasksMetadata: [],
      consumerGroupId: status.consumerGroupId,
      state: status.state,
    },
    warnings: [],
  };
}

export interface TransientQueryPlan {
  readonly id: string;
  readonly sql: string;
  readonly sources: readonly string[];
  /** The output columns, all value columns as in a transient query's schema. */
  readonly columns: readonly Column[];
  /** Kafka Streams' description of the topology it would run ('' when it runs without one). */
  readonly topology: string;
  readonly overriddenProperties: Readonly<Record<string, unknown>>;
}

/** A SELECT explained: ksqlDB's description of a transient query, PUSH, with no sink and no host status. */
export function transientQueryDescription(
  statementText: string,
  plan: TransientQueryPlan,
  metastore: MetaStore,
): KsqlEntity {
  return {
    '@type': 'queryDescription',
    statementText,
    queryDescription: {
      id: plan.id,
      statementText: plan.sql,
      windowType: null,
      fields: fieldsOf({ key: [], value: [...plan.columns] }, false),
      sources: [...new Set(plan.sources)],
      sinks: [],
      topology: plan.topology,
      executionPlan: executionPlan(plan.id, null, sourcesOf(metastore, plan.sources)),
      overriddenProperties: plan.overriddenProperties,
      ksqlHostQueryStatus: {},
      queryType: 'PUSH',
      queryErrors: [],
      tasksMetadata: [],
      consumerGroupId: '',
      state: null,
    },
    warnings: [],
  };
}
