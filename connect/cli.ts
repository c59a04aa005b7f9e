/**
 * `tally schema-registry` and `tally connect`: run the services in the foreground until SIGTERM or Ctrl-C.
 * `tally connectors apply [dir]`: creates or updates the connectors of connect/connectors/ on a Connect worker.
 */
import path from 'node:path';
import type { CommandModule } from 'yargs';
import { configOptions, loadConfig } from '../config/index.ts';
import { createLogger, type Logger } from '../logging/index.ts';
import { applyConnectors } from './apply/apply.ts';
import { DEFAULT_CONNECTORS_DIR } from './apply/connector-files.ts';
import { startSchemaRegistry } from './schema-registry/server.ts';
import { startConnectWorker } from './worker/server.ts';
import { ENV_PROVIDER_WORKER_PROPS, embeddedStackEnv } from './worker/stack-env.ts';

function stopOnSignals(logger: Logger, stop: () => Promise<void>): void {
  let stopping = false;
  const handler = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await stop().catch((error) => logger.error({ err: error }, 'unclean shutdown'));
    logger.flush();
    process.exit(0);
  };
  process.once('SIGTERM', () => void handler('SIGTERM'));
  process.once('SIGINT', () => void handler('SIGINT'));
}

export const schemaRegistryCommand: CommandModule = {
  command: 'schema-registry',
  describe: 'run the embedded schema registry (schemas kept in the _schemas topic)',
  builder: configOptions(),
  handler: async (argv) => {
    const config = loadConfig({ flags: argv });
    const logger = createLogger('schema-registry', {
      logDir: config.logDir,
      level: config.logLevel,
      stderr: process.stderr.isTTY,
    });
    const registry = await startSchemaRegistry({
      kafka: config.kafka,
      host: config.host,
      port: config.ports.schemaRegistry,
      logger,
    });
    logger.info({ url: registry.url }, 'schema registry ready');
    stopOnSignals(logger, () => registry.stop());
  },
};

export const connectCommand: CommandModule = {
  command: 'connect',
  describe: 'run the embedded Kafka Connect worker (JDBC sink)',
  builder: configOptions(),
  handler: async (argv) => {
    const config = loadConfig({ flags: argv });
    const logger = createLogger('connect', {
      logDir: config.logDir,
      level: config.logLevel,
      stderr: process.stderr.isTTY,
    });
    const worker = await startConnectWorker({
      kafka: config.kafka,
      host: config.host,
      port: config.ports.connect,
      logger,
      schemaRegistryUrl: config.schemaRegistryUrl,
      // `${env:TALLY_JDBC_URL}` in connector configs, as the docker stack's worker resolves them.
      workerProps: ENV_PROVIDER_WORKER_PROPS,
      env: embeddedStackEnv(config),
    });
    logger.info({ url: worker.url }, 'connect worker ready');
    stopOnSignals(logger, () => worker.stop());
  },
};

const applyCommand: CommandModule = {
  command: 'apply [dir]',
  describe: 'PUT each <name>.json of dir (default connect/connectors) to /connectors/<name>/config: create or update',
  builder: (y) =>
    y.options(configOptions(['connectUrl', 'host', 'connectPort'])).positional('dir', {
      type: 'string',
      describe: 'folder of connector configs in the REST create shape {"name", "config"}',
      default: DEFAULT_CONNECTORS_DIR,
    }),
  handler: async (argv) => {
    const config = loadConfig({ flags: argv });
    const dir = path.resolve(String(argv.dir));
    for (const { name, action } of await applyConnectors(config.connectUrl, dir)) {
      console.log(`${action.padEnd(7)} ${name}`);
    }
  },
};

export const connectorsCommand: CommandModule = {
  command: 'connectors <command>',
  describe: 'manage the Kafka Connect connectors in connect/connectors/',
  builder: (y) => y.command(applyCommand).demandCommand(1, 'Name a subcommand: apply'),
  handler: () => {},
};
