// Broker-level topic defaults (log.retention.ms): a topic that sets no
// retention.ms takes the broker's, and DescribeConfigs reports it as a default.
// The stack's broker keeps records forever because they carry polling day's
// times, which retention would otherwise find expired as soon as written.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { testLogger } from '../../test/support/index.ts';
import { batch, T0, tempDir } from '../log/test-helpers.ts';
import { TopicManager } from './topic-manager.ts';

const WEEKS_LATER = T0 + 30 * 86_400_000;

async function manager(topicDefaults?: Record<string, string>) {
  return TopicManager.open({
    dataDir: tempDir(),
    defaultPartitions: 1,
    logger: testLogger('topics'),
    now: () => WEEKS_LATER,
    ...(topicDefaults && { topicDefaults }),
  });
}

async function recordsLeftAfterRetention(topics: TopicManager, name: string, configs: Record<string, string> = {}) {
  await topics.create(name, { partitions: 1, replicationFactor: 1, configs });
  const log = topics.partition(name, 0)?.log;
  assert.ok(log);
  for (let i = 0; i < 5; i++) await log.append(await batch(2, { timestamp: T0 + i }));
  await topics.cleanup();
  return log.logEndOffset - log.logStartOffset;
}

describe('broker-level topic defaults', () => {
  it('keeps old records when the broker sets log.retention.ms=-1, and reports it as the default', async () => {
    const topics = await manager({ 'retention.ms': '-1' });
    try {
      assert.equal(await recordsLeftAfterRetention(topics, 'votes'), 10);
      const retention = topics.describeConfigs('votes').find((c) => c.name === 'retention.ms');
      assert.deepEqual(retention, { name: 'retention.ms', value: '-1', isDefault: true });
      // A topic's own setting still wins over the broker's.
      assert.equal(await recordsLeftAfterRetention(topics, 'short', { 'retention.ms': '86400000' }), 0);
    } finally {
      await topics.close();
    }
  });

  it("uses Kafka's seven days when the broker sets nothing", async () => {
    const topics = await manager();
    try {
      assert.equal(await recordsLeftAfterRetention(topics, 'votes'), 0);
      const retention = topics.describeConfigs('votes').find((c) => c.name === 'retention.ms');
      assert.equal(retention?.value, '604800000');
    } finally {
      await topics.close();
    }
  });
});
