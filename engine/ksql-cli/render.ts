/**
 * How ksqlDB's CLI prints `/ksql` entities in TABULAR output (its Console
 * and table builders): status messages, listings, descriptions. An entity
 * type it has no table for prints as JSON.
 */
import type { KsqlEntity } from '../client/ksql-client.ts';
import { formatListing, type Listing } from './table.ts';

type Source = { name: string; topic: string; keyFormat: string; valueFormat: string; isWindowed: boolean };
type Field = { name: string; schema: Schema; type?: string };
type Schema = {
  type: string;
  fields: { name: string; schema: Schema }[] | null;
  memberSchema: Schema | null;
  parameters?: { precision: number; scale: number };
};
type RunningQuery = {
  id: string;
  queryString: string;
  state?: string;
  statusCount?: Record<string, number>;
  queryType?: string;
  sinks?: string[];
  sinkKafkaTopics?: string[];
};

const sourceRows = (sources: Source[]) =>
  [...sources]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((s) => [s.name, s.topic, s.keyFormat, s.valueFormat, String(s.isWindowed)]);

const singleLine = (sql: string) => sql.replace(/\s*\n\s*/g, ' ');

/** The CLI's type text (SchemaInfo.toTypeString): `VARCHAR(STRING)`, `ARRAY<INTEGER>`, `DECIMAL(4, 2)`. */
export function typeString(schema: Schema): string {
  switch (schema.type) {
    case 'STRING':
      return 'VARCHAR(STRING)';
    case 'ARRAY':
      return `ARRAY<${typeString(schema.memberSchema as Schema)}>`;
    case 'MAP':
      return `MAP<STRING, ${typeString(schema.memberSchema as Schema)}>`;
    case 'STRUCT':
      return `STRUCT<${(schema.fields ?? []).map((f) => `${f.name} ${typeString(f.schema)}`).join(', ')}>`;
    case 'DECIMAL':
      return schema.parameters ? `DECIMAL(${schema.parameters.precision}, ${schema.parameters.scale})` : 'DECIMAL';
    default:
      return schema.type;
  }
}

function listing(entity: KsqlEntity): Listing | null {
  switch (entity['@type']) {
    case 'currentStatus':
      return {
        headers: ['Message'],
        rows: [[String(entity.commandStatus?.message ?? '').split('\n', 1)[0] as string]],
      };
    case 'streams':
      return {
        headers: ['Stream Name', 'Kafka Topic', 'Key Format', 'Value Format', 'Windowed'],
        rows: sourceRows(entity.streams as Source[]),
      };
    case 'tables':
      return {
        headers: ['Table Name', 'Kafka Topic', 'Key Format', 'Value Format', 'Windowed'],
        rows: sourceRows(entity.tables as Source[]),
      };
    case 'queries':
      return {
        headers: ['Query ID', 'Query Type', 'Status', 'Sink Name', 'Sink Kafka Topic', 'Query String'],
        rows: (entity.queries as RunningQuery[]).map((q) => [
          q.id,
          q.queryType ?? 'PERSISTENT',
          Object.entries(q.statusCount ?? {})
            .map(([state, n]) => `${state}:${n}`)
            .join(','),
          (q.sinks ?? []).join(','),
          (q.sinkKafkaTopics ?? []).join(','),
          singleLine(q.queryString),
        ]),
        footerLines: ['For detailed information on a Query run: EXPLAIN <Query ID>;'],
      };
    case 'kafka_topics':
      return {
        headers: ['Kafka Topic', 'Partitions', 'Partition Replicas'],
        rows: (entity.topics as { name: string; replicaInfo: number[] }[]).map((t) => {
          const replicas = t.replicaInfo;
          const distinct = new Set(replicas);
          return [
            t.name,
            String(replicas.length),
            replicas.length === 0 ? '0' : distinct.size <= 1 ? String(replicas[0]) : replicas.join(', '),
          ];
        }),
      };
    case 'properties': {
      const overwritten = new Set<string>(entity.overwrittenProperties ?? []);
      const defaults = new Set<string>(entity.defaultProperties ?? []);
      return {
        headers: ['Property', 'Scope', 'Default override', 'Effective Value'],
        rows: [...(entity.properties as { name: string; scope: string; value: string | null }[])]
          .sort((a, b) => (a.name < b.name ? -1 : 1))
          .map((p) => [
            p.name,
            p.scope,
            overwritten.has(p.name) ? 'SESSION' : defaults.has(p.name) ? '' : 'SERVER',
            p.value ?? 'NULL',
          ]),
      };
    }
    case 'type_list':
      return {
        headers: ['Type Name', 'Schema'],
        rows: Object.entries((entity.types ?? {}) as Record<string, Schema>).map(([name, schema]) => [
          name,
          typeString(schema),
        ]),
      };
    case 'variables':
      return {
        headers: ['Variable Name', 'Value'],
        rows: (entity.variables as { name: string; value: string }[]).map((v) => [v.name, v.value]),
      };
    default:
      return null;
  }
}

