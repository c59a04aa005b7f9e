/**
 * A running push query (EMIT CHANGES): it receives the decoded records of
 * its source's feed, keeps those its WHERE clause passes, projects them and
 * hands them to its sink (the HTTP response), until LIMIT, /close-query, or
 * the client going away closes it.
 */
import type { Row } from '../types/schema.ts';
import type { FeedSubscriber } from './source-feed.ts';
import type { SourceRecord } from './source-records.ts';
import type { TransientQuery } from './transient-query.ts';

export interface PushSink {
  row(values: unknown[]): void;
  /** A table row was deleted: its key with null values. */
  tombstone(values: unknown[]): void;
  /** LIMIT rows have been sent; the query has closed. */
  limitReached(): void;
  /** Closed by /close-query, by the server stopping, or by a failure (with its message). */
  closed(error?: string): void;
}

/**
 * What both kinds of push query share: rows to the sink, counted against
 * LIMIT, and one close (by LIMIT, /close-query or the client going away).
 */
export class PushDelivery {
  private sent = 0;
  private done = false;

  constructor(
    private readonly sink: PushSink,
    private readonly limit: number | null,
    private readonly onFinish: () => void,
  ) {}

  get isClosed(): boolean {
    return this.done;
  }

  /** Sends a row, or a deleted row's key (`tombstone`); false once LIMIT is reached and the query closed. */
  send(values: unknown[], tombstone = false): boolean {
    if (tombstone) this.sink.tombstone(values);
    else this.sink.row(values);
    this.sent++;
    if (this.limit !== null && this.sent >= this.limit) {
      this.finish();
      this.sink.limitReached();
      return false;
    }
    return true;
  }

  /** Closes the query (idempotent); the sink hears of it unless `quiet`. */
  close(error?: string, quiet = false): void {
    if (this.done) return;
    this.finish();
    if (!quiet) this.sink.closed(error);
  }

  private finish(): void {
    this.done = true;
    this.onFinish();
  }
}

export class PushQuery implements FeedSubscriber {
  private readonly delivery: PushDelivery;
  private readonly keyNames: readonly string[];

  constructor(
    readonly id: string,
    readonly query: TransientQuery,
    sink: PushSink,
    onClose: (query: PushQuery) => void,
  ) {
    this.keyNames = query.source.schema.key.map((c) => c.name);
    this.delivery = new PushDelivery(sink, query.limit, () => onClose(this));
  }

  get isClosed(): boolean {
    return this.delivery.isClosed;
  }

  onRecord(record: SourceRecord | null): boolean {
    if (this.delivery.isClosed) return false;
    if (record === null) return true;
    if (record.row === null) {
      const row: Row = {};
      this.keyNames.forEach((name, i) => {
        row[name] = record.keyValues[i] ?? null;
      });
      if (record.window !== undefined) {
        row.WINDOWSTART = record.window.start;
        row.WINDOWEND = record.window.end;
      }
      if (this.query.where !== null && !this.keyOnlyPasses(row)) return true;
      return this.delivery.send(this.query.project(row), true);
    }
    if (this.query.where !== null && !this.query.where(record.row)) return true;
    return this.delivery.send(this.query.project(record.row));
  }

  /** A deleted row has only its key: it is sent when the filter passes on the key alone or cannot tell. */
  private keyOnlyPasses(row: Row): boolean {
    try {
      return (this.query.where as (row: Row) => boolean)(row);
    } catch {
      return true;
    }
  }

  close(error?: string, quiet = false): void {
    this.delivery.close(error, quiet);
  }
}
