/** TopicAdmin on the kafkajs admin client. */
import type { Admin } from 'kafkajs';
import type { KafkaClientConfig } from '../../config/index.ts';
import type { Logger } from '../../logging/index.ts';
import { connectOrExplain, kafkajsClient } from './kafkajs-connection.ts';
import type { TopicAdmin, TopicSpec } from './record-sink.ts';

export class KafkajsAdmin implements TopicAdmin {
  private constructor(private readonly admin: Admin) {}

  static async connect(config: KafkaClientConfig, logger: Logger): Promise<KafkajsAdmin> {
    const admin = kafkajsClient(config, logger).admin({ retry: { retries: 3 } });
    await connectOrExplain(admin, config);
    return new KafkajsAdmin(admin);
  }

  async partitionCounts(topics: readonly string[]): Promise<Map<string, number>> {
    const existing = new Set(await this.admin.listTopics());
    const wanted = topics.filter((t) => existing.has(t));
    const counts = new Map<string, number>();
    if (wanted.length === 0) return counts;
    const metadata = await this.admin.fetchTopicMetadata({ topics: wanted });
    for (const topic of metadata.topics) counts.set(topic.name, topic.partitions.length);
    return counts;
  }

  async createTopics(specs: readonly TopicSpec[]): Promise<void> {
    if (specs.length === 0) return;
    // createTopics resolves false (no error) for topics that already exist.
    await this.admin.createTopics({
      waitForLeaders: true,
      topics: specs.map((spec) => ({
        topic: spec.name,
        numPartitions: spec.partitions,
        configEntries: Object.entries(spec.configs).map(([name, value]) => ({ name, value })),
      })),
    });
  }

  async endOffsets(topic: string): Promise<number[]> {
    const offsets = await this.admin.fetchTopicOffsets(topic);
    const ends: number[] = [];
    for (const o of offsets) ends[o.partition] = Number(o.high);
    return ends;
  }

  async close(): Promise<void> {
    await this.admin.disconnect();
  }
}
