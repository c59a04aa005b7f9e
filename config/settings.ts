/**
 * Every setting of Tally in one table: the environment variable that sets it,
 * the command-line flag that overrides it, how it is validated, its default.
 *
 * Defaults make `make up` work on a fresh machine: everything on 127.0.0.1,
 * the well-known ports of the Confluent services, data under `.tally/` in the
 * project. The Kafka security settings let producers, the engine and the
 * dashboard point at a remote cluster (SASL_SSL and friends) instead.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { SCENARIO_NAMES } from '../producers/scenarios.ts';

/** The project's root folder: the one that holds this `config/` folder. */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface Setting<T extends z.ZodType = z.ZodType> {
  /** The environment variable that sets it. */
  env: string;
  /** The command-line flag (without `--`) that overrides the variable. */
  flag: string;
  schema: T;
  describe: string;
}

function setting<T extends z.ZodType>(env: string, flag: string, schema: T, describe: string): Setting<T> {
  return { env, flag, schema, describe };
}

const port = (fallback: number) =>
  z.coerce
    .number({ error: 'must be a port number (an integer from 1 to 65535)' })
    .int('must be a port number (an integer from 1 to 65535)')
    .min(1, 'must be a port number (an integer from 1 to 65535)')
    .max(65535, 'must be a port number (an integer from 1 to 65535)')
    .default(fallback);

/** Environment variables carry booleans as text; accept the usual spellings and nothing else. */
const flagValue = (fallback: boolean) =>
  z
    .union([z.boolean(), z.string()])
    .transform((value, ctx) => {
      if (typeof value === 'boolean') return value;
      const text = value.trim().toLowerCase();
      if (['1', 'true', 'yes', 'on'].includes(text)) return true;
      if (['0', 'false', 'no', 'off'].includes(text)) return false;
      ctx.addIssue({ code: 'custom', message: 'must be true or false (or 1/0, yes/no, on/off)' });
      return z.NEVER;
    })
    .default(fallback);

/** `user:password` pairs separated by commas, as a map from user to password. */
const userPasswordPairs = z.string().transform((text, ctx) => {
  const users: Record<string, string> = {};
  for (const pair of text.split(',').filter((p) => p.trim() !== '')) {
    const colon = pair.indexOf(':');
    if (colon <= 0) {
      ctx.addIssue({ code: 'custom', message: 'must be user:password pairs separated by commas' });
      return z.NEVER;
    }
    users[pair.slice(0, colon).trim()] = pair.slice(colon + 1);
  }
  return users;
});

const url = (protocols: string[]) =>
  z
    .string()
    .refine(
      (text) => {
        try {
          return protocols.includes(new URL(text).protocol);
        } catch {
          return false;
        }
      },
      { message: `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}` },
    )
    .optional();

/** `host:port` pairs separated by commas, as Kafka's `bootstrap.servers`. */
const brokerList = z
  .string()
  .transform((text, ctx) => {
    const brokers = text
      .split(',')
      .map((b) => b.trim())
      .filter((b) => b.length > 0);
    const bad = brokers.find((b) => !/^[^\s:]+:\d{1,5}$/.test(b) || Number(b.split(':').pop()) > 65535);
    if (brokers.length === 0 || bad !== undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `must be a comma-separated list of host:port${bad ? ` ("${bad}" is not)` : ''}`,
      });
      return z.NEVER;
    }
    return brokers;
  })
  .optional();

const nonEmpty = z.string().min(1, 'must not be empty');

