/**
 * Timestamp extractors decide a record's event time: the record's own
 * timestamp by default, or a field of its value. A negative result means the
 * record has no valid time: it is skipped with a processing-log entry, as
 * ksqlDB does (its LogAndSkip behaviour), rather than stopping the task.
 */

export interface ConsumedRecordView {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: number;
  readonly key: unknown;
  readonly value: unknown;
}

export type TimestampExtractor = (record: ConsumedRecordView, partitionTime: number) => number;

export const recordTimestamp: TimestampExtractor = (record) => record.timestamp;

/** Event time from a numeric field of the value (epoch ms), or from an ISO-8601 string. */
export function fieldTimestamp(field: string): TimestampExtractor {
  return (record) => {
    const value = record.value as globalThis.Record<string, unknown> | null;
    const raw = value?.[field];
    if (typeof raw === 'number') return raw;
    if (typeof raw === 'string') {
      const parsed = Date.parse(raw);
      return Number.isNaN(parsed) ? -1 : parsed;
    }
    return -1;
  };
}
