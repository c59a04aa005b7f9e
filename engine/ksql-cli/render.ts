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
    case 'function_names': {
      // FunctionNameListTableBuilder: by category then name, a blank row between categories.
      const functions = [...(entity.functions as { name: string; category: string }[])].sort((a, b) =>
        a.category < b.category ? -1 : a.category > b.category ? 1 : a.name < b.name ? -1 : 1,
      );
      const rows: string[][] = [];
      functions.forEach((f, i) => {
        if (i > 0 && f.category !== functions[i - 1]?.category) rows.push([' ', ' ']);
        rows.push([f.name, f.category]);
      });
      return {
        headers: ['Function Name', 'Category'],
        rows,
        footerLines: ['For detailed information about a function, run: DESCRIBE FUNCTION <Function Name>;'],
      };
    }
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

/** EXPLAIN: the real CLI's printQueryDescription (id, type, SQL, host status, fields, sources, sinks, plan, topology). */
function queryDescription(entity: KsqlEntity, width: number): string {
  const q = entity.queryDescription as {
    id: string;
    queryType?: string;
    statementText: string;
    windowType: string | null;
    fields: Field[];
    sources: string[];
    sinks: string[];
    topology: string;
    executionPlan: string;
    overriddenProperties: Record<string, unknown>;
    ksqlHostQueryStatus?: Record<string, string>;
  };
  const lines = [kv('ID', q.id)];
  if (q.queryType) lines.push(kv('Query Type', q.queryType));
  if (q.statementText.length > 0) lines.push(kv('SQL', q.statementText));
  const hosts = Object.entries(q.ksqlHostQueryStatus ?? {});
  if (hosts.length > 0) lines.push(kv('Host Query Status', `{${hosts.map(([h, s]) => `${h}=${s}`).join(', ')}}`));
  lines.push('');
  if (q.fields.length > 0) {
    lines.push(
      formatListing(
        {
          headers: ['Field', 'Type'],
          // Keys print as `(key)` here, tables' too (ksqlDB's printSchema has no source type).
          rows: q.fields.map((f) => [f.name, fieldType(f, q.windowType, false)]),
        },
        width,
      ),
    );
  }
  const section = (title: string, names: string[], hint: string) => {
    if (names.length === 0) return;
    lines.push('', title, '-----------------------------------', ...names, '', hint);
  };
  section(
    'Sources that this query reads from: ',
    q.sources,
    'For source description please run: DESCRIBE [EXTENDED] <SourceId>',
  );
  section(
    'Sinks that this query writes to: ',
    q.sinks,
    'For sink description please run: DESCRIBE [EXTENDED] <SinkId>',
  );
  if (q.executionPlan) lines.push('', 'Execution plan', '--------------', q.executionPlan);
  if (q.topology) lines.push('', 'Processing topology', '-------------------', q.topology);
  const overridden = Object.entries(q.overriddenProperties ?? {});
  if (overridden.length > 0) {
    lines.push('', 'Overridden Properties', '---------------------');
    lines.push(
      formatListing({ headers: ['Property', 'Value'], rows: overridden.map(([k, v]) => [k, String(v)]) }, width),
    );
  }
  return lines.join('\n');
}

/** DESCRIBE FUNCTION: the real CLI's printFunctionDescription. */
function functionDescription(entity: KsqlEntity): string {
  const line = (label: string, value: string) => `${label.padEnd(12)}: ${value}`;
  const name = String(entity.name).toUpperCase();
  const lines = [line('Name', name)];
  if (String(entity.author ?? '').trim()) lines.push(line('Author', entity.author));
  if (String(entity.version ?? '').trim()) lines.push(line('Version', entity.version));
  if (String(entity.description ?? '').trim()) lines.push(line('Overview', entity.description));
  lines.push(line('Type', entity.type), line('Jar', entity.path), line('Variations', ''));
  type Variation = {
    arguments: { name: string; type: string }[];
    returnType: string;
    description: string;
  };
  for (const v of (entity.functions ?? []) as Variation[]) {
    const args = v.arguments.map((a) => (a.name ? `${a.name} ${a.type}` : a.type)).join(', ');
    lines.push('', `\t${'Variation'.padEnd(12)}: ${name}(${args})`, `\t${'Returns'.padEnd(12)}: ${v.returnType}`);
    if (v.description?.trim()) lines.push(`\t${'Description'.padEnd(12)}: ${v.description}`);
  }
  return lines.join('\n');
}

/** One entity in TABULAR form, with its warnings. */
export function formatEntity(entity: KsqlEntity, width: number): string {
  let text: string;
  if (entity['@type'] === 'sourceDescription') text = sourceDescription(entity, width);
  else if (entity['@type'] === 'queryDescription') text = queryDescription(entity, width);
  else if (entity['@type'] === 'describe_function') text = functionDescription(entity);
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
