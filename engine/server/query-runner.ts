/**
 * Runs the metastore's persistent queries on Kafka: one `KafkaStreams`
 * instance per query, with ksqlDB's application id
 * (`_confluent-ksql-<service id>query_<QUERY_ID>`), so each query is its own
 * consumer group with its own committed offsets, internal topics and
 * transactional id; a restarted server resumes each query where it committed.
 */
import path from 'node:path';
import { KafkaStreams, type StreamsState } from '../../topology/index.ts';
import { autoOffsetResetOf, cacheMaxBytesOf } from '../execution/query-properties.ts';
import type { PersistentQuery } from '../metastore/metastore.ts';
import type { ProcessingLogger } from '../processing-log/processing-log.ts';

export interface QueryRunnerOptions {
  readonly bootstrapServers: readonly string[];
  readonly serviceId: string;
  /** Keeps each query's process id, so a restart fences its predecessor's transactions. */
  readonly stateDir: string;
  readonly processingLog: ProcessingLogger;
  /** Where queries read their sources from without committed offsets, unless a query's properties say (default earliest). */
  readonly autoOffsetReset?: 'earliest' | 'latest';
  /** ksqlDB's tests and small deployments want every update; 0 turns the record cache off. */
  readonly cacheMaxBytes?: number;
  readonly onError?: (queryId: string, error: Error) => void;
  readonly onWarning?: (queryId: string, message: string, error: Error) => void;
}

interface RunningQuery {
  readonly query: PersistentQuery;
  readonly streams: KafkaStreams;
}

/** A failed query is restarted after this, doubled each time up to RETRY_MAX_MS (ksql.query.retry.backoff.*). */
const RETRY_INITIAL_MS = 5_000;
const RETRY_MAX_MS = 300_000;

export class QueryRunner {
  private readonly running = new Map<string, RunningQuery>();
  private readonly failures = new Map<string, number>();
  private closed = false;

  constructor(private readonly options: QueryRunnerOptions) {}

  applicationId(queryId: string): string {
    return `_confluent-ksql-${this.options.serviceId}query_${queryId}`;
  }

  /**
   * Makes the running set match `queries`: stops what was terminated or
   * dropped, restarts a query whose topology was replaced (CREATE OR
   * REPLACE), starts what is new.
   */
  async reconcile(queries: readonly PersistentQuery[]): Promise<void> {
    const wanted = new Map(queries.map((q) => [q.id, q]));
    for (const [id, running] of [...this.running]) {
      if (wanted.get(id)?.topology !== running.query.topology) await this.stop(id);
    }
    for (const query of queries) if (!this.running.has(query.id)) await this.start(query);
  }

  state(queryId: string): StreamsState | undefined {
    return this.running.get(queryId)?.streams.state;
  }

  private async start(query: PersistentQuery): Promise<void> {
    const applicationId = this.applicationId(query.id);
    // A SET 'cache.max.bytes.buffering' in force when the query was created wins over the server's default.
    const cacheMaxBytes = cacheMaxBytesOf(query.properties) ?? this.options.cacheMaxBytes;
    const autoOffsetReset = autoOffsetResetOf(query.properties) ?? this.options.autoOffsetReset;
    const streams = new KafkaStreams(query.topology, {
      applicationId,
      bootstrapServers: this.options.bootstrapServers,
      stateDir: path.join(this.options.stateDir, 'queries'),
      ...(cacheMaxBytes !== undefined && { cacheMaxBytes }),
      ...(autoOffsetReset !== undefined && { autoOffsetReset }),
      // Records a query cannot read are skipped and logged, as ksqlDB's processing log does.
      processingLog: (entry) => this.options.processingLog.fromTopology(query.id, entry),
      onWarning: (message, error) => this.options.onWarning?.(query.id, message, error),
    });
    const running = { query, streams };
    streams.onStateChange((state) => {
      if (state === 'ERROR') this.failed(running, streams.error ?? new Error('the query failed'));
    });
    this.running.set(query.id, running);
    try {
      await streams.start();
    } catch (error) {
      this.failed(running, error as Error);
    }
  }

  /**
   * The query stays listed (state ERROR, so SHOW QUERIES tells why) and is
   * restarted after a backoff, as ksqlDB does: it resumes from its last commit.
   */
  private failed(running: RunningQuery, error: Error): void {
    const { id } = running.query;
    this.options.onError?.(id, error);
    const attempt = (this.failures.get(id) ?? 0) + 1;
    this.failures.set(id, attempt);
    const delay = Math.min(RETRY_MAX_MS, RETRY_INITIAL_MS * 2 ** (attempt - 1));
    setTimeout(() => {
      if (this.closed || this.running.get(id) !== running) return;
      void this.stop(id)
        .catch(() => {})
        .then(() => (this.closed || this.running.has(id) ? undefined : this.start(running.query)));
    }, delay).unref();
  }

  private async stop(queryId: string): Promise<void> {
    const running = this.running.get(queryId);
    if (running === undefined) return;
    this.running.delete(queryId);
    await running.streams.close();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const id of [...this.running.keys()]) await this.stop(id);
  }
}
