/**
 * `tally conformance [files or folders] [--json]`: runs ksqlDB's
 * query-validation tests (QTT) through the engine, and its REST
 * query-validation tests (RQTT) through the server, and prints what passes.
 * `tally ksql-server`: runs the ksqlDB-compatible server.
 */
import path from 'node:path';
import type { CommandModule } from 'yargs';
import { configOptions, ksqldbNode, loadConfig, PROJECT_ROOT } from '../config/index.ts';
import { SchemaRegistryClient } from '../connect/index.ts';
import { createLogger } from '../logging/index.ts';
import { runInPool } from './conformance/pool.ts';
import { findQttFiles, readQttFile } from './conformance/qtt.ts';
import { type ConformanceReport, formatReport, summarize } from './conformance/report.ts';
import { isRqttFile, readRqttFile } from './conformance/rqtt.ts';
import { startKsqlRestServer } from './server/app.ts';

/** Where the shared QTT files live: beside the project, never inside it. */
export const DEFAULT_QTT_DIR = path.resolve(PROJECT_ROOT, '..', 'shared', 'ksqldb-qtt', 'query-validation-tests');
/** The REST query-validation tests (RQTT), beside the QTT files. */
export const DEFAULT_RQTT_DIR = path.resolve(PROJECT_ROOT, '..', 'shared', 'ksqldb-qtt', 'rest-query-validation-tests');

export const conformanceCommand: CommandModule = {
  command: 'conformance [paths..]',
  describe: "run ksqlDB's query-validation tests through the engine (QTT) and the server (RQTT)",
  builder: {
    paths: {
      type: 'string',
      array: true,
      describe: `QTT and RQTT files or folders (default: ${DEFAULT_QTT_DIR} and ${DEFAULT_RQTT_DIR})`,
    },
    json: { type: 'boolean', default: false, describe: 'print the report as JSON' },
    verbose: { type: 'boolean', default: false, describe: 'list every failure reason and failed case' },
    timeout: { type: 'number', default: 10_000, describe: 'time budget per QTT case, in milliseconds' },
    'rqtt-timeout': {
      type: 'number',
      default: 60_000,
      describe: 'time budget per RQTT case (a broker and a server each), in milliseconds',
    },
    workers: { type: 'number', describe: 'worker threads (default: one per CPU)' },
  },
  handler: async (argv) => {
    const targets = ((argv.paths as string[] | undefined) ?? []).map((p) => path.resolve(p));
    const files = findQttFiles(targets.length > 0 ? targets : [DEFAULT_QTT_DIR, DEFAULT_RQTT_DIR]);
    // RQTT files go to the RQTT runner (a server per case), the others to the in-process QTT runner.
    const rqttFiles = files.filter((f) => isRqttFile(f));
    const qttFiles = files.filter((f) => !rqttFiles.includes(f));
    const workers = argv.workers !== undefined ? { workers: argv.workers as number } : {};
    const reports: { title: string; key: string; report: ConformanceReport }[] = [];
    if (qttFiles.length > 0) {
      const runs = qttFiles.flatMap((f) => readQttFile(f));
      const results = await runInPool(runs, { timeoutMs: argv.timeout as number, ...workers });
      reports.push({ title: 'QTT (query-validation-tests, in process)', key: 'qtt', report: summarize(results) });
    }
    if (rqttFiles.length > 0) {
      const runs = rqttFiles.flatMap((f) => readRqttFile(f));
      const results = await runInPool(runs, {
        timeoutMs: argv['rqtt-timeout'] as number,
        workerModule: new URL('./conformance/rqtt-worker.ts', import.meta.url),
        ...workers,
      });
      reports.push({ title: 'RQTT (rest-query-validation-tests, over REST)', key: 'rqtt', report: summarize(results) });
    }
    if (argv.json) {
      // One suite: its report, as before; both: one report per suite.
      const only = reports.length === 1 ? reports[0] : undefined;
      const json = only ? only.report : Object.fromEntries(reports.map((r) => [r.key, r.report]));
      console.log(JSON.stringify(json, null, 2));
      return;
    }
    const verbose = argv.verbose as boolean;
    for (const r of reports) console.log(`== ${r.title}\n\n${formatReport(r.report, { verbose })}\n`);
    if (reports.length > 1) {
      for (const r of reports) {
        const t = r.report.total;
        console.log(`${r.key.toUpperCase().padEnd(5)} ${t.passed} of ${t.passed + t.failed} passed`);
      }
    }
  },
};

/** `tally ksql-server`: the ksqlDB-compatible server in the foreground until SIGTERM or Ctrl-C. */
export const ksqlServerCommand: CommandModule = {
  command: 'ksql-server',
  describe: 'run the ksqlDB-compatible server (REST API, persistent queries on Kafka)',
  builder: {
    ...configOptions(),
    node: {
      describe:
        'which server of the cluster this is: server k > 1 listens on the ksqlDB port + k - 1, with state of its own',
      type: 'number',
      default: 1,
    },
  },
  handler: async (argv) => {
    const config = loadConfig({ flags: argv });
    const node = Number(argv.node);
    if (!Number.isInteger(node) || node < 1) throw new Error(`--node must be a whole number from 1: got ${argv.node}`);
    const { name, port, stateDir } = ksqldbNode(config, node);
    const logger = createLogger(name, {
      logDir: config.logDir,
      level: config.logLevel,
      stderr: process.stderr.isTTY,
    });
    const server = await startKsqlRestServer({
      bootstrapServers: config.kafka.brokers,
      stateDir,
      host: config.host,
      port,
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
