import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import pg from 'pg';
import { testLogger, until } from '../../test/support/index.ts';
import { query, startTestPostgres } from '../../test/support/postgres.ts';
import { type ChangeEvent, ChangeFeed } from './change-feed.ts';
import { installChangeTriggers, TRIGGER_NAME } from './triggers.ts';

// Top level, so that its stop (an `after` hook) runs once the whole file is done.
const { url } = await startTestPostgres();

async function triggeredTables(schema: string): Promise<string[]> {
  const { rows } = await query<{ relname: string }>(
    url,
    `SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE t.tgname = $1 AND n.nspname = $2 ORDER BY 1`,
    [TRIGGER_NAME, schema],
  );
  return rows.map((r) => r.relname);
}

async function startFeed(schema: string, options: { minIntervalMs?: number } = {}) {
  const feed = new ChangeFeed({
    databaseUrl: url,
    schema,
    logger: testLogger('changes'),
    catalogIntervalMs: 100,
    ...options,
  });
  const events: ChangeEvent[] = [];
  feed.subscribe((event) => events.push(event));
  await feed.start();
  return { feed, events };
}

describe('change triggers', () => {
  test('are installed on every table of the schema, once, however often install runs', async () => {
    await query(
      url,
      'CREATE SCHEMA install_test; CREATE TABLE install_test.a (x int); CREATE TABLE install_test."B c" (y int)',
    );
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      assert.deepEqual((await installChangeTriggers(client, 'install_test')).sort(), ['B c', 'a']);
      assert.deepEqual(await installChangeTriggers(client, 'install_test'), []);
      assert.deepEqual(await triggeredTables('install_test'), ['B c', 'a']);
      // Two dashboards installing at once do not trip over each other.
      await query(url, 'CREATE TABLE install_test.d (z int)');
      const other = new pg.Client({ connectionString: url });
      await other.connect();
      await Promise.all([installChangeTriggers(client, 'install_test'), installChangeTriggers(other, 'install_test')]);
      await other.end();
      assert.deepEqual(await triggeredTables('install_test'), ['B c', 'a', 'd']);
    } finally {
      await client.end();
    }
  });

  test('notify once per statement, naming the table', async () => {
    await query(url, 'CREATE SCHEMA notify_test; CREATE TABLE notify_test.votes (candidate text, n int)');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const payloads: string[] = [];
    client.on('notification', (m) => payloads.push(m.payload ?? ''));
    await installChangeTriggers(client, 'notify_test');
    await client.query('LISTEN tally_changes');
    await query(url, "INSERT INTO notify_test.votes SELECT 'c' || i, i FROM generate_series(1, 500) i");
    await query(url, 'UPDATE notify_test.votes SET n = n + 1');
    await query(url, 'DELETE FROM notify_test.votes WHERE n > 100');
    await query(url, 'TRUNCATE notify_test.votes');
    await until(() => payloads.length >= 4, 'four notifications');
    await client.end();
    assert.deepEqual(payloads, ['votes', 'votes', 'votes', 'votes']);
  });
});

describe('ChangeFeed', () => {
  test('announces an inserted row as a change of its table', async () => {
    await query(url, 'CREATE SCHEMA feed_test; CREATE TABLE feed_test.turnout (region text, pct numeric)');
    const { feed, events } = await startFeed('feed_test');
    try {
      await query(url, "INSERT INTO feed_test.turnout VALUES ('North', 61.5)");
      await until(() => events.some((e) => e.kind === 'rows' && e.table === 'turnout'), 'a change of turnout');
    } finally {
      await feed.stop();
    }
  });

  test('coalesces a burst of changes to a table into a few announcements', async () => {
    await query(url, 'CREATE SCHEMA burst_test; CREATE TABLE burst_test.votes (n int)');
    const { feed, events } = await startFeed('burst_test', { minIntervalMs: 300 });
    try {
      const started = Date.now();
      for (let i = 0; i < 40; i++) await query(url, 'INSERT INTO burst_test.votes VALUES ($1)', [i]);
      const elapsed = Date.now() - started;
      await until(() => events.length > 0, 'an announcement');
      await new Promise((resolve) => setTimeout(resolve, 400));
      const announced = events.filter((e) => e.kind === 'rows').length;
      // The first at once, then at most one per interval, and a last one after the burst.
      assert.ok(announced >= 2, `at least two announcements, saw ${announced}`);
      assert.ok(
        announced <= Math.ceil(elapsed / 300) + 2,
        `${announced} announcements for 40 inserts in ${elapsed} ms`,
      );
    } finally {
      await feed.stop();
    }
  });

  test('finds a new table, watches it, and announces the changed table set', async () => {
    await query(url, 'CREATE SCHEMA new_table_test');
    const { feed, events } = await startFeed('new_table_test');
    try {
      await query(url, 'CREATE TABLE new_table_test.seats (party text, seats int)');
      await until(() => events.some((e) => e.kind === 'tables'), 'the table set to change');
      await until(async () => (await triggeredTables('new_table_test')).includes('seats'), 'a trigger on seats');
      await query(url, "INSERT INTO new_table_test.seats VALUES ('Green', 3)");
      await until(() => events.some((e) => e.kind === 'rows' && e.table === 'seats'), 'a change of seats');
    } finally {
      await feed.stop();
    }
  });

  test('reconnects after losing its connection and announces the table set', async () => {
    await query(url, 'CREATE SCHEMA reconnect_test; CREATE TABLE reconnect_test.votes (n int)');
    const { feed, events } = await startFeed('reconnect_test');
    try {
      await query(
        url,
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'tally-dashboard-changes'",
      );
      await until(() => events.some((e) => e.kind === 'tables'), 'a full refresh after reconnecting', 10_000);
      await query(url, 'INSERT INTO reconnect_test.votes VALUES (1)');
      await until(() => events.some((e) => e.kind === 'rows'), 'a change after reconnecting');
    } finally {
      await feed.stop();
    }
  });
});
