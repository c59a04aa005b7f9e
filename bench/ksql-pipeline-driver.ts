/**
 * The election's own queries (ksql/migrations, every file in order) compiled
 * by the engine and run through the test driver (KsqlPipelineDriver: one
 * TopologyTestDriver per query, records followed from query to query), with
 * a seeded election made by producers/ as bench/pipeline.ts makes it:
 * dimensions and voters first, then the votes in cast order (malformed,
 * repeated, unregistered and unknown-candidate ones included).
 *
 *   node --import tsx bench/ksql-pipeline-driver.ts [--voters 20000] [--seed 2026]
 *
 * Figures: CPU time of this process (process.cpuUsage, user + system) per
 * vote record for the votes phase (the voters phase apart), and wall time,
 * beside a baseline in the same run: the same vote records parsed with
 * JSON.parse and counted per candidate in a plain loop (as bench/pipeline.ts).
 * A digest (sha256) of every record written to every topic, in order, is
 * printed too: a change to the engine that keeps its output byte for byte
 * keeps the digest.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { KsqlEngine, KsqlPipelineDriver } from '../engine/index.ts';
import { createElection } from '../producers/index.ts';
import type { ElectionTopic, OutgoingRecord } from '../producers/kafka/index.ts';
import { NOMINATIONS_CLOSE_DAYS, topicRecords } from '../producers/topic-records.ts';

const { values: flags } = parseArgs({
  options: {
    voters: { type: 'string', default: '20000' },
    seed: { type: 'string', default: '2026' },
  },
});
const VOTERS = Number(flags.voters);
const SEED = Number(flags.seed);
if (!Number.isInteger(VOTERS) || VOTERS < 100) throw new Error('--voters must be an integer of at least 100');
if (!Number.isInteger(SEED)) throw new Error('--seed must be an integer');

const MIGRATIONS = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'ksql', 'migrations');
const DAY_MS = 86_400_000;

interface Input extends OutgoingRecord {
  topic: string;
}

// The election's records, made before the clock starts, as the producers make them.
const election = createElection({ scenario: 'presidential', seed: SEED, overrides: { voters: VOTERS } });
const reference = election.polling.opens_at - NOMINATIONS_CLOSE_DAYS * DAY_MS;
const inputsOf = (topics: readonly ElectionTopic[]): Input[] =>
  topics.flatMap((topic) => Array.from(topicRecords(election, topic).records(), (r) => ({ topic, ...r })));
const dimensions = inputsOf(['regions', 'constituencies', 'polling_stations', 'parties', 'candidates']);
const voters = inputsOf(['voters']);
const votes = inputsOf(['votes']);

// A fixed clock: processing log entries (the unreadable votes) carry their time into integrity_events.
const engine = new KsqlEngine({
  config: { 'ksql.logging.processing.stream.auto.create': 'true' },
  now: () => reference,
});
for (const file of fs
  .readdirSync(MIGRATIONS)
  .filter((f) => f.endsWith('.sql'))
  .sort()) {
  engine.execute(fs.readFileSync(path.join(MIGRATIONS, file), 'utf8'));
}
const driver = new KsqlPipelineDriver(engine);

function run(inputs: readonly Input[], flush: boolean): { cpuMs: number; wallMs: number } {
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (const r of inputs) driver.pipe(r.topic, r.key, r.value, r.timestamp);
  if (flush) driver.flush();
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { cpuMs: (used.user + used.system) / 1000, wallMs };
}

/** The baseline: parse and count the same vote records in a plain loop (the median of 5 passes' CPU). */
function baselineCpuMs(): number {
  const passes: number[] = [];
  for (let pass = 0; pass < 5; pass++) {
    const cpu = process.cpuUsage();
    const byCandidate = new Map<string, number>();
    for (const r of votes) {
      try {
        const candidate = (JSON.parse(String(r.value)) as { candidate_id?: unknown } | null)?.candidate_id;
        if (typeof candidate === 'string') byCandidate.set(candidate, (byCandidate.get(candidate) ?? 0) + 1);
      } catch {
        // A malformed record: the loop skips it.
      }
    }
    const used = process.cpuUsage(cpu);
    passes.push((used.user + used.system) / 1000);
  }
  return passes.sort((a, b) => a - b)[2] as number;
}
const baselineMs = baselineCpuMs();

run(dimensions, false);
const voterPhase = run(voters, false);
const votePhase = run(votes, true);

const digest = createHash('sha256');
let written = 0;
const topics = new Set<string>();
for (const q of engine.queries()) {
  const sink = engine.metastore.source(q.sink);
  if (sink) topics.add(sink.topic);
}
for (const topic of [...topics].sort()) {
  for (const r of driver.records(topic)) {
    written++;
    digest.update(`${topic}\0${r.timestamp}\0`);
    digest.update(r.key === null ? '\x01null' : r.key);
    digest.update('\0');
    digest.update(r.value === null ? '\x01null' : r.value);
    digest.update('\0');
  }
}
driver.close();

const us = (ms: number, n: number) => ((ms * 1000) / n).toFixed(1);
console.log(`${engine.queries().length} persistent queries; ${voters.length} voters, ${votes.length} vote records`);
console.log(
  `voters: ${us(voterPhase.cpuMs, voters.length)} µs CPU per voter, ${Math.round(voters.length / (voterPhase.wallMs / 1000))} voters/s`,
);
console.log(
  `votes:  ${us(votePhase.cpuMs, votes.length)} µs CPU per vote, ${Math.round(votes.length / (votePhase.wallMs / 1000))} votes/s` +
    ` (baseline loop ${us(baselineMs, votes.length)} µs per vote: ${Math.round(votePhase.cpuMs / baselineMs)}x)`,
);
console.log(`output: ${written} records on ${topics.size} topics, sha256 ${digest.digest('hex').slice(0, 16)}`);
