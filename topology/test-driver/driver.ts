/**
 * TopologyTestDriver: runs a whole topology in one process, one record at a
 * time, deterministically and without a broker, like Kafka Streams' driver.
 *
 * Every topic has one partition. Records written to repartition topics go
 * back into the topology at once, in the order they were written, before the
 * next input record. Output and changelog records are kept per topic, to be
 * read with createOutputTopic. Wall-clock time only moves when the test
 * moves it. Caching is off by default, so every update is emitted (as
 * ksqlDB's test runner does); with caching on, caches flush on commit(),
 * when advanced wall-clock time passes the commit interval, and on close().
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ProcessingLog, ProcessingLogEntry } from '../processor/processor.ts';
import { type Headers, NO_HEADERS } from '../processor/record.ts';
import { type RecordCollector, StreamTask } from '../processor/task.ts';
import type { TimestampExtractor } from '../processor/timestamp.ts';
import type { Topology } from '../processor/topology.ts';
import type { Serde } from '../serde/serde.ts';
import type { ChangelogRecord, ChangelogWriter } from '../state/changelog.ts';
import type { StateStore } from '../state/store.ts';
import { type ProducedRecord, TopicLog } from './topic-log.ts';
import { TestInputTopic, TestOutputTopic } from './topics.ts';

export type { ProducedRecord };

export interface DriverOptions {
  readonly applicationId?: string;
  /** Record caches on (updates coalesce per key until a commit) or off (every update emitted). Default off. */
  readonly caching?: boolean;
  readonly cacheMaxBytes?: number;
  readonly commitIntervalMs?: number;
  /** Folder for persistent (lmdb) stores; by default a temporary folder, removed on close. */
  readonly stateDir?: string;
  readonly initialWallClockMs?: number;
  /** Called for each skipped record; entries are also kept in `processingLog`. */
  readonly processingLog?: ProcessingLog;
  /** Changelog records to restore stores from before processing, by changelog topic. */
  readonly restoreFrom?: ReadonlyMap<string, readonly ChangelogRecord[]>;
  readonly defaultTimestampExtractor?: TimestampExtractor;
  /** Settings processors may read, e.g. `emitIntervalMs` for left/outer stream-stream joins. */
  readonly config?: Readonly<Record<string, unknown>>;
}

interface InternalRecord {
  readonly topic: string;
  readonly offset: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly timestamp: number;
  readonly headers: Headers;
}

export class TopologyTestDriver {
  readonly applicationId: string;
  /** Every skipped record, in order. */
  readonly processingLog: ProcessingLogEntry[] = [];
  private readonly task: StreamTask;
  private readonly outputs = new Map<string, TopicLog>();
  /** Where each written topic goes: its log, or null for a repartition topic (fed back in). One lookup a record. */
  private readonly destinations = new Map<string, TopicLog | null>();
  /** The destination written last: consecutive records mostly go to one topic (a compare instead of a lookup). */
  private lastDestinationTopic: string | null = null;
  private lastDestination: TopicLog | null = null;
  /** Next offset per input topic, in a mutable cell so a record costs one Map lookup. */
  private readonly inputOffsets = new Map<string, { next: number }>();
  private lastInputTopic: string | null = null;
  private lastInputOffset: { next: number } | undefined = undefined;
  private readonly internalQueue: InternalRecord[] = [];
  private readonly internalTopics: Set<string>;
  private readonly changelogTopics: Set<string>;
  private readonly ownedStateDir: string | null;
  private readonly commitIntervalMs: number;
  private wallClock: number;
  private lastCommit: number;
  private draining = false;
  private closed = false;

