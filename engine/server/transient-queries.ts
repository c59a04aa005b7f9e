/**
 * The server's transient queries: parses a SELECT sent to /query-stream or
 * /query, answers pull queries from materialized views of tables (one view
 * per table, created at its first pull query and kept in step after), and
 * runs push queries on shared source feeds (one reader per source from the
 * latest offsets; a reader of its own for `auto.offset.reset=earliest`).
 * Running push queries are known by id, for /close-query.
 */
import { randomUUID } from 'node:crypto';
import type { Admin, Kafka } from 'kafkajs';
import type { Logger } from '../../logging/index.ts';
import { AnalysisError } from '../analyzer/expressions.ts';
import type { KsqlEngine } from '../execution/engine.ts';
import { autoOffsetResetOf } from '../execution/query-properties.ts';
import { splitStatements } from '../execution/split.ts';
import type { DataSource } from '../metastore/metastore.ts';
import type { Query } from '../parser/ast.ts';
import { substituteVariables } from '../parser/lexer.ts';
import { parseStatements } from '../parser/parser.ts';
import { ERROR_CODES, KsqlRequestError } from './entities.ts';
import { MaterializedView } from './materialized-view.ts';
import { runPullQuery } from './pull-query.ts';
import { PushQuery, type PushSink } from './push-query.ts';
import { SourceFeed } from './source-feed.ts';
import { sourceDecoder } from './source-records.ts';
import { TopicReader } from './topic-reader.ts';
import { TopologyPushQuery } from './topology-push-query.ts';
import { planTransientQuery, type TransientQuery } from './transient-query.ts';

export interface TransientQueriesOptions {
  readonly engine: KsqlEngine;
  readonly kafka: Kafka;
  readonly admin: Admin;
  readonly serviceId: string;
  readonly logger: Logger;
}

export interface PreparedQuery {
  readonly query: TransientQuery;
  readonly statementText: string;
}

/** How long a pull query waits for a new view to read its table's topic (it goes on reading after). */
const VIEW_READY_TIMEOUT_MS = 120_000;

/** A running push query: filter-and-project on a feed, or a topology of its own. */
export type RunningPushQuery = PushQuery | TopologyPushQuery;

interface ViewEntry {
  readonly view: MaterializedView;
  /** The view's reader, once it reads. */
  readonly started: Promise<TopicReader>;
  /** Resolves once the reader has caught up with the topic's end as of its start. */
  readonly ready: Promise<void>;
}

export class TransientQueries {
  private readonly views = new Map<string, ViewEntry>();
  private readonly feeds = new Map<string, Promise<SourceFeed>>();
  private readonly running = new Map<string, RunningPushQuery>();
  private stopped = false;

  constructor(private readonly options: TransientQueriesOptions) {}

  /**
   * Parses and analyzes one SELECT; a bad statement throws with ksqlDB's
   * message (a pull query's as a statement error, with its text, as
   * ksqlDB's). `properties` are the request's.
   */
  prepare(
    sql: string,
    sessionVariables: Record<string, unknown> = {},
    properties: Readonly<Record<string, unknown>> = {},
  ): PreparedQuery {
    const variables = new Map(this.options.engine.variables);
    for (const [name, value] of Object.entries(sessionVariables)) variables.set(name.toUpperCase(), String(value));
    const pieces = splitStatements(sql);
    if (pieces.length !== 1) {
      throw new AnalysisError(`Expected exactly one KSQL statement; found ${pieces.length} instead`);
    }
    const { text, offset } = pieces[0] as { text: string; offset: number };
    const substituted = sql.slice(0, offset).replace(/[^\n]/g, ' ') + substituteVariables(text, variables);
    const statements = parseStatements(substituted, { types: this.options.engine.metastore.types });
    const statement = statements[0];
    if (statements.length !== 1 || statement === undefined || statement.kind !== 'query') {
      throw new AnalysisError(
        'Not a query: only SELECT statements can be sent to this endpoint; use /ksql for the others.',
      );
    }
    const query = statement.query as Query;
    try {
      return { query: planTransientQuery(this.options.engine, query, properties), statementText: text.trim() };
    } catch (error) {
      if (query.emit !== null || !(error instanceof Error) || error instanceof KsqlRequestError) throw error;
      throw new KsqlRequestError(ERROR_CODES.badStatement, error.message, text.trim());
    }
  }

