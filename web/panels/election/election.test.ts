/**
 * The election panels against a real PostgreSQL, with the contract's tables
 * filled as the sink would fill them from a small seeded election: the
 * read-time derivations equal producers' ground truth, each fragment is
 * served over HTTP, changes arrive over SSE, and panels come alive when
 * their tables appear.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import pg from 'pg';
import { createElection } from '../../../producers/index.ts';
import { testLogger } from '../../../test/support/index.ts';
import { query, startTestPostgres } from '../../../test/support/postgres.ts';
import { startDashboard } from '../../server.ts';
import { contractDdl } from './contract.ts';
import { ElectionQueries } from './queries.ts';
import { seedElection } from './seed.ts';

const postgres = await startTestPostgres();
const url = postgres.url;
const election = createElection({ scenario: 'small', seed: 11 });
const truth = election.truth();
await seedElection(url, 'public', election);

const dashboard = await startDashboard({
  databaseUrl: url,
  host: '127.0.0.1',
  port: 0,
  logger: testLogger('dashboard'),
  minIntervalMs: 50,
  catalogIntervalMs: 100,
  tickMs: 500,
});
const db = new pg.Pool({ connectionString: url, max: 2 });
// An idle client ended by PostgreSQL's shutdown must not fail the file.
db.on('error', () => {});
after(async () => {
  await db.end();
  await dashboard.stop();
  await postgres.stop();
});

async function allTables(schema: string): Promise<Set<string>> {
  const { rows } = await db.query<{ tablename: string }>('SELECT tablename FROM pg_tables WHERE schemaname = $1', [
    schema,
  ]);
  return new Set(rows.map((r) => r.tablename));
}

async function get(path: string): Promise<{ status: number; body: string }> {
  const response = await fetch(`${dashboard.url}${path}`);
  return { status: response.status, body: await response.text() };
}

/** Reads SSE messages from /events until one satisfies `wanted`. */
async function openEvents(base = dashboard.url) {
  const controller = new AbortController();
  const response = await fetch(`${base}/events`, { signal: controller.signal });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  return {
    async until(wanted: (data: string) => boolean, timeoutMs = 15_000): Promise<string> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block
            .split('\n')
            .filter((l) => l.startsWith('data: '))
            .map((l) => l.slice(6))
            .join('\n');
          if (data && wanted(data)) return data;
          end = buffer.indexOf('\n\n');
        }
        const left = deadline - Date.now();
        if (left <= 0) throw new Error('no matching SSE message in time');
        let timer: NodeJS.Timeout | undefined;
        const read = await Promise.race([
          reader.read(),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error('no matching SSE message in time')), left);
          }),
        ]).finally(() => clearTimeout(timer));
        if (read.done) throw new Error('the SSE stream ended');
        buffer += read.value;
      }
    },
    close: () => controller.abort(),
  };
}

describe('read-time derivations equal the ground truth', () => {
  test('leader, winners, seats, top stations and totals', async () => {
    const queries = new ElectionQueries(db, 'public', await allTables('public'));
    const leader = await queries.leader();
    assert.deepEqual(
      leader && {
        candidate_id: leader.leader.candidate_id,
        party_id: leader.leader.party_id,
        votes: leader.leader.votes,
      },
      truth.leading_candidate,
    );

    const winners = await queries.constituencyWinners();
    assert.deepEqual(
      Object.fromEntries(winners.map(({ constituency_id, ...result }) => [constituency_id, result])),
      truth.constituency_winners,
    );

    const { seats, declared, open } = await queries.seats();
    assert.deepEqual(Object.fromEntries(seats.map((s) => [s.party_id, s.seats])), truth.seats_by_party);
    assert.equal(declared + open, election.constituencies.length);

    const top = await queries.topPollingStations(truth.top_polling_stations.length);
    assert.deepEqual(
      top.map((s) => ({ polling_station_id: s.polling_station_id, votes: s.votes })),
      truth.top_polling_stations,
    );

    const totals = await queries.totals();
    assert.equal(totals.registered, truth.totals.registered_voters);
    assert.equal(totals.voted, truth.totals.counted_votes);
    assert.ok(Math.abs(totals.turnout - truth.totals.turnout) < 1e-12);
    assert.equal(totals.candidates, election.candidates.length);
  });

  test('ties go to the smallest candidate_id (bytewise), flagged tied', async () => {
    await query(
      url,
      `CREATE SCHEMA ties; CREATE TABLE ties.votes_by_constituency_candidate (constituency_id text, candidate_id text, party_id text, votes bigint);
       INSERT INTO ties.votes_by_constituency_candidate VALUES
         ('C001', 'b-2', 'NHP', 10), ('C001', 'B-1', 'CPP', 10), ('C001', 'a-3', 'LRP', 4),
         ('C002', 'x', 'CPP', 0);
       CREATE TABLE ties.votes_by_candidate (candidate_id text, party_id text, votes bigint);
       INSERT INTO ties.votes_by_candidate VALUES ('b', 'NHP', 7), ('a', 'CPP', 7), ('c', 'LRP', 1)`,
    );
    const queries = new ElectionQueries(db, 'ties', await allTables('ties'));
    assert.deepEqual(await queries.constituencyWinners(), [
      { constituency_id: 'C001', candidate_id: 'B-1', party_id: 'CPP', votes: 10, runner_up_votes: 10, tied: true },
    ]);
    const leader = await queries.leader();
    assert.equal(leader?.leader.candidate_id, 'a');
    assert.equal(leader?.margin, 0);
  });
});

