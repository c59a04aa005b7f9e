/**
 * The physical planner: a logical plan -> a topology/ Topology, built with
 * the DSL the way ksqlDB builds its Kafka Streams topologies:
 *
 *   source:    stream(topic) -> process(add pseudo columns) [-> toTable]
 *   join:      selectKey (when the ON expression is not the key) -> join / leftJoin / outerJoin / joinOnForeignKey
 *   filter:    filter
 *   aggregate: groupBy[Key] -> [windowedBy] -> aggregate -> mapValues(results) -> filter(HAVING) [-> suppress]
 *   project:   map / mapValues -> [process(sink timestamp)] -> to(sink)
 *
 * Internal topics and stores use the engine's own serdes (serde/internal.ts);
 * only the sink topic is written in the user's formats.
 */
import {
  JoinWindows,
  type KStream,
  type KTable,
  type Serde,
  SessionWindows,
  StreamsBuilder,
  Suppressed,
  sessionWindowedSerde,
  TimeWindows,
  type Topology,
  timeWindowedSerde,
  windowed,
} from '../../topology/index.ts';
import type { Compiled } from '../analyzer/expressions.ts';
import type { SourceRef } from '../analyzer/scope.ts';
import { parseJavaTimestamp } from '../functions/datetime-format.ts';
import type { Aggregation } from '../functions/registry.ts';
import type { DataSource } from '../metastore/metastore.ts';
import type { WindowSpec } from '../parser/ast.ts';
import type { ProcessingLogger } from '../processing-log/processing-log.ts';
import { type FormatName, type FormatOptions, keySerde, valueSerde } from '../serde/formats.ts';
import { constantValueSerde, internalKeySerde, internalValueSerde, rememberingValueSerde } from '../serde/internal.ts';
import { sharedDecoding } from '../serde/shared-decoding.ts';
import { rowBuilder } from '../types/row-builder.ts';
import type { KeyValues, Row } from '../types/schema.ts';
import { parseTimestampText } from '../types/values.ts';
import type { AggregationStep, JoinStep, LogicalPlan } from './logical-plan.ts';
import {
  type AnyKey,
  ExpiredWindowFilter,
  isTombstone,
  isWindowed,
  SinkTimestampProcessor,
  SourceRowProcessor,
} from './processors.ts';

/** ksqlDB's default grace for windows and stream-stream joins without GRACE PERIOD: 24 hours. */
const DEFAULT_GRACE_MS = 24 * 60 * 60 * 1000;

/** The field of a pre-aggregate row holding each aggregate's evaluated arguments. */
const PREPARED = '__args';
export interface SinkSpec {
  readonly topic: string;
  readonly keyFormat: FormatName;
  readonly valueFormat: FormatName;
  readonly keyOptions: FormatOptions;
  readonly valueOptions: FormatOptions;
  readonly timestampColumn: string | null;
  readonly timestampFormat: string | null;
}

export interface PhysicalPlanOptions {
  readonly queryId: string;
  readonly log: ProcessingLogger;
  readonly config: Readonly<Record<string, unknown>>;
}

type Stream = KStream<AnyKey, Row>;
type Table = KTable<AnyKey, Row>;

export function buildTopology(plan: LogicalPlan, sink: SinkSpec, options: PhysicalPlanOptions): Topology {
  return new PhysicalPlanner(plan, sink, options).build();
}

export function sourceKeySerde(source: DataSource): Serde<AnyKey> {
  const inner = keySerde(source.keyFormat, source.schema.key, source.keyOptions);
  if (source.window === null) return inner as Serde<AnyKey>;
  return (
    source.window.type === 'SESSION'
      ? sessionWindowedSerde(inner)
      : timeWindowedSerde(inner, source.window.sizeMs ?? undefined)
  ) as Serde<AnyKey>;
}

/** One value serde per source, shared by every query that reads it, so each record is decoded once (shared-decoding.ts). */
const sourceValueSerdes = new WeakMap<DataSource, Serde<Row>>();
/** How many query topologies were built reading each source: with one, there is no decoding to share. */
const topologyReaders = new WeakMap<DataSource, number>();