  constructor(
    readonly topology: Topology,
    options: DriverOptions = {},
  ) {
    this.applicationId = options.applicationId ?? 'test-app';
    this.wallClock = options.initialWallClockMs ?? 0;
    this.lastCommit = this.wallClock;
    this.commitIntervalMs = options.commitIntervalMs ?? 30_000;
    this.internalTopics = new Set(
      topology.repartitionTopics().map((t) => topology.physicalTopic(this.applicationId, t)),
    );
    const changelogs = topology.changelogTopics(this.applicationId);
    this.changelogTopics = new Set(changelogs.values());
    const needsDisk = [...topology.stores.values()].some((b) => b.persistent);
    this.ownedStateDir =
      options.stateDir === undefined && needsDisk ? fs.mkdtempSync(path.join(os.tmpdir(), 'tally-driver-')) : null;
    const userLog = options.processingLog;
    const collector: RecordCollector = {
      send: (topic, key, value, timestamp, headers) => this.produced(topic, key, value, timestamp, headers),
      partitionsFor: () => 1,
    };
    // The changelog written last, kept: a record's writes mostly go to one store (a compare instead of a Map lookup).
    let lastChangelog = '';
    let lastChangelogLog: TopicLog | null = null;
    const changelogLog = (topic: string): TopicLog => {
      if (topic !== lastChangelog || lastChangelogLog === null) {
        lastChangelogLog = this.topicLog(topic);
        lastChangelog = topic;
      }
      return lastChangelogLog;
    };
    const changelog: ChangelogWriter = {
      log: (topic, _partition, key, value, timestamp) => this.produced(topic, key, value, timestamp, NO_HEADERS),
      // Changelogs are never repartition topics: straight to the topic's log, without cutting the value out.
      logTimestamped: (topic, _partition, key, stored) => changelogLog(topic).appendTimestamped(key, stored),
      logTimestampedWindow: (topic, _partition, key, windowStart, seqnum, stored) =>
        changelogLog(topic).appendTimestampedWindow(key, windowStart, seqnum, stored),
    };
    this.task = new StreamTask(topology, {
      applicationId: this.applicationId,
      taskId: '0_0',
      partition: 0,
      stateDir: options.stateDir ?? this.ownedStateDir,
      caching: options.caching ?? false,
      cacheMaxBytes: options.cacheMaxBytes ?? 10 * 1024 * 1024,
      collector,
      changelog,
      processingLog: (entry) => {
        this.processingLog.push(entry);
        userLog?.(entry);
      },
      clock: () => this.wallClock,
      config: options.config ?? {},
      ...(options.defaultTimestampExtractor ? { defaultTimestampExtractor: options.defaultTimestampExtractor } : {}),
    });
    this.task.initializeStores();
    if (options.restoreFrom !== undefined) {
      for (const [store, topic] of changelogs) {
        const records = options.restoreFrom.get(topic);
        if (records !== undefined) this.task.restore(store, records);
      }
    }
    this.task.initializeProcessors();
  }

  createInputTopic<K, V>(
    topic: string,
    keySerde: Serde<K>,
    valueSerde: Serde<V>,
    options: { startTimestamp?: number; autoAdvanceMs?: number } = {},
  ): TestInputTopic<K, V> {
    if (!this.task.inputTopics.includes(topic)) {
      throw new Error(`topic ${topic} is not an input of this topology (inputs: ${this.task.inputTopics.join(', ')})`);
    }
    return new TestInputTopic(
      this,
      topic,
      keySerde,
      valueSerde,
      options.startTimestamp ?? 0,
      options.autoAdvanceMs ?? 0,
    );
  }

  createOutputTopic<K, V>(topic: string, keySerde: Serde<K>, valueSerde: Serde<V>): TestOutputTopic<K, V> {
    return new TestOutputTopic(this, topic, keySerde, valueSerde);
  }

  /**
   * Pipes one record of bytes into a source topic and processes everything it causes. `position`: the
   * partition and offset the record had in a real topic (a transient query fed from a broker), else partition 0
   * and the driver's next offset.
   */
  pipeRaw(
    topic: string,
    key: Buffer | null,
    value: Buffer | null,
    timestamp: number,
    headers: Headers = NO_HEADERS,
    position?: { readonly partition: number; readonly offset: number },
  ): void {
    this.checkOpen();
    const partition = position?.partition ?? 0;
    const offset = position?.offset ?? this.nextOffset(topic);
    this.task.process(topic, partition, offset, timestamp, headers, key, value);
    this.drainInternal();
    if (this.task.maybePunctuateStreamTime()) this.drainInternal();
    if (this.task.takeCommitRequest()) this.commit();
  }

