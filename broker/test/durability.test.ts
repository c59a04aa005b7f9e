// kill -9 the broker process in the middle of a stream of acks=all writes:
// after a restart every acknowledged record is there, in order, once.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { PROJECT_ROOT } from '../../config/index.ts';
import { acceptsConnections } from '../../stack/embedded.ts';
import { freePort, temporaryDir } from '../../test/support/index.ts';
import { kafkajs, kcatRead } from './clients.ts';

const TALLY = path.join(PROJECT_ROOT, 'bin', 'tally');

const children = new Set<ChildProcess>();

/** Resolves once the process has exited (at once if it already has). */
function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}
after(() => {
  for (const child of children) child.kill('SIGKILL');
});

async function startBrokerProcess(dataDir: string, port: number): Promise<ChildProcess> {
  const child = spawn(TALLY, ['broker'], {
    env: { ...process.env, TALLY_DATA_DIR: dataDir, TALLY_KAFKA_PORT: String(port), TALLY_LOG_LEVEL: 'warn' },
    stdio: 'ignore',
  });
  children.add(child);
  const deadline = Date.now() + 30_000;
  while (!(await acceptsConnections('127.0.0.1', port))) {
    assert.ok(Date.now() < deadline, 'the broker did not start');
    assert.equal(child.exitCode, null, 'the broker exited');
    await sleep(50);
  }
  return child;
}

describe('broker durability', () => {
  it('keeps every acknowledged record, in order, and committed group offsets across a kill -9', async () => {
    const dataDir = temporaryDir();
    const port = await freePort();
    const address = `127.0.0.1:${port}`;
    let broker = await startBrokerProcess(dataDir, port);
    // One quick retry: an idempotent producer needs some, and the dead broker should end the stream soon.
    const kafka = kafkajs(address, { retry: { retries: 1, initialRetryTime: 50, maxRetryTime: 100 } });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'votes', numPartitions: 2 }] });
    await admin.setOffsets({
      groupId: 'survivors',
      topic: 'votes',
      partitions: [
        { partition: 0, offset: '0' },
        { partition: 1, offset: '0' },
      ],
    });
    await admin.disconnect();

    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const acknowledged: string[][] = [[], []];
    let batch = 0;
    const killAt = Date.now() + 700;
    // Sends until the connection breaks under it.
    for (;;) {
      const messages = Array.from({ length: 20 }, (_, i) => ({ value: `b${batch}-m${i}`, partition: batch % 2 }));
      if (Date.now() > killAt && broker.signalCode === null) broker.kill('SIGKILL');
      try {
        await producer.send({ topic: 'votes', acks: -1, messages });
      } catch {
        break;
      }
      acknowledged[batch % 2]!.push(...messages.map((m) => m.value));
      batch += 1;
    }
    await producer.disconnect().catch(() => {});
    await exited(broker);
    assert.ok(batch > 5, `only ${batch} batches were acknowledged before the kill`);

    broker = await startBrokerProcess(dataDir, port);
    const commitAdmin = kafka.admin();
    await commitAdmin.connect();
    await commitAdmin.setOffsets({
      groupId: 'survivors',
      topic: 'votes',
      partitions: [
        { partition: 0, offset: '5' },
        { partition: 1, offset: '7' },
      ],
    });
    await commitAdmin.disconnect();
    // Offsets acknowledged just before a second crash.
    broker.kill('SIGKILL');
    await exited(broker);

    broker = await startBrokerProcess(dataDir, port);
    try {
      const offsetAdmin = kafka.admin();
      await offsetAdmin.connect();
      const offsets = await offsetAdmin.fetchOffsets({ groupId: 'survivors', topics: ['votes'] });
      await offsetAdmin.disconnect();
      assert.deepEqual(offsets[0]!.partitions.map((p) => [p.partition, p.offset]).sort(), [
        [0, '5'],
        [1, '7'],
      ]);
      for (const partition of [0, 1]) {
        const stored = (await kcatRead(address, 'votes', ['-p', String(partition)])).map((m) => m.payload);
        const acked = acknowledged[partition]!;
        // Everything acknowledged is there, in order; at most the one unacknowledged batch follows it.
        assert.deepEqual(stored.slice(0, acked.length), acked);
        assert.ok(stored.length - acked.length <= 20, `${stored.length - acked.length} unexpected records`);
        assert.equal(new Set(stored).size, stored.length, 'a record was stored twice');
      }
    } finally {
      broker.kill('SIGTERM');
      // Before the temporary folder is removed: a stopping broker still writes to it.
      await exited(broker);
    }
  });
});
