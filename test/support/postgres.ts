/**
 * A throwaway PostgreSQL cluster for tests: initdb'd in a temporary folder,
 * on an ephemeral port, started and stopped with the stack's own supervisor.
 */
import { after } from 'node:test';
import pg from 'pg';
import { loadConfig } from '../../config/index.ts';
import { postgresService } from '../../stack/postgres.ts';
import { Supervisor } from '../../stack/supervisor.ts';
import { freePort, makeTemporaryDir, removeDir, testLogger } from './index.ts';

export interface TestPostgres {
  url: string;
  dataDir: string;
  port: number;
  supervisor: Supervisor;
  stop(): Promise<void>;
}

/** Starts a new cluster, or, given the folder and port of an earlier one, that cluster again. */
export async function startTestPostgres(reuse?: { dataDir: string; port: number }): Promise<TestPostgres> {
  const dataDir = reuse?.dataDir ?? makeTemporaryDir('tally-pg-');
  const port = reuse?.port ?? (await freePort());
  const config = loadConfig({ env: { TALLY_DATA_DIR: dataDir, TALLY_POSTGRES_PORT: String(port) } });
  const supervisor = new Supervisor({ logDir: config.logDir, host: config.host, logger: testLogger('supervisor') });
  await supervisor.start([postgresService(config.postgres, config.host)]);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await supervisor.stop();
  };
  after(async () => {
    await stop();
    if (!reuse) removeDir(dataDir);
  });
  return { url: config.postgres.url, dataDir, port, supervisor, stop };
}

export async function query<T extends pg.QueryResultRow>(url: string, sql: string, values: unknown[] = []) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query<T>(sql, values);
  } finally {
    await client.end();
  }
}
