/**
 * StreamTask runs a topology (or one sub-topology) for one partition group:
 * it owns an instance of every processor and store, takes one record at a
 * time from its source topics, keeps stream time, fires punctuations, and on
 * commit flushes caches and stores. It does no I/O of its own: output and
 * changelog records go to the RecordCollector and ChangelogWriter the runtime
 * gives it (the test driver collects them; the Kafka runner produces them in
 * the task's transaction). Nothing on the per-record path is async.
 */

import { windowedKeyPartition } from '../runtime/kafkajs-messages.ts';
import { type Serde, SerializationError } from '../serde/serde.ts';
import type { ChangelogRecord, ChangelogWriter } from '../state/changelog.ts';
import type { StateStore, StoreContext } from '../state/store.ts';
import type {
  Cancellable,
  ProcessingLog,
  Processor,
  ProcessorContext,
  PunctuationType,
  Punctuator,
  SkipKind,
} from './processor.ts';
import { type Headers, NO_HEADERS, Record, type RecordMetadata } from './record.ts';
import type { ConsumedRecordView, TimestampExtractor } from './timestamp.ts';
import type { NodeSpec, SinkNodeSpec, SourceNodeSpec, Topology } from './topology.ts';

export interface RecordCollector {
  /** partition null: the collector picks one (Kafka's default partitioner on the key bytes). */
  send(
    topic: string,
    key: Buffer | null,
    value: Buffer | null,
    timestamp: number,
    headers: Headers,
    partition: number | null,
  ): void;
  partitionsFor(topic: string): number;
}

export interface TaskConfig {
  readonly applicationId: string;
  /** `<subtopology>_<partition>`. */
  readonly taskId: string;
  readonly partition: number;
  readonly stateDir: string | null;
  readonly caching: boolean;
  readonly cacheMaxBytes: number;
  readonly collector: RecordCollector;
  readonly changelog: ChangelogWriter | null;
  readonly processingLog: ProcessingLog;
  /** Wall-clock time in epoch ms (the test driver's is mocked). */
  readonly clock: () => number;
  readonly defaultTimestampExtractor?: TimestampExtractor;
  readonly config?: Readonly<globalThis.Record<string, unknown>>;
  readonly requestCommit?: () => void;
}

export class StreamsError extends Error {
  override name = 'StreamsError';
}

interface Schedule {
  next: number;
  readonly interval: number;
  readonly punctuator: Punctuator;
  readonly node: NodeInstance;
  cancelled: boolean;
}

/** One node of the topology, instantiated for this task. */
class NodeInstance implements ProcessorContext<unknown, unknown> {
  children: NodeInstance[] = [];
  readonly childByName = new Map<string, NodeInstance>();
  processor: Processor<unknown, unknown, unknown, unknown> | null = null;
  sinkTopic = '';

  constructor(
    readonly spec: NodeSpec,
    private readonly task: StreamTask,
  ) {}

  get applicationId(): string {
    return this.task.applicationId;
  }

  get taskId(): string {
    return this.task.taskId;
  }

  get partition(): number {
    return this.task.partition;
  }

  get processorName(): string {
    return this.spec.name;
  }

  get config(): Readonly<globalThis.Record<string, unknown>> {
    return this.task.settings;
  }

  process(record: Record<unknown, unknown>): void {
    if (this.processor !== null) this.processor.process(record);
    else if (this.spec.kind === 'sink') this.task.sink(this.spec, this.sinkTopic, record);
    else this.forward(record);
  }

  forward(record: Record<unknown, unknown>, childName?: string): void {
    const task = this.task;
    const saved = task.currentTimestamp;
    const savedHeaders = task.currentHeaders;
    // Usually the record keeps the timestamp and headers of the one being processed: nothing to set or restore
    // (children restore what they change themselves).
    if (record.timestamp === saved && record.headers === savedHeaders) {
      this.toChildren(record, childName);
      return;
    }
    task.currentTimestamp = record.timestamp;
    task.currentHeaders = record.headers;
    try {
      this.toChildren(record, childName);
    } finally {
      task.currentTimestamp = saved;
      task.currentHeaders = savedHeaders;
    }
  }

  private toChildren(record: Record<unknown, unknown>, childName: string | undefined): void {
    if (childName !== undefined) {
      const child = this.childByName.get(childName);
      if (child === undefined) throw new StreamsError(`processor ${this.spec.name} has no child named ${childName}`);
      child.process(record);
    } else {
      const children = this.children;
      for (let i = 0; i < children.length; i++) (children[i] as NodeInstance).process(record);
    }
  }

