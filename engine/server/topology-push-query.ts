/**
 * A push query with joins, aggregations, windows or PARTITION BY, run as
 * ksqlDB runs transient queries: a topology of its own (planned as a
 * persistent query would be), here in a TopologyTestDriver fed with the raw
 * records of its sources' shared feeds. Each output record is a row (a
 * table's update, or a delete for a null value) sent to the sink in the
 * SELECT's column order, until LIMIT, /close-query or the client going away.
 */
import { type Serde, type TestOutputTopic, type Topology, TopologyTestDriver } from '../../topology/index.ts';
import type { KsqlEngine } from '../execution/engine.ts';
import type { DataSource } from '../metastore/metastore.ts';
import type { LogicalPlan } from '../planner/logical-plan.ts';
import { buildTopology, type SinkSpec, windowSpecSerde } from '../planner/physical-plan.ts';
import { type AnyKey, isWindowed } from '../planner/processors.ts';
import { keySerde, valueSerde } from '../serde/formats.ts';
import type { Row } from '../types/schema.ts';
import { PushDelivery, type PushSink } from './push-query.ts';
import type { FeedSubscriber } from './source-feed.ts';
import type { KafkaMessageLike } from './source-records.ts';
import type { TransientQuery } from './transient-query.ts';

/** Where a transient query's topology writes (its driver's output topic; an explained SELECT never runs). */
export const TRANSIENT_SINK: SinkSpec = {
  topic: '__transient_sink',
  keyFormat: 'JSON',
  valueFormat: 'JSON',
  keyOptions: {},
  valueOptions: {},
  timestampColumn: null,
  timestampFormat: null,
};

const raw: Serde<Buffer> = {
  serialize: (_topic, value) => value,
  deserialize: (_topic, bytes) => bytes,
};

export class TopologyPushQuery {
  private readonly driver: TopologyTestDriver;
  private readonly output: TestOutputTopic<AnyKey, Row>;
  /** The distinct source topics, checked as inputs of the driver. */
  private readonly inputs = new Set<string>();
  private readonly plan: LogicalPlan;
  private readonly delivery: PushDelivery;
  /** One subscriber per distinct source topic, for its feed. */
  readonly subscribers = new Map<DataSource, FeedSubscriber>();

  constructor(
    readonly id: string,
    readonly query: TransientQuery,
    engine: KsqlEngine,
    sink: PushSink,
    onClose: (query: TopologyPushQuery) => void,
  ) {
    this.delivery = new PushDelivery(sink, query.limit, () => {
      this.driver.close();
      onClose(this);
    });
    this.plan = query.plan as LogicalPlan;
    const plan = this.plan;
    const topology: Topology = buildTopology(plan, TRANSIENT_SINK, {
      queryId: id,
      log: engine.processingLog,
      config: engine.config,
    });
    this.driver = new TopologyTestDriver(topology, { applicationId: id, config: engine.config });
    this.output = this.driver.createOutputTopic(
      TRANSIENT_SINK.topic,
      windowSpecSerde(keySerde('JSON', plan.schema.key), plan.window),
      valueSerde('JSON', plan.schema.value),
    );
    for (const ref of plan.sources) {
      const topic = ref.source.topic;
      if (!this.inputs.has(topic)) {
        this.driver.createInputTopic(topic, raw, raw);
        this.inputs.add(topic);
      }
      if (![...this.subscribers.keys()].some((s) => s.topic === topic)) {
        this.subscribers.set(ref.source, {
          onRecord: (_record, partition, message) => this.onMessage(topic, partition, message),
        });
      }
    }
  }

  get isClosed(): boolean {
    return this.delivery.isClosed;
  }

  private onMessage(topic: string, partition: number, message: KafkaMessageLike): boolean {
    if (this.delivery.isClosed) return false;
    // The record's own partition and offset: ROWPARTITION and ROWOFFSET are those of the source topic.
    this.driver.pipeRaw(topic, message.key, message.value, Number(message.timestamp), undefined, {
      partition,
      offset: Number(message.offset),
    });
    for (const record of this.output.readRecordsToList()) {
      const key = record.key;
      const keyValues = (isWindowed(key) ? key.key : key) ?? [];
      const row: Row = {};
      this.plan.schema.key.forEach((c, i) => {
        row[c.name] = keyValues[i] ?? null;
      });
      if (isWindowed(key)) {
        row.WINDOWSTART = key.window.start;
        row.WINDOWEND = key.window.end;
      }
      if (record.value === null && this.plan.resultType !== 'TABLE') continue;
      Object.assign(row, record.value);
      if (!this.delivery.send(this.query.project(row), record.value === null)) return false;
    }
    return true;
  }

  close(error?: string, quiet = false): void {
    this.delivery.close(error, quiet);
  }
}
