/**
 * The whole pipeline, end to end, beside an in-process baseline measured in
 * the same run. Prints figures; asserts nothing.
 *
 *   node --import tsx bench/pipeline.ts [--voters 150000] [--seed 2026]
 *     [--rate 500] [--seconds 20] [--burst-rate 10000] [--burst-seconds 3]
 *     [--sustain-rate auto] [--sustain-seconds 30]
 *
 * The stack is the embedded one, started as `make up` starts it (`tally up`,
 * TALLY_DATA_DIR in a temporary folder, every port free, no election of its
 * own) and stopped with `tally down` at the end, on failure and on Ctrl-C.
 *
 * Method
 * - Throughput: a seeded presidential election (`--voters` registered
 *   voters; 250,000 is `make up`'s and the end-to-end test's) produced by
 *   this process with the producers' own code (kafkajs, as `tally produce`),
 *   as fast as possible: places, candidates and voters, then the votes. The
 *   clock runs from the first vote produced to the first reading of
 *   PostgreSQL (polled every 100 ms) whose SUM(votes) of votes_by_method is
 *   the ground truth's counted votes; then every metric table is compared
 *   with the truth (test/support/election-check.ts), polled until equal.
 *   Figure: the election's vote records (malformed, repeated, unregistered
 *   and unknown-candidate ones included) / that time. It includes the wait
 *   for the first counted vote (the queries work through the voters first),
 *   so the pace between 10% and 90% of the counted votes is printed too.
 *   The producer's own rate is its vote records / (first vote to the last
 *   one acknowledged).
 * - Latency: once the election has settled, extra votes by registered
 *   voters who cast none (so each one is counted), for a national
 *   candidate, at a steady `--rate` for `--seconds`, then a burst at
 *   `--burst-rate` for `--burst-seconds`. The k-th vote is due k / rate s
 *   after the start of its phase (its production time). Meanwhile this
 *   process polls PostgreSQL every 10 ms (the counted total of
 *   votes_by_method, and of turnout_by_region, the dashboard's table) and
 *   holds an SSE connection to the dashboard's `/events`, reading the
 *   "votes counted" its totals panel shows. The k-th vote's latency is the
 *   time a total first reached k past its value at the start of the phase,
 *   minus the k-th vote's production time (bench/support/arrivals.ts).
 *   The dashboard coalesces changes (at most one message per 250 ms,
 *   web/README.md), which is part of what a browser sees.
 * - Sustained load: then votes at `--sustain-rate` (auto: 80% of the pace
 *   measured from 10% to 90% of the election's counted votes, the most the
 *   stack was seen to hold) for `--sustain-seconds`. The lag stays bounded
 *   when the latency of the last tenth of those votes is no more than that
 *   of the first tenth plus one commit chain (1 s); a growing latency means
 *   the stack falls behind at that rate.
 * - Baseline: the same vote records, as the JSON strings sent to Kafka,
 *   parsed with JSON.parse and counted per candidate in a Map, in a plain
 *   loop in this process (the median of 5 passes). Each end-to-end figure is
 *   printed beside it as a ratio; a latency beside the baseline's time for
 *   one vote.
 *
 * Everything shares the machine's cores: the stack's six processes, this
 * one, and whatever else runs. Figures from a busy machine are noisy.
 */

import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createLogger } from '../logging/index.ts';
import { createElection, serializeVoteEvent, type Vote } from '../producers/index.ts';
import { connectAdmin, connectSink, ELECTION_TOPICS, type OutgoingRecord } from '../producers/kafka/index.ts';
import { Partitioner } from '../producers/kafka/partitioner.ts';
import { produceElection } from '../producers/produce.ts';
import { differencesFromTruth } from '../test/support/election-check.ts';
import { type Latencies, latencies, type Observation, percentile } from './support/arrivals.ts';
import { watchDashboardTotals } from './support/dashboard-totals.ts';
import { startEmbeddedStack } from './support/embedded-stack.ts';
import { pollPostgresTotals } from './support/postgres-totals.ts';
import { sendSteadily } from './support/steady-votes.ts';