  getStateStore<S extends StateStore>(name: string): S {
    if (this.spec.kind !== 'processor' || !this.spec.stores.includes(name)) {
      throw new StreamsError(
        `processor ${this.spec.name} is not connected to store ${name}; connect it when building the topology`,
      );
    }
    return this.task.store(name) as S;
  }

  schedule(intervalMs: number, type: PunctuationType, punctuator: Punctuator): Cancellable {
    return this.task.schedule(this, intervalMs, type, punctuator);
  }

  recordMetadata(): RecordMetadata | null {
    return this.task.metadata;
  }

  currentStreamTimeMs(): number {
    return this.task.streamTime;
  }

  currentSystemTimeMs(): number {
    return this.task.clock();
  }

  commit(): void {
    this.task.requestCommit();
  }

  recordSkipped(kind: SkipKind, reason: string): void {
    this.task.skipped(kind, reason, this.spec.name);
  }
}

export class StreamTask implements StoreContext {
  readonly applicationId: string;
  readonly taskId: string;
  readonly partition: number;
  readonly stateDir: string | null;
  readonly changelog: ChangelogWriter | null;
  readonly clock: () => number;
  readonly settings: Readonly<globalThis.Record<string, unknown>>;
  /** Largest timestamp of the records this task has processed; -1 before the first. */
  streamTime = -1;
  /** Timestamp and headers of the record being processed (or forwarded) right now. */
  currentTimestamp = -1;
  currentHeaders: Headers = NO_HEADERS;
  // Position of the record being processed, kept as fields so the hot path allocates no object for it.
  private metaTopic: string | null = null;
  private metaPartition = 0;
  private metaOffset = 0;
  droppedRecords = 0;
  private commitRequested = false;
  // The current record's key as read, for sourceKeyBytes(); only primitive keys (an object key could be mutated).
  private sourceKey: unknown = undefined;
  private sourceKeyBytesRead: Buffer | null = null;
  private sourceKeySerde: Serde<unknown> | null = null;

  private readonly nodes = new Map<string, NodeInstance>();
  private readonly sourceByTopic = new Map<string, NodeInstance>();
  /** The source of the topic processed last: a task's records mostly come from one topic at a time. */
  private lastSourceTopic: string | null = null;
  private lastSource: NodeInstance | undefined = undefined;
  private readonly storeInstances = new Map<string, StateStore>();
  private readonly streamTimeSchedules: Schedule[] = [];
  private readonly wallClockSchedules: Schedule[] = [];
  private storesInitialized = false;
  private processorsInitialized = false;
  private closed = false;

  constructor(
    topology: Topology,
    private readonly config: TaskConfig,
    /** Names of the nodes this task runs; all of them when omitted (the test driver runs one task for everything). */
    nodeNames?: readonly string[],
  ) {
    this.applicationId = config.applicationId;
    this.taskId = config.taskId;
    this.partition = config.partition;
    this.stateDir = config.stateDir;
    this.changelog = config.changelog;
    this.clock = config.clock;
    this.settings = config.config ?? {};
    const names = nodeNames ?? [...topology.nodes.keys()];
    for (const name of names) {
      const spec = topology.nodes.get(name);
      if (spec === undefined) throw new StreamsError(`task ${this.taskId}: no node named ${name}`);
      const node = new NodeInstance(spec, this);
      if (spec.kind === 'sink') node.sinkTopic = topology.physicalTopic(config.applicationId, spec.topic);
      this.nodes.set(name, node);
    }
    for (const node of this.nodes.values()) {
      for (const childName of node.spec.children) {
        const child = this.nodes.get(childName);
        if (child === undefined) continue; // a child in another sub-topology: not this task's
        node.children.push(child);
        node.childByName.set(childName, child);
      }
      if (node.spec.kind === 'source') {
        for (const topic of node.spec.topics)
          this.sourceByTopic.set(topology.physicalTopic(config.applicationId, topic), node);
      }
      if (node.spec.kind === 'processor') {
        for (const store of node.spec.stores) {
          if (this.storeInstances.has(store)) continue;
          const builder = topology.stores.get(store);
          if (builder === undefined) throw new StreamsError(`processor ${node.spec.name} uses unknown store ${store}`);
          this.storeInstances.set(
            store,
            builder.build({ cachingAllowed: config.caching, cacheMaxBytes: config.cacheMaxBytes }),
          );
        }
      }
    }
  }

