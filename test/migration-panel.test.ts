/**
 * Editing SQL changes the dashboard (issue 9), the real way: a pipeline runs
 * (the in-process broker, schema registry, Connect worker with the JDBC sink,
 * Tally's ksqlDB server, a throwaway PostgreSQL and the dashboard, as
 * `make up` wires them, but in this process), ksql/migrations/'s sources
 * applied with the migrations tool, and a page open on the dashboard. Then a
 * new migration file (test/fixtures/migrations/), a metric table and its
 * `CREATE SINK CONNECTOR`, is added and applied with `tally migrate`'s code;
 * votes flow; the sink creates the table in PostgreSQL; and the open page's
 * SSE stream brings the new generic panel with the right counts, without a
 * reload, and keeps it up to date. No code knows the table.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { loadConfig, PROJECT_ROOT } from '../config/index.ts';
import { SchemaRegistryClient, startConnectWorker, startSchemaRegistry } from '../connect/index.ts';
import { ENV_PROVIDER_WORKER_PROPS, embeddedStackEnv } from '../connect/worker/stack-env.ts';
import { startKsqlRestServer } from '../engine/index.ts';
import { apply, initializeMetadata, type MigrationOutput } from '../engine/migrations/commands.ts';
import { createElection, serializeVoteEvent, type VoteStreamEvent } from '../producers/index.ts';
import { connectAdmin, connectSink, ELECTION_TOPICS, ensureTopics } from '../producers/kafka/index.ts';
import { startDashboard } from '../web/server.ts';
import { formatNumber, panelId } from '../web/views/format.ts';
import { startTestBroker } from './support/broker.ts';
import { temporaryDir, testLogger, until } from './support/index.ts';
import { query, startTestPostgres } from './support/postgres.ts';

const NEW_MIGRATION = path.join(
  import.meta.dirname,
  'fixtures',
  'migrations',
  'V000004__votes_received_by_method_and_hour.sql',
);
const SOURCES_MIGRATION = path.join(PROJECT_ROOT, 'ksql', 'migrations', 'V000001__sources_and_dimensions.sql');
const TABLE = 'votes_received_by_method_hour';
const PANEL = panelId(TABLE);
const CONNECTOR = 'tally-votes-received-sink';
/** A loaded 2-core machine: a few seconds from vote to row is normal, a minute is not. */
const PIPELINE_MS = 90_000;

// Registered before the broker's and PostgreSQL's own hooks, so it runs first: clients and servers stop while the
// broker still answers, and let go of their PostgreSQL connections before it shuts down.
const stops: (() => Promise<void>)[] = [];
after(async () => {
  for (const stop of stops.reverse()) await stop();
});

const logger = testLogger('migration-panel');
const postgres = await startTestPostgres();
const broker = await startTestBroker({ groupInitialRebalanceDelayMs: 0 });
const config = loadConfig({ env: { KAFKA_BROKERS: broker.address, DATABASE_URL: postgres.url } });
const registry = await startSchemaRegistry({ kafka: config.kafka, host: '127.0.0.1', port: 0, logger });
stops.push(() => registry.stop());
const worker = await startConnectWorker({
  kafka: config.kafka,
  host: '127.0.0.1',
  port: 0,
  logger,
  schemaRegistryUrl: registry.url,
  // `${env:TALLY_JDBC_URL}` and friends in the migration's connector, as `tally connect` resolves them.
  workerProps: ENV_PROVIDER_WORKER_PROPS,
  env: embeddedStackEnv({ postgres: config.postgres, schemaRegistryUrl: registry.url }, {}),
});
stops.push(() => worker.stop());
const ksql = await startKsqlRestServer({
  bootstrapServers: [broker.address],
  stateDir: temporaryDir('tally-ksql-'),
  host: '127.0.0.1',
  port: 0,
  logger,
  schemaRegistry: new SchemaRegistryClient(registry.url),
  connectUrl: worker.url,
});
stops.push(() => ksql.stop());
const dashboard = await startDashboard({ databaseUrl: postgres.url, host: '127.0.0.1', port: 0, logger });
stops.push(() => dashboard.stop());

/** A small election: ~400 well-formed vote records (repeats, unregistered voters, unknown candidates among them). */
const election = createElection({
  scenario: 'small',
  seed: 9,
  overrides: { voters: 600, pollingDay: { opensHour: 8, closesHour: 14 }, integrity: { malformed: 0 } },
});
const votes = [...election.votes()];

