/** Shared pieces of the @confluentinc/kafka-javascript (librdkafka) sink and admin. */
import type { LibrdKafkaError } from '@confluentinc/kafka-javascript';
import { type KafkaClientConfig, UserError } from '../../config/index.ts';
import { librdkafkaOptions } from '../../config/kafka-clients.ts';
import type { Logger } from '../../logging/index.ts';
import { WHAT_TO_DO } from './reachability.ts';

/** librdkafka's ERR__QUEUE_FULL: the local queue is at queue.buffering.max.messages/kbytes. */
export const ERR_QUEUE_FULL = -184;
/** librdkafka's ERR__TIMED_OUT. */
export const ERR_TIMED_OUT = -185;
/** Kafka's TOPIC_ALREADY_EXISTS. */
export const ERR_TOPIC_ALREADY_EXISTS = 36;
/** Kafka's UNKNOWN_TOPIC_OR_PARTITION. */
export const ERR_UNKNOWN_TOPIC = 3;

/** How long a client waits for the cluster on connect before it gives up. */
export const CONNECT_TIMEOUT_MS = 10_000;

/** Connection properties common to the producer and the admin client. */
export function connectionProperties(config: KafkaClientConfig): Record<string, string | boolean | number> {
  return {
    ...librdkafkaOptions(config),
    'socket.connection.setup.timeout.ms': 5_000,
  };
}

/** Calls a node-style librdkafka function as a promise. */
export function call<T = void>(run: (done: (error: LibrdKafkaError | null | undefined, result: T) => void) => void) {
  return new Promise<T>((resolve, reject) => run((error, result) => (error ? reject(error) : resolve(result))));
}

/** librdkafka's syslog-style severities: 0-3 errors, 4 warnings, 5-6 notices and info, 7 debug. */
export interface LibrdkafkaLog {
  severity: number;
  fac: string;
  message: string;
}

/** Sends librdkafka's log lines to our logger; without a listener the binding prints them on stderr. */
export function logTo(logger: Logger): (log: LibrdkafkaLog) => void {
  return ({ severity, fac, message }) => {
    const level = severity <= 3 ? 'error' : severity === 4 ? 'warn' : severity <= 6 ? 'info' : 'debug';
    logger[level]({ librdkafka: fac }, message);
  };
}

export function cannotConnect(config: KafkaClientConfig, error: unknown): UserError {
  return new UserError(
    `Cannot connect to Kafka at ${config.brokers.join(', ')}: ${(error as Error).message}.\n${WHAT_TO_DO}`,
    { cause: error },
  );
}
