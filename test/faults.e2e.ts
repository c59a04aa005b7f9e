/**
 * Exactly once under faults: a seeded presidential election played in real
 * time through the whole embedded stack while the broker, the ksqlDB server,
 * the Connect worker and the dashboard are each killed with SIGKILL, one at
 * a time, at random moments, each only once the one killed before is back.
 * The supervisor must restart every one of them, and at the end:
 *  1. every metric table in PostgreSQL equals the producer's ground truth
 *     (nothing lost, nothing counted twice);
 *  2. the dashboard recovered by itself: its page shows the truth's totals,
 *     and an SSE client connected after its restart receives the final
 *     totals (in the state sent on connection, or in a later change);
 *  3. the unreadable votes (bad JSON, a cast_at that is no integer) are in
 *     ksqlDB's processing log; votes with a missing field are not unreadable
 *     and are counted from votes_received instead (both end in
 *     integrity_counts, which 1 checks);
 *  4. every service is running, each killed one restarted, and `tally down`
 *     leaves no process alive.
 *
 * Run with `make e2e` (about 10 minutes, more on a busy machine). The kill
 * order and moments come from TALLY_FAULT_SEED (random when unset; printed,
 * so a failure can be replayed). On failure the data directory is kept and
 * its path printed: `<dataDir>/logs/<service>.log` has each service's log.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { PROJECT_ROOT } from '../config/index.ts';
import { readTopic } from '../producers/kafka/testing.ts';
import { Random } from '../producers/random.ts';
import type { ElectionTruth } from '../producers/truth.ts';
import { isAlive, readRunState } from '../stack/run-state.ts';
import type { ServiceStatus } from '../stack/service.ts';
import { formatNumber } from '../web/views/format.ts';
import { untilEqualToTruth } from './support/election-check.ts';
import { makeTemporaryDir, removeDir, until } from './support/index.ts';
import { ownStackEnv } from './support/stack-env.ts';

const run = promisify(execFile);
const TALLY = path.join(PROJECT_ROOT, 'bin', 'tally');
/** Polling day (12 hours) in 8 minutes: time for four kills and restarts while votes arrive. */
const ELECTION_SPEED = 90;
/** The services killed, each once. */
const VICTIMS = ['kafka', 'ksqldb', 'connect', 'dashboard'] as const;
/** A kill comes this long after the previous victim is back (uniform, seconds). */
const KILL_DELAY_S = { min: 5, max: 60 };
/** A restart replays logs and command topics on a loaded machine: be patient. */
const RESTART_MS = 10 * 60_000;
/** The pipeline catches up after the election; a loaded CI machine gets more. */
const SETTLE_MS = 25 * 60_000;
/** ksqlDB's processing log topic (`<ksql.service.id>ksql_processing_log`, service id `default_`). */
const PROCESSING_LOG_TOPIC = 'default_ksql_processing_log';

