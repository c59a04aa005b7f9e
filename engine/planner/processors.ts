/**
 * The processors the physical planner puts into topologies through the
 * DSL's process(): source rows with pseudo columns, the sink timestamp, and
 * EMIT FINAL's retention cut-off. Also the row conventions they share.
 */
import type { Processor, ProcessorContext, Windowed } from '../../topology/index.ts';
import { Record as KafkaRecord } from '../../topology/index.ts';
import type { SourceRef } from '../analyzer/scope.ts';
import { parseJavaTimestamp } from '../functions/datetime-format.ts';
import { type SourceRowBuild, sourceRowBuilder } from '../types/row-builder.ts';
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
  // The row's field names, made once: a joined source's are prefixed with its alias.
  private readonly keyFields: readonly string[];
  private readonly valueFields: readonly string[];
  private readonly rowtime: string;
  private readonly rowpartition: string;
  private readonly rowoffset: string;
  private readonly windowstart: string;
  private readonly windowend: string;
  private readonly hasHeaders: boolean;
  /** The row of a record with a value, neither windowed nor with header columns: one object literal. */
  private readonly plainRow: SourceRowBuild;

  constructor(
    ref: SourceRef,
    prefixed: boolean,
    private readonly table: boolean,
  ) {
    this.key = ref.source.schema.key;
    this.value = ref.source.schema.value;
    const field = prefixed ? (name: string) => `${ref.alias}_${name}` : (name: string) => name;
    this.keyFields = this.key.map((c) => field(c.name));
    this.valueFields = this.value.map((c) => field(c.name));
    this.rowtime = field('ROWTIME');
    this.rowpartition = field('ROWPARTITION');
    this.rowoffset = field('ROWOFFSET');
    this.windowstart = field('WINDOWSTART');
    this.windowend = field('WINDOWEND');
    this.hasHeaders = this.value.some((c) => c.header);
    this.plainRow = sourceRowBuilder({
      key: this.keyFields,
      value: this.value.map((c, i) => ({ field: this.valueFields[i] as string, column: c.name })),
      rowtime: this.rowtime,
      rowpartition: this.rowpartition,
      rowoffset: this.rowoffset,
    });
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
    const windowed = isWindowed(key);
    const keyValues = windowed ? key.key : (key ?? []);
    if (value !== null && !windowed && !this.hasHeaders) {
      const meta = this.context.recordMetadata();
      const row = this.plainRow(keyValues ?? [], value, record.timestamp, meta?.partition ?? 0, meta?.offset ?? 0);
      this.context.forward(record.withValue(row));
      return;
    }
    const row: Row = {};
    const keyFields = this.keyFields;
    for (let i = 0; i < keyFields.length; i++) row[keyFields[i] as string] = keyValues?.[i] ?? null;
    const columns = this.value;
    const valueFields = this.valueFields;
    if (this.hasHeaders) {
      for (let i = 0; i < columns.length; i++) {
        const c = columns[i] as Column;
        if (c.header) row[valueFields[i] as string] = headerValue(record.headers, c.header.key);
        else row[valueFields[i] as string] = value?.[c.name] ?? null;
      }
    } else if (value === null) {
      for (let i = 0; i < columns.length; i++) row[valueFields[i] as string] = null;
    } else {
      for (let i = 0; i < columns.length; i++)
        row[valueFields[i] as string] = value[(columns[i] as Column).name] ?? null;
    }
    if (value === null) row[TOMBSTONE] = true;
    const meta = this.context.recordMetadata();
    // ksqlDB gives a record without a value no pseudo columns either.
    row[this.rowtime] = value === null ? null : record.timestamp;
    row[this.rowpartition] = value === null ? null : (meta?.partition ?? 0);
    row[this.rowoffset] = value === null ? null : (meta?.offset ?? 0);
    if (windowed) {
      row[this.windowstart] = key.window.start;
      row[this.windowend] = key.window.end;
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
