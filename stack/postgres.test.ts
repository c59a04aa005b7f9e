import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pg from 'pg';
import { loadConfig, UserError } from '../config/index.ts';
import { query, startTestPostgres } from '../test/support/postgres.ts';
import { findPostgresBinaries } from './postgres.ts';

describe('the project-local PostgreSQL cluster', () => {
  it('starts, answers queries with the configured credentials, and stops', async () => {
    const postgres = await startTestPostgres();
    const { rows } = await query<{ db: string; user: string }>(
      postgres.url,
      'SELECT current_database() AS db, current_user AS user',
    );
    assert.deepEqual(rows, [{ db: 'tally', user: 'tally' }]);

    await query(postgres.url, 'CREATE TABLE votes_per_party (party text PRIMARY KEY, votes bigint NOT NULL)');
    await query(postgres.url, "INSERT INTO votes_per_party VALUES ('Green', 41), ('Blue', 58)");
    const [service] = postgres.supervisor.statuses();
    assert.equal(service?.state, 'ready');
    await postgres.supervisor.stop();
    await assert.rejects(query(postgres.url, 'SELECT 1'), /ECONNREFUSED/);
  });

  it('keeps its data when started again on the same folder', async () => {
    const first = await startTestPostgres();
    await query(first.url, 'CREATE TABLE seats (party text PRIMARY KEY, seats int)');
    await query(first.url, "INSERT INTO seats VALUES ('Green', 12)");
    await first.stop();
    const again = await startTestPostgres({ dataDir: first.dataDir, port: first.port });
    const { rows } = await query(again.url, 'SELECT party, seats FROM seats');
    assert.deepEqual(rows, [{ party: 'Green', seats: 12 }]);
  });

  it('refuses a wrong password', async () => {
    const postgres = await startTestPostgres();
    const url = new URL(postgres.url);
    url.password = 'wrong';
    const client = new pg.Client({ connectionString: url.toString() });
    await assert.rejects(client.connect(), /password authentication failed/);
  });

  it('explains where to get binaries when the configured folder has none', () => {
    const config = loadConfig({ env: { TALLY_POSTGRES_BIN_DIR: '/nonexistent/bin' } });
    assert.throws(
      () => findPostgresBinaries(config.postgres.binDir),
      (error: Error) => {
        assert.ok(error instanceof UserError);
        assert.match(error.message, /TALLY_POSTGRES_BIN_DIR=\/nonexistent\/bin holds no initdb and postgres/);
        return true;
      },
    );
  });
});