/** What the new table must hold for `events`: votes by `method|cast_hour` (the hour as the SQL formats it, in UTC). */
function expectedCounts(events: readonly VoteStreamEvent[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const event of events) {
    assert.equal(event.kind, 'vote', 'the scenario makes no malformed records');
    if (event.kind !== 'vote') continue;
    const iso = new Date(event.value.cast_at).toISOString();
    const key = `${event.value.method}|${iso.slice(0, 10)} ${iso.slice(11, 13)}:00`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

const sorted = (counts: Map<string, number>) => [...counts].sort(([a], [b]) => (a < b ? -1 : 1));
const sum = (counts: Map<string, number>) => [...counts.values()].reduce((a, b) => a + b, 0);

async function produceVotes(events: readonly VoteStreamEvent[]): Promise<void> {
  const sink = await connectSink('kafkajs', config.kafka, logger);
  try {
    await sink.write('votes', events.map(serializeVoteEvent));
  } finally {
    await sink.close();
  }
}

/** The migrations tool's project for this pipeline: its properties file, pointed at `dir`. */
function migrationsProject(dir: string): { configFile: string; out: MigrationOutput; log: string[] } {
  const configFile = path.join(path.dirname(dir), 'ksql-migrations.properties');
  fs.writeFileSync(configFile, `ksql.server.url=${ksql.url}\nksql.migrations.dir.override=${dir}\n`);
  const log: string[] = [];
  const out: MigrationOutput = {
    info: (m) => log.push(m),
    warn: (m) => log.push(`WARN ${m}`),
    error: (m) => log.push(`ERROR ${m}`),
  };
  return { configFile, out, log };
}

async function tableRows(): Promise<Map<string, number>> {
  const exists = await query<{ t: string | null }>(postgres.url, 'SELECT to_regclass($1)::text AS t', [TABLE]);
  if (exists.rows[0]?.t == null) return new Map();
  const { rows } = await query<{ method: string; cast_hour: string; votes: string }>(
    postgres.url,
    `SELECT method, cast_hour, votes FROM ${TABLE}`,
  );
  return new Map(rows.map((r) => [`${r.method}|${r.cast_hour}`, Number(r.votes)]));
}

/** The new panel's section in a page or an SSE message, if there. */
function panelIn(html: string): string | undefined {
  const start = html.indexOf(`<section class="panel" id="${PANEL}"`);
  return start < 0 ? undefined : html.slice(start, html.indexOf('</section>', start) + '</section>'.length);
}

/** The panel's table rows as `method|cast_hour` → votes, from each cell's raw value (`data-sort`). */
function panelRows(panel: string): Map<string, number> {
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(panel)?.[1] ?? '';
  const rows = new Map<string, number>();
  for (const [, row] of body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)) {
    const cells = [...(row ?? '').matchAll(/data-sort="([^"]*)"/g)].map((m) => m[1] ?? '');
    if (cells.length === 3) rows.set(`${cells[0]}|${cells[1]}`, Number(cells[2]));
  }
  return rows;
}

/**
 * The panel shows exactly `counts`: its totals, every row, and the chart's 12 bars, the largest counts, each
 * labelled by the table's key (method · cast_hour).
 */
function assertPanelShows(panel: string, counts: Map<string, number>): void {
  assert.ok(panel.includes(`<dd data-total="rows">${formatNumber(counts.size)}</dd>`), panel);
  assert.ok(panel.includes(`<dd data-total="votes">${formatNumber(sum(counts))}</dd>`), panel);
  assert.deepEqual(sorted(panelRows(panel)), sorted(counts));
  const bars = [...panel.matchAll(/<g class="bar"><title>([^<]*): ([\d,]+)<\/title>/g)].map(([, label, votes]) => ({
    key: (label ?? '').replace(' · ', '|'),
    votes: Number(votes?.replaceAll(',', '')),
  }));
  const largest = [...counts.values()].sort((a, b) => b - a).slice(0, 12);
  assert.deepEqual(
    bars.map((b) => b.votes),
    largest,
  );
  for (const bar of bars) assert.equal(counts.get(bar.key), bar.votes, `the bar of ${bar.key}`);
}

/** /events, read message by message. */
async function openEvents() {
  const controller = new AbortController();
  const response = await fetch(`${dashboard.url}/events`, {
    headers: { accept: 'text/event-stream' },
    signal: controller.signal,
  });
  assert.equal(response.status, 200);
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  return {
    /** Messages' data until `found` returns something for one; fails after `timeoutMs`. */
    async until<T>(found: (data: string) => T | undefined, what: string, timeoutMs = PIPELINE_MS): Promise<T> {
      const deadline = Date.now() + timeoutMs;
      let last = '';
      for (;;) {
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const lines = buffer.slice(0, end).split('\n');
          buffer = buffer.slice(end + 2);
          const data = lines.filter((l) => l.startsWith('data: ')).map((l) => l.slice(6));
          if (data.length > 0) last = data.join('\n');
          const result = data.length > 0 ? found(data.join('\n')) : undefined;
          if (result !== undefined) return result;
        }
        let timer: NodeJS.Timeout | undefined;
        const read = await Promise.race([
          reader.read(),
          new Promise<never>((_, reject) => {
            timer = setTimeout(
              () => reject(new Error(`no SSE message with ${what} within ${timeoutMs} ms; the last: ${last}`)),
              Math.max(0, deadline - Date.now()),
            );
          }),
        ]).finally(() => clearTimeout(timer));
        if (read.done) throw new Error('the SSE stream ended');
        buffer += read.value;
      }
    },
    close: () => controller.abort(),
  };
}

