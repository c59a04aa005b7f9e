// KafkaStreams as separate processes sharing one application: a second
// process joining takes half the tasks, a killed process's tasks move to the
// survivor with their state (restored from the changelogs), and a process
// killed with -9 mid-stream and restarted leaves counts that match the input
// exactly: nothing lost, nothing counted twice.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestBroker } from '../../test/support/broker.ts';
import { temporaryDir, until } from '../../test/support/index.ts';
import { ChildApp } from './child-app.ts';
import {
  expectedCounts,
  lastValues,
  produceVotes,
  readCommitted,
  testKafka,
  type Vote,
  votes,
} from './test-support.ts';

describe('KafkaStreams processes', async () => {
  const { address } = await startTestBroker({ groupInitialRebalanceDelayMs: 0 });
  const kafka = testKafka(address);
  const dir = temporaryDir();
  const children: ChildApp[] = [];
  after(async () => {
    for (const child of children) await child.kill();
  });
  const start = (app: string, id: string, topics: string[] = []) => {
    const child = new ChildApp(address, app, id, path.join(dir, id), topics);
    children.push(child);
    return child;
  };

  const createTopics = async (input: string, output: string) => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        { topic: input, numPartitions: 6 },
        { topic: output, numPartitions: 6 },
      ],
    });
    await admin.disconnect();
  };

  const countsMatch = async (expected: Map<string, number>, topic = 'counts'): Promise<boolean> => {
    const table = lastValues(await readCommitted(kafka, topic));
    const got = new Map([...table].map(([k, v]) => [k, v === null ? 0 : Number(v.readBigInt64BE(0))]));
    return got.size === expected.size && [...expected].every(([k, n]) => got.get(k) === n);
  };

  it('rebalances when a process joins and when one is killed, moving state through the changelogs', async () => {
    await createTopics('votes', 'counts');
    const all: Vote[] = [];
    const produce = async (count: number) => {
      const batch = votes(all.length, count, 11);
      all.push(...batch);
      await produceVotes(kafka, 'votes', batch);
    };
    const a = start('counter', 'a');
    await produce(4000);
    await until(() => a.tasks.length === 12, 'a to run all 12 tasks', 60_000);
    await until(() => countsMatch(expectedCounts(all)), 'counts of the first 4000 votes', 60_000);

    const b = start('counter', 'b');
    await until(() => a.tasks.length === 6 && b.tasks.length === 6, 'a and b to share the tasks', 60_000);
    assert.deepEqual(new Set([...a.tasks, ...b.tasks]).size, 12);
    await produce(4000);
    await until(() => countsMatch(expectedCounts(all)), 'counts of 8000 votes, from two processes', 60_000);

    await a.kill();
    await produce(4000);
    await until(() => b.tasks.length === 12, 'b to take over all tasks', 60_000);
    await until(() => countsMatch(expectedCounts(all)), 'counts of 12000 votes after a was killed', 60_000);
    assert.equal(await b.stop(), 0);
  });

  it('is killed with -9 mid-stream three times, restarts, and counts every vote exactly once', async () => {
    // A separate application on its own topics, so the first test's counts do not mix in.
    await createTopics('ballots', 'tallies');
    const all: Vote[] = [];
    const app = 'crasher';
    let a = start(app, 'crasher-1', ['ballots', 'tallies']);
    await until(() => a.state === 'RUNNING', 'the process to run', 60_000);
    // Votes keep arriving while the process is killed part way through them, three times, and restarted.
    let produced = false;
    const producing = (async () => {
      for (let round = 0; round < 40; round++) {
        const batch = votes(all.length, 500, 13);
        all.push(...batch);
        await produceVotes(kafka, 'ballots', batch);
        await sleep(50);
      }
      produced = true;
    })();
    for (let kill = 0; kill < 3; kill++) {
      await until(() => a.processed >= 3000 || produced, 'the process to be part way through', 60_000);
      await a.kill();
      a = start(app, 'crasher-1', ['ballots', 'tallies']);
    }
    await producing;
    await until(() => a.state === 'RUNNING', 'the restarted process to run', 60_000);
    await until(() => countsMatch(expectedCounts(all), 'tallies'), 'exact counts after the crash', 60_000);
    assert.equal(await a.stop(), 0);
  });
});
