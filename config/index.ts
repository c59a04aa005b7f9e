/**
 * config/: the one place that knows every address, port, directory and
 * credential of Tally. `loadConfig` reads environment variables and flags
 * (flags win), validates each value, and derives the client addresses of the
 * local stack. A bad value throws a ConfigError that names the variable.
 */
import path from 'node:path';
import { ConfigError } from './errors.ts';
import { SETTINGS, type SettingName, type Settings } from './settings.ts';

export { ConfigError, UserError } from './errors.ts';

export { PROJECT_ROOT, SETTINGS, type Setting, type SettingName, type Settings } from './settings.ts';

export interface KafkaClientConfig {
  brokers: string[];
  clientId: string;
  securityProtocol: Settings['kafkaSecurityProtocol'];
  /** Present when the protocol is SASL_PLAINTEXT or SASL_SSL. */
  sasl?: { mechanism: Settings['kafkaSaslMechanism']; username: string; password: string };
  /** Present when the protocol is SSL or SASL_SSL. */
  ssl?: { caLocation?: string; certificateLocation?: string; keyLocation?: string; verify: boolean };
}

/** The embedded Kafka broker (broker/). */
export interface EmbeddedBrokerConfig {
  host: string;
  port: number;
  advertisedHost: string;
  /** Its log folder: `<dataDir>/kafka`. */
  dataDir: string;
  autoCreateTopics: boolean;
  defaultPartitions: number;
  /** log.retention.ms: -1 keeps records forever (the election's events are stamped with polling day's times). */
  logRetentionMs: number;
  groupInitialRebalanceDelayMs: number;
  /** SASL/PLAIN users; undefined leaves SASL off. */
  saslUsers?: Record<string, string>;
}

export interface PostgresConfig {
  /** Where clients connect. */
  url: string;
  /** True when Tally runs the cluster itself (DATABASE_URL unset). */
  embedded: boolean;
  port: number;
  user: string;
  password: string;
  database: string;
  binDir?: string;
  dataDir: string;
}

export interface Config {
  settings: Settings;
  dataDir: string;
  logDir: string;
  runDir: string;
  host: string;
  stack: Settings['stack'];
  logLevel: Settings['logLevel'];
  ports: {
    kafka: number;
    schemaRegistry: number;
    ksqldb: number;
    connect: number;
    postgres: number;
    dashboard: number;
  };
  kafka: KafkaClientConfig;
  broker: EmbeddedBrokerConfig;
  schemaRegistryUrl: string;
  ksqldbUrl: string;
  connectUrl: string;
  dashboardUrl: string;
  postgres: PostgresConfig;
}

export interface ConfigSources {
  /** Environment variables; defaults to process.env. */
  env?: Record<string, string | undefined>;
  /** Parsed command-line flags, keyed by flag name (`data-dir`) or setting name (`dataDir`). */
  flags?: Record<string, unknown>;
}

/** Reads, validates and derives the whole configuration. */
export function loadConfig(sources: ConfigSources = {}): Config {
  const settings = readSettings(sources);
  return deriveConfig(settings);
}