export function sourceValueSerde(source: DataSource): Serde<Row> {
  let serde = sourceValueSerdes.get(source);
  if (serde === undefined) {
    serde = sharedDecoding(
      valueSerde(source.valueFormat, source.schema.value, source.valueOptions),
      undefined,
      () => (topologyReaders.get(source) ?? 0) > 1,
    );
    sourceValueSerdes.set(source, serde);
  }
  return serde;
}

/** The source's shared value serde, for one more query that reads it. */
function readerValueSerde(source: DataSource): Serde<Row> {
  topologyReaders.set(source, (topologyReaders.get(source) ?? 0) + 1);
  return sourceValueSerde(source);
}

export function windowSpecSerde(inner: Serde<KeyValues>, window: WindowSpec | null): Serde<AnyKey> {
  if (window === null) return inner as Serde<AnyKey>;
  return (
    window.type === 'SESSION' ? sessionWindowedSerde(inner) : timeWindowedSerde(inner, window.sizeMs)
  ) as Serde<AnyKey>;
}

class PhysicalPlanner {
  /** The projection's row, built as one object literal (types/row-builder.ts). */
  private projector: ((row: Row) => Row) | null = null;
  private readonly builder = new StreamsBuilder({
    defaultKeySerde: internalKeySerde as Serde<unknown>,
    defaultValueSerde: internalValueSerde as Serde<unknown>,
  });

  constructor(
    private readonly plan: LogicalPlan,
    private readonly sink: SinkSpec,
    private readonly options: PhysicalPlanOptions,
  ) {}

  build(): Topology {
    const plan = this.plan;
    const joined = plan.sources.length > 1;
    const first = plan.sources[0] as SourceRef;
    let current: Stream | Table =
      first.source.type === 'TABLE' ? this.sourceTable(first, joined) : this.sourceStream(first, joined);
    if (plan.joins.length > 0 || plan.aggregation !== null) {
      // Joins and aggregations ignore stream records without a value.
      if (!isTable(current)) current = current.filter((_k, row) => !isTombstone(row));
    }
    for (const step of plan.joins) {
      const joined = this.join(current, step);
      // The join key as ROWKEY: what a synthetic key column reads.
      const withKey = (row: Row, key: AnyKey): Row =>
        row === null ? row : Object.assign({}, row, { ROWKEY: (key as KeyValues | null)?.[0] ?? null });
      // A stream join's row is the joiner's own new object, seen by nothing else yet: it takes the key in place.
      const addKey = (row: Row, key: AnyKey): Row => {
        if (row !== null) row.ROWKEY = (key as KeyValues | null)?.[0] ?? null;
        return row;
      };
      current = isTable(joined) ? joined.mapValues(withKey) : joined.mapValues(addKey);
    }

    if (plan.where !== null) {
      const where = plan.where;
      const keep = (_k: AnyKey, row: Row) => !isTombstone(row) && this.test(where, row, 'WHERE');
      // A table filter sends old values, so that it deletes only rows that had passed it.
      current = isTable(current) ? enableOldValues(current.filter(keep)) : current.filter(keep);
    }

    if (plan.aggregation !== null) {
      const table = this.aggregate(current, plan.aggregation);
      this.sinkTable(table, true);
    } else if (isTable(current)) {
      this.sinkTable(
        current.mapValues((row, key) => (row === null ? (null as unknown as Row) : this.project(row, key))),
        false,
      );
    } else {
      let stream = current;
      if (plan.partitionBy !== null) {
        const exprs = plan.partitionBy;
        stream = stream.selectKey<AnyKey>((_k, row) => exprs.map((e) => this.evaluate(e, row, 'PARTITION BY')));
      }
      this.sinkStream(stream);
    }
    return this.builder.build();
  }

  // ---------------------------------------------------------------- evaluation with error logging

  private evaluate(c: Compiled, row: Row, where: string): unknown {
    try {
      return c.evaluate(row);
    } catch (error) {
      this.options.log.error(
        this.options.queryId,
        'expression',
        `Error computing ${where} expression: ${(error as Error).message}`,
      );
      return null;
    }
  }

