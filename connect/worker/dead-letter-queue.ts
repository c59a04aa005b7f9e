/**
 * The dead letter queue of a sink connector (errors.deadletterqueue.topic.name):
 * the original key, value and headers of a record that failed, plus
 * Connect's `__connect.errors.*` headers saying where it came from and why.
 * Connect adds those headers only with
 * errors.deadletterqueue.context.headers.enable=true; here they are on
 * unless that setting is false, since the reason is what makes a DLQ useful.
 */
import type { IHeaders, KafkaMessage, Producer } from 'kafkajs';
import type { SinkRecord } from '../converters/index.ts';

export interface FailedRecord {
  topic: string;
  partition: number;
  offset: number;
  message: KafkaMessage;
}

export type ErrorStage = 'KEY_CONVERTER' | 'VALUE_CONVERTER' | 'TASK_PUT';

export class DeadLetterQueue {
  /** The raw messages of records in flight, so a record failed by the task can be sent as it was read. */
  private readonly raw = new Map<string, KafkaMessage>();

  constructor(
    private readonly producer: Producer,
    readonly topic: string,
    private readonly connector: string,
    private readonly taskId: number,
    private readonly contextHeaders: boolean,
  ) {}

  remember(topic: string, partition: number, message: KafkaMessage): void {
    this.raw.set(`${topic}/${partition}/${message.offset}`, message);
  }

  forget(): void {
    this.raw.clear();
  }

  async send(failed: FailedRecord, error: Error, stage: ErrorStage): Promise<void> {
    const headers: IHeaders = { ...(failed.message.headers ?? {}) };
    if (this.contextHeaders) {
      Object.assign(headers, {
        '__connect.errors.topic': failed.topic,
        '__connect.errors.partition': String(failed.partition),
        '__connect.errors.offset': String(failed.offset),
        '__connect.errors.connector.name': this.connector,
        '__connect.errors.task.id': String(this.taskId),
        '__connect.errors.stage': stage,
        '__connect.errors.class.name':
          stage === 'TASK_PUT'
            ? 'io.confluent.connect.jdbc.sink.JdbcSinkTask'
            : 'org.apache.kafka.connect.storage.Converter',
        '__connect.errors.exception.class.name':
          stage === 'TASK_PUT'
            ? 'org.apache.kafka.connect.errors.ConnectException'
            : 'org.apache.kafka.connect.errors.DataException',
        '__connect.errors.exception.message': error.message,
        '__connect.errors.exception.stacktrace': error.stack ?? error.message,
      });
    }
    await this.producer.send({
      topic: this.topic,
      acks: -1,
      messages: [{ key: failed.message.key, value: failed.message.value, headers }],
    });
  }

  /** For the task's errant record reporter: sends the record as it was read from Kafka. */
  async report(record: SinkRecord, error: Error): Promise<void> {
    const message = this.raw.get(`${record.topic}/${record.partition}/${record.offset}`) ?? {
      key: null,
      value: null,
      offset: String(record.offset),
      timestamp: String(record.timestamp),
      attributes: 0,
      headers: {},
    };
    await this.send(
      { topic: record.topic, partition: record.partition, offset: record.offset, message: message as KafkaMessage },
      error,
      'TASK_PUT',
    );
  }
}