const { values: flags } = parseArgs({
  options: {
    voters: { type: 'string', default: '150000' },
    seed: { type: 'string', default: '2026' },
    rate: { type: 'string', default: '500' },
    seconds: { type: 'string', default: '20' },
    'burst-rate': { type: 'string', default: '10000' },
    'burst-seconds': { type: 'string', default: '3' },
    'sustain-rate': { type: 'string', default: 'auto' },
    'sustain-seconds': { type: 'string', default: '30' },
  },
});
const number = (name: keyof typeof flags, min: number): number => {
  const value = Number(flags[name]);
  if (!Number.isFinite(value) || value < min) throw new Error(`--${name} must be a number of at least ${min}`);
  return value;
};
const VOTERS = Math.round(number('voters', 1000));
const SEED = Math.round(number('seed', 0));
const RATE = number('rate', 1);
const SECONDS = number('seconds', 1);
const BURST_RATE = number('burst-rate', 1);
const BURST_SECONDS = number('burst-seconds', 0);
const SUSTAIN_RATE = flags['sustain-rate'] === 'auto' ? null : number('sustain-rate', 1);
const SUSTAIN_SECONDS = number('sustain-seconds', 0);
/** How much later the sustained phase's last votes may arrive than its first ones, with the lag still bounded. */
const BOUNDED_LAG_GROWTH_MS = 1000;
/**
 * A total that has not moved for this long is stuck: report what was reached
 * and go on. The first counted vote of an election waits for every query to
 * work through the voters and the votes before it: on a busy machine, minutes.
 */
const FIRST_VOTE_STALL_MS = 900_000;
const STALL_MS = 120_000;

const logger = createLogger('bench', { level: 'error' });
const say = (line: string) => process.stderr.write(`${line}\n`);
const fmt = (n: number) => Math.round(n).toLocaleString('en');
const ms = (n: number) => (Number.isFinite(n) ? `${n.toFixed(0)} ms` : 'n/a');

// The election, and everything the baseline and the latency phases need from it, before the stack starts.
const election = createElection({ scenario: 'presidential', seed: SEED, overrides: { voters: VOTERS } });
const truth = election.truth();
const recordValues: string[] = [];
const votedKeys = new Set<string>();
for (const event of election.votes()) {
  recordValues.push(serializeVoteEvent(event).value);
  if (event.key !== null) votedKeys.add(event.key);
}
say(
  `presidential election, seed ${SEED}: ${fmt(election.voterCount)} registered voters, ` +
    `${fmt(truth.totals.vote_records)} vote records, ${fmt(truth.totals.counted_votes)} counted`,
);

// Baseline: parse and count the same records in a plain loop.
function parseAndCount(values: readonly string[]): Map<string, number> {
  const byCandidate = new Map<string, number>();
  for (const value of values) {
    let vote: Partial<Vote> | null;
    try {
      vote = JSON.parse(value) as Partial<Vote> | null;
    } catch {
      continue;
    }
    const candidate = vote?.candidate_id;
    if (typeof candidate === 'string') byCandidate.set(candidate, (byCandidate.get(candidate) ?? 0) + 1);
  }
  return byCandidate;
}
const passes: number[] = [];
for (let i = 0; i < 5; i++) {
  const started = performance.now();
  parseAndCount(recordValues);
  passes.push(performance.now() - started);
}
const baselinePerSecond = (recordValues.length * 1000) / percentile(passes, 0.5);
const baselineMsPerVote = 1000 / baselinePerSecond;

// The latency phases' votes: registered voters who cast none, one vote each (the sustained phase takes what is left).
const steadyCount = Math.round(RATE * SECONDS);
const burstCount = Math.round(BURST_RATE * BURST_SECONDS);
const extraVotes: Vote[] = [];
const lastMinute = election.polling.closes_at - 60_000;
for (const { key, value: voter } of election.voters()) {
  if (votedKeys.has(key)) continue;
  extraVotes.push({
    vote_id: crypto.randomUUID(),
    voter_id: key,
    candidate_id: election.candidates[extraVotes.length % election.candidates.length]?.candidate_id ?? '',
    polling_station_id: voter.polling_station_id,
    method: 'in_person',
    cast_at: lastMinute + (extraVotes.length % 60_000),
  });
}
if (extraVotes.length < steadyCount + burstCount) {
  throw new Error(
    `only ${fmt(extraVotes.length)} registered voters did not vote, fewer than the ${fmt(steadyCount + burstCount)} ` +
      'the latency phases need: raise --voters or lower the rates or durations',
  );
}

say('starting the embedded stack (tally up)...');
const upStarted = performance.now();
const stack = await startEmbeddedStack('pipeline');
const { config } = stack;
say(`stack up in ${((performance.now() - upStarted) / 1000).toFixed(0)} s; data in ${stack.dataDir}`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    say(`${signal}: stopping the stack (tally down)...`);
    void stack.down().finally(() => process.exit(130));
  });
}