  private test(c: Compiled, row: Row | null, where: string): boolean {
    return row !== null && this.evaluate(c, row, where) === true;
  }

  /** The output value row: value columns evaluated over the final row. */
  private project(row: Row, _key: AnyKey): Row {
    this.projector ??= rowBuilder(
      this.plan.valueColumns.map((v) => v.column.name),
      this.plan.valueColumns.map((v) => (r: Row) => this.evaluate(v.compiled, r, 'SELECT')),
    );
    return this.projector(row);
  }

  /** The output key: the key columns picked from the current key, window kept. */
  private projectKey(key: AnyKey): AnyKey {
    if (key !== null && !Array.isArray(key) && typeof key === 'object' && 'window' in key) {
      return windowed(this.pickKey(key.key) as KeyValues, key.window.start, key.window.end);
    }
    return this.pickKey(key as KeyValues | null) as AnyKey;
  }

  private pickKey(k: KeyValues | null): KeyValues | null {
    if (k === null) return null;
    const columns = this.plan.keyColumns;
    const out: unknown[] = [];
    for (let i = 0; i < columns.length; i++) out.push(k[(columns[i] as (typeof columns)[number]).keyIndex] ?? null);
    return out;
  }

  // ---------------------------------------------------------------- sources

  private sourceStream(ref: SourceRef, prefixed: boolean): Stream {
    const source = ref.source;
    const stream = this.builder.stream<AnyKey, Row>(source.topic, {
      keySerde: sourceKeySerde(source),
      valueSerde: readerValueSerde(source),
      timestampExtractor: this.timestampExtractor(source),
    });
    // Source rows keep their record key: no repartition before a join or GROUP BY on the key, as in ksqlDB.
    return stream.processValues<Row>(() => new SourceRowProcessor(ref, prefixed, false) as never);
  }

  private sourceTable(ref: SourceRef, prefixed: boolean): Table {
    const source = ref.source;
    const stream = this.builder.stream<AnyKey, Row>(source.topic, {
      keySerde: sourceKeySerde(source),
      valueSerde: readerValueSerde(source),
      timestampExtractor: this.timestampExtractor(source),
    });
    // Its store's serde keeps the rows read again and again (the dimension rows every vote joins).
    return stream
      .processValues<Row>(() => new SourceRowProcessor(ref, prefixed, true) as never)
      .toTable({ valueSerde: rememberingValueSerde() as Serde<Row> });
  }

  private timestampExtractor(source: DataSource) {
    const ts = source.timestamp;
    if (ts === null) return undefined;
    const column = source.schema.value.find((c) => c.name === ts.column);
    const log = this.options.log;
    const queryId = this.options.queryId;
    return (record: { value: unknown; timestamp: number }) => {
      const row = record.value as Row | null;
      if (row === null) return record.timestamp;
      const v = row[ts.column];
      if (v === null || v === undefined) return -1;
      if (typeof v === 'number') return v;
      try {
        return ts.format
          ? parseJavaTimestamp(String(v), ts.format)
          : column?.type.base === 'STRING'
            ? parseTimestampText(String(v))
            : Number(v);
      } catch (error) {
        log.error(queryId, 'timestamp', `Failed extracting timestamp from ${ts.column}: ${(error as Error).message}`);
        return -1;
      }
    };
  }

  // ---------------------------------------------------------------- joins