describe('fragments over HTTP', () => {
  test('the page shows the totals, the leader with avatar, seats, and every election panel', async () => {
    const { status, body } = await get('/');
    assert.equal(status, 200);
    assert.ok(
      body.includes(`<dd data-total="registered">${truth.totals.registered_voters.toLocaleString('en-GB')}</dd>`),
    );
    assert.ok(body.includes(`<dd data-total="voted">${truth.totals.counted_votes.toLocaleString('en-GB')}</dd>`));
    const leader = election.candidates.find((c) => c.candidate_id === truth.leading_candidate?.candidate_id);
    assert.ok(leader && body.includes(`<p class="leader-name" data-value="leader">${leader.name}</p>`));
    assert.ok(body.includes('<img class="avatar" src="data:image/svg+xml;base64,'));
    for (const id of [
      'totals',
      'leader',
      'seats',
      'parties',
      'candidates',
      'turnout',
      'region',
      'stations',
      'hourly',
      'methods',
      'education',
      'income',
      'integrity',
      'pipeline',
    ])
      assert.ok(body.includes(`id="panel-election-${id}"`), id);
    assert.ok(body.includes('<svg class="chart hemicycle"'));
    assert.equal([...body.matchAll(/<circle class="seat/g)].length, election.constituencies.length);
    // Contract tables have no generic panel of their own.
    assert.ok(!body.includes('id="panel-votes_by_party"'));
  });

  test('every election panel renders from the tables, without an error', async () => {
    for (const panel of dashboard.hub.dashboard.livePanels) {
      const { status, body } = await get(`/panels/${panel.key}`);
      assert.equal(status, 200, panel.key);
      assert.ok(!body.includes('cannot be read'), `${panel.key}: ${body}`);
      assert.ok(!body.includes('NaN'), panel.key);
    }
    const methods = await get('/panels/election-methods');
    assert.ok(methods.body.includes(`In person`));
    const education = await get('/panels/election-education');
    assert.ok(education.body.includes('No qualifications') && education.body.includes('Civic Progress Party'));
  });

  test('each live panel is served on its own', async () => {
    const seats = await get('/panels/election-seats');
    assert.equal(seats.status, 200);
    assert.match(seats.body, /^<section class="panel" id="panel-election-seats"/);
    const integrity = await get('/panels/election-integrity');
    assert.ok(integrity.body.includes(`<dd data-total="repeat_vote">${truth.integrity.repeat_votes}</dd>`));
    assert.ok(integrity.body.includes(`<dd data-total="repeat_voters">${truth.integrity.repeat_voters}</dd>`));
    const hourly = await get('/panels/election-hourly');
    assert.ok(hourly.body.includes('Hour starting (UTC)'));
    assert.ok(hourly.body.includes('2026-05-07 07:00 UTC'));
  });

  test('a region drills down into its constituencies and their results', async () => {
    const region = election.regions[0]!;
    const { status, body } = await get(`/regions/${region.region_id}`);
    assert.equal(status, 200);
    assert.ok(body.includes(`<caption>Constituencies of ${region.name}</caption>`));
    for (const c of election.constituencies.filter((c) => c.region_id === region.region_id)) {
      assert.ok(body.includes(c.name), c.name);
      const winner = truth.constituency_winners[c.constituency_id];
      const name = election.candidates.find((k) => k.candidate_id === winner?.candidate_id)?.name;
      if (name) assert.ok(body.includes(name), name);
    }
    assert.equal((await get('/regions/R99')).status, 404);
    assert.equal((await get(`/regions/${encodeURIComponent('<x>')}`)).status, 400);
  });

  test('polling stations sort, filter and page through query parameters, validated', async () => {
    const first = await get('/stations');
    assert.equal(first.status, 200);
    const ids = [...first.body.matchAll(/<td>(PS\d+)<\/td>/g)].map((m) => m[1]);
    assert.deepEqual(
      ids,
      truth.top_polling_stations.map((s) => s.polling_station_id),
    );

    const byName = await get('/stations?sort=name&dir=asc&page=2');
    assert.ok(byName.body.includes('page 2 of'));
    assert.ok(byName.body.includes('aria-sort="ascending"'));
    const names = [...byName.body.matchAll(/<tr><th scope="row">([^<]+)<\/th>/g)].map((m) => m[1] ?? '');
    assert.equal(names.length, 10);

    const station = election.pollingStations[3]!;
    const filtered = await get(
      `/stations?q=${encodeURIComponent(station.name.slice(0, 12))}&region=${station.region_id}`,
    );
    assert.ok(
      filtered.body.includes(station.polling_station_id) || !truth.votes_by_polling_station[station.polling_station_id],
    );
    assert.ok(filtered.body.includes('matching the filter'));
    // LIKE wildcards are literal.
    assert.ok((await get('/stations?q=%25')).body.includes('No polling station matches'));

    for (const bad of ['/stations?sort=secret', '/stations?page=0', '/stations?dir=up'])
      assert.equal((await get(bad)).status, 400, bad);
  });

  test('a candidate called <script> is shown as text', async () => {
    await query(
      url,
      `INSERT INTO dim_candidates VALUES ('ZZZ-1', '<script>alert(1)</script>', 'CPP', 'Civic Progress Party', NULL, NULL, 'javascript:alert(1)');
       INSERT INTO votes_by_candidate VALUES ('ZZZ-1', 'CPP', 1000000)`,
    );
    try {
      const { body } = await get('/panels/election-leader');
      assert.ok(body.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
      assert.ok(!body.includes('<script>'));
      // Not a data: URI SVG: no image at all.
      assert.ok(!body.includes('javascript:'));
      assert.ok(!(await get('/')).body.includes('<script>alert'));
    } finally {
      await query(
        url,
        `DELETE FROM votes_by_candidate WHERE candidate_id = 'ZZZ-1'; DELETE FROM dim_candidates WHERE candidate_id = 'ZZZ-1'`,
      );
    }
  });

  test("the dashboard's sessions are read-only", async () => {
    await assert.rejects(dashboard.hub.dashboard.db.query("INSERT INTO votes_by_method VALUES ('x', 1)"), /read-only/);
  });
});

describe('live updates', () => {
  test('a sink UPDATE re-renders the panels that read the table; per-page panels get a refresh marker', async () => {
    const events = await openEvents();
    try {
      await events.until((d) => d.startsWith('<div id="panels"'));
      const leader = truth.leading_candidate!;
      await query(url, 'UPDATE votes_by_candidate SET votes = votes + 5000 WHERE candidate_id = $1', [
        leader.candidate_id,
      ]);
      const votes = (leader.votes + 5000).toLocaleString('en-GB');
      const update = await events.until((d) => d.includes('panel-election-leader') && d.includes(votes));
      assert.ok(update.includes('id="panel-election-candidates"'));
      assert.ok(!update.includes('id="panel-election-seats"'));

      await query(url, 'UPDATE votes_by_polling_station SET votes = votes + 1 WHERE polling_station_id = $1', [
        truth.top_polling_stations[0]!.polling_station_id,
      ]);
      const marker = await events.until((d) => d.includes('panel-election-stations-refresh'));
      assert.match(
        marker,
        /<span id="panel-election-stations-refresh" class="refresh-marker" data-target="#stations-results" data-stamp="\d+" hidden hx-swap-oob="true"><\/span>/,
      );

      // The pipeline panel ticks: freshness is measured from the changes.
      const tick = await events.until((d) => d.includes('panel-election-pipeline'));
      assert.ok(tick.includes('data-total="freshness"'));
      assert.ok(!tick.includes('no change yet'));
    } finally {
      events.close();
    }
  });

  test('panels show an empty state before their tables exist, and come alive when the sink creates them', async () => {
    await query(url, 'CREATE SCHEMA late');
    const late = await startDashboard({
      databaseUrl: url,
      schema: 'late',
      host: '127.0.0.1',
      port: 0,
      logger: testLogger('dashboard'),
      minIntervalMs: 50,
      catalogIntervalMs: 100,
    });
    const events = await openEvents(late.url);
    try {
      const page = await (await fetch(`${late.url}/`)).text();
      assert.ok(page.includes('id="panel-election-parties"'));
      assert.ok(page.includes('No votes counted yet.'));
      assert.ok(page.includes('Kafka is not configured'));
      await events.until((d) => d.startsWith('<div id="panels"'));

      // As the sink does: create the table on the first record, then write (here in one transaction).
      await query(
        url,
        `${contractDdl('late', ['votes_by_party', 'dim_parties'])}
         INSERT INTO late.votes_by_party VALUES ('CPP', 42), ('NHP', 40);
         INSERT INTO late.dim_parties VALUES ('CPP', 'Civic Progress Party', '#d62839')`,
      );
      const alive = await events.until((d) => d.includes('Civic Progress Party'));
      assert.ok(alive.includes('fill="#d62839"'));
      assert.ok(alive.includes('NHP'));
      // A table outside the contract still gets its generic panel.
      await query(
        url,
        "CREATE TABLE late.weather (city text, rain_mm int); INSERT INTO late.weather VALUES ('Leeds', 12)",
      );
      const grid = await events.until((d) => d.includes('id="panel-weather"'));
      assert.ok(grid.includes('Leeds'));
    } finally {
      events.close();
      await late.stop();
    }
  });
});
