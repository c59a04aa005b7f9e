/**
 * topology: a Kafka Streams-style stream-processing library.
 *
 * Contract:
 * - kstream/ (DSL): StreamsBuilder -> KStream / KTable / grouped / windowed
 *   operators -> build() -> Topology. The DSL only builds the graph.
 * - processor/ (Processor API): Topology is a description (sources, processors,
 *   sinks, stores, internal topics, sub-topologies, describe()); StreamTask
 *   executes it for one partition group, one record at a time, synchronously,
 *   writing output to a RecordCollector and store changes to a ChangelogWriter
 *   that the runtime provides, and flushing caches and stores on commit().
 * - state/: key-value, window and session stores, in memory or on lmdb, behind
 *   the same interfaces; caching and change logging are wrappers; stores are
 *   restored by replaying `<application.id>-<store>-changelog` records.
 * - serde/: Serde<T> with Kafka's encodings (string, JSON, int32/int64/double,
 *   windowed keys) and the hook for schema-registry formats.
 * - test-driver/: TopologyTestDriver runs a topology without a broker.
 * - runtime/: KafkaStreams runs it against Kafka (kafkajs): a consumer group
 *   named after the application id, a task per sub-topology and partition,
 *   internal topics, stores restored from changelogs, and a transaction per
 *   commit (exactly-once by default).
 *
 * Semantics follow Kafka Streams 3.x (see topology/README.md for the details
 * and what is not done yet). Other components import from this file only.
 */

export { type Change, change, changeSerde } from './kstream/change.ts';
export { KGroupedStream, KGroupedTable, SessionWindowedKStream, TimeWindowedKStream } from './kstream/grouped.ts';
export type { BuilderOptions } from './kstream/internal.ts';
export { BranchedKStream, KStream } from './kstream/kstream.ts';
export { KTable, Suppressed } from './kstream/ktable.ts';
export type {
  Consumed,
  Grouped,
  Joined,
  Materialized,
  Named,
  Produced,
  Repartitioned,
  StreamJoined,
} from './kstream/options.ts';
export type { ValueJoiner } from './kstream/processors/joins.ts';
export type { BufferConfig } from './kstream/processors/suppress.ts';
export { StreamsBuilder } from './kstream/streams-builder.ts';
export { JoinWindows, SessionWindows, TimeWindows } from './kstream/windows.ts';
export type {
  Cancellable,
  ProcessingLog,
  ProcessingLogEntry,
  Processor,
  ProcessorContext,
  ProcessorSupplier,
  PunctuationType,
  Punctuator,
  SkipKind,
} from './processor/processor.ts';
export { type Headers, Record, type RecordMetadata } from './processor/record.ts';
export { type RecordCollector, StreamsError, StreamTask, type TaskConfig } from './processor/task.ts';
export {
  type ConsumedRecordView,
  fieldTimestamp,
  recordTimestamp,
  type TimestampExtractor,
} from './processor/timestamp.ts';
export {
  type NodeSpec,
  type StreamPartitioner,
  type Subtopology,
  Topology,
  TopologyError,
} from './processor/topology.ts';
export type { ProcessingGuarantee, StreamsConfig } from './runtime/config.ts';
export { KafkaStreams, type StreamsMetrics, type StreamsState } from './runtime/kafka-streams.ts';
export {
  kafkajsMessage,
  keyPartition,
  murmur2,
  murmur2Partitioner,
  windowedKeyPartition,
} from './runtime/kafkajs-messages.ts';
export {
  readInt64,
  type SchemaRegistrySerdeFactory,
  type Serde,
  Serdes,
  SerializationError,
  writeInt64,
} from './serde/serde.ts';
export {
  SESSION_WINDOW_BYTES,
  sessionWindowedSerde,
  TIME_WINDOW_BYTES,
  timeWindowedSerde,
  type Window,
  type Windowed,
  windowed,
} from './serde/windowed.ts';
export { type ChangelogRecord, type ChangelogWriter, changelogTopic } from './state/changelog.ts';
export type {
  KeyValueBytesStore,
  SessionBytesStore,
  StateStore,
  StoreContext,
  WindowBytesStore,
} from './state/store.ts';
export { StoreBuilder, type StoreBuildOptions, Stores } from './state/stores.ts';
export {
  type KeyValue,
  KeyValueStore,
  SessionStore,
  type TimestampedKeyValueStore,
  type TimestampedWindowStore,
  type ValueAndTimestamp,
  WindowStore,
} from './state/typed.ts';
export { type DriverOptions, type ProducedRecord, TopologyTestDriver } from './test-driver/driver.ts';
export { TestInputTopic, TestOutputTopic, type TestRecord } from './test-driver/topics.ts';