  private join(left: Stream | Table, step: JoinStep): Stream | Table {
    // Object.assign rather than {...l, ...r}: the same row, several times cheaper in V8 for rows this wide.
    const merge = (l: Row | null, r: Row | null): Row => Object.assign({}, l, r);
    const rightSource = step.right;
    if (step.kind === 'stream-stream') {
      let l = left as Stream;
      let r = this.sourceStream(rightSource, true).filter((_k, row) => !isTombstone(row));
      // A side keyed by the join expression stays as it is; the other is repartitioned with its key format.
      const lKeyed = step.leftKeyIsKey ? dropNullKeys(l) : null;
      const rKeyed = step.rightKeyIsKey ? dropNullKeys(r) : null;
      l = lKeyed ?? this.rekeyForJoin(l, step.leftKey, rKeyed?.keySerde ?? null);
      r = rKeyed ?? this.rekeyForJoin(r, step.rightKey, lKeyed?.keySerde ?? null);
      const w = step.within;
      const before = w?.beforeMs ?? 0;
      const after = w?.afterMs ?? 0;
      // Without GRACE PERIOD ksqlDB uses the legacy windows: 24 h grace, non-joined records emitted at once.
      const base =
        w?.graceMs !== null && w?.graceMs !== undefined
          ? JoinWindows.ofTimeDifferenceAndGrace(Math.max(before, after), w.graceMs)
          : JoinWindows.of(Math.max(before, after));
      const windows = base.before(before).after(after);
      const joiner = (a: Row | null, b: Row | null) => merge(a, b);
      switch (step.type) {
        case 'INNER':
          return l.join(r, joiner, windows);
        case 'LEFT':
          return l.leftJoin(r, joiner, windows);
        case 'RIGHT':
          return r.leftJoin(l, (b, a) => merge(a, b), windows.before(after).after(before));
        case 'FULL':
          return l.outerJoin(r, joiner, windows);
      }
    }
    if (step.kind === 'stream-table') {
      let l = left as Stream;
      const r = this.sourceTable(rightSource, true);
      l = step.leftKeyIsKey ? dropNullKeys(l) : this.rekeyForJoin(l, step.leftKey, sourceKeySerde(rightSource.source));
      return step.type === 'LEFT' ? l.leftJoin(r, merge) : l.join(r, merge);
    }
    const l = left as Table;
    const r = this.sourceTable(rightSource, true);
    if (step.kind === 'foreign-key') {
      const fk = step.leftKey;
      return l.joinOnForeignKey(
        r,
        (row) => {
          const v = this.evaluate(fk, row, 'JOIN');
          return v === null ? null : [v];
        },
        merge,
        { leftJoin: step.type === 'LEFT' },
      );
    }
    switch (step.type) {
      case 'INNER':
        return l.join(r, merge);
      case 'LEFT':
        return l.leftJoin(r, merge);
      case 'RIGHT':
        return r.leftJoin(l, (b, a) => merge(a, b));
      case 'FULL':
        return l.outerJoin(r, merge);
    }
  }

  /**
   * Keys a join side by its join expression and repartitions it, with the
   * key format of the side it joins when that one is read as it is: both
   * must put equal keys in equal partitions (co-partitioning).
   */
  private rekeyForJoin(stream: Stream, joinKey: JoinStep['leftKey'], keySerde: Serde<AnyKey> | null): Stream {
    const rekeyed = stream.selectKey<AnyKey>((_k, row) => [this.evaluate(joinKey, row, 'JOIN')]);
    return keySerde === null ? rekeyed : rekeyed.repartition({ keySerde });
  }

  // ---------------------------------------------------------------- aggregation

