/**
 * Runs every persistent query of an engine in one process, without Kafka:
 * one TopologyTestDriver per query, each with the record cache its
 * properties ask for (SET 'cache.max.bytes.buffering'), and records followed
 * from query to query through the topics they write and read, in order,
 * depth first (what a query writes is processed downstream before the next
 * input record). Processing log entries become records on the processing
 * log topic, as the server writes them, so queries over KSQL_PROCESSING_LOG
 * see them. For tests of whole SQL pipelines (ksql/metrics.test.ts).
 */
import { Serdes, type TestOutputTopic, TopologyTestDriver } from '../../topology/index.ts';
import type { DataSource, PersistentQuery } from '../metastore/metastore.ts';
import { sourceKeySerde, sourceValueSerde } from '../planner/physical-plan.ts';
import { type ProcessingLogRecord, processingLogTopic, processingLogValue } from '../processing-log/processing-log.ts';
import type { Row } from '../types/schema.ts';
import type { KsqlEngine } from './engine.ts';
import { cacheMaxBytesOf } from './query-properties.ts';

export interface PipelineRecord {
  readonly topic: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly timestamp: number;
}

interface RunningQuery {
  readonly query: PersistentQuery;
  readonly driver: TopologyTestDriver;
  readonly inputs: ReadonlySet<string>;
  readonly sinkTopic: string | null;
  /** The sink topic's reader (its read position is the topic's): made once, not per record. */
  readonly output: TestOutputTopic<Buffer, Buffer> | null;
}

/** Deeper than any real chain of queries: a cycle between queries would otherwise never end. */
const MAX_DEPTH = 50;

export class KsqlPipelineDriver {
  private readonly running: RunningQuery[];
  /** Every record written to each topic (inputs and query outputs), in order. */
  private readonly topics = new Map<string, PipelineRecord[]>();
  private readonly pendingLog: ProcessingLogRecord[] = [];
  private readonly logTopic: string;
  private closed = false;

  constructor(
    readonly engine: KsqlEngine,
    options: { serviceId?: string } = {},
  ) {
    this.logTopic = processingLogTopic(options.serviceId ?? String(engine.config['ksql.service.id'] ?? 'default_'));
    engine.processingLog.onRecord((r) => this.pendingLog.push(r));
    this.running = engine.queries().map((query) => {
      const cacheMaxBytes = cacheMaxBytesOf(query.properties);
      const driver = new TopologyTestDriver(query.topology, {
        applicationId: `_confluent-ksql-default_query_${query.id}`,
        // Kafka Streams' default cache is on (10 MiB); 0 turns it off.
        caching: cacheMaxBytes !== 0,
        ...(cacheMaxBytes ? { cacheMaxBytes } : {}),
        processingLog: (entry) => engine.processingLog.fromTopology(query.id, entry),
      });
      const sink = engine.metastore.source(query.sink);
      const sinkTopic = sink?.topic ?? null;
      return {
        query,
        driver,
        inputs: new Set(query.topology.externalSourceTopics()),
        sinkTopic,
        output: sinkTopic === null ? null : driver.createOutputTopic(sinkTopic, Serdes.Bytes(), Serdes.Bytes()),
      };
    });
  }

  /** Writes one record to a topic and processes everything it causes, in every query. */
  pipe(topic: string, key: Buffer | string | null, value: Buffer | string | null, timestamp: number): void {
    this.checkOpen();
    const bytes = (b: Buffer | string | null) => (typeof b === 'string' ? Buffer.from(b) : b);
    this.deliver({ topic, key: bytes(key), value: bytes(value), timestamp }, 0);
    this.flushLog();
  }

  /** Commits every query (flushing record caches) until nothing more is written. */
  flush(): void {
    this.checkOpen();
    for (let round = 0; round < MAX_DEPTH; round++) {
      let written = 0;
      for (const q of this.running) {
        q.driver.commit();
        for (const out of this.drain(q)) {
          written++;
          this.deliver(out, 1);
        }
        this.flushLog();
      }
      if (written === 0) return;
    }
    throw new Error(`queries still writing after ${MAX_DEPTH} commit rounds: records cycle between queries`);
  }

  /** Every record written to a topic so far. */
  records(topic: string): readonly PipelineRecord[] {
    return this.topics.get(topic) ?? [];
  }

  /** The latest value per key of a source's topic (see latestRowsOf). */
  latestRows(source: DataSource): Map<string, Row> {
    return latestRowsOf(source, this.records(source.topic));
  }

  /** Every value of a stream's topic, decoded with its value format, in order. */
  values(source: DataSource): Row[] {
    const serde = sourceValueSerde(source);
    return this.records(source.topic).flatMap((r) => {
      const v = serde.deserialize(source.topic, r.value);
      return v === null ? [] : [v];
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const q of this.running) q.driver.close();
  }

  private deliver(record: PipelineRecord, depth: number): void {
    if (depth > MAX_DEPTH) throw new Error('records cycle between queries');
    const log = this.topics.get(record.topic);
    if (log === undefined) this.topics.set(record.topic, [record]);
    else log.push(record);
    for (const q of this.running) {
      if (!q.inputs.has(record.topic)) continue;
      q.driver.pipeRaw(record.topic, record.key, record.value, record.timestamp);
      for (const out of this.drain(q)) this.deliver(out, depth + 1);
    }
  }

  private drain(q: RunningQuery): PipelineRecord[] {
    const topic = q.sinkTopic;
    if (topic === null || q.output === null || q.output.isEmpty()) return [];
    return q.output.readRecordsToList().map((r) => ({ topic, key: r.key, value: r.value, timestamp: r.timestamp }));
  }

  /** Processing log entries, as records on the processing log topic, after the record that caused them. */
  private flushLog(): void {
    while (this.pendingLog.length > 0) {
      const entry = this.pendingLog.shift() as ProcessingLogRecord;
      const value = Buffer.from(JSON.stringify(processingLogValue(entry)));
      this.deliver({ topic: this.logTopic, key: null, value, timestamp: entry.time }, 0);
    }
  }

  private checkOpen(): void {
    if (this.closed) throw new Error('the pipeline driver is closed');
  }
}

/**
 * The latest value per key among records of a source's topic, decoded with
 * its formats: a table's state as a sink that upserts by key sees it (a
 * tombstone removes the key). Keys are the key columns' values as JSON.
 */
export function latestRowsOf(
  source: DataSource,
  records: Iterable<{ key: Buffer | null; value: Buffer | null }>,
): Map<string, Row> {
  const keySerde = sourceKeySerde(source);
  const valueSerde = sourceValueSerde(source);
  const rows = new Map<string, Row>();
  for (const r of records) {
    const key = JSON.stringify(keySerde.deserialize(source.topic, r.key));
    const value = valueSerde.deserialize(source.topic, r.value);
    if (value === null) rows.delete(key);
    else rows.set(key, value);
  }
  return rows;
}
