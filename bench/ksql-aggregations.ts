/**
 * Ten grouped aggregations over one stream of votes, compiled by the engine
 * from ksqlDB SQL and run through the test driver (KsqlPipelineDriver: one
 * driver per query, the record cache at its default; the queries share the
 * decoding of each vote, as on the server), beside a plain loop
 * in the same run that parses the same JSON and updates ten Maps. Figures
 * are vote records per second into all ten tables.
 *
 *   node --import tsx bench/ksql-aggregations.ts [votes=100000]
 */
import { KsqlEngine, KsqlPipelineDriver } from '../engine/index.ts';

const votes = Number(process.argv[2] ?? 100_000);
const METHODS = ['in_person', 'postal', 'early', 'proxy'];
const EDUCATION = ['primary', 'secondary', 'tertiary'];

interface Vote {
  vote_id: string;
  voter_id: string;
  candidate_id: string;
  party_id: string;
  polling_station_id: string;
  region_id: string;
  method: string;
  education: string;
  age: number;
  cast_at: number;
}

const inputs = Array.from({ length: votes }, (_, i) => {
  const vote: Vote = {
    vote_id: `v${i}`,
    voter_id: `V${i}`,
    candidate_id: `C${i % 40}`,
    party_id: `P${i % 8}`,
    polling_station_id: `PS${i % 500}`,
    region_id: `R${i % 12}`,
    method: METHODS[i % 4] as string,
    education: EDUCATION[i % 3] as string,
    age: 18 + (i % 70),
    cast_at: 1_793_689_200_000 + i * 250,
  };
  return { key: JSON.stringify(vote.voter_id), value: JSON.stringify(vote), timestamp: vote.cast_at };
});

const AGGREGATIONS = [
  'CREATE TABLE by_candidate AS SELECT candidate_id, COUNT(*) AS votes FROM votes GROUP BY candidate_id;',
  'CREATE TABLE by_party AS SELECT party_id, COUNT(*) AS votes FROM votes GROUP BY party_id;',
  'CREATE TABLE by_station AS SELECT polling_station_id, COUNT(*) AS votes, LATEST_BY_OFFSET(region_id) AS region_id FROM votes GROUP BY polling_station_id;',
  'CREATE TABLE by_region AS SELECT region_id, COUNT(*) AS votes FROM votes GROUP BY region_id;',
  'CREATE TABLE by_method AS SELECT method, COUNT(*) AS votes FROM votes GROUP BY method;',
  'CREATE TABLE by_education_party AS SELECT education, party_id, COUNT(*) AS votes FROM votes GROUP BY education, party_id;',
  'CREATE TABLE age_by_party AS SELECT party_id, AVG(age) AS mean_age, MIN(age) AS youngest, MAX(age) AS oldest FROM votes GROUP BY party_id;',
  'CREATE TABLE candidates_by_region AS SELECT region_id, COUNT_DISTINCT(candidate_id) AS candidates FROM votes GROUP BY region_id;',
  'CREATE TABLE by_hour AS SELECT method, COUNT(*) AS votes FROM votes WINDOW TUMBLING (SIZE 1 HOUR) GROUP BY method;',
  'CREATE TABLE age_sum_by_station AS SELECT polling_station_id, SUM(age) AS ages FROM votes GROUP BY polling_station_id;',
];

function compiledPipeline(): number {
  const engine = new KsqlEngine();
  engine.execute(`CREATE STREAM votes (voter_id STRING KEY, vote_id STRING, candidate_id STRING, party_id STRING,
    polling_station_id STRING, region_id STRING, method STRING, education STRING, age INT, cast_at BIGINT)
    WITH (KAFKA_TOPIC='votes', FORMAT='JSON', PARTITIONS=1, TIMESTAMP='cast_at');`);
  for (const sql of AGGREGATIONS) engine.execute(sql);
  const driver = new KsqlPipelineDriver(engine);
  const started = performance.now();
  for (const r of inputs) driver.pipe('votes', r.key, r.value, r.timestamp);
  driver.flush();
  const ms = performance.now() - started;
  const rows = engine.metastore.source('BY_CANDIDATE');
  const counted = rows ? [...driver.latestRows(rows).values()].reduce((n, row) => n + Number(row.VOTES), 0) : 0;
  if (counted !== votes) throw new Error(`by_candidate counted ${counted} of ${votes} votes`);
  driver.close();
  return ms;
}

function plainLoop(): number {
  const started = performance.now();
  const count = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  const byCandidate = new Map<string, number>();
  const byParty = new Map<string, number>();
  const byStation = new Map<string, { votes: number; region: string }>();
  const byRegion = new Map<string, number>();
  const byMethod = new Map<string, number>();
  const byEducationParty = new Map<string, number>();
  const ageByParty = new Map<string, { sum: number; n: number; min: number; max: number }>();
  const candidatesByRegion = new Map<string, Set<string>>();
  const byHour = new Map<string, number>();
  const ageSumByStation = new Map<string, number>();
  for (const r of inputs) {
    const v = JSON.parse(r.value) as Vote;
    count(byCandidate, v.candidate_id);
    count(byParty, v.party_id);
    const s = byStation.get(v.polling_station_id) ?? { votes: 0, region: v.region_id };
    s.votes++;
    s.region = v.region_id;
    byStation.set(v.polling_station_id, s);
    count(byRegion, v.region_id);
    count(byMethod, v.method);
    count(byEducationParty, `${v.education}|${v.party_id}`);
    const a = ageByParty.get(v.party_id) ?? { sum: 0, n: 0, min: v.age, max: v.age };
    a.sum += v.age;
    a.n++;
    a.min = Math.min(a.min, v.age);
    a.max = Math.max(a.max, v.age);
    ageByParty.set(v.party_id, a);
    const set = candidatesByRegion.get(v.region_id) ?? new Set<string>();
    set.add(v.candidate_id);
    candidatesByRegion.set(v.region_id, set);
    count(byHour, `${v.method}|${Math.floor(v.cast_at / 3_600_000)}`);
    ageSumByStation.set(v.polling_station_id, (ageSumByStation.get(v.polling_station_id) ?? 0) + v.age);
  }
  const ms = performance.now() - started;
  const counted = [...byCandidate.values()].reduce((n, c) => n + c, 0);
  if (counted !== votes) throw new Error(`the loop counted ${counted} of ${votes} votes`);
  return ms;
}

const rate = (ms: number) => votes / (ms / 1000);
plainLoop(); // warm-up
const loop = rate(plainLoop());
const compiled = rate(compiledPipeline());
const format = (n: number) => Math.round(n).toLocaleString('en').padStart(12);
console.log(`${votes.toLocaleString('en')} votes, ten grouped aggregations each`);
console.log(`plain loop (JSON.parse + ten Maps)  ${format(loop)} votes/s`);
console.log(
  `compiled SQL, test driver           ${format(compiled)} votes/s  (${((compiled / loop) * 100).toFixed(1)}% of the plain loop)`,
);
