/**
 * Runs the metastore's persistent queries on Kafka: one `KafkaStreams`
 * instance per query, with ksqlDB's application id
 * (`_confluent-ksql-<service id>query_<QUERY_ID>`), so each query is its own
 * consumer group with its own committed offsets, internal topics and
 * transactional id; a restarted server resumes each query where it committed.
 */
import path from 'node:path';
import { KafkaStreams, type StreamsState } from '../../topology/index.ts';
import { cacheMaxBytesOf } from '../execution/query-properties.ts';
import type { PersistentQuery } from '../metastore/metastore.ts';
import type { ProcessingLogger } from '../processing-log/processing-log.ts';

export interface QueryRunnerOptions {
  readonly bootstrapServers: readonly string[];
  readonly serviceId: string;
  /** Keeps each query's process id, so a restart fences its predecessor's transactions. */
  readonly stateDir: string;
  readonly processingLog: ProcessingLogger;
  /** ksqlDB's tests and small deployments want every update; 0 turns the record cache off. */
  readonly cacheMaxBytes?: number;
  readonly onError?: (queryId: string, error: Error) => void;
}

interface RunningQuery {
  readonly query: PersistentQuery;
  readonly streams: KafkaStreams;
}

export class QueryRunner {
  private readonly running = new Map<string, RunningQuery>();

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
    const streams = new KafkaStreams(query.topology, {
      applicationId,
      bootstrapServers: this.options.bootstrapServers,
      stateDir: path.join(this.options.stateDir, 'queries'),
      ...(cacheMaxBytes !== undefined && { cacheMaxBytes }),
      // Records a query cannot read are skipped and logged, as ksqlDB's processing log does.
      processingLog: (entry) => this.options.processingLog.fromTopology(query.id, entry),
    });
    streams.onStateChange((state) => {
      if (state === 'ERROR' && streams.error) this.options.onError?.(query.id, streams.error);
    });
    this.running.set(query.id, { query, streams });
    try {
      await streams.start();
    } catch (error) {
      // The query stays listed (state ERROR) so SHOW QUERIES tells the user why it is not running.
      this.options.onError?.(query.id, error as Error);
    }
  }

  private async stop(queryId: string): Promise<void> {
    const running = this.running.get(queryId);
    if (running === undefined) return;
    this.running.delete(queryId);
    await running.streams.close();
  }

  async close(): Promise<void> {
    for (const id of [...this.running.keys()]) await this.stop(id);
  }
}
