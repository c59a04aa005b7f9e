/**
 * A RecordSink on @confluentinc/kafka-javascript's native Producer (not its
 * KafkaJS-compatible wrapper, which awaits a promise per message).
 *
 * produce() only queues a message inside librdkafka, which batches per
 * partition in its own threads. Only failed deliveries are reported (a
 * report per message costs more JavaScript than generating the vote);
 * flush() waits until librdkafka's queue is empty, every message delivered
 * or failed. A full local queue is backpressure: wait, then retry.
 */

import { setTimeout as sleep } from 'node:timers/promises';
import RdKafka, { type LibrdKafkaError } from '@confluentinc/kafka-javascript';
import type { KafkaClientConfig } from '../../config/index.ts';
import type { Logger } from '../../logging/index.ts';
import {
  CONNECT_TIMEOUT_MS,
  call,
  cannotConnect,
  connectionProperties,
  ERR_QUEUE_FULL,
  ERR_TIMED_OUT,
  logTo,
} from './librdkafka-connection.ts';
import type { OutgoingRecord, RecordSink } from './record-sink.ts';

/** Producer properties tuned for throughput; see librdkafka's CONFIGURATION.md. */
export const PRODUCER_TUNING = {
  // Idempotence implies acks=all and at most 5 requests in flight, in order.
  'enable.idempotence': true,
  // murmur2 on the key bytes, like the Java client and Kafka Streams (librdkafka's default is CRC32).
  partitioner: 'murmur2_random',
  'linger.ms': 20,
  'batch.num.messages': 20_000,
  'batch.size': 1_000_000,
  'queue.buffering.max.messages': 500_000,
  'queue.buffering.max.kbytes': 512 * 1024,
  // A broker gone for half a minute fails the run rather than hanging it.
  'message.timeout.ms': 30_000,
  'delivery.report.only.error': true,
} as const;

const FLUSH_STEP_MS = 1_000;

export class LibrdkafkaSink implements RecordSink {
  private failure: Error | null = null;

  private constructor(
    private readonly producer: RdKafka.Producer,
    logger: Logger,
  ) {
    producer.on('delivery-report', (error: LibrdKafkaError | null) => {
      if (error) this.failure ??= new Error(`delivery failed: ${error.message}`, { cause: error });
    });
    // Most client errors are transient (librdkafka reconnects); a fatal one (idempotence lost) ends the run.
    producer.on('event.error', (error: LibrdKafkaError) => {
      logger.warn({ code: error.code, fatal: error.isFatal }, `librdkafka: ${error.message}`);
      if (error.isFatal) this.failure ??= new Error(`fatal producer error: ${error.message}`, { cause: error });
    });
  }

  static async connect(config: KafkaClientConfig, logger: Logger): Promise<LibrdkafkaSink> {
    const producer = new RdKafka.Producer({
      ...connectionProperties(config),
      ...PRODUCER_TUNING,
      dr_cb: true,
    });
    producer.on('event.log', logTo(logger));
    try {
      await call((done) => producer.connect({ timeout: CONNECT_TIMEOUT_MS }, (error) => done(error, undefined)));
    } catch (error) {
      throw cannotConnect(config, error);
    }
    producer.setPollInBackground(true);
    return new LibrdkafkaSink(producer, logger);
  }

  async write(topic: string, records: readonly OutgoingRecord[]): Promise<void> {
    if (this.failure) throw this.failure;
    for (let i = 0; i < records.length; i++) {
      const record = records[i] as OutgoingRecord;
      const value = typeof record.value === 'string' ? Buffer.from(record.value) : record.value;
      for (;;) {
        try {
          this.producer.produce(topic, record.partition ?? null, value, record.key, record.timestamp);
          break;
        } catch (error) {
          if ((error as LibrdKafkaError).code !== ERR_QUEUE_FULL) throw error;
          // librdkafka's threads are sending; let them, and let failure reports in.
          await sleep(1);
          if (this.failure) throw this.failure;
        }
      }
    }
  }

  async flush(): Promise<void> {
    for (;;) {
      try {
        await call((done) => this.producer.flush(FLUSH_STEP_MS, (error) => done(error, undefined)));
        break;
      } catch (error) {
        // A timed-out step only means messages are still in flight (message.timeout.ms bounds them).
        if ((error as LibrdKafkaError).code !== ERR_TIMED_OUT) throw error;
        if (this.failure) break;
      }
    }
    // Failure reports served before the queue emptied reach JavaScript within a turn of the event loop.
    await sleep(1);
    if (this.failure) throw this.failure;
  }

  async close(): Promise<void> {
    try {
      // After a failure, close at once rather than wait for the rest to time out.
      if (!this.failure) await this.flush();
    } finally {
      await call((done) => this.producer.disconnect((error) => done(error, undefined))).catch(() => {});
    }
  }
}
