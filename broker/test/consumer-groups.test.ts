// Consumer groups as kafkajs uses them: three members sharing partitions,
// rebalancing when one leaves, committed offsets that a new member resumes from.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Consumer, EachMessagePayload } from 'kafkajs';
import { startTestBroker } from '../../test/support/broker.ts';
import { until } from '../../test/support/index.ts';
import { kafkajs, kcatRead } from './clients.ts';

describe('consumer groups with kafkajs', async () => {
  const { address } = await startTestBroker({ groupInitialRebalanceDelayMs: 0 });
  const kafka = kafkajs(address);
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: 'votes', numPartitions: 6 }] });
  await admin.disconnect();

  const produce = async (from: number, count: number) => {
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    await producer.send({
      topic: 'votes',
      acks: -1,
      messages: Array.from({ length: count }, (_, i) => ({ key: `voter-${from + i}`, value: String(from + i) })),
    });
    await producer.disconnect();
  };

  it('shares partitions among three members, rebalances when one leaves, and resumes from committed offsets', async () => {
    const seen = new Map<string, Set<number>>();
    const consumers: Consumer[] = [];
    const startMember = async (name: string) => {
      // Short fetch waits: a member learns of a rebalance only after its long poll returns, as with Kafka.
      const consumer = kafka.consumer({
        groupId: 'tally-counters',
        sessionTimeout: 6000,
        heartbeatInterval: 300,
        maxWaitTimeInMs: 500,
      });
      await consumer.connect();
      await consumer.subscribe({ topic: 'votes', fromBeginning: true });
      seen.set(name, new Set());
      await consumer.run({
        eachMessage: async ({ message }: EachMessagePayload) => {
          seen.get(name)!.add(Number(message.value!.toString()));
        },
      });
      consumers.push(consumer);
      return consumer;
    };
    const all = () => new Set([...seen.values()].flatMap((s) => [...s]));

    await produce(0, 300);
    const [a, b, c] = [await startMember('a'), await startMember('b'), await startMember('c')];
    await until(() => all().size === 300, 'all 300 records');

    const described = await (async () => {
      const groupAdmin = kafka.admin();
      await groupAdmin.connect();
      const { groups } = await groupAdmin.describeGroups(['tally-counters']);
      await groupAdmin.disconnect();
      return groups[0]!;
    })();
    assert.equal(described.state, 'Stable');
    assert.equal(described.members.length, 3);

    // b leaves: a and c take its partitions and read what follows.
    await b.disconnect();
    await produce(300, 300);
    await until(() => all().size === 600, 'the 300 records produced after b left');
    const afterLeave = new Set([...seen.get('a')!, ...seen.get('c')!]);
    for (let v = 300; v < 600; v++) assert.ok(afterLeave.has(v), `${v} not read by a or c`);

    await a.disconnect();
    await c.disconnect();

    // A new member of the same group starts from the committed offsets: it sees only new records.
    await produce(600, 50);
    const d = await startMember('d');
    await until(() => seen.get('d')!.size === 50, 'the 50 new records');
    await sleep(300);
    assert.deepEqual(
      [...seen.get('d')!].sort((x, y) => x - y),
      Array.from({ length: 50 }, (_, i) => 600 + i),
    );
    await d.disconnect();
  });

  it('lists, describes and deletes groups, and reports committed offsets', async () => {
    const groupAdmin = kafka.admin();
    await groupAdmin.connect();
    try {
      const { groups } = await groupAdmin.listGroups();
      assert.ok(groups.some((g) => g.groupId === 'tally-counters' && g.protocolType === 'consumer'));
      const offsets = await groupAdmin.fetchOffsets({ groupId: 'tally-counters', topics: ['votes'] });
      const committed = offsets[0]!.partitions.reduce((sum, p) => sum + Number(p.offset), 0);
      assert.equal(committed, 650);
      await groupAdmin.deleteGroups(['tally-counters']);
      assert.ok(!(await groupAdmin.listGroups()).groups.some((g) => g.groupId === 'tally-counters'));
    } finally {
      await groupAdmin.disconnect();
    }
  });

  it('commits consumed offsets inside a transaction (consume-transform-produce), exactly once', async () => {
    await produce(1000, 100);
    const consumer = kafka.consumer({ groupId: 'doubler', readUncommitted: false, maxWaitTimeInMs: 500 });
    const producer = kafka.producer({ transactionalId: 'doubler-1', idempotent: true, maxInFlightRequests: 1 });
    await Promise.all([consumer.connect(), producer.connect()]);
    await consumer.subscribe({ topic: 'votes', fromBeginning: true });
    let processed = 0;
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const transaction = await producer.transaction();
        await transaction.send({
          topic: 'doubled',
          messages: batch.messages.map((m) => ({ key: m.key, value: String(Number(m.value!.toString()) * 2) })),
        });
        await transaction.sendOffsets({
          consumerGroupId: 'doubler',
          topics: [
            {
              topic: batch.topic,
              partitions: [{ partition: batch.partition, offset: String(Number(batch.lastOffset()) + 1) }],
            },
          ],
        });
        await transaction.commit();
        processed += batch.messages.length;
      },
    });
    await until(() => processed === 750, 'all 750 records transformed');
    await consumer.disconnect();
    await producer.disconnect();

    const groupAdmin = kafka.admin();
    await groupAdmin.connect();
    const offsets = await groupAdmin.fetchOffsets({ groupId: 'doubler', topics: ['votes'] });
    assert.equal(
      offsets[0]!.partitions.reduce((sum, p) => sum + Number(p.offset), 0),
      750,
    );
    await groupAdmin.disconnect();
    const doubled = await kcatRead(address, 'doubled', ['-X', 'isolation.level=read_committed']);
    const expected = [...Array.from({ length: 650 }, (_, i) => i), ...Array.from({ length: 100 }, (_, i) => 1000 + i)];
    assert.deepEqual(
      doubled.map((m) => Number(m.payload)).sort((x, y) => x - y),
      expected.map((v) => v * 2).sort((x, y) => x - y),
    );
  });
});
