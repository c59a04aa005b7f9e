/** The Kafka clients of the registry and the worker, built from Tally's one Kafka configuration. */
import RdKafka from '@confluentinc/kafka-javascript';
import { Kafka, type LogEntry, logLevel } from 'kafkajs';
import type { KafkaClientConfig } from '../../config/index.ts';
import { kafkajsOptions, librdkafkaOptions } from '../../config/kafka-clients.ts';
import type { Logger } from '../../logging/index.ts';

export function kafkajsClient(config: KafkaClientConfig, logger: Logger): Kafka {
  return new Kafka({
    ...kafkajsOptions(config),
    connectionTimeout: 5_000,
    logLevel: logLevel.WARN,
    logCreator: () => (entry: LogEntry) => {
      const { message, ...details } = entry.log;
      const level = entry.level === logLevel.ERROR ? 'error' : entry.level === logLevel.WARN ? 'warn' : 'info';
      logger[level]({ kafkajs: entry.namespace, ...details }, message);
    },
  });
}

/**
 * A librdkafka consumer that is only ever assigned partitions, never
 * subscribed: it joins no group, so reading an internal topic to its end
 * costs no rebalance (Kafka Connect's KafkaBasedLog and the schema registry
 * read theirs the same way).
 */
export function assignedConsumer(config: KafkaClientConfig, logger: Logger): RdKafka.KafkaConsumer {
  const consumer = new RdKafka.KafkaConsumer(
    {
      ...librdkafkaOptions(config),
      'group.id': `tally-internal-reader-${process.pid}`,
      'enable.auto.commit': false,
      'socket.connection.setup.timeout.ms': 5_000,
      'fetch.wait.max.ms': 100,
      event_cb: true,
    },
    { 'auto.offset.reset': 'earliest' },
  );
  consumer.on('event.log', ({ severity, fac, message }: { severity: number; fac: string; message: string }) => {
    const level = severity <= 3 ? 'error' : severity === 4 ? 'warn' : 'debug';
    logger[level]({ librdkafka: fac }, message);
  });
  return consumer;
}

// biome-ignore lint/suspicious/noExplicitAny: librdkafka's callbacks type their error loosely.
export function call<T = void>(run: (done: (error: any, result: T) => void) => void) {
  return new Promise<T>((resolve, reject) => run((error, result) => (error ? reject(error) : resolve(result))));
}
