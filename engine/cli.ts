/**
 * `tally conformance [files or folders] [--json]`: runs ksqlDB's
 * query-validation tests through the engine and prints what passes.
 * `tally ksql-server`: runs the ksqlDB-compatible server.
 */
import path from 'node:path';
import type { CommandModule } from 'yargs';
import { configOptions, loadConfig, PROJECT_ROOT } from '../config/index.ts';
import { SchemaRegistryClient } from '../connect/index.ts';
import { createLogger } from '../logging/index.ts';
import { runInPool } from './conformance/pool.ts';
import { findQttFiles, readQttFile } from './conformance/qtt.ts';
import { formatReport, summarize } from './conformance/report.ts';
import { startKsqlRestServer } from './server/app.ts';

/** Where the shared QTT files live: beside the project, never inside it. */
export const DEFAULT_QTT_DIR = path.resolve(PROJECT_ROOT, '..', 'shared', 'ksqldb-qtt', 'query-validation-tests');

export const conformanceCommand: CommandModule = {
  command: 'conformance [paths..]',
  describe: "run ksqlDB's query-validation tests through the engine",
  builder: {
    paths: { type: 'string', array: true, describe: `QTT files or folders (default: ${DEFAULT_QTT_DIR})` },
    json: { type: 'boolean', default: false, describe: 'print the report as JSON' },
    verbose: { type: 'boolean', default: false, describe: 'list every failure reason and failed case' },
    timeout: { type: 'number', default: 10_000, describe: 'time budget per case, in milliseconds' },
    workers: { type: 'number', describe: 'worker threads (default: one per CPU)' },
  },
  handler: async (argv) => {
    const targets = ((argv.paths as string[] | undefined) ?? []).map((p) => path.resolve(p));
    const files = findQttFiles(targets.length > 0 ? targets : [DEFAULT_QTT_DIR]);
    const runs = files.flatMap((f) => readQttFile(f));
    const results = await runInPool(runs, {
      timeoutMs: argv.timeout as number,
      ...(argv.workers !== undefined && { workers: argv.workers as number }),
    });
    const report = summarize(results);
    if (argv.json) console.log(JSON.stringify(report, null, 2));
    else console.log(formatReport(report, { verbose: argv.verbose as boolean }));
  },
};

/** `tally ksql-server`: the ksqlDB-compatible server in the foreground until SIGTERM or Ctrl-C. */
export const ksqlServerCommand: CommandModule = {
  command: 'ksql-server',
  describe: 'run the ksqlDB-compatible server (REST API, persistent queries on Kafka)',
  builder: configOptions(),
  handler: async (argv) => {
    const config = loadConfig({ flags: argv });
    const logger = createLogger('ksqldb', {
      logDir: config.logDir,
      level: config.logLevel,
      stderr: process.stderr.isTTY,
    });
    const server = await startKsqlRestServer({
      bootstrapServers: config.kafka.brokers,
      stateDir: path.join(config.dataDir, 'ksqldb'),
      host: config.host,
      port: config.ports.ksqldb,
      logger,
      // ksql.schema.registry.url: AVRO sinks register `<topic>-key|value` with the stack's registry.
      schemaRegistry: new SchemaRegistryClient(config.schemaRegistryUrl),
      // ksql.connect.url: CREATE/SHOW/DESCRIBE/DROP CONNECTOR go to the stack's Connect worker.
      connectUrl: config.connectUrl,
      // TALLY_KSQLDB_BASIC_AUTH_USERS: basic authentication on every endpoint but /healthcheck.
      ...(config.settings.ksqldbBasicAuthUsers && { basicAuthUsers: config.settings.ksqldbBasicAuthUsers }),
    });
    logger.info({ url: server.url, commandTopic: server.server.commandTopic }, 'ksqlDB server ready');
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'shutting down');
      // Closing each query commits its batch in hand, so nothing is processed twice on restart.
      await server.stop().catch((error) => logger.error({ err: error }, 'unclean shutdown'));
      logger.flush();
      process.exit(0);
    };
    process.once('SIGTERM', () => void stop('SIGTERM'));
    process.once('SIGINT', () => void stop('SIGINT'));
  },
};
