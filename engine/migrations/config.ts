/**
 * ksql-migrations' configuration (MigrationConfig): the properties file named
 * by `--config-file`, with the tool's keys and defaults. The topic names
 * default to `<ksql service id>ksql_<name>`, so loading asks the server's
 * `/info` for its service id, as the real tool does.
 */
import fs from 'node:fs';
import path from 'node:path';
import { KsqlClient, type KsqlClientOptions } from '../client/ksql-client.ts';
import { MigrationError } from './errors.ts';
import { readPropertiesFile } from './properties.ts';

export const CONFIG_KEYS = {
  serverUrl: 'ksql.server.url',
  username: 'ksql.auth.basic.username',
  password: 'ksql.auth.basic.password',
  streamName: 'ksql.migrations.stream.name',
  tableName: 'ksql.migrations.table.name',
  streamTopicName: 'ksql.migrations.stream.topic.name',
  tableTopicName: 'ksql.migrations.table.topic.name',
  topicReplicas: 'ksql.migrations.topic.replicas',
  dirOverride: 'ksql.migrations.dir.override',
} as const;

/** Keys new-project writes commented out, in the real tool's groups. */
export const TEMPLATE_GROUPS: readonly (readonly [string, readonly string[]])[] = [
  [
    'Migrations metadata configs',
    [
      CONFIG_KEYS.streamName,
      CONFIG_KEYS.tableName,
      CONFIG_KEYS.streamTopicName,
      CONFIG_KEYS.tableTopicName,
      CONFIG_KEYS.topicReplicas,
    ],
  ],
  [
    'TLS configs',
    [
      'ssl.truststore.location',
      'ssl.truststore.password',
      'ssl.keystore.location',
      'ssl.keystore.password',
      'ssl.key.password',
      'ssl.key.alias',
      'ssl.alpn',
      'ssl.verify.host',
    ],
  ],
  ['ksqlDB server authentication configs', [CONFIG_KEYS.username, CONFIG_KEYS.password]],
  ['Migrations directory configs', [CONFIG_KEYS.dirOverride]],
];

/** Defaults shown in new-project's template (the real tool's DEFAULT_CONFIG, service id `ksql-service-id`). */
export const TEMPLATE_DEFAULTS: Readonly<Record<string, string>> = {
  [CONFIG_KEYS.streamName]: 'MIGRATION_EVENTS',
  [CONFIG_KEYS.tableName]: 'MIGRATION_SCHEMA_VERSIONS',
  [CONFIG_KEYS.streamTopicName]: 'ksql-service-idksql_MIGRATION_EVENTS',
  [CONFIG_KEYS.tableTopicName]: 'ksql-service-idksql_MIGRATION_SCHEMA_VERSIONS',
  [CONFIG_KEYS.topicReplicas]: '1',
  'ssl.alpn': 'false',
  'ssl.verify.host': 'true',
};

export interface MigrationConfig {
  readonly configFile: string;
  readonly serverUrl: string;
  readonly username: string;
  readonly password: string;
  readonly streamName: string;
  readonly tableName: string;
  readonly streamTopicName: string;
  readonly tableTopicName: string;
  readonly topicReplicas: number;
  /** Where the migration files are: `ksql.migrations.dir.override`, else `migrations/` beside the config file. */
  readonly migrationsDir: string;
}

export function clientOptions(config: MigrationConfig, headers?: Record<string, string>): KsqlClientOptions {
  return {
    url: config.serverUrl,
    ...((config.username || config.password) && {
      basicAuth: { username: config.username, password: config.password },
    }),
    ...(headers && { headers }),
  };
}

/** Reads the config file and asks the server for its service id (for the default topic names). */
export async function loadMigrationConfig(configFile: string): Promise<MigrationConfig> {
  if (!fs.existsSync(configFile)) throw new MigrationError(`Config file ${configFile} does not exist.`);
  const props = readPropertiesFile(configFile);
  const serverUrl = props.get(CONFIG_KEYS.serverUrl);
  if (serverUrl === undefined) throw new MigrationError(`Missing required property: ${CONFIG_KEYS.serverUrl}`);
  const username = props.get(CONFIG_KEYS.username) ?? '';
  const password = props.get(CONFIG_KEYS.password) ?? '';
  const streamName = props.get(CONFIG_KEYS.streamName) || 'MIGRATION_EVENTS';
  const tableName = props.get(CONFIG_KEYS.tableName) || 'MIGRATION_SCHEMA_VERSIONS';
  const replicasText = props.get(CONFIG_KEYS.topicReplicas) ?? '1';
  const topicReplicas = Number(replicasText);
  if (!Number.isInteger(topicReplicas)) {
    throw new MigrationError(
      `Invalid value ${replicasText} for configuration ${CONFIG_KEYS.topicReplicas}: Not a number of type INT`,
    );
  }
  let streamTopicName = props.get(CONFIG_KEYS.streamTopicName);
  let tableTopicName = props.get(CONFIG_KEYS.tableTopicName);
  if (!streamTopicName || !tableTopicName) {
    const client = new KsqlClient({
      url: serverUrl,
      ...((username || password) && { basicAuth: { username, password } }),
    });
    let serviceId: string;
    try {
      serviceId = (await client.info()).ksqlServiceId;
    } catch (error) {
      throw new MigrationError(`Failed to query ${serverUrl}/info: ${(error as Error).message}`);
    }
    streamTopicName ||= `${serviceId}ksql_${streamName}`;
    tableTopicName ||= `${serviceId}ksql_${tableName}`;
  }
  const override = props.get(CONFIG_KEYS.dirOverride);
  const migrationsDir = override ? override : path.join(path.dirname(path.resolve(configFile)), 'migrations');
  return {
    configFile,
    serverUrl,
    username,
    password,
    streamName,
    tableName,
    streamTopicName,
    tableTopicName,
    topicReplicas,
    migrationsDir,
  };
}
