/**
 * Per-partition log settings, named after Kafka's topic configs. The broker
 * maps CreateTopics / DescribeConfigs entries with `logConfigFromTopicConfigs`.
 */

export type CleanupPolicy = 'delete' | 'compact' | 'compact,delete';
export type MessageTimestampType = 'CreateTime' | 'LogAppendTime';

export interface LogConfig {
  /** segment.bytes: roll the active segment when an append would make it larger. */
  segmentBytes: number;
  /** segment.ms: roll the active segment once it is this old (ms since its first append). */
  segmentMs: number;
  /** segment.index.bytes: roll when the offset or time index would outgrow this. */
  segmentIndexBytes: number;
  /** index.interval.bytes: log bytes between two sparse index entries. */
  indexIntervalBytes: number;
  /** retention.ms: delete closed segments whose newest record is older; -1 = forever. */
  retentionMs: number;
  /** retention.bytes: delete the oldest segments while the log is larger; -1 = no limit. */
  retentionBytes: number;
  cleanupPolicy: CleanupPolicy;
  /** delete.retention.ms: how long compaction keeps a tombstone after its timestamp. */
  deleteRetentionMs: number;
  /** min.cleanable.dirty.ratio: cleanup() compacts once this share of closed bytes is uncompacted. */
  minCleanableDirtyRatio: number;
  /** flush.messages: fsync after this many records; Infinity = leave it to the OS. */
  flushMessages: number;
  /** flush.ms: fsync data at most this long after it was appended; Infinity = leave it to the OS. */
  flushMs: number;
  /** message.timestamp.type */
  messageTimestampType: MessageTimestampType;
  /** max.message.bytes: largest batch accepted, header included. */
  maxMessageBytes: number;
  /** Not a Kafka setting: most distinct keys one compaction pass maps (bounds its memory). */
  cleanerMaxKeys: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export const DEFAULT_LOG_CONFIG: Readonly<LogConfig> = Object.freeze({
  segmentBytes: 1024 * 1024 * 1024,
  segmentMs: 7 * DAY_MS,
  segmentIndexBytes: 10 * 1024 * 1024,
  indexIntervalBytes: 4096,
  retentionMs: 7 * DAY_MS,
  retentionBytes: -1,
  cleanupPolicy: 'delete',
  deleteRetentionMs: DAY_MS,
  minCleanableDirtyRatio: 0.5,
  flushMessages: Number.POSITIVE_INFINITY,
  flushMs: Number.POSITIVE_INFINITY,
  messageTimestampType: 'CreateTime',
  maxMessageBytes: 1024 * 1024 + 12,
  cleanerMaxKeys: 1_000_000,
});

export class LogConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LogConfigError';
  }
}

type NumericSetting = Exclude<keyof LogConfig, 'cleanupPolicy' | 'messageTimestampType'>;

/** Kafka topic config name -> LogConfig field, for the numeric ones. */
const NUMERIC_TOPIC_CONFIGS: Record<string, NumericSetting> = {
  'segment.bytes': 'segmentBytes',
  'segment.ms': 'segmentMs',
  'segment.index.bytes': 'segmentIndexBytes',
  'index.interval.bytes': 'indexIntervalBytes',
  'retention.ms': 'retentionMs',
  'retention.bytes': 'retentionBytes',
  'delete.retention.ms': 'deleteRetentionMs',
  'min.cleanable.dirty.ratio': 'minCleanableDirtyRatio',
  'flush.messages': 'flushMessages',
  'flush.ms': 'flushMs',
  'max.message.bytes': 'maxMessageBytes',
};

/** Kafka's "never" for flush settings is Long.MAX_VALUE. */
const LONG_MAX_AS_NUMBER = 9.2e18;

function parseNumber(name: string, raw: string): number {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value)) {
    throw new LogConfigError(`Topic config ${name}=${raw} is not a number`);
  }
  return value >= LONG_MAX_AS_NUMBER ? Number.POSITIVE_INFINITY : value;
}

/**
 * Builds a LogConfig from Kafka topic configs ("segment.bytes": "1048576",
 * ...). Unknown names are ignored (the broker stores them for
 * DescribeConfigs); bad values throw LogConfigError naming the config.
 */
export function logConfigFromTopicConfigs(
  configs: Readonly<Record<string, string | null | undefined>>,
  base: Readonly<LogConfig> = DEFAULT_LOG_CONFIG,
): LogConfig {
  const config: LogConfig = { ...base };
  for (const [name, raw] of Object.entries(configs)) {
    if (raw === null || raw === undefined) continue;
    const field = NUMERIC_TOPIC_CONFIGS[name];
    if (field) {
      config[field] = parseNumber(name, raw);
    } else if (name === 'cleanup.policy') {
      const parts = raw
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean)
        .sort();
      const joined = parts.join(',');
      if (joined !== 'delete' && joined !== 'compact' && joined !== 'compact,delete') {
        throw new LogConfigError(`Topic config cleanup.policy=${raw}: use delete, compact or compact,delete`);
      }
      config.cleanupPolicy = joined;
    } else if (name === 'message.timestamp.type') {
      if (raw !== 'CreateTime' && raw !== 'LogAppendTime') {
        throw new LogConfigError(`Topic config message.timestamp.type=${raw}: use CreateTime or LogAppendTime`);
      }
      config.messageTimestampType = raw;
    }
  }
  return validateLogConfig(config);
}

/** Fills defaults and checks ranges; throws LogConfigError naming the setting. */
export function validateLogConfig(partial: Partial<LogConfig>): LogConfig {
  const config: LogConfig = { ...DEFAULT_LOG_CONFIG, ...partial };
  const problems: string[] = [];
  if (!(config.segmentBytes >= 14)) problems.push(`segment.bytes=${config.segmentBytes} must be at least 14`);
  if (!(config.segmentMs >= 1)) problems.push(`segment.ms=${config.segmentMs} must be at least 1`);
  if (!(config.segmentIndexBytes >= 12)) {
    problems.push(`segment.index.bytes=${config.segmentIndexBytes} must hold at least one entry (12 bytes)`);
  }
  if (!(config.indexIntervalBytes >= 0)) problems.push(`index.interval.bytes=${config.indexIntervalBytes} is negative`);
  if (!(config.flushMessages >= 1)) problems.push(`flush.messages=${config.flushMessages} must be at least 1`);
  if (!(config.flushMs >= 0)) problems.push(`flush.ms=${config.flushMs} is negative`);
  if (!(config.minCleanableDirtyRatio >= 0 && config.minCleanableDirtyRatio <= 1)) {
    problems.push(`min.cleanable.dirty.ratio=${config.minCleanableDirtyRatio} must be between 0 and 1`);
  }
  if (!(config.maxMessageBytes >= 61))
    problems.push(`max.message.bytes=${config.maxMessageBytes} is below a batch header`);
  if (!(config.cleanerMaxKeys >= 1)) problems.push(`cleanerMaxKeys=${config.cleanerMaxKeys} must be at least 1`);
  if (problems.length > 0) throw new LogConfigError(`Invalid log config: ${problems.join('; ')}`);
  return config;
}

export function compacts(config: LogConfig): boolean {
  return config.cleanupPolicy !== 'delete';
}

export function deletesByRetention(config: LogConfig): boolean {
  return config.cleanupPolicy !== 'compact';
}