interface Phase {
  name: string;
  rate: number;
  count: number;
  postgres: Latencies;
  turnoutTable: Latencies;
  dashboard: Latencies;
  /** p99 of the time the Kafka client held the sender back. */
  heldBackP99: number;
  /** From the last vote's production time to the last vote seen in PostgreSQL. */
  drainMs: number;
  /** Votes / (first vote's production to the last one seen in PostgreSQL): the pipeline's pace under a backlog. */
  throughPerSecond: number;
  /** p50 latency in PostgreSQL of the phase's first and last tenth of votes. */
  firstTenthP50: number;
  lastTenthP50: number;
}
interface Throughput {
  producerPerSecond: number;
  endToEndPerSecond: number | null;
  /** Counted votes a second from 10% to 90% of them in PostgreSQL: the pace once every query runs. */
  middlePerSecond: number | null;
  /** From the first vote produced to the first one counted in PostgreSQL. */
  firstCountedSeconds: number | null;
  countedSeconds: number | null;
  equalSeconds: number | null;
  differences: string[];
}
let throughput: Throughput | undefined;
const phases: Phase[] = [];

/**
 * Waits until `latest()` reaches `target`; false when it stopped moving for
 * STALL_MS first (`firstMoveMs` before its first move).
 */
async function reaches(latest: () => number, target: number, what: string, firstMoveMs = STALL_MS): Promise<boolean> {
  let last = latest();
  let movedAt = performance.now();
  let toldAt = performance.now();
  let moved = false;
  while (latest() < target) {
    await sleep(50);
    const now = performance.now();
    if (latest() !== last) {
      last = latest();
      movedAt = now;
      moved = true;
    }
    const stallMs = moved ? STALL_MS : firstMoveMs;
    if (now - movedAt > stallMs) {
      say(`${what}: stuck at ${fmt(last)} of ${fmt(target)} for ${stallMs / 1000} s; going on`);
      return false;
    }
    if (now - toldAt > 15_000) {
      say(`  ${what}: ${fmt(last)} of ${fmt(target)}`);
      toldAt = now;
    }
  }
  return true;
}

/** The first reading at or after `from` that shows `target`. */
function firstReaching(observations: readonly Observation[], target: number, from = 0): number | undefined {
  return observations.find((o) => o.at >= from && o.total >= target)?.at;
}

async function measureThroughput(): Promise<Throughput> {
  const totals = await pollPostgresTotals(config.postgres.url, 100);
  let votesStarted = 0;
  let votesFlushed = 0;
  try {
    say('producing the election as fast as possible...');
    await produceElection({
      election,
      topics: ELECTION_TOPICS,
      client: 'kafkajs',
      kafka: config.kafka,
      partitions: 6,
      partitionsChosen: false,
      pace: { kind: 'backfill' },
      logger,
      progress: (topic) => {
        if (topic === 'votes') votesStarted = performance.now();
        return {
          advance: () => {},
          finish: () => {
            if (topic === 'votes') votesFlushed = performance.now();
          },
        };
      },
    });
    const producerSeconds = (votesFlushed - votesStarted) / 1000;
    say(`votes produced in ${producerSeconds.toFixed(1)} s; waiting for PostgreSQL...`);
    const counted = truth.totals.counted_votes;
    await reaches(() => totals.latest, counted, 'votes counted in PostgreSQL', FIRST_VOTE_STALL_MS);
    const countedAt = firstReaching(totals.counted, counted);
    const firstAt = firstReaching(totals.counted, 1);
    const tenthAt = firstReaching(totals.counted, 0.1 * counted);
    const ninetiethAt = firstReaching(totals.counted, 0.9 * counted);
    const db = new pg.Pool({ connectionString: config.postgres.url, max: 2 });
    let differences: string[];
    let equalAt: number | undefined;
    try {
      // The other tables follow votes_by_method; wait while they still move.
      let movedAt = performance.now();
      differences = await differencesFromTruth(db, truth);
      while (differences.length > 0 && performance.now() - movedAt < STALL_MS) {
        await sleep(1000);
        const before = differences.join('\n');
        differences = await differencesFromTruth(db, truth);
        if (differences.join('\n') !== before) movedAt = performance.now();
      }
      if (differences.length === 0) equalAt = performance.now();
    } finally {
      await db.end();
    }
    return {
      producerPerSecond: truth.totals.vote_records / producerSeconds,
      endToEndPerSecond:
        countedAt === undefined ? null : (truth.totals.vote_records * 1000) / (countedAt - votesStarted),
      middlePerSecond:
        tenthAt === undefined || ninetiethAt === undefined ? null : (0.8 * counted * 1000) / (ninetiethAt - tenthAt),
      firstCountedSeconds: firstAt === undefined ? null : (firstAt - votesStarted) / 1000,
      countedSeconds: countedAt === undefined ? null : (countedAt - votesStarted) / 1000,
      equalSeconds: equalAt === undefined ? null : (equalAt - votesStarted) / 1000,
      differences,
    };
  } finally {
    await totals.stop();
  }
}

