/**
 * For tests: reads a whole topic back, without a consumer group (librdkafka
 * with assign(), from the beginning of each partition to its end offset).
 */
import RdKafka, { type LibrdKafkaError, type Message } from '@confluentinc/kafka-javascript';
import { call } from './librdkafka-connection.ts';

export interface ReadRecord {
  partition: number;
  offset: number;
  key: string | null;
  value: string;
  timestamp: number;
}

/** Every record of `topic`, partition by partition in offset order. */
export async function readTopic(brokers: string, topic: string, partitions: number): Promise<ReadRecord[]> {
  const consumer = new RdKafka.KafkaConsumer({
    'bootstrap.servers': brokers,
    'group.id': 'tally-test-reader',
    'enable.auto.commit': false,
    'enable.partition.eof': true,
  });
  await call((done) => consumer.connect({ timeout: 10_000 }, (error) => done(error, undefined)));
  try {
    const ends: number[] = [];
    for (let p = 0; p < partitions; p++) {
      const marks = await call<RdKafka.WatermarkOffsets>((done) =>
        consumer.queryWatermarkOffsets(topic, p, 10_000, done),
      );
      ends.push(marks.highOffset);
    }
    const pending = new Set(ends.flatMap((end, p) => (end > 0 ? [p] : [])));
    consumer.assign([...pending].map((partition) => ({ topic, partition, offset: 0 })));
    const records: ReadRecord[] = [];
    const deadline = Date.now() + 60_000;
    while (pending.size > 0) {
      if (Date.now() > deadline) throw new Error(`reading ${topic} timed out; partitions left: ${[...pending]}`);
      const batch = await call<Message[]>((done) =>
        consumer.consume(10_000, (error: LibrdKafkaError, messages: Message[]) => done(error, messages)),
      );
      for (const m of batch) {
        records.push({
          partition: m.partition,
          offset: m.offset,
          key: m.key === null || m.key === undefined ? null : m.key.toString(),
          value: m.value?.toString() ?? '',
          timestamp: m.timestamp ?? -1,
        });
        if (m.offset + 1 >= (ends[m.partition] ?? 0)) pending.delete(m.partition);
      }
    }
    return records.sort((a, b) => a.partition - b.partition || a.offset - b.offset);
  } finally {
    await call((done) => consumer.disconnect((error) => done(error, undefined))).catch(() => {});
  }
}
