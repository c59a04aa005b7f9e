/** A kafkajs client for Tally's settings, logging through pino instead of the console. */
import { Kafka, type LogEntry, logLevel } from 'kafkajs';
import { UserError } from '../../config/errors.ts';
import type { KafkaClientConfig } from '../../config/index.ts';
import { kafkajsOptions } from '../../config/kafka-clients.ts';
import type { Logger } from '../../logging/index.ts';
import { WHAT_TO_DO } from './reachability.ts';

/** What kafkajs's log lines go to: a pino logger, or a stand-in that passes them to another thread. */
export type KafkajsLogger = Pick<Logger, 'info' | 'warn' | 'error'>;

export function kafkajsClient(config: KafkaClientConfig, logger: KafkajsLogger): Kafka {
  return new Kafka({
    ...kafkajsOptions(config),
    // A broker that does not answer in 5 s is not going to; the defaults wait far longer.
    connectionTimeout: 5_000,
    logLevel: logLevel.WARN,
    logCreator: () => (entry: LogEntry) => {
      const { message, ...details } = entry.log;
      const level = entry.level === logLevel.ERROR ? 'error' : entry.level === logLevel.WARN ? 'warn' : 'info';
      logger[level]({ kafkajs: entry.namespace, ...details }, message);
    },
  });
}

/** Connects a kafkajs client part (producer, admin), turning a failure into a UserError that names the brokers. */
export async function connectOrExplain(part: { connect(): Promise<void> }, config: KafkaClientConfig): Promise<void> {
  try {
    await part.connect();
  } catch (error) {
    throw new UserError(
      `Cannot connect to Kafka at ${config.brokers.join(', ')}: ${(error as Error).message}.\n${WHAT_TO_DO}`,
      { cause: error },
    );
  }
}