function fieldType(field: Field, windowType: string | null, isTable: boolean): string {
  const type = typeString(field.schema);
  if (field.type === 'KEY') {
    const window = windowType ? ` (Window type: ${windowType})` : '';
    return `${type.padEnd(16)} ${isTable ? '(primary key)' : '(key)'}${window}`;
  }
  return type;
}

const kv = (key: string, value: unknown) => `${key.padEnd(20)} : ${value}`;

function sourceDescription(entity: KsqlEntity, width: number): string {
  const d = entity.sourceDescription as {
    name: string;
    windowType: string | null;
    readQueries: RunningQuery[];
    writeQueries: RunningQuery[];
    fields: Field[];
    type: string;
    timestamp: string;
    statistics: string;
    errorStats: string;
    extended: boolean;
    keyFormat: string;
    valueFormat: string;
    topic: string;
    partitions: number;
    replication: number;
    statement: string;
    sourceConstraints?: string[];
  };
  const isTable = d.type.toUpperCase() === 'TABLE';
  const schema =
    d.fields.length > 0
      ? formatListing(
          { headers: ['Field', 'Type'], rows: d.fields.map((f) => [f.name, fieldType(f, d.windowType, isTable)]) },
          width,
        )
      : '';
  const lines = [kv('Name', d.name)];
  if (!d.extended) {
    if (schema) lines.push(schema);
    lines.push('For runtime statistics and query details run: DESCRIBE <Stream,Table> EXTENDED;');
    return lines.join('\n');
  }
  lines.push(kv('Type', d.type));
  lines.push(kv('Timestamp field', d.timestamp === '' ? 'Not set - using <ROWTIME>' : d.timestamp));
  lines.push(kv('Key format', d.keyFormat), kv('Value format', d.valueFormat));
  if (d.topic) {
    const details = d.partitions !== 0 ? ` (partitions: ${d.partitions}, replication: ${d.replication})` : '';
    lines.push(kv('Kafka topic', d.topic) + details);
  }
  lines.push(kv('Statement', d.statement), '');
  if (schema) lines.push(schema);
  if ((d.sourceConstraints ?? []).length > 0) {
    lines.push(
      '',
      'Sources that have a DROP constraint on this source',
      '--------------------------------------------------',
    );
    lines.push(...(d.sourceConstraints as string[]));
  }
  for (const [queries, operation] of [
    [d.readQueries, 'read'],
    [d.writeQueries, 'write'],
  ] as const) {
    if (queries.length === 0) continue;
    lines.push('', `Queries that ${operation} from this ${d.type}`, '-----------------------------------');
    for (const q of queries) lines.push(`${q.id} (${q.state ?? 'N/A'}) : ${singleLine(q.queryString)}`);
    lines.push('\nFor query topology and execution plan please run: EXPLAIN <QueryId>');
  }
  lines.push('', 'Local runtime statistics', '------------------------', d.statistics, d.errorStats);
  lines.push(`(Statistics of the local KSQL server interaction with the Kafka topic ${d.topic})`);
  return lines.join('\n');
}

/** One entity in TABULAR form, with its warnings. */
export function formatEntity(entity: KsqlEntity, width: number): string {
  let text: string;
  if (entity['@type'] === 'sourceDescription') text = sourceDescription(entity, width);
  else {
    const table = listing(entity);
    text = table ? formatListing(table, width) : JSON.stringify(entity, null, 2);
  }
  for (const warning of entity.warnings ?? []) text += `\nWARNING: ${warning.message}`;
  return text;
}

/** printKsqlEntityList: a blank line before each entity, its statement text when the request had several. */
export function formatEntities(entities: readonly KsqlEntity[], width: number): string {
  const showStatements = entities.length > 1;
  return entities.map((e) => `\n${showStatements ? `${e.statementText}\n` : ''}${formatEntity(e, width)}`).join('\n');
}