async function measureLatency(name: string, votes: readonly Vote[], rate: number): Promise<Phase> {
  const admin = await connectAdmin('kafkajs', config.kafka, logger);
  const partitions = (await admin.partitionCounts(['votes'])).get('votes') ?? 6;
  await admin.close();
  // Placed as the producers place them: co-partitioned with the voters topic.
  const partitioner = new Partitioner(partitions);
  const records: OutgoingRecord[] = votes.map((vote) => ({
    key: vote.voter_id,
    value: JSON.stringify(vote),
    timestamp: vote.cast_at,
    partition: partitioner.partitionOf(vote.voter_id),
  }));
  const sink = await connectSink('kafkajs', config.kafka, logger);
  const totals = await pollPostgresTotals(config.postgres.url, 10);
  const dashboard = await watchDashboardTotals(config.dashboardUrl);
  const dashboardLatest = () => dashboard.observations.at(-1)?.total ?? 0;
  try {
    // Start from a still state: the dashboard showing what PostgreSQL holds.
    await sleep(500);
    const voted = () => totals.voted.at(-1)?.total ?? 0;
    await reaches(() => Math.min(dashboardLatest(), voted()), voted(), 'the dashboard catching up');
    const base = { counted: totals.latest, voted: voted(), dashboard: dashboardLatest() };
    say(`${name}: ${fmt(votes.length)} votes at ${fmt(rate)} votes/s...`);
    const run = await sendSteadily(sink, 'votes', records, rate);
    await reaches(() => totals.latest, base.counted + votes.length, `${name}, in PostgreSQL`);
    await reaches(voted, base.voted + votes.length, `${name}, in turnout_by_region`);
    await reaches(dashboardLatest, base.dashboard + votes.length, `${name}, on the dashboard`);
    const postgres = latencies(run.dueAt, totals.counted, base.counted);
    const tenth = Math.max(1, Math.floor(postgres.values.length / 10));
    const lastSeen = firstReaching(totals.counted, base.counted + votes.length, run.dueAt[0]);
    return {
      name,
      rate,
      count: votes.length,
      postgres,
      turnoutTable: latencies(run.dueAt, totals.voted, base.voted),
      dashboard: latencies(run.dueAt, dashboard.observations, base.dashboard),
      heldBackP99: percentile(
        run.handedAt.map((at, k) => at - (run.dueAt[k] ?? at)),
        0.99,
      ),
      drainMs: lastSeen === undefined ? Number.NaN : lastSeen - (run.dueAt.at(-1) ?? 0),
      throughPerSecond: lastSeen === undefined ? Number.NaN : (votes.length * 1000) / (lastSeen - (run.dueAt[0] ?? 0)),
      firstTenthP50: percentile(postgres.values.slice(0, tenth), 0.5),
      lastTenthP50: percentile(postgres.values.slice(-tenth), 0.5),
    };
  } finally {
    dashboard.close();
    await totals.stop();
    await sink.close();
  }
}

try {
  throughput = await measureThroughput();
  if (throughput.equalSeconds === null) {
    say(`the tables did not reach the ground truth; latency not measured:\n${throughput.differences.join('\n')}`);
  } else {
    phases.push(await measureLatency('steady', extraVotes.slice(0, steadyCount), RATE));
    const burstEnd = steadyCount + burstCount;
    if (burstCount > 0) phases.push(await measureLatency('burst', extraVotes.slice(steadyCount, burstEnd), BURST_RATE));
    const sustainRate =
      SUSTAIN_RATE ?? Math.max(100, Math.floor((0.8 * (throughput.middlePerSecond ?? 0)) / 100) * 100);
    const sustained = extraVotes.slice(burstEnd, burstEnd + Math.round(sustainRate * SUSTAIN_SECONDS));
    if (sustained.length > 0) {
      if (sustained.length < sustainRate * SUSTAIN_SECONDS)
        say(`only ${fmt(sustained.length)} registered voters left who did not vote: the sustained phase is shorter`);
      phases.push(await measureLatency('sustained', sustained, sustainRate));
    }
  }
} finally {
  say('stopping the stack (tally down)...');
  await stack.down();
}

