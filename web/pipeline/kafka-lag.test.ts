import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { startTestBroker } from '../../test/support/broker.ts';
import { freePort, testLogger } from '../../test/support/index.ts';
import { KafkaLagProbe } from './kafka-lag.ts';
import { PipelineMonitor } from './monitor.ts';

describe('KafkaLagProbe', () => {
  test("reports the sink groups' lag: high watermark minus committed offset, per connect-* group", async () => {
    const { address } = await startTestBroker();
    const kafka = new Kafka({ clientId: 'lag-test', brokers: [address], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    const producer = kafka.producer();
    await producer.connect();
    try {
      await admin.createTopics({ topics: [{ topic: 'votes_by_party', numPartitions: 2 }] });
      await producer.send({
        topic: 'votes_by_party',
        messages: Array.from({ length: 10 }, (_, i) => ({ value: `v${i}`, partition: i % 2 })),
      });
      await admin.setOffsets({
        groupId: 'connect-tally-sink',
        topic: 'votes_by_party',
        partitions: [
          { partition: 0, offset: '2' },
          { partition: 1, offset: '5' },
        ],
      });
      // Not a sink's group: ignored.
      await admin.setOffsets({
        groupId: 'other',
        topic: 'votes_by_party',
        partitions: [{ partition: 0, offset: '0' }],
      });

      const probe = new KafkaLagProbe({ kafka: { clientId: 'lag-test', brokers: [address] }, logger: testLogger() });
      try {
        const report = await probe.probe();
        assert.equal(report.state, 'known', JSON.stringify(report));
        if (report.state !== 'known') return;
        assert.deepEqual(report.groups, [{ group: 'connect-tally-sink', lag: 3, topics: ['votes_by_party'] }]);
        assert.equal(report.total, 3);
      } finally {
        await probe.stop();
      }
    } finally {
      await producer.disconnect();
      await admin.disconnect();
    }
  });

  test('says unknown, with the reason, when Kafka cannot be reached', async () => {
    const port = await freePort();
    const probe = new KafkaLagProbe({
      kafka: { clientId: 'lag-test', brokers: [`127.0.0.1:${port}`] },
      logger: testLogger(),
      timeoutMs: 2000,
    });
    try {
      const started = Date.now();
      const report = await probe.probe();
      assert.equal(report.state, 'unknown');
      assert.ok(report.state === 'unknown' && report.reason.length > 0);
      assert.ok(Date.now() - started < 5000);
    } finally {
      await probe.stop();
    }
  });
});

describe('PipelineMonitor', () => {
  test('votes per second over the window, and freshness from the last change', () => {
    const monitor = new PipelineMonitor(10_000);
    assert.equal(monitor.freshness(1000), undefined);
    assert.equal(monitor.votesPerSecond(1000), 0);
    monitor.noteVotesCounted(100, 0);
    monitor.noteVotesCounted(600, 5000);
    monitor.noteChange(5000);
    assert.equal(monitor.votesPerSecond(5000), 100);
    assert.equal(monitor.freshness(7000), 2000);
    // Nothing counted in the last window: the rate is 0.
    assert.equal(monitor.votesPerSecond(30_000), 0);
  });
});
