/**
 * The Processor API: a processor receives one record at a time, may read and
 * write the state stores connected to it, forwards records to its children,
 * and may schedule punctuations by stream time or wall-clock time.
 */
import type { StateStore } from '../state/store.ts';
import type { Record, RecordMetadata } from './record.ts';

export interface Processor<KIn, VIn, KOut = unknown, VOut = unknown> {
  init?(context: ProcessorContext<KOut, VOut>): void;
  process(record: Record<KIn, VIn>): void;
  close?(): void;
}

/** Creates one processor instance per task. */
export type ProcessorSupplier<KIn, VIn, KOut = unknown, VOut = unknown> = () => Processor<KIn, VIn, KOut, VOut>;

export type PunctuationType = 'stream-time' | 'wall-clock-time';

/** Called with the time (stream or wall-clock) at which the punctuation fires. */
export type Punctuator = (timestamp: number) => void;

export interface Cancellable {
  cancel(): void;
}

/** Why a record was dropped, with where it came from; goes to the processing log. */
export interface ProcessingLogEntry {
  readonly reason: string;
  readonly kind: SkipKind;
  readonly taskId: string;
  readonly processor: string | null;
  readonly topic: string | null;
  readonly partition: number | null;
  readonly offset: number | null;
  readonly timestamp: number | null;
}

export type SkipKind =
  | 'deserialization-error'
  | 'invalid-timestamp'
  | 'null-key'
  | 'null-value'
  | 'expired-window'
  | 'unknown-topic';

export type ProcessingLog = (entry: ProcessingLogEntry) => void;

export interface ProcessorContext<KOut = unknown, VOut = unknown> {
  readonly applicationId: string;
  readonly taskId: string;
  readonly partition: number;
  /** Name of the processor this context belongs to. */
  readonly processorName: string;
  /** Sends a record to every child, or to the named one. */
  forward<K extends KOut, V extends VOut>(record: Record<K, V>, childName?: string): void;
  getStateStore<S extends StateStore>(name: string): S;
  schedule(intervalMs: number, type: PunctuationType, punctuator: Punctuator): Cancellable;
  /** Topic, partition and offset of the record being processed; null in a punctuation. */
  recordMetadata(): RecordMetadata | null;
  /** Largest record timestamp this task has seen (-1 before the first). */
  currentStreamTimeMs(): number;
  currentSystemTimeMs(): number;
  /** Asks the runtime to commit soon. */
  commit(): void;
  /** Notes a dropped record in the processing log and the task's dropped-records count. */
  recordSkipped(kind: SkipKind, reason: string): void;
  /** Application settings the processors may read (e.g. emit intervals). */
  readonly config: Readonly<globalThis.Record<string, unknown>>;
}
