/**
 * The metric SQL against the ground truth: every migration applied in order
 * to the engine in process (one TopologyTestDriver per query, record caches
 * as the files set them), a small seeded election piped through it
 * (dimensions and voters first, then the votes in cast order, malformed
 * records included), and the final row per key of every sink table in the
 * contract compared with producers' computeTruth, read-time derivations
 * (leader, winners, seats, top stations, totals) included.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { KsqlEngine, KsqlPipelineDriver, parseStatements } from '../engine/index.ts';
import { createElection, type Election, serializeVoteEvent } from '../producers/index.ts';
import { derivedFigures, expectedTables, SINK_TABLES, type Table, truthFigures } from './expected-tables.ts';

const MIGRATIONS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
const MIGRATION_FILE = /^V(\d{6})__(\w+)\.sql$/;
const DAY_MS = 86_400_000;

function migrationFiles(): string[] {
  return fs
    .readdirSync(MIGRATIONS)
    .filter((f) => f.endsWith('.sql'))
    .sort();
}

/** The final rows of a sink table, keyed by its key columns' values joined with '|'. */
function tableOf(driver: KsqlPipelineDriver, engine: KsqlEngine, name: string): Table {
  const source = engine.metastore.source(name.toUpperCase());
  assert.ok(source, `no source ${name}`);
  const out: Table = {};
  for (const [key, row] of driver.latestRows(source)) out[(JSON.parse(key) as unknown[]).join('|')] = row;
  return out;
}

function pipeElection(driver: KsqlPipelineDriver, election: Election): void {
  const reference = election.polling.opens_at - 28 * DAY_MS;
  const dimensions: [string, string, readonly object[]][] = [
    ['regions', 'region_id', election.regions],
    ['constituencies', 'constituency_id', election.constituencies],
    ['polling_stations', 'polling_station_id', election.pollingStations],
    ['parties', 'party_id', election.parties],
    ['candidates', 'candidate_id', election.candidates],
  ];
  for (const [topic, key, records] of dimensions) {
    for (const r of records) {
      driver.pipe(topic, String((r as Record<string, unknown>)[key]), JSON.stringify(r), reference);
    }
  }
  for (const { key, value } of election.voters())
    driver.pipe('voters', key, JSON.stringify(value), value.registered_at);
  for (const event of election.votes()) {
    const r = serializeVoteEvent(event);
    driver.pipe('votes', r.key, r.value, r.timestamp);
  }
  driver.flush();
}

describe('the metric SQL (ksql/migrations) equals the ground truth', () => {
  const election = createElection({
    scenario: 'small',
    seed: 20261125,
    overrides: {
      voters: 3_000,
      integrity: { repeatVotes: 0.03, unregisteredVoters: 0.02, unknownCandidates: 0.02, malformed: 0.03 },
    },
  });
  const truth = election.truth();
  const expected = expectedTables(election, truth);
  const engine = new KsqlEngine({ config: { 'ksql.logging.processing.stream.auto.create': 'true' } });
  let driver: KsqlPipelineDriver;
  const tables: Record<string, Table> = {};

  before(() => {
    for (const file of migrationFiles()) engine.execute(fs.readFileSync(path.join(MIGRATIONS, file), 'utf8'));
    driver = new KsqlPipelineDriver(engine);
    pipeElection(driver, election);
    for (const name of SINK_TABLES) tables[name] = tableOf(driver, engine, name);
  });
  after(() => driver?.close());

  test('the election has every kind of integrity event', () => {
    const i = truth.integrity;
    for (const n of [i.repeat_votes, i.unregistered_voter_votes, i.unknown_candidate_votes, i.malformed_records]) {
      assert.ok(n > 10, JSON.stringify(i));
    }
    assert.ok(
      Object.values(i.malformed_by_defect).every((n) => n > 0),
      JSON.stringify(i.malformed_by_defect),
    );
    assert.ok(truth.totals.counted_votes > 1000);
  });

  for (const name of Object.keys(expected) as (keyof typeof expected)[]) {
    test(`${name} holds the truth's rows`, () => {
      assert.deepEqual(tables[name], expected[name]);
    });
  }

  test('leader, constituency winners, seats, top stations and totals read from the tables equal the truth', () => {
    const derived = derivedFigures(tables);
    const want = truthFigures(truth, election.candidates.length);
    assert.deepEqual(derived.votes_by_candidate, want.votes_by_candidate, 'votes_by_constituency_candidate');
    assert.deepEqual(derived.constituency_winners, want.constituency_winners);
    assert.deepEqual(derived.seats_by_party, want.seats_by_party);
    assert.deepEqual(derived.leading_candidate, want.leading_candidate);
    assert.deepEqual(derived.top_polling_stations, want.top_polling_stations);
    assert.deepEqual(derived.totals, want.totals);
  });

  test('integrity_events: one alert per integrity record, repeat voters counted by distinct voter', () => {
    const i = truth.integrity;
    const source = engine.metastore.source('INTEGRITY_EVENTS');
    assert.ok(source);
    const events = driver.values(source);
    const kinds: Record<string, number> = {};
    for (const e of events) kinds[String(e.KIND)] = (kinds[String(e.KIND)] ?? 0) + 1;
    assert.deepEqual(kinds, {
      repeat_vote: i.repeat_votes,
      unregistered_voter: i.unregistered_voter_votes,
      unknown_candidate: i.unknown_candidate_votes,
      malformed: i.malformed_records,
    });
    const repeaters = new Set(events.filter((e) => e.KIND === 'repeat_vote').map((e) => e.VOTER_ID));
    assert.equal(repeaters.size, i.repeat_voters);
    for (const e of events) {
      assert.equal(typeof e.REASON, 'string', JSON.stringify(e));
      assert.equal(typeof e.CAST_AT, 'number', JSON.stringify(e));
      if (e.KIND === 'malformed') continue;
      for (const column of ['VOTE_ID', 'VOTER_ID', 'CANDIDATE_ID', 'POLLING_STATION_ID']) {
        assert.equal(typeof e[column], 'string', `${column} of ${JSON.stringify(e)}`);
      }
    }
    // Unreadable records are counted from the processing log, once each.
    const unreadable = events.filter((e) => e.KIND === 'malformed' && e.VOTE_ID === null).length;
    assert.ok(unreadable >= i.malformed_by_defect.bad_json + i.malformed_by_defect.wrong_type);
  });
});

