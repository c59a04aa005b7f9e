/** `tally schema-registry` and `tally connect`: run the services in the foreground until SIGTERM or Ctrl-C. */
import type { CommandModule } from 'yargs';
import { configOptions, loadConfig } from '../config/index.ts';
import { createLogger, type Logger } from '../logging/index.ts';
import { startSchemaRegistry } from './schema-registry/server.ts';
import { startConnectWorker } from './worker/server.ts';

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
    });
    logger.info({ url: worker.url }, 'connect worker ready');
    stopOnSignals(logger, () => worker.stop());
  },
};