test('a new migration file with a metric table and its sink connector becomes a live generic panel with the right counts', {
  timeout: 240_000,
}, async (t) => {
  const started = Date.now();
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;

  // The pipeline as `make up` leaves it (stack/pipeline-setup.ts): the topics, the metadata, the migrations so far.
  const admin = await connectAdmin('kafkajs', config.kafka, logger);
  try {
    await ensureTopics(admin, { topics: ELECTION_TOPICS, partitions: 1, chosen: true });
  } finally {
    await admin.close();
  }
  const migrationsDir = path.join(temporaryDir('tally-migrations-'), 'migrations');
  fs.mkdirSync(migrationsDir);
  // Of ksql/migrations/, the sources (the metric reads `votes`): V000002-3's 27 more queries would only add load.
  fs.copyFileSync(SOURCES_MIGRATION, path.join(migrationsDir, path.basename(SOURCES_MIGRATION)));
  const project = migrationsProject(migrationsDir);
  assert.equal(await initializeMetadata(project.configFile, project.out), 0, project.log.join('\n'));
  assert.equal(await apply(project.configFile, { all: true }, project.out), 0, project.log.join('\n'));

  // Half the votes are cast before the metric exists: the migration must count them too.
  const half = Math.floor(votes.length / 2);
  const before = votes.slice(0, half);
  await produceVotes(before);

  // A page is open, without the panel.
  assert.equal(panelIn(await (await fetch(`${dashboard.url}/`)).text()), undefined);
  const events = await openEvents();
  t.after(() => events.close());
  await events.until((data) => (data.startsWith('<div id="panels"') ? true : undefined), 'the initial grid', 30_000);

  // Someone adds a migration file and applies it, as `make up` (or `tally migrate apply --all`) does.
  fs.copyFileSync(NEW_MIGRATION, path.join(migrationsDir, path.basename(NEW_MIGRATION)));
  project.log.length = 0;
  assert.equal(await apply(project.configFile, { all: true }, project.out), 0, project.log.join('\n'));
  assert.ok(
    project.log.includes('Applying migration version 4: votes received by method and hour'),
    project.log.join('\n'),
  );
  // The migration's CREATE SINK CONNECTOR went through the ksqlDB server to the Connect worker.
  await until(async () => {
    const response = await fetch(`${worker.url}/connectors/${CONNECTOR}/status`);
    return response.ok && ((await response.json()) as { connector: { state: string } }).connector.state === 'RUNNING';
  }, `${CONNECTOR} running`);
  t.diagnostic(`migration applied at ${elapsed()}`);

  // The open page receives the new panel over SSE, with the counts of the votes cast so far.
  const early = expectedCounts(before);
  let firstWithPanel: string | undefined;
  const earlyPanel = await events.until(
    (data) => {
      const panel = panelIn(data);
      if (panel) firstWithPanel ??= data;
      return panel?.includes(`<dd data-total="votes">${formatNumber(sum(early))}</dd>`) ? panel : undefined;
    },
    `${PANEL} counting ${sum(early)} votes`,
  );
  // The page had no such panel: it arrives in a redraw of the whole grid, beside the election's panels.
  assert.match(firstWithPanel ?? '', /^<div id="panels"/);
  assert.match(firstWithPanel ?? '', /panel-election-totals/);
  t.diagnostic(`panel live with ${sum(early)} votes at ${elapsed()}`);
  assertPanelShows(earlyPanel, early);
  assert.deepEqual(sorted(await tableRows()), sorted(early));

  // More votes: the same page follows, again without a reload.
  const all = expectedCounts(votes);
  await produceVotes(votes.slice(half));
  const live = await events.until(
    (data) => {
      const panel = panelIn(data);
      return panel?.includes(`<dd data-total="votes">${formatNumber(sum(all))}</dd>`) ? panel : undefined;
    },
    `${PANEL} counting all ${sum(all)} votes`,
  );
  t.diagnostic(`panel updated to ${sum(all)} votes at ${elapsed()}`);
  assertPanelShows(live, all);

  // PostgreSQL holds exactly the truth, in the table the sink created keyed by the query's key (upserts, not
  // appends), and a fresh page load and the panel's fragment show it.
  assert.deepEqual(sorted(await tableRows()), sorted(all));
  const primaryKey = await query<{ name: string }>(
    postgres.url,
    `SELECT a.attname AS name FROM pg_index i
       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
      WHERE i.indrelid = $1::regclass AND i.indisprimary ORDER BY a.attname`,
    [TABLE],
  );
  assert.deepEqual(
    primaryKey.rows.map((r) => r.name),
    ['cast_hour', 'method'],
  );
  const page = panelIn(await (await fetch(`${dashboard.url}/`)).text());
  assert.ok(page, 'the page has the new panel');
  assert.match(page, /<h2 id="panel-votes_received_by_method_hour-title">Votes received by method hour<\/h2>/);
  assertPanelShows(page, all);
  const fragment = await fetch(`${dashboard.url}/panels/${TABLE}`);
  assert.equal(fragment.status, 200);
  assertPanelShows(await fragment.text(), all);
});