function readSettings({ env = process.env, flags = {} }: ConfigSources): Settings {
  const problems: string[] = [];
  const values: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(SETTINGS)) {
    const fromFlag = flags[spec.flag] ?? flags[name];
    const fromEnv = env[spec.env];
    // An empty variable counts as unset, as in most shells' `VAR= command`.
    const raw = fromFlag !== undefined ? fromFlag : fromEnv === '' ? undefined : fromEnv;
    const parsed = spec.schema.safeParse(raw);
    if (parsed.success) {
      values[name] = parsed.data;
    } else {
      const where = fromFlag !== undefined ? `--${spec.flag}` : spec.env;
      const reason = parsed.error.issues[0]?.message ?? 'is invalid';
      problems.push(
        `${where}=${JSON.stringify(String(raw))} ${reason} (${spec.describe}; set ${spec.env} or --${spec.flag})`,
      );
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return values as Settings;
}

function deriveConfig(s: Settings): Config {
  const problems: string[] = [];
  const dataDir = path.resolve(s.dataDir);
  const local = (port: number) => `http://${s.host}:${port}`;

  const sasl = s.kafkaSecurityProtocol.startsWith('SASL_');
  if (sasl && (!s.kafkaSaslUsername || s.kafkaSaslPassword === undefined)) {
    problems.push(
      `KAFKA_SECURITY_PROTOCOL=${s.kafkaSecurityProtocol} needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD (or --sasl-username and --sasl-password)`,
    );
  }
  const tls = s.kafkaSecurityProtocol === 'SSL' || s.kafkaSecurityProtocol === 'SASL_SSL';
  if (Boolean(s.kafkaSslCertificateLocation) !== Boolean(s.kafkaSslKeyLocation)) {
    problems.push('KAFKA_SSL_CERTIFICATE_LOCATION and KAFKA_SSL_KEY_LOCATION must be set together, for mutual TLS');
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const kafka: KafkaClientConfig = {
    brokers: s.kafkaBrokers ?? [`${s.host}:${s.kafkaPort}`],
    clientId: s.kafkaClientId,
    securityProtocol: s.kafkaSecurityProtocol,
    ...(sasl && {
      sasl: {
        mechanism: s.kafkaSaslMechanism,
        username: s.kafkaSaslUsername ?? '',
        password: s.kafkaSaslPassword ?? '',
      },
    }),
    ...(tls && {
      ssl: {
        verify: s.kafkaSslVerify,
        ...(s.kafkaSslCaLocation && { caLocation: s.kafkaSslCaLocation }),
        ...(s.kafkaSslCertificateLocation && { certificateLocation: s.kafkaSslCertificateLocation }),
        ...(s.kafkaSslKeyLocation && { keyLocation: s.kafkaSslKeyLocation }),
      },
    }),
  };

  const postgresUrl =
    s.databaseUrl ??
    `postgres://${encodeURIComponent(s.postgresUser)}:${encodeURIComponent(s.postgresPassword)}@${s.host}:${s.postgresPort}/${encodeURIComponent(s.postgresDatabase)}`;

  return {
    settings: s,
    dataDir,
    logDir: path.join(dataDir, 'logs'),
    runDir: path.join(dataDir, 'run'),
    host: s.host,
    stack: s.stack,
    logLevel: s.logLevel,
    ports: {
      kafka: s.kafkaPort,
      schemaRegistry: s.schemaRegistryPort,
      ksqldb: s.ksqldbPort,
      connect: s.connectPort,
      postgres: s.postgresPort,
      dashboard: s.dashboardPort,
    },
    kafka,
    broker: {
      host: s.host,
      port: s.kafkaPort,
      advertisedHost: s.kafkaAdvertisedHost ?? s.host,
      dataDir: path.join(dataDir, 'kafka'),
      autoCreateTopics: s.kafkaAutoCreateTopics,
      defaultPartitions: s.kafkaDefaultPartitions,
      logRetentionMs: s.kafkaLogRetentionMs,
      groupInitialRebalanceDelayMs: s.kafkaGroupInitialRebalanceDelayMs,
      ...(s.kafkaSaslUsers && { saslUsers: s.kafkaSaslUsers }),
    },
    schemaRegistryUrl: s.schemaRegistryUrl ?? local(s.schemaRegistryPort),
    ksqldbUrl: s.ksqldbUrl ?? local(s.ksqldbPort),
    connectUrl: s.connectUrl ?? local(s.connectPort),
    dashboardUrl: local(s.dashboardPort),
    postgres: {
      url: postgresUrl,
      embedded: s.databaseUrl === undefined,
      port: s.postgresPort,
      user: s.postgresUser,
      password: s.postgresPassword,
      database: s.postgresDatabase,
      dataDir: path.join(dataDir, 'postgres'),
      ...(s.postgresBinDir && { binDir: s.postgresBinDir }),
    },
  };
}

/** Server `node` (from 1) of the embedded stack's ksqlDB cluster: its name (logs, service), port and state folder. */
export function ksqldbNode(config: Config, node: number): { name: string; port: number; stateDir: string } {
  const name = node === 1 ? 'ksqldb' : `ksqldb-${node}`;
  return { name, port: config.ports.ksqldb + node - 1, stateDir: path.join(config.dataDir, name) };
}

/** yargs options for every setting, so that each command accepts the same flags. */
export function configOptions(names: SettingName[] = Object.keys(SETTINGS) as SettingName[]) {
  const options: Record<string, { describe: string; type: 'string'; group: string }> = {};
  for (const name of names) {
    const spec = SETTINGS[name];
    options[spec.flag] = { describe: `${spec.describe} [${spec.env}]`, type: 'string', group: 'Configuration:' };
  }
  return options;
}
