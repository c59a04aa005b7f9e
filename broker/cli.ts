/** `tally broker`: runs the embedded Kafka broker in the foreground until SIGTERM or Ctrl-C. */
import type { CommandModule } from 'yargs';
import { configOptions, loadConfig } from '../config/index.ts';
import { createLogger } from '../logging/index.ts';
import { Broker } from './server/broker.ts';

export const brokerCommand: CommandModule = {
  command: 'broker',
  describe: 'run the embedded Kafka broker',
  builder: {
    ...configOptions(),
    port: { type: 'number', describe: 'port to listen on [TALLY_KAFKA_PORT]' },
    'log-dir': { type: 'string', describe: "the broker's log folder (default: <data-dir>/kafka)" },
  },
  handler: async (argv) => {
    const config = loadConfig({ flags: { ...argv, ...(argv.port !== undefined && { 'kafka-port': argv.port }) } });
    const logger = createLogger('broker', {
      logDir: config.logDir,
      level: config.logLevel,
      stderr: process.stderr.isTTY,
    });
    const broker = await Broker.start({
      dataDir: (argv['log-dir'] as string | undefined) ?? config.broker.dataDir,
      host: config.broker.host,
      port: config.broker.port,
      advertisedHost: config.broker.advertisedHost,
      autoCreateTopics: config.broker.autoCreateTopics,
      defaultPartitions: config.broker.defaultPartitions,
      logRetentionMs: config.broker.logRetentionMs,
      groupInitialRebalanceDelayMs: config.broker.groupInitialRebalanceDelayMs,
      ...(config.broker.saslUsers && { saslUsers: config.broker.saslUsers }),
      logger,
    });
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'shutting down');
      await broker.stop();
      logger.flush();
      process.exit(0);
    };
    process.once('SIGTERM', () => void stop('SIGTERM'));
    process.once('SIGINT', () => void stop('SIGINT'));
  },
};