export const SETTINGS = {
  // The stack
  dataDir: setting(
    'TALLY_DATA_DIR',
    'data-dir',
    nonEmpty.default(path.join(PROJECT_ROOT, '.tally')),
    'folder for all data, logs and run state of the embedded stack',
  ),
  host: setting('TALLY_HOST', 'host', nonEmpty.default('127.0.0.1'), 'address the embedded services listen on'),
  stack: setting(
    'TALLY_STACK',
    'stack',
    z.enum(['auto', 'embedded', 'docker'], { error: 'must be auto, embedded or docker' }).default('auto'),
    'which stack `tally up` runs: docker where a Docker engine answers (auto), or always one of them',
  ),
  logLevel: setting(
    'TALLY_LOG_LEVEL',
    'log-level',
    z
      .enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'], {
        error: 'must be one of trace, debug, info, warn, error, fatal, silent',
      })
      .default('info'),
    'pino log level',
  ),

  // The election that `make up` plays (stack/election.ts)
  election: setting(
    'TALLY_ELECTION',
    'election',
    flagValue(true),
    '`make up` plays a seeded election through the stack (false: start the services only)',
  ),
  electionScenario: setting(
    'TALLY_ELECTION_SCENARIO',
    'election-scenario',
    z.enum(SCENARIO_NAMES, { error: `must be one of ${SCENARIO_NAMES.join(', ')}` }).default('presidential'),
    'the scenario `make up` plays (see `tally produce --help`)',
  ),
  electionSeed: setting(
    'TALLY_ELECTION_SEED',
    'election-seed',
    z.coerce.number({ error: 'must be a whole number' }).int().default(2026),
    'its seed: the same seed, the same election',
  ),
  electionSpeed: setting(
    'TALLY_ELECTION_SPEED',
    'election-speed',
    z.coerce.number({ error: 'must be a number, 0 or above' }).min(0, 'must be a number, 0 or above').default(180),
    'how many times faster than real time polling day plays (180: 13 hours in about 4 minutes; 0: as fast as possible)',
  ),

  // Ports of the embedded services (the docker stack publishes the same ones)
  kafkaPort: setting('TALLY_KAFKA_PORT', 'kafka-port', port(9092), 'port of the Kafka broker'),
  schemaRegistryPort: setting(
    'TALLY_SCHEMA_REGISTRY_PORT',
    'schema-registry-port',
    port(8081),
    'port of the schema registry',
  ),
  ksqldbPort: setting('TALLY_KSQLDB_PORT', 'ksqldb-port', port(8088), 'port of the ksqlDB server'),
  ksqldbNodes: setting(
    'TALLY_KSQLDB_NODES',
    'ksqldb-nodes',
    z.coerce.number({ error: 'must be a whole number from 1 to 8' }).int().min(1).max(8).default(1),
    'ksqlDB servers in the embedded stack, one cluster sharing the queries (server k > 1 on the ksqlDB port + k - 1)',
  ),
  connectPort: setting('TALLY_CONNECT_PORT', 'connect-port', port(8083), 'port of the Kafka Connect worker'),
  postgresPort: setting(
    'TALLY_POSTGRES_PORT',
    'postgres-port',
    port(5432),
    'port of the project-local PostgreSQL cluster',
  ),
  dashboardPort: setting('TALLY_DASHBOARD_PORT', 'dashboard-port', port(3000), 'port of the dashboard'),

  // Where clients connect; unset means the local stack at the ports above
  kafkaBrokers: setting(
    'KAFKA_BROKERS',
    'brokers',
    brokerList,
    'Kafka bootstrap servers, host:port[,host:port...] (default: the local broker)',
  ),
  schemaRegistryUrl: setting(
    'SCHEMA_REGISTRY_URL',
    'schema-registry-url',
    url(['http:', 'https:']),
    'schema registry URL (default: the local one)',
  ),
  ksqldbUrl: setting(
    'KSQLDB_URL',
    'ksqldb-url',
    url(['http:', 'https:']),
    'ksqlDB server URL (default: the local one)',
  ),
  connectUrl: setting(
    'CONNECT_URL',
    'connect-url',
    url(['http:', 'https:']),
    'Kafka Connect REST URL (default: the local one)',
  ),
  databaseUrl: setting(
    'DATABASE_URL',
    'database-url',
    url(['postgres:', 'postgresql:']),
    'PostgreSQL URL; when unset, Tally runs a project-local cluster',
  ),

  // The project-local PostgreSQL cluster (used when DATABASE_URL is unset)
  postgresUser: setting('TALLY_POSTGRES_USER', 'postgres-user', nonEmpty.default('tally'), 'its superuser'),
  postgresPassword: setting(
    'TALLY_POSTGRES_PASSWORD',
    'postgres-password',
    nonEmpty.default('tally'),
    'its superuser password',
  ),
  postgresDatabase: setting(
    'TALLY_POSTGRES_DATABASE',
    'postgres-database',
    nonEmpty.default('tally'),
    'the database Tally uses',
  ),
  postgresBinDir: setting(
    'TALLY_POSTGRES_BIN_DIR',
    'postgres-bin-dir',
    nonEmpty.optional(),
    'folder with initdb and postgres (default: the newest /usr/lib/postgresql/*/bin, else PATH)',
  ),

  // The embedded Kafka broker
  kafkaAdvertisedHost: setting(
    'TALLY_KAFKA_ADVERTISED_HOST',
    'advertised-host',
    nonEmpty.optional(),
    'host the embedded broker tells clients to connect to (default: TALLY_HOST)',
  ),
  kafkaAutoCreateTopics: setting(
    'TALLY_KAFKA_AUTO_CREATE_TOPICS',
    'auto-create-topics',
    flagValue(true),
    "the embedded broker's auto.create.topics.enable",
  ),
  kafkaDefaultPartitions: setting(
    'TALLY_KAFKA_DEFAULT_PARTITIONS',
    'default-partitions',
    z.coerce.number({ error: 'must be a whole number from 1 to 10000' }).int().min(1).max(10_000).default(1),
    "the embedded broker's num.partitions, for auto-created topics",
  ),
  kafkaLogRetentionMs: setting(
    'TALLY_KAFKA_LOG_RETENTION_MS',
    'log-retention-ms',
    z.coerce.number({ error: 'must be a whole number of milliseconds, or -1' }).int().min(-1).default(-1),
    "the embedded broker's log.retention.ms for topics that set none: -1 (the default) keeps every record, because records carry polling day's times, which may be older than any retention (Kafka's default is 7 days)",
  ),
  kafkaGroupInitialRebalanceDelayMs: setting(
    'TALLY_KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS',
    'group-initial-rebalance-delay-ms',
    z.coerce.number({ error: 'must be a whole number of milliseconds' }).int().min(0).default(0),
    "the embedded broker's group.initial.rebalance.delay.ms (0, as in the docker stack; Kafka's default is 3000)",
  ),
  kafkaSaslUsers: setting(
    'TALLY_KAFKA_SASL_USERS',
    'sasl-users',
    userPasswordPairs.optional(),
    'turns on SASL/PLAIN on the embedded broker with these user:password pairs',
  ),
  ksqldbBasicAuthUsers: setting(
    'TALLY_KSQLDB_BASIC_AUTH_USERS',
    'ksqldb-basic-auth-users',
    userPasswordPairs.optional(),
    'turns on HTTP basic authentication on the ksqlDB server with these user:password pairs',
  ),

  // Kafka client security, for a remote cluster
  kafkaClientId: setting('KAFKA_CLIENT_ID', 'client-id', nonEmpty.default('tally'), 'Kafka client id'),
  kafkaSecurityProtocol: setting(
    'KAFKA_SECURITY_PROTOCOL',
    'security-protocol',
    z
      .enum(['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'], {
        error: 'must be PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL',
      })
      .default('PLAINTEXT'),
    'Kafka security.protocol',
  ),
  kafkaSaslMechanism: setting(
    'KAFKA_SASL_MECHANISM',
    'sasl-mechanism',
    z
      .enum(['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'], { error: 'must be PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512' })
      .default('PLAIN'),
    'Kafka sasl.mechanism',
  ),
  kafkaSaslUsername: setting('KAFKA_SASL_USERNAME', 'sasl-username', z.string().optional(), 'Kafka SASL username'),
  kafkaSaslPassword: setting('KAFKA_SASL_PASSWORD', 'sasl-password', z.string().optional(), 'Kafka SASL password'),
  kafkaSslCaLocation: setting(
    'KAFKA_SSL_CA_LOCATION',
    'ssl-ca-location',
    nonEmpty.optional(),
    'PEM file of the CA that signed the brokers (default: the system CAs)',
  ),
  kafkaSslCertificateLocation: setting(
    'KAFKA_SSL_CERTIFICATE_LOCATION',
    'ssl-certificate-location',
    nonEmpty.optional(),
    'PEM client certificate, for mutual TLS',
  ),
  kafkaSslKeyLocation: setting(
    'KAFKA_SSL_KEY_LOCATION',
    'ssl-key-location',
    nonEmpty.optional(),
    'PEM client key, for mutual TLS',
  ),
  kafkaSslVerify: setting(
    'KAFKA_SSL_VERIFY',
    'ssl-verify',
    flagValue(true),
    "verify the brokers' certificates (turn off only for testing)",
  ),
} as const;

export type SettingName = keyof typeof SETTINGS;

/** The validated value of every setting. */
export type Settings = { [K in SettingName]: z.output<(typeof SETTINGS)[K]['schema']> };