test('an election survives kill -9 of the broker, ksqlDB, Connect and the dashboard, and ends equal to its ground truth', async (t) => {
  const dataDir = makeTemporaryDir('tally-faults-');
  let passed = false;
  const { env, ports } = await ownStackEnv(dataDir, {
    TALLY_ELECTION: 'true',
    TALLY_ELECTION_SCENARIO: 'presidential',
    TALLY_ELECTION_SEED: '2026',
    TALLY_ELECTION_SPEED: String(ELECTION_SPEED),
  });
  const tally = (args: string[], timeout: number) => run(TALLY, args, { env, timeout, maxBuffer: 1 << 24 });
  const dashboard = `http://127.0.0.1:${ports.TALLY_DASHBOARD_PORT}`;
  const runDir = path.join(dataDir, 'run');
  const started = Date.now();
  const elapsed = () => `${Math.round((Date.now() - started) / 1000)} s`;
  let events: SseRecorder | undefined;
  after(async () => {
    events?.close();
    await tally(['down'], 120_000).catch(() => {});
    if (passed) removeDir(dataDir);
    else console.error(`faults.e2e: the data directory is kept for its logs: ${dataDir}`);
  });

  const seed = Number(process.env.TALLY_FAULT_SEED ?? Math.floor(Math.random() * 2 ** 31));
  const random = new Random(seed);
  const order = shuffled(random, VICTIMS);
  const delays = order.map(() => random.between(KILL_DELAY_S.min, KILL_DELAY_S.max));
  t.diagnostic(`data directory ${dataDir}`);
  t.diagnostic(
    `TALLY_FAULT_SEED=${seed}: kills ${order.map((name, i) => `${name} after ${delays[i]} s`).join(', then ')}`,
  );

  const up = await tally(['up'], 900_000);
  assert.match(up.stdout, /election\s+(ready|finished)/, up.stdout);
  t.diagnostic(`stack up, first votes counted (${elapsed()})`);

  for (const [i, name] of order.entries()) {
    await sleep((delays[i] ?? 0) * 1000);
    const before = service(readRunState(runDir)?.services, name);
    assert.equal(before.state, 'ready', `${name} is not running before its kill: ${JSON.stringify(before)}`);
    assert.ok(before.pid, `${name} has no pid`);
    const election = service(readRunState(runDir)?.services, 'election').state;
    process.kill(before.pid, 'SIGKILL');
    t.diagnostic(`killed ${name} (pid ${before.pid}) at ${elapsed()}, the election ${election}`);
    const back = await restarted(runDir, name, before);
    t.diagnostic(`${name} back as pid ${back.pid} at ${elapsed()} (restarts ${back.restarts})`);
    // Connected after the restart, this client must come to see the final totals.
    if (name === 'dashboard') events = await SseRecorder.open(`${dashboard}/events`);
  }

  const truth = JSON.parse(fs.readFileSync(path.join(dataDir, 'election', 'truth.json'), 'utf8')) as ElectionTruth;
  assert.ok(truth.totals.vote_records >= 100_000, `only ${truth.totals.vote_records} vote records`);
  assert.ok(truth.integrity.malformed_records > 0 && truth.integrity.repeat_votes > 0);

  // 1. Nothing lost, nothing counted twice.
  const db = new pg.Pool({ connectionString: `postgres://tally:tally@127.0.0.1:${ports.TALLY_POSTGRES_PORT}/tally` });
  try {
    await untilEqualToTruth(
      db,
      truth,
      SETTLE_MS,
      () => ` after ${elapsed()} (run state: ${JSON.stringify(readRunState(runDir)?.services.map(brief))})`,
    );
    t.diagnostic(`every metric equals the ground truth at ${elapsed()}`);
  } finally {
    await db.end();
  }

  // 2. The dashboard recovered by itself.
  const voted = new RegExp(`data-total="voted">${formatNumber(truth.totals.counted_votes)}<`);
  const page = await (await fetch(`${dashboard}/`)).text();
  assert.match(page, voted);
  assert.match(page, new RegExp(`data-total="registered">${formatNumber(truth.totals.registered_voters)}<`));
  assert.ok(events, 'no SSE client was connected after the dashboard restarted');
  // A change feed that did not recover would leave the client on older totals.
  await events.until((message) => voted.test(message), 60_000);
  assert.ok(events.messages.length >= 1);
  t.diagnostic(`the SSE client connected after the dashboard restart received ${events.messages.length} messages`);

  // 3. The unreadable votes are in the processing log.
  const unreadable = truth.integrity.malformed_by_defect.bad_json + truth.integrity.malformed_by_defect.wrong_type;
  const logged = await unreadableVotesLogged(`127.0.0.1:${ports.TALLY_KAFKA_PORT}`);
  assert.ok(
    logged >= unreadable,
    `${logged} deserialization errors of the votes topic in ${PROCESSING_LOG_TOPIC}, expected at least ${unreadable}`,
  );
  t.diagnostic(`${logged} unreadable votes in the processing log (truth: ${unreadable})`);

  // 4. Everything running, each victim restarted, nothing left after `tally down`.
  // The election's last votes are counted; its process may still be exiting.
  await until(
    () => readRunState(runDir)?.services.find((s) => s.name === 'election')?.state === 'finished',
    'the election to finish',
    60_000,
  );
  const state = readRunState(runDir);
  assert.equal(state?.phase, 'running');
  for (const s of state?.services ?? []) {
    assert.equal(s.state, s.name === 'election' ? 'finished' : 'ready', `${s.name}: ${JSON.stringify(s)}`);
  }
  for (const name of VICTIMS) assert.ok(service(state?.services, name).restarts >= 1, `${name} was not restarted`);
  events?.close();
  const pids = (state?.services ?? []).map((s) => s.pid).filter((p): p is number => p !== undefined);
  await tally(['down'], 120_000);
  assert.ok(!pids.some(isAlive), 'a process of the stack survived `tally down`');
  assert.ok(!isAlive(state?.pid), 'the supervisor survived `tally down`');
  passed = true;
});

