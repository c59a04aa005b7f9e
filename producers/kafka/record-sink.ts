/**
 * What the producers need from a Kafka client, whichever it is: a sink that
 * takes records in order and reports delivery, and an admin that creates the
 * election's topics. kafkajs and @confluentinc/kafka-javascript each
 * implement both (kafkajs-*.ts, librdkafka-*.ts).
 */

/** A record as it goes on the wire: key and value bytes (strings are sent as UTF-8) and its timestamp. */
export interface OutgoingRecord {
  key: string | null;
  value: string | Buffer;
  /** Epoch millis: the record's CreateTime (event time). */
  timestamp: number;
  /** The partition to write to; by default the client's partitioner picks one. */
  partition?: number;
}

export interface RecordSink {
  /**
   * Queues `records` for `topic` after everything written before, keeping
   * their order per partition. Resolves when the sink can take more (not
   * when Kafka acknowledged them), so that generation overlaps the network;
   * rejects with an earlier delivery failure, if any.
   */
  write(topic: string, records: readonly OutgoingRecord[]): Promise<void>;
  /** Resolves once every record written so far is acknowledged by the broker; rejects with the first failure. */
  flush(): Promise<void>;
  /** Flushes, then disconnects. */
  close(): Promise<void>;
}

export interface TopicSpec {
  name: string;
  partitions: number;
  /** Topic configs, as in `kafka-topics --config`. */
  configs: Record<string, string>;
}

export interface TopicAdmin {
  /** Partition counts of those of `topics` that exist. */
  partitionCounts(topics: readonly string[]): Promise<Map<string, number>>;
  /** Creates the topics; one that appeared meanwhile is not an error. */
  createTopics(specs: readonly TopicSpec[]): Promise<void>;
  /** Each partition's end offset (the next offset to be written), by partition number. */
  endOffsets(topic: string): Promise<number[]>;
  close(): Promise<void>;
}

export const KAFKA_CLIENTS = ['kafkajs', 'confluent'] as const;
/** kafkajs (pure JavaScript), or confluent: @confluentinc/kafka-javascript over librdkafka. */
export type KafkaClientName = (typeof KAFKA_CLIENTS)[number];