  newQueryId(query: TransientQuery): string {
    const suffix = randomUUID().replace(/-/g, '').slice(0, 12);
    return query.pull ? `query_${Date.now()}${suffix}` : `transient_${query.source.name}_${suffix}`;
  }

  /** Answers a pull query; the first one on a table waits for its view to read the table's topic to the end. */
  async pull(query: TransientQuery): Promise<unknown[][]> {
    if (query.source.type === 'STREAM') return this.scanStream(query);
    const view = await this.view(query.source);
    return runPullQuery(query, view);
  }

  /** A pull query on a stream: its topic from the start to the end offsets taken now, filtered, up to LIMIT. */
  private async scanStream(query: TransientQuery): Promise<unknown[][]> {
    const rows: unknown[][] = [];
    if (query.limit === 0) return rows;
    const decode = sourceDecoder(query.source);
    let limitReached!: () => void;
    const full = new Promise<void>((resolve) => (limitReached = resolve));
    const reader = await TopicReader.start({
      kafka: this.options.kafka,
      admin: this.options.admin,
      topic: query.source.topic,
      groupId: this.groupId('pull', query.source.name),
      from: 'earliest',
      toEnd: true,
      onBatch: (partition, messages) => {
        for (const message of messages) {
          if (query.limit !== null && rows.length >= query.limit) break;
          const record = decode(partition, message);
          if (record?.row == null || (query.where !== null && !query.where(record.row))) continue;
          rows.push(query.project(record.row));
          if (query.limit !== null && rows.length >= query.limit) limitReached();
        }
      },
    });
    try {
      await Promise.race([reader.caughtUp, full]);
    } finally {
      await reader.stop();
    }
    return rows;
  }