// The figures.
const rows: [string, string, string, string][] = [['what', 'figure', 'beside the baseline', 'target (2 cores)']];
const rateRow = (what: string, perSecond: number | null, target = '') =>
  rows.push([
    what,
    perSecond === null ? 'n/a' : `${fmt(perSecond)} votes/s`,
    perSecond === null ? '' : `1/${fmt(baselinePerSecond / perSecond)} of the baseline`,
    target,
  ]);
const latencyRow = (what: string, l: Latencies, target = '') => {
  const p50 = percentile(l.values, 0.5);
  const p99 = percentile(l.values, 0.99);
  rows.push([
    what,
    `p50 ${ms(p50)}, p99 ${ms(p99)}${l.missing > 0 ? ` (${fmt(l.missing)} never seen)` : ''}`,
    Number.isFinite(p99) ? `p99 = ${fmt(p99 / baselineMsPerVote)}x a baseline vote` : '',
    target,
  ]);
};
rows.push([
  'baseline: JSON.parse + count per candidate, in process',
  `${fmt(baselinePerSecond)} votes/s`,
  `${(baselineMsPerVote * 1000).toFixed(2)} µs a vote`,
  '',
]);
if (throughput) {
  rateRow(
    'end to end: first vote produced to all counted in PostgreSQL',
    throughput.endToEndPerSecond,
    '50,000 votes/s',
  );
  rateRow('  from 10% to 90% of the counted votes in PostgreSQL', throughput.middlePerSecond);
  rateRow('  the producer alone (kafkajs, generate + send + acks)', throughput.producerPerSecond);
  rows.push([
    '  first counted vote in PostgreSQL',
    throughput.firstCountedSeconds === null
      ? 'n/a'
      : `${throughput.firstCountedSeconds.toFixed(1)} s after the first vote`,
    '',
    '',
  ]);
  rows.push([
    '  every metric table equal to the ground truth',
    throughput.equalSeconds === null
      ? `no: stuck for ${STALL_MS / 1000} s with ${throughput.differences.length} metrics differing`
      : `${throughput.equalSeconds.toFixed(1)} s after the first vote`,
    throughput.countedSeconds === null ? '' : `counted total at ${throughput.countedSeconds.toFixed(1)} s`,
    '',
  ]);
}
for (const phase of phases) {
  const target = phase.rate >= 10_000 ? 'p99 < 1 s at 10,000 votes/s' : '';
  const head = `${phase.name}: ${fmt(phase.count)} votes at ${fmt(phase.rate)} votes/s`;
  latencyRow(`${head}, to PostgreSQL (votes_by_method)`, phase.postgres, target);
  latencyRow(`  to PostgreSQL (turnout_by_region, the dashboard's table)`, phase.turnoutTable);
  latencyRow('  to the dashboard over SSE (totals panel)', phase.dashboard, target);
  rows.push([
    '  PostgreSQL p50, first tenth -> last tenth of the votes',
    `${ms(phase.firstTenthP50)} -> ${ms(phase.lastTenthP50)}`,
    `last vote in PostgreSQL ${ms(phase.drainMs)} after it was due (${fmt(phase.throughPerSecond)} votes/s, first due to last counted)`,
    '',
  ]);
  rows.push(['  producer held back by the Kafka client, p99', ms(phase.heldBackP99), '', '']);
  if (phase.name === 'sustained') {
    const bounded = phase.lastTenthP50 <= phase.firstTenthP50 + BOUNDED_LAG_GROWTH_MS;
    rows.push([
      '  consumer lag at this rate',
      bounded ? 'bounded' : 'growing',
      `latency grew ${ms(phase.lastTenthP50 - phase.firstTenthP50)} over ${(phase.count / phase.rate).toFixed(0)} s`,
      '',
    ]);
  }
}

const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i]?.length ?? 0)));
console.log(
  `end to end, embedded stack on ${config.host}: presidential election, seed ${SEED}, ${fmt(election.voterCount)} voters, ` +
    `${fmt(truth.totals.vote_records)} vote records (${fmt(truth.totals.counted_votes)} counted)`,
);
for (const row of rows)
  console.log(
    row
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd(),
  );
console.log('Figures from a shared machine are noisy: every part of the stack competes for the same cores.');
