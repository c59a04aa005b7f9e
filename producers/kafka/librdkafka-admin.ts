/** TopicAdmin on @confluentinc/kafka-javascript's native AdminClient. */
import RdKafka, { type IAdminClient } from '@confluentinc/kafka-javascript';
import type { KafkaClientConfig } from '../../config/index.ts';
import type { Logger } from '../../logging/index.ts';
import {
  CONNECT_TIMEOUT_MS,
  call,
  cannotConnect,
  connectionProperties,
  ERR_TOPIC_ALREADY_EXISTS,
  ERR_UNKNOWN_TOPIC,
  logTo,
} from './librdkafka-connection.ts';
import type { TopicAdmin, TopicSpec } from './record-sink.ts';

export class LibrdkafkaAdmin implements TopicAdmin {
  private constructor(
    private readonly admin: IAdminClient,
    private readonly config: KafkaClientConfig,
  ) {}

  static async connect(config: KafkaClientConfig, logger: Logger): Promise<LibrdkafkaAdmin> {
    const admin = RdKafka.AdminClient.create(connectionProperties(config), { 'event.log': logTo(logger) });
    const connected = new LibrdkafkaAdmin(admin, config);
    // The admin client connects lazily; a first request tells whether the cluster answers.
    await connected.partitionCounts([]);
    return connected;
  }

  async partitionCounts(topics: readonly string[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    let descriptions: Awaited<ReturnType<typeof this.describe>>;
    try {
      descriptions = await this.describe(topics);
    } catch (error) {
      throw cannotConnect(this.config, error);
    }
    for (const topic of descriptions) {
      if (topic.error?.code === ERR_UNKNOWN_TOPIC) continue;
      if (topic.error) throw new Error(`cannot describe topic ${topic.name}: ${topic.error.message}`);
      counts.set(topic.name, topic.partitions.length);
    }
    return counts;
  }

  async createTopics(specs: readonly TopicSpec[]): Promise<void> {
    for (const spec of specs) {
      try {
        await call((done) =>
          this.admin.createTopic(
            // -1: the broker's default.replication.factor, as kafka-topics does without --replication-factor.
            { topic: spec.name, num_partitions: spec.partitions, replication_factor: -1, config: spec.configs },
            CONNECT_TIMEOUT_MS,
            (error) => done(error, undefined),
          ),
        );
      } catch (error) {
        if ((error as { code?: number }).code !== ERR_TOPIC_ALREADY_EXISTS) throw error;
      }
    }
  }

  async endOffsets(topic: string): Promise<number[]> {
    const [partitions] = (await this.partitionCounts([topic])).values();
    const specs = Array.from({ length: partitions ?? 0 }, (_, partition) => ({
      topic,
      partition,
      offset: RdKafka.OffsetSpec.LATEST,
    }));
    const results = await call<RdKafka.ListOffsetsResult[]>((done) =>
      this.admin.listOffsets(specs, { timeout: CONNECT_TIMEOUT_MS }, done),
    );
    const ends: number[] = [];
    for (const r of results) ends[r.partition] = Number(r.offset);
    return ends;
  }

  async close(): Promise<void> {
    this.admin.disconnect();
  }

  private describe(topics: readonly string[]) {
    // An empty list asks for nothing; listTopics still proves the cluster answers.
    if (topics.length === 0) {
      return call<string[]>((done) => this.admin.listTopics({ timeout: CONNECT_TIMEOUT_MS }, done)).then(() => []);
    }
    return call<RdKafka.TopicDescription[]>((done) =>
      this.admin.describeTopics([...topics], { timeout: CONNECT_TIMEOUT_MS }, done),
    );
  }
}
