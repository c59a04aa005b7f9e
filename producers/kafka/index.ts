/**
 * The Kafka side of the producers: one RecordSink and TopicAdmin interface,
 * two clients behind it. Connecting probes the brokers first, so that an
 * unreachable cluster is a plain UserError within seconds.
 */
import type { KafkaClientConfig } from '../../config/index.ts';
import type { Logger } from '../../logging/index.ts';
import { KafkajsAdmin } from './kafkajs-admin.ts';
import { KafkajsThreadedSink } from './kafkajs-threaded-sink.ts';
import { LibrdkafkaAdmin } from './librdkafka-admin.ts';
import { LibrdkafkaSink } from './librdkafka-sink.ts';
import { assertBrokersReachable } from './reachability.ts';
import type { KafkaClientName, RecordSink, TopicAdmin } from './record-sink.ts';
import { planTopics, type TopicRequest } from './topics.ts';

export { assertBrokersReachable } from './reachability.ts';
export {
  KAFKA_CLIENTS,
  type KafkaClientName,
  type OutgoingRecord,
  type RecordSink,
  type TopicAdmin,
  type TopicSpec,
} from './record-sink.ts';
export { DEFAULT_PARTITIONS, ELECTION_TOPICS, type ElectionTopic, planTopics, type TopicRequest } from './topics.ts';

export async function connectSink(
  client: KafkaClientName,
  config: KafkaClientConfig,
  logger: Logger,
): Promise<RecordSink> {
  await assertBrokersReachable(config.brokers);
  return client === 'confluent' ? LibrdkafkaSink.connect(config, logger) : KafkajsThreadedSink.connect(config, logger);
}

export async function connectAdmin(
  client: KafkaClientName,
  config: KafkaClientConfig,
  logger: Logger,
): Promise<TopicAdmin> {
  await assertBrokersReachable(config.brokers);
  return client === 'confluent' ? LibrdkafkaAdmin.connect(config, logger) : KafkajsAdmin.connect(config, logger);
}

/** Creates whichever of the requested topics are missing (see planTopics); returns the partition count of each. */
export async function ensureTopics(admin: TopicAdmin, request: TopicRequest): Promise<Map<string, number>> {
  const existing = await admin.partitionCounts(request.topics);
  const missing = planTopics(request, existing);
  await admin.createTopics(missing);
  const counts = new Map(existing);
  for (const spec of missing) counts.set(spec.name, spec.partitions);
  return counts;
}
