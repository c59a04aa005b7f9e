/**
 * The processing log: records a query could not process (bad bytes, an
 * expression that threw, a value that would not cast), with the query, the
 * position when known, and the reason. Processing goes on after each entry,
 * as ksqlDB's does.
 *
 * Like ksqlDB, each entry is also a record for the topic
 * `<ksql.service.id>ksql_processing_log`, with ksqlDB's JSON shape (`level`,
 * `logger`, `time`, `message` with one struct per error type), over which
 * the stream KSQL_PROCESSING_LOG is defined (`processingLogStreamSql`); a
 * query can count bad records with SQL.
 */
import type { ProcessingLogEntry as TopologyEntry } from '../../topology/index.ts';

export type ProcessingErrorKind = 'deserialization' | 'expression' | 'timestamp' | 'serialization' | 'skipped';

export interface ProcessingLogRecord {
  readonly queryId: string;
  readonly kind: ProcessingErrorKind;
  readonly reason: string;
  readonly topic: string | null;
  readonly partition: number | null;
  readonly offset: number | null;
  /** ksqlDB's logger name: `processing.<query id>` and the step that logged. */
  readonly logger: string;
  /** Wall-clock time of the entry, epoch millis. */
  readonly time: number;
}

/** The stream ksqlDB defines over the processing log topic (ksql.logging.processing.stream.name). */
export const PROCESSING_LOG_STREAM = 'KSQL_PROCESSING_LOG';

/** `<service id>ksql_processing_log`, ksqlDB's default processing log topic. */
export function processingLogTopic(serviceId: string): string {
  return `${serviceId}ksql_processing_log`;
}

/** ksqlDB's MessageType ids (ProcessingLogMessageSchema). */
const MESSAGE_TYPE = {
  deserialization: 0,
  recordProcessing: 1,
  production: 2,
  serialization: 3,
  kafkaStreamsThread: 4,
} as const;

/** The CREATE STREAM ksqlDB runs on start with ksql.logging.processing.stream.auto.create (its fixed schema). */
export function processingLogStreamSql(topic: string): string {
  const cause = 'CAUSE ARRAY<STRING>';
  const message = [
    'TYPE INT',
    `DESERIALIZATIONERROR STRUCT<TARGET STRING, ERRORMESSAGE STRING, RECORDB64 STRING, ${cause}, \`topic\` STRING>`,
    `RECORDPROCESSINGERROR STRUCT<ERRORMESSAGE STRING, RECORD STRING, ${cause}>`,
    'PRODUCTIONERROR STRUCT<ERRORMESSAGE STRING>',
    `SERIALIZATIONERROR STRUCT<TARGET STRING, ERRORMESSAGE STRING, RECORD STRING, ${cause}, \`topic\` STRING>`,
    `KAFKASTREAMSTHREADERROR STRUCT<ERRORMESSAGE STRING, THREADNAME STRING, ${cause}>`,
  ].join(', ');
  return (
    `CREATE STREAM ${PROCESSING_LOG_STREAM} (LOGGER STRING, LEVEL STRING, TIME BIGINT, MESSAGE STRUCT<${message}>) ` +
    `WITH (KAFKA_TOPIC='${topic}', VALUE_FORMAT='JSON');`
  );
}

/** An entry as ksqlDB's log appender writes it to the processing log topic (a JSON value, no key). */
export function processingLogValue(record: ProcessingLogRecord): Record<string, unknown> {
  const cause = [record.reason];
  const message: Record<string, unknown> = {
    type: MESSAGE_TYPE.recordProcessing,
    deserializationError: null,
    recordProcessingError: null,
    productionError: null,
    serializationError: null,
    kafkaStreamsThreadError: null,
  };
  switch (record.kind) {
    case 'deserialization':
      message.type = MESSAGE_TYPE.deserialization;
      message.deserializationError = {
        target: /\bkey\b/.test(record.reason) ? 'key' : 'value',
        errorMessage: `Error deserializing message from topic: ${record.topic ?? ''}`,
        // ksql.logging.processing.rows.include is off by default: the bytes are not logged.
        recordB64: null,
        cause,
        topic: record.topic,
      };
      break;
    case 'serialization':
      message.type = MESSAGE_TYPE.serialization;
      message.serializationError = {
        target: 'value',
        errorMessage: `Error serializing message to topic: ${record.topic ?? ''}`,
        record: null,
        cause,
        topic: record.topic,
      };
      break;
    default:
      message.recordProcessingError = { errorMessage: record.reason, record: null, cause };
  }
  return { level: 'ERROR', logger: record.logger, time: record.time, message };
}

export class ProcessingLogger {
  readonly records: ProcessingLogRecord[] = [];
  private readonly listeners: ((r: ProcessingLogRecord) => void)[] = [];

  constructor(private readonly now: () => number = Date.now) {}

  onRecord(listener: (r: ProcessingLogRecord) => void): void {
    this.listeners.push(listener);
  }

  error(
    queryId: string,
    kind: ProcessingErrorKind,
    reason: string,
    position: Partial<Pick<ProcessingLogRecord, 'topic' | 'partition' | 'offset'>> = {},
  ): void {
    const record: ProcessingLogRecord = {
      queryId,
      kind,
      reason,
      topic: position.topic ?? null,
      partition: position.partition ?? null,
      offset: position.offset ?? null,
      logger: `processing.${queryId}${LOGGER_STEP[kind]}`,
      time: this.now(),
    };
    this.records.push(record);
    for (const l of this.listeners) l(record);
  }

  /** Records a record the runtime skipped (deserialization error, invalid timestamp, null key...). */
  fromTopology(queryId: string, entry: TopologyEntry): void {
    const kind: ProcessingErrorKind =
      entry.kind === 'deserialization-error'
        ? 'deserialization'
        : entry.kind === 'invalid-timestamp'
          ? 'timestamp'
          : 'skipped';
    this.error(queryId, kind, entry.reason, { topic: entry.topic, partition: entry.partition, offset: entry.offset });
  }
}

/** The step of ksqlDB's execution plan that logs each kind, after `processing.<query id>`. */
const LOGGER_STEP: Record<ProcessingErrorKind, string> = {
  deserialization: '.KsqlTopic.Source.deserializer',
  timestamp: '.KsqlTopic.Source',
  expression: '.Project',
  serialization: '.KsqlTopic.Sink.serializer',
  skipped: '',
};
