/**
 * `tally produce` as a user runs it: a child process (spawned asynchronously,
 * since the broker runs in this process) against the embedded broker.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { PROJECT_ROOT } from '../config/index.ts';
import { startTestBroker } from '../test/support/broker.ts';
import { freePort, temporaryDir } from '../test/support/index.ts';
import { createElection } from './index.ts';
import { readTopic } from './kafka/testing.ts';

const TALLY = path.join(PROJECT_ROOT, 'bin', 'tally');

interface Run {
  code: number | null;
  stderr: string;
  ms: number;
}

/** Runs `tally produce ...`; `onStderr` sees the output as it comes. */
function tally(args: string[], onStderr?: (text: string, child: ReturnType<typeof spawn>) => void): Promise<Run> {
  const dataDir = temporaryDir('tally-produce-cli-');
  const started = performance.now();
  const child = spawn(TALLY, ['produce', ...args], {
    env: { ...process.env, TALLY_DATA_DIR: dataDir, KAFKA_BROKERS: '' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
    onStderr?.(stderr, child);
  });
  return new Promise((resolve) =>
    child.on('exit', (code) => resolve({ code, stderr, ms: performance.now() - started })),
  );
}

test('an unreachable broker is a plain message naming the address and what to do, without retrying for minutes', async () => {
  const port = await freePort();
  const run = await tally(['election', '--brokers', `127.0.0.1:${port}`]);
  assert.equal(run.code, 1);
  assert.match(run.stderr, new RegExp(`Cannot reach Kafka at 127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)`));
  assert.match(run.stderr, /make up/);
  assert.match(run.stderr, /KAFKA_BROKERS \(or --brokers\)/);
  assert.doesNotMatch(run.stderr, /^\s+at /m, 'no stack trace');
  assert.ok(run.ms < 30_000, `took ${run.ms} ms: it retried instead of failing`);
});

test('the confluent client fails the same way', async () => {
  const port = await freePort();
  const run = await tally(['votes', '--client', 'confluent', '--brokers', `127.0.0.1:${port}`]);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /Cannot reach Kafka at 127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
  assert.ok(run.ms < 30_000, `took ${run.ms} ms: it retried instead of failing`);
});

test('bad flags are named', async () => {
  const cases: [string[], RegExp][] = [
    [['votes', '--rate', '-5'], /--rate must be a number above 0/],
    [['votes', '--speed', 'fast'], /--speed must be a number above 0/],
    [['voters', '--speed', '60'], /--speed replays polling day by cast_at: it applies to votes/],
    [['votes', '--rate', '10', '--speed', '60'], /Arguments rate and speed are mutually exclusive/],
    [['votes', '--partitions', '0'], /--partitions must be a whole number from 1 to 10,000/],
    [['votes', '--voters', '2.5'], /--voters must be a whole number from 1 to 20,000,000/],
    [['votes', '--client', 'java'], /Argument: client, Given: "java", Choices: "kafkajs", "confluent"/],
    [['votes', '--scenario', 'huge'], /Argument: scenario, Given: "huge"/],
    [['ballots'], /Argument: what, Given: "ballots"/],
    [['votes', '--brokers', 'nowhere'], /--brokers="nowhere" must be a comma-separated list of host:port/],
  ];
  for (const [args, message] of cases) {
    const run = await tally(args);
    assert.notEqual(run.code, 0, args.join(' '));
    assert.match(run.stderr, message, args.join(' '));
    assert.doesNotMatch(run.stderr, /^\s+at /m, `no stack trace for ${args.join(' ')}`);
  }
});

test('produces an election with --client confluent and writes the ground truth', async () => {
  const { address } = await startTestBroker();
  const truthFile = path.join(temporaryDir(), 'out', 'truth.json');
  const args = ['--seed', '11', '--voters', '800', '--partitions', '2', '--brokers', address];
  const run = await tally(['election', ...args, '--client', 'confluent', '--truth', truthFile]);
  assert.equal(run.code, 0, run.stderr);
  const election = createElection({ scenario: 'small', seed: 11, overrides: { voters: 800 } });
  const truth = election.truth();
  assert.deepEqual(JSON.parse(fs.readFileSync(truthFile, 'utf8')), JSON.parse(JSON.stringify(truth)));
  assert.match(run.stderr, new RegExp(`votes: ${truth.totals.vote_records} records in`));
  assert.match(
    run.stderr,
    /Done; partitions: regions 2, constituencies 2, polling_stations 2, parties 2, candidates 2, voters 2, votes 2\./,
  );
  assert.equal((await readTopic(address, 'regions', 2)).length, election.regions.length);
  assert.equal((await readTopic(address, 'polling_stations', 2)).length, election.pollingStations.length);
  assert.equal((await readTopic(address, 'candidates', 2)).length, election.candidates.length);
  assert.equal((await readTopic(address, 'voters', 2)).length, 800);
  assert.equal((await readTopic(address, 'votes', 2)).length, truth.totals.vote_records);
});

for (const client of ['kafkajs', 'confluent']) {
  test(`Ctrl-C stops a real-time run, flushes what was sent and says so (${client})`, async () => {
    const { address } = await startTestBroker();
    let interrupted = false;
    const args = ['votes', '--rate', '200', '--client', client, '--brokers', address, '--partitions', '1'];
    const run = await tally(args, (text, child) => {
      // Interrupt once votes are flowing.
      if (!interrupted && /Producing votes/.test(text)) {
        interrupted = true;
        setTimeout(() => child.kill('SIGINT'), 1_500);
      }
    });
    assert.equal(run.code, 130, run.stderr);
    assert.match(run.stderr, /SIGINT: stopping; flushing what was sent/);
    const stopped = /votes: stopped after (\d+) of ([\d,]+) records/.exec(run.stderr);
    assert.ok(stopped, run.stderr);
    const sent = Number(stopped[1]);
    assert.ok(sent > 50, `${sent} sent`);
    assert.equal((await readTopic(address, 'votes', 1)).length, sent, 'every record reported sent is in Kafka');
  });
}

test('a broker lost in the middle of a run ends it with a plain message', async () => {
  const broker = await startTestBroker();
  let stopping = false;
  const args = ['votes', '--rate', '300', '--brokers', broker.address];
  const run = await tally(args, (text) => {
    if (!stopping && /Producing votes/.test(text)) {
      stopping = true;
      setTimeout(() => void broker.stop(), 1_000);
    }
  });
  assert.equal(run.code, 1, run.stderr);
  assert.match(run.stderr, new RegExp(`Producing votes to Kafka at ${broker.address} failed: .+`));
  assert.match(run.stderr, /Check that the broker is still running/);
  assert.doesNotMatch(run.stderr, /^\s+at /m, 'no stack trace');
});
