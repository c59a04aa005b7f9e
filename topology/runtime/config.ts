/**
 * Settings of a KafkaStreams instance, named after Kafka Streams' StreamsConfig
 * where one exists, with its defaults unless a reason is given.
 */
import type { ProcessingLog } from '../processor/processor.ts';
import type { TimestampExtractor } from '../processor/timestamp.ts';

export type ProcessingGuarantee = 'exactly_once_v2' | 'at_least_once';

export interface StreamsConfig {
  /** The consumer group id and the prefix of internal topics (`application.id`). */
  readonly applicationId: string;
  /** `host:port` list (`bootstrap.servers`). */
  readonly bootstrapServers: readonly string[];
  /** Default exactly_once_v2: one transaction per commit holds output, changelog writes and offsets. */
  readonly processingGuarantee?: ProcessingGuarantee;
  /**
   * There is no `commit.interval.ms`: the runtime commits at the end of every
   * fetched batch, because kafkajs has no revocation callback and a
   * transaction must never stay open across a rejoin. `minBytes` and
   * `maxWaitTimeMs` make batches larger (and commits rarer) instead.
   */
  readonly minBytes?: number;
  /**
   * Where a source topic's partition starts when the group has no committed
   * offset (`auto.offset.reset`). Internal topics always start at the
   * earliest, as in Kafka Streams. Default earliest, Kafka Streams' default.
   */
  readonly autoOffsetReset?: 'earliest' | 'latest';
  /** Record cache per task (`statestore.cache.max.bytes`); 0 turns caching off, as ksqlDB tests do. Default 10 MiB. */
  readonly cacheMaxBytes?: number;
  /** Folder for persistent stores; a temporary folder when absent and a store needs one. */
  readonly stateDir?: string;
  /**
   * Stable id of this process: the transactional id is `<applicationId>-<processId>`,
   * so a restarted process fences its predecessor and aborts its open transaction.
   * Default: kept in `<stateDir>/<applicationId>/process-id`, else random.
   */
  readonly processId?: string;
  readonly clientId?: string;
  readonly sessionTimeoutMs?: number;
  readonly heartbeatIntervalMs?: number;
  /** Fetch long-poll; short, because a kafkajs member learns of a rebalance only when it returns. */
  readonly maxWaitTimeMs?: number;
  readonly maxBytesPerPartition?: number;
  /** `transaction.timeout.ms`: Kafka Streams lowers it to 10 s under exactly-once, and so do we. */
  readonly transactionTimeoutMs?: number;
  /**
   * `repartition.purge.interval.ms`: how often records below the committed
   * offsets of repartition topics are deleted (DeleteRecords), as Kafka
   * Streams does; those topics keep records otherwise. Default 30 s.
   */
  readonly repartitionPurgeIntervalMs?: number;
  /** Partitions of internal topics follow their sources; the replication factor is ours to choose. */
  readonly replicationFactor?: number;
  readonly defaultTimestampExtractor?: TimestampExtractor;
  /** Records that fail to deserialize or have no usable timestamp, and other skips. */
  readonly processingLog?: ProcessingLog;
  /** Settings processors may read (ProcessorContext.config). */
  readonly config?: Readonly<Record<string, unknown>>;
  /** What recovers by itself but should be seen: a task dropped after a failed commit, the consumer restarting. */
  readonly onWarning?: (message: string, error: Error) => void;
}

export interface ResolvedConfig
  extends Required<
    Omit<StreamsConfig, 'stateDir' | 'processId' | 'defaultTimestampExtractor' | 'processingLog' | 'onWarning'>
  > {
  readonly stateDir: string | undefined;
  readonly processId: string | undefined;
  readonly defaultTimestampExtractor: TimestampExtractor | undefined;
  readonly processingLog: ProcessingLog | undefined;
  readonly onWarning: ((message: string, error: Error) => void) | undefined;
}

export function resolveConfig(config: StreamsConfig): ResolvedConfig {
  if (!/^[A-Za-z0-9._-]+$/.test(config.applicationId)) {
    throw new Error(
      `applicationId "${config.applicationId}" must be letters, digits, '.', '_' or '-': it names the group and internal topics`,
    );
  }
  if (config.bootstrapServers.length === 0) throw new Error('bootstrapServers is empty: give at least one host:port');
  return {
    applicationId: config.applicationId,
    bootstrapServers: config.bootstrapServers,
    processingGuarantee: config.processingGuarantee ?? 'exactly_once_v2',
    minBytes: config.minBytes ?? 1,
    autoOffsetReset: config.autoOffsetReset ?? 'earliest',
    cacheMaxBytes: config.cacheMaxBytes ?? 10 * 1024 * 1024,
    stateDir: config.stateDir,
    processId: config.processId,
    clientId: config.clientId ?? config.applicationId,
    sessionTimeoutMs: config.sessionTimeoutMs ?? 10_000,
    heartbeatIntervalMs: config.heartbeatIntervalMs ?? 1000,
    maxWaitTimeMs: config.maxWaitTimeMs ?? 200,
    maxBytesPerPartition: config.maxBytesPerPartition ?? 1024 * 1024,
    transactionTimeoutMs: config.transactionTimeoutMs ?? 10_000,
    repartitionPurgeIntervalMs: config.repartitionPurgeIntervalMs ?? 30_000,
    replicationFactor: config.replicationFactor ?? 1,
    defaultTimestampExtractor: config.defaultTimestampExtractor,
    processingLog: config.processingLog,
    onWarning: config.onWarning,
    config: config.config ?? {},
  };
}
