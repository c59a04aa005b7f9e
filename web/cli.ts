/** `tally dashboard`: serve the live dashboard in the foreground until SIGTERM or Ctrl-C. */
import type { CommandModule } from 'yargs';
import { configOptions, loadConfig } from '../config/index.ts';
import { kafkajsOptions } from '../config/kafka-clients.ts';
import { createLogger } from '../logging/index.ts';
import { startDashboard } from './server.ts';

export const dashboardCommand: CommandModule = {
  command: 'dashboard',
  describe: 'serve the live dashboard (panels from the PostgreSQL sink tables, pushed over SSE)',
  builder: {
    ...configOptions(),
    schema: { describe: 'the PostgreSQL schema whose tables are panels', type: 'string', default: 'public' },
  },
  handler: async (argv) => {
    const config = loadConfig({ flags: argv });
    const logger = createLogger('dashboard', {
      logDir: config.logDir,
      level: config.logLevel,
      stderr: process.stderr.isTTY,
    });
    const dashboard = await startDashboard({
      databaseUrl: config.postgres.url,
      schema: String(argv.schema),
      host: config.host,
      port: config.ports.dashboard,
      logger,
      kafka: kafkajsOptions(config.kafka),
    });
    logger.info({ url: dashboard.url }, 'dashboard ready');
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'shutting down');
      await dashboard.stop().catch((error) => logger.error({ err: error }, 'unclean shutdown'));
      logger.flush();
      process.exit(0);
    };
    process.once('SIGTERM', () => void stop('SIGTERM'));
    process.once('SIGINT', () => void stop('SIGINT'));
  },
};