  private aggregate(input: Stream | Table, step: AggregationStep): Table {
    const config = this.options.config;
    const aggs: Aggregation[] = step.aggregates.map((a) => a.fn.create(a.argTypes, a.constants, config));
    const calls = step.aggregates;
    const groupBy = step.groupBy;
    const groupKey = (row: Row): KeyValues | null => {
      // Every expression is evaluated (each may log an error), then a null in any drops the row.
      const key: unknown[] = [];
      let hasNull = false;
      for (let i = 0; i < groupBy.length; i++) {
        const v = this.evaluate(groupBy[i] as Compiled, row, 'GROUP BY');
        if (v === null) hasNull = true;
        key.push(v);
      }
      return hasNull ? null : key;
    };
    const callArgs = calls.map((c) => c.args);
    const evaluateArgs = (row: Row, i: number): unknown[] => {
      const exprs = callArgs[i] ?? [];
      const args: unknown[] = [];
      for (let j = 0; j < exprs.length; j++) args.push(this.evaluate(exprs[j] as Compiled, row, 'aggregate argument'));
      return args;
    };
    // A prepared row (see below) carries the arguments already evaluated.
    const argsOf = (row: Row, i: number): unknown[] =>
      (row[PREPARED] as unknown[][] | undefined)?.[i] ?? evaluateArgs(row, i);
    const initializer = () => aggs.map((a) => a.initial());
    const adder = (_k: unknown, row: Row, acc: unknown[]) => {
      const prepared = row[PREPARED] as unknown[][] | undefined;
      const out: unknown[] = [];
      for (let i = 0; i < aggs.length; i++)
        out.push((aggs[i] as Aggregation).add(acc[i], prepared?.[i] ?? evaluateArgs(row, i)));
      return out;
    };
    const subtractor = (_k: unknown, row: Row, acc: unknown[]) =>
      aggs.map((a, i) => (a.undo ? a.undo(acc[i], argsOf(row, i)) : acc[i]));
    const merger = (_k: unknown, x: unknown[], y: unknown[]) =>
      aggs.map((a, i) => (a.merge ? a.merge(x[i], y[i]) : y[i]));

    let table: KTable<AnyKey, unknown[]>;
    if (isTable(input)) {
      table = input
        .groupBy((_k, row) => ({ key: groupKey(row) as KeyValues, value: row }))
        .aggregate(initializer, adder, subtractor) as KTable<AnyKey, unknown[]>;
    } else {
      // Grouping by the key itself needs no repartition; rows with a null key are dropped, as a GROUP BY drops them.
      // Else, as ksqlDB's pre-aggregate step: only the aggregates' arguments, evaluated, go through the repartition.
      // Aggregates without arguments (COUNT(*)) have one pre-aggregate row for every record: written once.
      const noArgs = calls.every((c) => c.args.length === 0);
      const constant = noArgs ? constantValueSerde({ [PREPARED]: calls.map(() => []) } as Row) : null;
      const grouped = step.groupByKey
        ? (dropNullKeys(input as Stream) as KStream<KeyValues, Row>).groupByKey()
        : (input as Stream)
            .map((_k, row) => {
              const key = groupKey(row) as AnyKey;
              if (constant !== null) return { key, value: constant.value };
              const prepared: unknown[][] = [];
              for (let i = 0; i < calls.length; i++) prepared.push(evaluateArgs(row, i));
              return { key, value: { [PREPARED]: prepared } as Row };
            })
            .groupByKey({
              keySerde: internalKeySerde as Serde<AnyKey>,
              valueSerde: (constant?.serde ?? internalValueSerde) as Serde<Row>,
            });
      const w = step.window;
      // Without GRACE PERIOD: EMIT FINAL closes a window at its end, EMIT CHANGES keeps it open 24 hours.
      const defaultGrace = step.emitFinal ? 0 : DEFAULT_GRACE_MS;
      if (w === null) table = grouped.aggregate(initializer, adder) as KTable<AnyKey, unknown[]>;
      else if (w.type === 'SESSION') {
        const windows = SessionWindows.ofInactivityGapAndGrace(w.gapMs, w.graceMs ?? defaultGrace);
        table = grouped
          .windowedBy(windows)
          .aggregate(
            initializer,
            adder,
            merger,
            w.retentionMs === null ? {} : { retentionMs: w.retentionMs },
          ) as KTable<AnyKey, unknown[]>;
      } else {
        let windows = TimeWindows.ofSizeAndGrace(w.sizeMs, w.graceMs ?? defaultGrace);
        if (w.type === 'HOPPING') windows = windows.advanceBy(w.advanceMs);
        table = grouped
          .windowedBy(windows)
          .aggregate(initializer, adder, w.retentionMs === null ? {} : { retentionMs: w.retentionMs }) as KTable<
          AnyKey,
          unknown[]
        >;
      }
    }

    // The aggregate row: grouping values as __k<i>, results as __a<i>, window bounds.
    const keyFields = step.groupBy.map((_g, i) => `__k${i}`);
    const resultFields = aggs.map((_a, i) => `__a${i}`);
    let rows: Table = table.mapValues((acc, key) => {
      if (acc === null) return null as unknown as Row;
      const row: Row = {};
      const k = isWindowed(key) ? key.key : (key as KeyValues);
      for (let i = 0; i < k.length; i++) row[keyFields[i] ?? `__k${i}`] = k[i];
      for (let i = 0; i < aggs.length; i++) row[resultFields[i] as string] = (aggs[i] as Aggregation).result(acc[i]);
      if (isWindowed(key)) {
        row.WINDOWSTART = key.window.start;
        row.WINDOWEND = key.window.end;
      }
      return row;
    });
    if (step.having !== null) {
      const having = step.having;
      rows = enableOldValues(rows.filter((_k, row) => this.test(having, row, 'HAVING')));
    }
    let projected = rows.mapValues((row, key) => (row === null ? (null as unknown as Row) : this.project(row, key)));
    if (step.emitFinal) projected = projected.suppress(Suppressed.untilWindowCloses());
    return projected;
  }