  /** Physical topics this task reads. */
  get inputTopics(): string[] {
    return [...this.sourceByTopic.keys()];
  }

  get storeNames(): string[] {
    return [...this.storeInstances.keys()];
  }

  recordTimestamp(): number {
    return this.currentTimestamp;
  }

  /** Opens the stores (and, for lmdb, their files). Restore after this, then initialize processors. */
  initializeStores(): void {
    if (this.storesInitialized) return;
    for (const store of this.storeInstances.values()) store.init(this);
    this.storesInitialized = true;
  }

  /** Replays a store's changelog records into it (before processing starts). */
  restore(storeName: string, records: Iterable<ChangelogRecord>): void {
    this.initializeStores();
    const store = this.storeInstances.get(storeName);
    if (store === undefined) throw new StreamsError(`task ${this.taskId} has no store named ${storeName} to restore`);
    if (store.restore === undefined)
      throw new StreamsError(`store ${storeName} keeps no changelog and cannot be restored`);
    for (const record of records) store.restore(record.key, record.value, record.timestamp);
  }

  initializeProcessors(): void {
    if (this.processorsInitialized) return;
    this.initializeStores();
    for (const node of this.nodes.values()) {
      if (node.spec.kind !== 'processor') continue;
      node.processor = node.spec.supplier();
      node.processor.init?.(node);
    }
    this.processorsInitialized = true;
  }

  store(name: string): StateStore {
    const store = this.storeInstances.get(name);
    if (store === undefined) throw new StreamsError(`task ${this.taskId} has no store named ${name}`);
    return store;
  }

  /**
   * Processes one consumed record: deserializes it with its source's serdes,
   * extracts its timestamp, advances stream time and pushes it through the
   * graph. A record that cannot be read is logged and skipped.
   */
  process(
    topic: string,
    partition: number,
    offset: number,
    timestamp: number,
    headers: Headers,
    keyBytes: Buffer | null,
    valueBytes: Buffer | null,
  ): void {
    if (!this.processorsInitialized) this.initializeProcessors();
    let node = this.lastSource;
    if (topic !== this.lastSourceTopic) {
      node = this.sourceByTopic.get(topic);
      this.lastSourceTopic = topic;
      this.lastSource = node;
    }
    this.metaTopic = topic;
    this.metaPartition = partition;
    this.metaOffset = offset;
    this.currentTimestamp = timestamp;
    this.currentHeaders = headers;
    try {
      if (node === undefined) {
        this.skipped('unknown-topic', `task ${this.taskId} reads no topic named ${topic}`, null);
        return;
      }
      const spec = node.spec as SourceNodeSpec;
      let key: unknown;
      let value: unknown;
      try {
        key = spec.keySerde.deserialize(topic, keyBytes, headers);
        value = spec.valueSerde.deserialize(topic, valueBytes, headers);
      } catch (error) {
        const reason =
          error instanceof SerializationError ? error.message : `cannot deserialize: ${(error as Error).message}`;
        this.skipped('deserialization-error', reason, spec.name);
        return;
      }
      const extractor = spec.timestampExtractor ?? this.config.defaultTimestampExtractor;
      if (extractor !== undefined) {
        const view: ConsumedRecordView = { topic, partition, offset, timestamp, key, value };
        timestamp = extractor(view, this.streamTime);
      }
      if (!(timestamp >= 0)) {
        this.skipped(
          'invalid-timestamp',
          `invalid timestamp ${timestamp}: the record has no usable event time`,
          spec.name,
        );
        return;
      }
      if (timestamp > this.streamTime) this.streamTime = timestamp;
      this.currentTimestamp = timestamp;
      if (
        keyBytes !== null &&
        spec.keySerde.topicIndependent === true &&
        (typeof key === 'string' || typeof key === 'number')
      ) {
        this.sourceKey = key;
        this.sourceKeyBytesRead = keyBytes;
        this.sourceKeySerde = spec.keySerde;
      }
      node.forward(new Record(key, value, timestamp, headers));
    } catch (error) {
      if (error instanceof StreamsError) throw error;
      const wrapped = new StreamsError(
        `task ${this.taskId} failed processing ${topic}-${partition} at offset ${offset}: ${(error as Error).message}`,
      );
      wrapped.cause = error;
      throw wrapped;
    } finally {
      this.metaTopic = null;
      this.sourceKeySerde = null;
    }
  }

