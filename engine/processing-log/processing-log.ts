/**
 * The processing log: records a query could not process (bad bytes, an
 * expression that threw, a value that would not cast), with the query, the
 * position when known, and the reason. Processing goes on after each entry,
 * as ksqlDB's does; the entries are what `tally` shows and counts.
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
}

export class ProcessingLogger {
  readonly records: ProcessingLogRecord[] = [];
  private readonly listeners: ((r: ProcessingLogRecord) => void)[] = [];

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