  /**
   * EMIT FINAL in ksqlDB (Kafka Streams' emit-on-window-close) reads closed
   * windows back from the window store, which has already dropped windows
   * older than its retention (size + grace by default): those are never
   * emitted. The suppression buffer keeps them, so drop them here.
   */
  private dropExpiredFinal(stream: Stream): Stream {
    const w = this.plan.aggregation?.window;
    if (!this.plan.aggregation?.emitFinal || w === null || w === undefined || w.type === 'SESSION') return stream;
    const retention = Math.max(w.retentionMs ?? 0, w.sizeMs + (w.graceMs ?? 0));
    return stream.process(() => new ExpiredWindowFilter(retention));
  }

  // ---------------------------------------------------------------- sinks

  private sinkKeySerde(): Serde<AnyKey> {
    const s = this.sink;
    const inner = keySerde(
      s.keyFormat,
      this.plan.keyColumns.map((k) => k.column),
      s.keyOptions,
    );
    return windowSpecSerde(inner, this.plan.window);
  }

  private sinkValueSerde(): Serde<Row> {
    const s = this.sink;
    return valueSerde(
      s.valueFormat,
      this.plan.valueColumns.map((v) => v.column),
      s.valueOptions,
    );
  }

  private sinkStream(stream: Stream): void {
    let out = stream.map((key, row) => ({
      key: this.projectKey(key),
      value: isTombstone(row) ? (null as unknown as Row) : this.project(row, key),
    }));
    out = this.withSinkTimestamp(out);
    out.to(this.sink.topic, { keySerde: this.sinkKeySerde(), valueSerde: this.sinkValueSerde() });
  }

  private sinkTable(table: Table, keyIsOutput: boolean): void {
    let out = this.dropExpiredFinal(table.toStream());
    if (!keyIsOutput) out = out.map((key, row) => ({ key: this.projectKey(key), value: row }));
    out = this.withSinkTimestamp(out);
    out.to(this.sink.topic, { keySerde: this.sinkKeySerde(), valueSerde: this.sinkValueSerde() });
  }

  private withSinkTimestamp(stream: Stream): Stream {
    const column = this.sink.timestampColumn;
    if (column === null) return stream;
    const format = this.sink.timestampFormat;
    return stream.process(() => new SinkTimestampProcessor(column, format));
  }
}

function enableOldValues<T extends KTable<AnyKey, Row>>(table: T): T {
  table.enableSendingOldValues(true);
  return table;
}

function isTable(x: Stream | Table): x is Table {
  return 'toStream' in x;
}

/**
 * A stream joined or grouped on its own key, without the repartition that
 * would drop them: records whose key columns are all null are dropped here,
 * as ksqlDB drops them.
 */
function dropNullKeys<V>(stream: KStream<AnyKey, V>): KStream<AnyKey, V> {
  return stream.filter((key) => {
    const values = key !== null && typeof key === 'object' && 'window' in key ? key.key : key;
    return Array.isArray(values) && values.some((v) => v !== null && v !== undefined);
  });
}
