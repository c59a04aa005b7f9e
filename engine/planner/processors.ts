/**
 * The processors the physical planner puts into topologies through the
 * DSL's process(): source rows with pseudo columns, the sink timestamp, and
 * EMIT FINAL's retention cut-off. Also the row conventions they share.
 */
import type { Processor, ProcessorContext, Windowed } from '../../topology/index.ts';
import { Record as KafkaRecord } from '../../topology/index.ts';
import type { SourceRef } from '../analyzer/scope.ts';
import { parseJavaTimestamp } from '../functions/datetime-format.ts';
import type { Column, KeyValues, Row } from '../types/schema.ts';
import { parseTimestampText } from '../types/values.ts';

export type AnyKey = KeyValues | Windowed<KeyValues>;

/**
 * A stream record with a null value still flows through projections and
 * PARTITION BY (ksqlDB writes it on as a null value with its new key): its
 * row carries the key and pseudo columns and this marker.
 */
export const TOMBSTONE = '__tombstone';
export const isTombstone = (row: Row | null) => row === null || row[TOMBSTONE] === true;

export function isWindowed(key: unknown): key is Windowed<KeyValues> {
  return key !== null && typeof key === 'object' && !Array.isArray(key) && 'window' in key;
}

/** Turns a deserialized record into a source row: key, value, pseudo columns and window bounds. */
export class SourceRowProcessor implements Processor<AnyKey, Row | null, AnyKey, Row | null> {
  private context!: ProcessorContext<AnyKey, Row | null>;
  private readonly key: readonly Column[];
  private readonly value: readonly Column[];
  private readonly field: (name: string) => string;

  constructor(
    ref: SourceRef,
    prefixed: boolean,
    private readonly table: boolean,
  ) {
    this.key = ref.source.schema.key;
    this.value = ref.source.schema.value;
    this.field = prefixed ? (name) => `${ref.alias}_${name}` : (name) => name;
  }

  init(context: ProcessorContext<AnyKey, Row | null>): void {
    this.context = context;
  }

  process(record: KafkaRecord<AnyKey, Row | null>): void {
    const value = record.value;
    const key = record.key;
    const keyValues0 = isWindowed(key) ? key.key : key;
    if (this.table && this.key.length > 0 && (keyValues0 === null || keyValues0.every((v) => v === null))) {
      // A table row needs its PRIMARY KEY.
      this.context.recordSkipped('null-key', 'table rows with a null key are dropped');
      return;
    }
    if (value === null && this.table) {
      this.context.forward(record);
      return;
    }
    const keyValues = isWindowed(key) ? key.key : (key ?? []);
    const row: Row = {};
    this.key.forEach((c, i) => {
      row[this.field(c.name)] = keyValues?.[i] ?? null;
    });
    for (const c of this.value) {
      if (c.header) row[this.field(c.name)] = headerValue(record.headers, c.header.key);
      else row[this.field(c.name)] = value?.[c.name] ?? null;
    }
    if (value === null) row[TOMBSTONE] = true;
    const meta = this.context.recordMetadata();
    // ksqlDB gives a record without a value no pseudo columns either.
    row[this.field('ROWTIME')] = value === null ? null : record.timestamp;
    row[this.field('ROWPARTITION')] = value === null ? null : (meta?.partition ?? 0);
    row[this.field('ROWOFFSET')] = value === null ? null : (meta?.offset ?? 0);
    if (isWindowed(key)) {
      row[this.field('WINDOWSTART')] = key.window.start;
      row[this.field('WINDOWEND')] = key.window.end;
    }
    this.context.forward(record.withValue(row));
  }
}

function headerValue(headers: KafkaRecord<unknown, unknown>['headers'], key: string | null): unknown {
  if (key === null) return headers.map((h) => ({ KEY: h.key, VALUE: h.value }));
  const found = [...headers].reverse().find((h) => h.key === key);
  return found?.value ?? null;
}

export class ExpiredWindowFilter implements Processor<AnyKey, Row, AnyKey, Row> {
  private context!: ProcessorContext<AnyKey, Row>;

  constructor(private readonly retentionMs: number) {}

  init(context: ProcessorContext<AnyKey, Row>): void {
    this.context = context;
  }

  process(record: KafkaRecord<AnyKey, Row>): void {
    const key = record.key;
    if (isWindowed(key) && key.window.start < this.context.currentStreamTimeMs() - this.retentionMs) return;
    this.context.forward(record);
  }
}

/** TIMESTAMP='col' on a sink: the output record takes its time from that column. */
export class SinkTimestampProcessor implements Processor<AnyKey, Row, AnyKey, Row> {
  private context!: ProcessorContext<AnyKey, Row>;

  constructor(
    private readonly column: string,
    private readonly format: string | null,
  ) {}

  init(context: ProcessorContext<AnyKey, Row>): void {
    this.context = context;
  }

  process(record: KafkaRecord<AnyKey, Row>): void {
    const v = record.value?.[this.column];
    let ts = record.timestamp;
    if (typeof v === 'number') ts = v;
    else if (typeof v === 'string') ts = this.format ? parseJavaTimestamp(v, this.format) : parseTimestampText(v);
    this.context.forward(new KafkaRecord(record.key, record.value, ts, record.headers));
  }
}