function service(services: ServiceStatus[] | undefined, name: string): ServiceStatus {
  const found = services?.find((s) => s.name === name);
  assert.ok(found, `no service ${name} in the run state`);
  return found;
}

function brief(s: ServiceStatus) {
  return { name: s.name, state: s.state, restarts: s.restarts, ...(s.error !== undefined && { error: s.error }) };
}

/** Waits until the supervisor has restarted `name` and it is ready again; fails if it gave up. */
async function restarted(runDir: string, name: string, before: ServiceStatus): Promise<ServiceStatus> {
  const deadline = Date.now() + RESTART_MS;
  for (;;) {
    const now = service(readRunState(runDir)?.services, name);
    assert.notEqual(now.state, 'failed', `${name} was not restarted: ${now.error}\nlog: ${now.log}`);
    if (now.state === 'ready' && now.restarts > before.restarts && now.pid !== before.pid) return now;
    assert.ok(Date.now() < deadline, `${name} not back after ${RESTART_MS / 1000} s: ${JSON.stringify(now)}`);
    await sleep(500);
  }
}

function shuffled<T>(random: Random, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** Deserialization errors of the votes topic logged by the one query that reads it. */
async function unreadableVotesLogged(brokers: string): Promise<number> {
  const admin = new Kafka({ brokers: [brokers], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  let partitions: number;
  try {
    const metadata = await admin.fetchTopicMetadata({ topics: [PROCESSING_LOG_TOPIC] });
    partitions = metadata.topics[0]?.partitions.length ?? 0;
  } finally {
    await admin.disconnect();
  }
  assert.ok(partitions > 0, `${PROCESSING_LOG_TOPIC} has no partitions`);
  const records = await readTopic(brokers, PROCESSING_LOG_TOPIC, partitions);
  return records.filter((r) => {
    const entry = JSON.parse(r.value) as {
      logger?: string;
      message?: { type?: number; deserializationError?: { topic?: string } | null };
    };
    return (
      entry.message?.type === 0 &&
      entry.message.deserializationError?.topic === 'votes' &&
      entry.logger?.startsWith('processing.CSAS_VOTES_RECEIVED_') === true
    );
  }).length;
}

/** An SSE client that records every message's data in the background. */
class SseRecorder {
  readonly messages: string[] = [];
  private ended: Error | undefined;

  private constructor(private readonly controller: AbortController) {}

  static async open(url: string): Promise<SseRecorder> {
    const controller = new AbortController();
    const response = await fetch(url, { headers: { accept: 'text/event-stream' }, signal: controller.signal });
    assert.equal(response.status, 200, `${url} answered ${response.status}`);
    assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
    const recorder = new SseRecorder(controller);
    void recorder.read(response.body?.pipeThrough(new TextDecoderStream()).getReader());
    return recorder;
  }

  /** Resolves once a message satisfies `matches`; fails after timeoutMs or when the stream ended. */
  async until(matches: (data: string) => boolean, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.messages.some(matches)) {
      if (this.ended) throw new Error(`the SSE stream ended: ${this.ended.message}`);
      if (Date.now() > deadline) {
        throw new Error(`no such SSE message in ${timeoutMs} ms (${this.messages.length} messages received)`);
      }
      await sleep(200);
    }
  }

  close(): void {
    this.controller.abort();
  }

  private async read(reader: ReadableStreamDefaultReader<string> | undefined): Promise<void> {
    let buffer = '';
    try {
      if (!reader) throw new Error('no body');
      for (;;) {
        const { done, value } = await reader.read();
        if (done) throw new Error('closed by the server');
        buffer += value;
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const data = buffer
            .slice(0, end)
            .split('\n')
            .filter((line) => line.startsWith('data: '))
            .map((line) => line.slice(6));
          buffer = buffer.slice(end + 2);
          if (data.length > 0) this.messages.push(data.join('\n'));
        }
      }
    } catch (error) {
      this.ended = error instanceof Error ? error : new Error(String(error));
    }
  }
}