  /** The view of a table, ready (caught up with its topic as of its creation). */
  async view(source: DataSource): Promise<MaterializedView> {
    let entry = this.views.get(source.name);
    if (entry !== undefined && entry.view.source !== source) {
      // The table was dropped and created again: its old view is stale.
      this.views.delete(source.name);
      void entry.started.then((reader) => reader.stop()).catch(() => {});
      entry = undefined;
    }
    if (entry === undefined) {
      const view = new MaterializedView(source);
      const started = TopicReader.start({
        kafka: this.options.kafka,
        admin: this.options.admin,
        topic: source.topic,
        groupId: this.groupId('pull', source.name),
        from: 'earliest',
        onBatch: (partition, messages) => view.apply(partition, messages),
        onError: (error) => {
          this.options.logger.error({ err: error, table: source.name }, 'pull-query view stopped');
          if (this.views.get(source.name)?.view === view) this.views.delete(source.name);
        },
      });
      const ready = started.then((reader) => {
        view.partitionCount = reader.partitionCount;
        return reader.caughtUp;
      });
      entry = { view, started, ready };
      this.views.set(source.name, entry);
      ready.catch(() => {
        if (this.views.get(source.name) === entry) this.views.delete(source.name);
      });
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new AnalysisError(
              `Timed out after ${VIEW_READY_TIMEOUT_MS / 1000} s waiting for table ${source.name} to be read from topic ${source.topic}; try again.`,
            ),
          ),
        VIEW_READY_TIMEOUT_MS,
      );
    });
    try {
      await Promise.race([entry.ready, timeout]);
    } finally {
      clearTimeout(timer);
    }
    return entry.view;
  }

  /**
   * Starts a push query; resolves once it is positioned (every record
   * written from then on reaches it).
   */
  async push(query: TransientQuery, properties: Record<string, unknown>, sink: PushSink): Promise<RunningPushQuery> {
    if (this.stopped) throw new AnalysisError('The server is shutting down.');
    const id = this.newQueryId(query);
    let reset: string | undefined;
    try {
      reset = autoOffsetResetOf(properties);
    } catch (error) {
      throw new AnalysisError((error as Error).message);
    }
    const feedOf = (source: DataSource) =>
      reset === 'earliest' ? this.startFeed(source, 'earliest', () => {}) : this.sharedFeed(source);
    if (query.plan !== null) {
      const feeds = new Map<DataSource, SourceFeed>();
      const push = new TopologyPushQuery(id, query, this.options.engine, sink, (q) => {
        this.running.delete(q.id);
        for (const [source, subscriber] of q.subscribers) feeds.get(source)?.unsubscribe(subscriber);
      });
      try {
        for (const source of push.subscribers.keys()) feeds.set(source, await feedOf(source));
      } catch (error) {
        push.close(undefined, true);
        throw error;
      }
      this.running.set(id, push);
      for (const [source, subscriber] of push.subscribers) feeds.get(source)?.subscribe(subscriber);
      return push;
    }
    const feed = await feedOf(query.source);
    const push = new PushQuery(id, query, sink, (q) => {
      this.running.delete(q.id);
      feed.unsubscribe(q);
    });
    this.running.set(id, push);
    feed.subscribe(push);
    return push;
  }

  private sharedFeed(source: DataSource): Promise<SourceFeed> {
    const existing = this.feeds.get(source.name);
    if (existing !== undefined) {
      return existing.then((feed) => {
        if (feed.source === source && !feed.stopped) return feed;
        // The source was replaced, or its last subscriber left while this request waited.
        if (this.feeds.get(source.name) === existing) this.feeds.delete(source.name);
        if (!feed.stopped) void feed.stop();
        return this.sharedFeed(source);
      });
    }
    const started = this.startFeed(source, 'latest', (feed) => {
      // The last subscriber left: stop reading, unless a new feed has taken its place.
      if (this.feeds.get(source.name) === started) this.feeds.delete(source.name);
      void feed.stop();
    });
    this.feeds.set(source.name, started);
    started.catch(() => {
      if (this.feeds.get(source.name) === started) this.feeds.delete(source.name);
    });
    return started;
  }

  private async startFeed(
    source: DataSource,
    from: 'earliest' | 'latest',
    onEmpty: (feed: SourceFeed) => void,
  ): Promise<SourceFeed> {
    const feed = new SourceFeed(source, (f) => (from === 'earliest' ? void f.stop() : onEmpty(f)), from === 'earliest');
    const reader = await TopicReader.start({
      kafka: this.options.kafka,
      admin: this.options.admin,
      topic: source.topic,
      groupId: this.groupId('push', source.name),
      from,
      onBatch: (partition, messages) => feed.deliver(partition, messages),
      onError: (error) => {
        this.options.logger.error({ err: error, source: source.name }, 'push-query feed stopped');
        for (const q of [...this.running.values()]) if (q.query.source === source) q.close(error.message);
      },
    });
    feed.attach(reader);
    return feed;
  }

  private groupId(kind: string, name: string): string {
    return `_confluent-ksql-${this.options.serviceId}transient_${kind}_${name}_${randomUUID()}`;
  }

  /** /close-query: false when no push query has this id. */
  close(queryId: string): boolean {
    const query = this.running.get(queryId);
    if (query === undefined) return false;
    query.close();
    return true;
  }

  get runningCount(): number {
    return this.running.size;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const q of [...this.running.values()]) q.close();
    const feeds = [...this.feeds.values()];
    this.feeds.clear();
    for (const f of feeds) await (await f.catch(() => null))?.stop();
    const views = [...this.views.values()];
    this.views.clear();
    for (const v of views) await (await v.started.catch(() => null))?.stop();
  }
}