  sourceKeyBytes(serde: Serde<unknown>, key: unknown): Buffer | null {
    return serde === this.sourceKeySerde && key === this.sourceKey ? this.sourceKeyBytesRead : null;
  }

  /** Topic, partition and offset of the record being processed; null outside process(). */
  get metadata(): RecordMetadata | null {
    return this.metaTopic === null
      ? null
      : { topic: this.metaTopic, partition: this.metaPartition, offset: this.metaOffset };
  }

  sink(spec: SinkNodeSpec, topic: string, record: Record<unknown, unknown>): void {
    const key =
      this.sourceKeyBytes(spec.keySerde, record.key) ?? spec.keySerde.serialize(topic, record.key, record.headers);
    const value = spec.valueSerde.serialize(topic, record.value, record.headers);
    const collector = this.config.collector;
    const windowBytes = spec.keySerde.windowBytes;
    const partition =
      spec.partitioner !== null
        ? spec.partitioner(topic, record.key, record.value, collector.partitionsFor(topic))
        : windowBytes !== undefined && key !== null && key.length >= windowBytes
          ? windowedKeyPartition(key, windowBytes, collector.partitionsFor(topic))
          : null;
    collector.send(topic, key, value, record.timestamp, record.headers, partition);
  }

  schedule(node: NodeInstance, intervalMs: number, type: PunctuationType, punctuator: Punctuator): Cancellable {
    if (!(intervalMs >= 1)) throw new StreamsError(`punctuation interval must be at least 1 ms, got ${intervalMs}`);
    // Stream-time schedules are aligned to 0 and fire with the first record;
    // wall-clock ones fire one interval from now, as in Kafka Streams.
    const schedule: Schedule = {
      next: type === 'stream-time' ? 0 : this.clock() + intervalMs,
      interval: intervalMs,
      punctuator,
      node,
      cancelled: false,
    };
    (type === 'stream-time' ? this.streamTimeSchedules : this.wallClockSchedules).push(schedule);
    return { cancel: () => (schedule.cancelled = true) };
  }

  /** Fires due stream-time punctuations; call after each record. */
  maybePunctuateStreamTime(): boolean {
    if (this.streamTimeSchedules.length === 0 || this.streamTime < 0) return false;
    return this.punctuate(this.streamTimeSchedules, this.streamTime);
  }

  /** Fires due wall-clock punctuations. */
  maybePunctuateSystemTime(): boolean {
    if (this.wallClockSchedules.length === 0) return false;
    return this.punctuate(this.wallClockSchedules, this.clock());
  }

  private punctuate(schedules: Schedule[], now: number): boolean {
    let fired = false;
    for (let i = 0; i < schedules.length; i++) {
      const schedule = schedules[i] as Schedule;
      if (schedule.cancelled) {
        schedules.splice(i--, 1);
        continue;
      }
      if (schedule.next > now) continue;
      fired = true;
      this.metaTopic = null;
      this.currentTimestamp = now;
      this.currentHeaders = NO_HEADERS;
      schedule.punctuator(now);
      // Missed intervals are skipped: one punctuation, then the next one after `now`.
      schedule.next += schedule.interval * (Math.floor((now - schedule.next) / schedule.interval) + 1);
    }
    return fired;
  }

  requestCommit(): void {
    this.commitRequested = true;
    this.config.requestCommit?.();
  }

  /** True once, after a processor asked for a commit. */
  takeCommitRequest(): boolean {
    const requested = this.commitRequested;
    this.commitRequested = false;
    return requested;
  }

  /**
   * Flushes caches (sending their coalesced updates downstream) and stores.
   * The runtime then commits the consumed offsets, in the same transaction
   * under exactly-once.
   */
  commit(): void {
    if (!this.storesInitialized) return;
    this.metaTopic = null;
    for (const store of this.storeInstances.values()) store.flush();
  }

  skipped(kind: SkipKind, reason: string, processor: string | null): void {
    this.droppedRecords++;
    const metadata = this.metadata;
    this.config.processingLog({
      kind,
      reason,
      taskId: this.taskId,
      processor,
      topic: metadata?.topic ?? null,
      partition: metadata?.partition ?? null,
      offset: metadata?.offset ?? null,
      timestamp: this.currentTimestamp >= 0 ? this.currentTimestamp : null,
    });
  }

  /** Flushes and closes processors and stores; the task cannot be used afterwards. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.processorsInitialized) for (const node of this.nodes.values()) node.processor?.close?.();
    this.commit();
    for (const store of this.storeInstances.values()) store.close();
  }
}