describe('the migration files', () => {
  /** What ksql-migrations sends to the server; it runs SET/UNSET itself, in these forms, and refuses the rest. */
  const SERVER_STATEMENTS = new Set(['createSource', 'createAsSelect', 'insertInto', 'drop', 'alter', 'createType']);
  const TOOL_STATEMENTS: Record<string, RegExp> = {
    set: /^\s*SET\s+'[^']*'\s*=\s*'[^']*'\s*;?\s*$/is,
    unset: /^\s*UNSET\s+'[^']*'\s*;?\s*$/is,
  };

  test('are versioned V<6 digits>__<name>.sql, from 1 with no gap', () => {
    const versions = migrationFiles().map((f) => Number(MIGRATION_FILE.exec(f)?.[1] ?? Number.NaN));
    assert.deepEqual(
      versions,
      versions.map((_, i) => i + 1),
    );
  });

  test('parse, and hold only statements the migrations tool runs', () => {
    for (const file of migrationFiles()) {
      const text = fs.readFileSync(path.join(MIGRATIONS, file), 'utf8');
      assert.ok(text.trimEnd().endsWith(';'), `${file}: text after the last statement`);
      const statements = parseStatements(text);
      assert.ok(statements.length > 0, file);
      for (const s of statements) {
        const tool = TOOL_STATEMENTS[s.kind];
        if (tool) assert.match(s.text, tool, `${file}: ${s.text}`);
        else assert.ok(SERVER_STATEMENTS.has(s.kind), `${file}: ${s.kind} is not for migrations: ${s.text}`);
      }
    }
  });

  test('every sink of the contract is AVRO, on the topic named after its table, with explicit partitions', () => {
    const engine = new KsqlEngine({ config: { 'ksql.logging.processing.stream.auto.create': 'true' } });
    const text = migrationFiles()
      .map((f) => fs.readFileSync(path.join(MIGRATIONS, f), 'utf8'))
      .join('\n');
    engine.execute(text);
    for (const name of [...SINK_TABLES, 'integrity_events']) {
      const source = engine.metastore.source(name.toUpperCase());
      assert.ok(source, name);
      assert.equal(source.topic, name);
      assert.equal(source.valueFormat, 'AVRO', name);
      // integrity_events is a key-less, insert-only feed.
      assert.equal(source.keyFormat, name === 'integrity_events' ? 'NONE' : 'AVRO', name);
      assert.match(text, new RegExp(`KAFKA_TOPIC='${name}'[^)]*PARTITIONS=\\d+`), `${name}: PARTITIONS`);
    }
  });
});
