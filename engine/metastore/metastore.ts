/**
 * The metastore: the one place that knows which streams, tables, topics,
 * types and persistent queries exist. Statements change it only after they
 * have been fully analyzed and planned, so a failing statement leaves it as
 * it was.
 */
import type { Topology } from '../../topology/index.ts';
import type { SourceType } from '../parser/ast.ts';
import type { FormatName, FormatOptions } from '../serde/formats.ts';
import type { LogicalSchema } from '../types/schema.ts';
import type { SqlType } from '../types/sql-type.ts';

export interface WindowInfo {
  readonly type: 'TUMBLING' | 'HOPPING' | 'SESSION';
  /** Window size for time windows (restores the window end from the key). */
  readonly sizeMs: number | null;
}

export interface DataSource {
  readonly name: string;
  readonly type: SourceType;
  readonly topic: string;
  readonly schema: LogicalSchema;
  readonly keyFormat: FormatName;
  readonly valueFormat: FormatName;
  readonly keyOptions: FormatOptions;
  readonly valueOptions: FormatOptions;
  /** TIMESTAMP='col' [TIMESTAMP_FORMAT='...']: event time from a column instead of the record. */
  readonly timestamp: { readonly column: string; readonly format: string | null } | null;
  readonly window: WindowInfo | null;
  /** CREATE SOURCE STREAM/TABLE: read-only, no inserts or topic deletion. */
  readonly readOnly: boolean;
  /** Created by CREATE STREAM/TABLE (not AS SELECT). */
  readonly declared: boolean;
  readonly sql: string;
}

export interface Topic {
  readonly name: string;
  readonly partitions: number;
  readonly replicas: number;
}

export interface PersistentQuery {
  readonly id: string;
  readonly sql: string;
  readonly sink: string;
  readonly sources: readonly string[];
  readonly topology: Topology;
  /** The properties in force when it was created (SET, and the request's streamsProperties on a server). */
  readonly properties: Readonly<Record<string, unknown>>;
}

export class MetaStore {
  private readonly sources = new Map<string, DataSource>();
  private readonly topics = new Map<string, Topic>();
  private readonly queries = new Map<string, PersistentQuery>();
  readonly types = new Map<string, SqlType>();
  private queryCounter = 0;

  source(name: string): DataSource | undefined {
    return this.sources.get(name);
  }

  allSources(): DataSource[] {
    return [...this.sources.values()];
  }

  putSource(source: DataSource): void {
    this.sources.set(source.name, source);
  }

  dropSource(name: string): void {
    this.sources.delete(name);
  }

  topic(name: string): Topic | undefined {
    return this.topics.get(name);
  }

  allTopics(): Topic[] {
    return [...this.topics.values()];
  }

  putTopic(topic: Topic): void {
    if (!this.topics.has(topic.name)) this.topics.set(topic.name, topic);
  }

  /** Query ids as ksqlDB makes them: CSAS_<SINK>_<n>, CTAS_<SINK>_<n>, INSERTQUERY_<n>, one counter. */
  nextQueryId(prefix: string): string {
    return `${prefix}_${this.queryCounter++}`;
  }

  query(id: string): PersistentQuery | undefined {
    return this.queries.get(id);
  }

  allQueries(): PersistentQuery[] {
    return [...this.queries.values()];
  }

  putQuery(query: PersistentQuery): void {
    this.queries.set(query.id, query);
  }

  removeQuery(id: string): void {
    this.queries.delete(id);
  }

  /** Queries that write to `sink` (CREATE ... AS and INSERT INTO). */
  queriesWriting(sink: string): PersistentQuery[] {
    return this.allQueries().filter((q) => q.sink === sink);
  }

  queriesReading(source: string): PersistentQuery[] {
    return this.allQueries().filter((q) => q.sources.includes(source));
  }
}