  /** Moves wall-clock time, firing wall-clock punctuations and, past the commit interval, a commit. */
  advanceWallClockTime(ms: number): void {
    this.checkOpen();
    this.wallClock += ms;
    if (this.task.maybePunctuateSystemTime()) this.drainInternal();
    if (this.wallClock - this.lastCommit >= this.commitIntervalMs) this.commit();
  }

  get wallClockTime(): number {
    return this.wallClock;
  }

  /** Flushes caches (emitting their updates) and stores. */
  commit(): void {
    this.task.commit();
    this.drainInternal();
    this.lastCommit = this.wallClock;
  }

  getStateStore<S extends StateStore>(name: string): S {
    return this.task.store(name) as S;
  }

  /** Topics the topology has written to, including changelogs (not repartition topics). */
  producedTopicNames(): string[] {
    return [...this.outputs.keys()].filter((t) => (this.outputs.get(t)?.size ?? 0) > 0);
  }

  /** Every changelog record written so far, by changelog topic (for restoring another driver). */
  changelogRecords(): Map<string, ChangelogRecord[]> {
    const out = new Map<string, ChangelogRecord[]>();
    for (const topic of this.changelogTopics) {
      const log = this.outputs.get(topic);
      if (log === undefined) continue;
      const records: ChangelogRecord[] = [];
      for (let offset = 0; offset < log.size; offset++) {
        const r = log.get(offset);
        records.push({ key: r.key ?? Buffer.alloc(0), value: r.value, timestamp: r.timestamp });
      }
      out.set(topic, records);
    }
    return out;
  }

  get streamTime(): number {
    return this.task.streamTime;
  }

  /** Closes processors and stores (flushing caches first) and removes the temporary state folder. */
  close(): void {
    if (this.closed) return;
    this.task.close();
    this.drainInternal();
    this.closed = true;
    if (this.ownedStateDir !== null) fs.rmSync(this.ownedStateDir, { recursive: true, force: true });
  }

  /** @internal Unread records of a topic, for TestOutputTopic. */
  topicLog(topic: string): TopicLog {
    let log = this.outputs.get(topic);
    if (log === undefined) {
      log = new TopicLog(topic);
      this.outputs.set(topic, log);
    }
    return log;
  }

  private produced(topic: string, key: Buffer | null, value: Buffer | null, timestamp: number, headers: Headers): void {
    let log: TopicLog | null | undefined = this.lastDestination;
    if (topic !== this.lastDestinationTopic) {
      log = this.destinations.get(topic);
      if (log === undefined) {
        log = this.internalTopics.has(topic) ? null : this.topicLog(topic);
        this.destinations.set(topic, log);
      }
      this.lastDestinationTopic = topic;
      this.lastDestination = log;
    }
    if (log !== null) log.append(key, value, timestamp, headers);
    else this.internalQueue.push({ topic, offset: this.nextOffset(topic), key, value, timestamp, headers });
  }

  private nextOffset(topic: string): number {
    let cell = this.lastInputTopic === topic ? this.lastInputOffset : this.inputOffsets.get(topic);
    if (cell === undefined) {
      cell = { next: 0 };
      this.inputOffsets.set(topic, cell);
    }
    this.lastInputTopic = topic;
    this.lastInputOffset = cell;
    return cell.next++;
  }

  /** Feeds repartition records back in, first written first, including those they cause in turn. */
  private drainInternal(): void {
    if (this.draining || this.internalQueue.length === 0) return;
    this.draining = true;
    try {
      const queue = this.internalQueue;
      for (let i = 0; i < queue.length; i++) {
        const r = queue[i] as InternalRecord;
        this.task.process(r.topic, 0, r.offset, r.timestamp, r.headers, r.key, r.value);
      }
      queue.length = 0;
    } finally {
      this.draining = false;
    }
  }

  private checkOpen(): void {
    if (this.closed) throw new Error('the driver is closed');
  }
}
