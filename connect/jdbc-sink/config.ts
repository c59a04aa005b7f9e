/**
 * The JDBC sink connector's configuration, accepted with the names and
 * defaults of io.confluent.connect.jdbc.JdbcSinkConnector (10.x), so a config
 * written for the real connector runs here unchanged.
 */

export type InsertMode = 'insert' | 'upsert' | 'update';
export type PkMode = 'none' | 'kafka' | 'record_key' | 'record_value';

export interface JdbcSinkConfig {
  /** A libpq connection string derived from connection.url and the credentials. */
  connectionString: string;
  /** connection.url as given, for messages. */
  connectionUrl: string;
  topics?: string[];
  topicsRegex?: RegExp;
  tableNameFormat: string;
  insertMode: InsertMode;
  pkMode: PkMode;
  pkFields: string[];
  fieldsWhitelist: string[];
  autoCreate: boolean;
  autoEvolve: boolean;
  deleteEnabled: boolean;
  batchSize: number;
  maxRetries: number;
  retryBackoffMs: number;
  quoteIdentifiers: boolean;
}

/** One or more connector settings are wrong; each message names the setting and what it accepts. */
export class ConnectorConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(
      `Connector configuration is invalid and contains the following ${problems.length} error(s):\n${problems.join('\n')}`,
    );
    this.name = 'ConnectorConfigError';
    this.problems = problems;
  }
}

export const JDBC_SINK_CLASS = 'io.confluent.connect.jdbc.JdbcSinkConnector';
export const JDBC_SINK_VERSION = '10.8.4';

const list = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);

/** `jdbc:postgresql://host:port/db?user=u&password=p` to `postgres://u:p@host:port/db`. */
export function postgresConnectionString(jdbcUrl: string, user?: string, password?: string): string {
  const match = /^jdbc:postgresql:\/\/([^/?]*)\/?([^?]*)(?:\?(.*))?$/.exec(jdbcUrl.trim());
  if (!match) {
    throw new ConnectorConfigError([
      `Invalid value ${jdbcUrl} for configuration connection.url: expected jdbc:postgresql://host:port/database (this worker's dialect is PostgreSQL)`,
    ]);
  }
  const [, hostPort = '', database = '', query = ''] = match;
  const params = new URLSearchParams(query);
  const url = new URL(`postgres://${hostPort || 'localhost:5432'}/${database}`);
  const u = user ?? params.get('user') ?? undefined;
  const p = password ?? params.get('password') ?? undefined;
  if (u) url.username = encodeURIComponent(u);
  if (p) url.password = encodeURIComponent(p);
  params.delete('user');
  params.delete('password');
  for (const [k, v] of params) url.searchParams.set(k, v);
  return url.toString();
}

export function parseJdbcSinkConfig(props: Record<string, string>): JdbcSinkConfig {
  const problems: string[] = [];
  const bool = (name: string, fallback: boolean) => {
    const raw = props[name];
    if (raw === undefined || raw === '') return fallback;
    if (!/^(true|false)$/i.test(raw))
      problems.push(`Invalid value ${raw} for configuration ${name}: Expected value to be either true or false`);
    return raw.toLowerCase() === 'true';
  };
  const int = (name: string, fallback: number) => {
    const raw = props[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0)
      problems.push(`Invalid value ${raw} for configuration ${name}: Not a number of type INT >= 0`);
    return n;
  };
  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const raw = (props[name] ?? fallback).toLowerCase() as T;
    if (!allowed.includes(raw)) {
      problems.push(`Invalid value ${props[name]} for configuration ${name}: must be one of ${allowed.join(', ')}`);
    }
    return raw;
  };

  let connectionString = '';
  const connectionUrl = props['connection.url'] ?? '';
  if (!connectionUrl) problems.push('Missing required configuration "connection.url" which has no default value.');
  else {
    try {
      connectionString = postgresConnectionString(
        connectionUrl,
        props['connection.user'],
        props['connection.password'],
      );
    } catch (error) {
      problems.push(...((error as ConnectorConfigError).problems ?? [(error as Error).message]));
    }
  }
  const topics = list(props.topics);
  let topicsRegex: RegExp | undefined;
  if (props['topics.regex']) {
    try {
      topicsRegex = new RegExp(`^(?:${props['topics.regex']})$`);
    } catch (error) {
      problems.push(
        `Invalid value ${props['topics.regex']} for configuration topics.regex: ${(error as Error).message}`,
      );
    }
  }
  if (topics.length > 0 && topicsRegex)
    problems.push('topics and topics.regex are mutually exclusive options, but both are set.');
  if (topics.length === 0 && !topicsRegex) problems.push('Must configure one of topics or topics.regex');

  const insertMode = oneOf<InsertMode>('insert.mode', ['insert', 'upsert', 'update'], 'insert');
  const pkMode = oneOf<PkMode>('pk.mode', ['none', 'kafka', 'record_key', 'record_value'], 'none');
  let pkFields = list(props['pk.fields']);
  if (pkMode === 'kafka') {
    if (pkFields.length === 0) pkFields = ['__connect_topic', '__connect_partition', '__connect_offset'];
    else if (pkFields.length !== 3) {
      problems.push('PK mode for table is kafka, so pk.fields must name exactly 3 columns (topic, partition, offset)');
    }
  }
  if (insertMode !== 'insert' && pkMode === 'none') {
    problems.push(`insert.mode=${insertMode} needs the primary key: set pk.mode to record_key, record_value or kafka`);
  }
  const deleteEnabled = bool('delete.enabled', false);
  if (deleteEnabled && pkMode !== 'record_key') {
    problems.push('Deletes are only supported for pk.mode record_key (delete.enabled=true)');
  }
  const quoting = oneOf('quote.sql.identifiers', ['always', 'never'], 'always');
  const config: JdbcSinkConfig = {
    connectionString,
    connectionUrl,
    ...(topics.length > 0 && { topics }),
    ...(topicsRegex && { topicsRegex }),
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the connector's own placeholder syntax.
    tableNameFormat: props['table.name.format'] ?? '${topic}',
    insertMode,
    pkMode,
    pkFields,
    fieldsWhitelist: list(props['fields.whitelist'] ?? props['fields.include']),
    autoCreate: bool('auto.create', false),
    autoEvolve: bool('auto.evolve', false),
    deleteEnabled,
    batchSize: Math.max(1, int('batch.size', 3000)),
    maxRetries: int('max.retries', 10),
    retryBackoffMs: int('retry.backoff.ms', 3000),
    quoteIdentifiers: quoting !== 'never',
  };
  if (problems.length > 0) throw new ConnectorConfigError(problems);
  return config;
}

export function tableNameFor(config: JdbcSinkConfig, topic: string): string {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the connector's own placeholder syntax.
  return config.tableNameFormat.replaceAll('${topic}', topic);
}
