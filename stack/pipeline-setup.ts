/**
 * What the pipeline needs before the first vote, done by `make up` once the
 * ksqlDB server answers, idempotently (a restart does it again, harmlessly):
 *  1. the election's topics, as the producers create them (ksqlDB's source
 *     statements need their topics to exist);
 *  2. ksql/migrations applied with `tally migrate` (the metadata stream and
 *     table created first when missing), so the server runs every metric;
 *  3. the sink connectors of connect/connectors/ created or updated on Connect.
 */
import fs from 'node:fs';
import path from 'node:path';
import { type Config, PROJECT_ROOT } from '../config/index.ts';
import { applyConnectors } from '../connect/apply/apply.ts';
import { KsqlClient } from '../engine/client/ksql-client.ts';
import { apply, initializeMetadata, type MigrationOutput } from '../engine/migrations/commands.ts';
import type { Logger } from '../logging/index.ts';
import { connectAdmin, DEFAULT_PARTITIONS, ELECTION_TOPICS, ensureTopics } from '../producers/kafka/index.ts';

export const MIGRATIONS_DIR = path.join(PROJECT_ROOT, 'ksql', 'migrations');
export const CONNECTORS_DIR = path.join(PROJECT_ROOT, 'connect', 'connectors');

export async function setUpPipeline(config: Config, logger: Logger): Promise<void> {
  const admin = await connectAdmin('kafkajs', config.kafka, logger);
  try {
    await ensureTopics(admin, { topics: ELECTION_TOPICS, partitions: DEFAULT_PARTITIONS, chosen: false });
  } finally {
    await admin.close();
  }

  const configFile = migrationsConfigFile(config);
  const out = migrationsLog(logger);
  const client = new KsqlClient({ url: config.ksqldbUrl });
  const streams = JSON.stringify(await client.execute('SHOW STREAMS;'));
  if (!streams.includes('MIGRATION_EVENTS') && (await initializeMetadata(configFile, out)) !== 0) {
    throw new Error('could not create the migrations metadata; see the ksqldb log');
  }
  if ((await apply(configFile, { all: true }, out)) !== 0) {
    throw new Error(`a migration of ${MIGRATIONS_DIR} failed; see the supervisor log, and \`tally migrate info\``);
  }

  const connectors = await applyConnectors(config.connectUrl, CONNECTORS_DIR);
  logger.info({ connectors: connectors.map((c) => `${c.name} ${c.action}`) }, 'sink connectors applied');
}

/** The migrations tool's properties for this stack: ksql/ksql-migrations.properties, pointed at its server. */
function migrationsConfigFile(config: Config): string {
  const file = path.join(config.runDir, 'ksql-migrations.properties');
  fs.mkdirSync(config.runDir, { recursive: true });
  fs.writeFileSync(file, `ksql.server.url=${config.ksqldbUrl}\nksql.migrations.dir.override=${MIGRATIONS_DIR}\n`);
  return file;
}

function migrationsLog(logger: Logger): MigrationOutput {
  return {
    info: (message) => logger.info({ tool: 'migrate' }, message),
    warn: (message) => logger.warn({ tool: 'migrate' }, message),
    error: (message) => logger.error({ tool: 'migrate' }, message),
  };
}
