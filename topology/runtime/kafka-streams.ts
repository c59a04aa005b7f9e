/**
 * KafkaStreams runs a Topology against a Kafka cluster: one consumer group
 * member (group id = application id) whose partitions make up tasks
 * (sub-topology x partition); each task is a StreamTask, restored from its
 * changelogs before it processes, and closed when a rebalance takes it away.
 *
 * A task processes its partitions' records in timestamp order, waiting for
 * a partition with records not fetched yet (partition-group.ts).
 *
 * Commits happen at the end of every batch kafkajs hands over, before kafkajs
 * can rejoin the group (it has no revocation callback): under exactly-once
 * (the default) the task's output, its changelog writes and the consumed
 * offset go in one transaction of the process's transactional producer
 * (Kafka Streams' EOS v2) and the consumer reads read_committed; under
 * at-least-once the records are sent and then the offset committed.
 */

import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  type Admin,
  type Batch,
  type Consumer,
  Kafka,
  type KafkaMessage,
  logLevel,
  type Producer,
  type Transaction,
} from 'kafkajs';
import type { ProcessingLogEntry } from '../processor/processor.ts';
import { NO_HEADERS } from '../processor/record.ts';
import { StreamsError, StreamTask } from '../processor/task.ts';
import type { Topology } from '../processor/topology.ts';
import { streamsAssignor, type TaskId, taskName, tasksOf } from './assignment.ts';
import { type ResolvedConfig, resolveConfig, type StreamsConfig } from './config.ts';
import { planTopics, type TopicPlan } from './internal-topics.ts';
import { murmur2Partitioner } from './kafkajs-messages.ts';
import { PartitionGroup, type RecordPosition } from './partition-group.ts';
import { BufferedRecordCollector, fromKafkaHeaders } from './record-collector.ts';
import { restoreChangelogs } from './restorer.ts';

export type StreamsState =
  | 'CREATED'
  | 'STARTING'
  | 'REBALANCING'
  | 'RUNNING'
  | 'PENDING_SHUTDOWN'
  | 'NOT_RUNNING'
  | 'ERROR';

export interface StreamsMetrics {
  /** Records processed and committed (including ones the tasks skipped). */
  readonly processedRecords: number;
  readonly commits: number;
  readonly restoredRecords: number;
  /** Tasks assigned to this instance, by name (created when their first records arrive). */
  readonly tasks: readonly string[];
}

interface RunningTask {
  readonly id: TaskId;
  readonly task: StreamTask;
  /** Fetched records waiting, per input partition, chosen by timestamp. */
  readonly group: PartitionGroup<KafkaMessage>;
  /** Where its input partitions stood at its last commit: where to fetch again if a commit fails. */
  committed: readonly { topic: string; partition: number; offset: number }[];
}

/** A ListOffsets of a topic, shared by the tasks that need one started after their records arrived. */
interface LogEndsRequest {
  readonly startedAt: number;
  readonly ends: Promise<Map<number, number>>;
}

export class KafkaStreams {
  private readonly config: ResolvedConfig;
  private readonly eos: boolean;
  private readonly kafka: Kafka;
  private admin: Admin | null = null;
  private producer: Producer | null = null;
  private consumer: Consumer | null = null;
  private plan: TopicPlan | null = null;
  private collector: BufferedRecordCollector | null = null;
  private subtopologyByTopic = new Map<string, number>();
  private readonly repartitionTopics = new Set<string>();
  private readonly tasks = new Map<string, RunningTask>();
  /** Tasks of the latest assignment; created (and restored) at the next batch. */
  private assigned = new Map<string, TaskId>();
  private pendingAssignment: Record<string, number[]> | null = null;
  private inBatch = false;
  /** When the consumer's last fetch completed: what its batches are known to be on the broker by. */
  private lastFetchAt = 0;
  /** When it was sent: the log ends it reports are at least that fresh. */
  private lastFetchSentAt = 0;
  private readonly logEndRequests = new Map<string, LogEndsRequest>();
  /** Partitions seeked since the last fetch was sent: their batches until then are stale. */
  private readonly seeking = new Set<string>();
  /** Batches and drains run one at a time, in arrival order. */
  private work: Promise<unknown> = Promise.resolve();
  private stateDir: string | null = null;
  private ownedStateDir: string | null = null;
  private processId = '';
  private currentState: StreamsState = 'CREATED';
  private readonly listeners: ((state: StreamsState, previous: StreamsState) => void)[] = [];
  private failure: Error | null = null;
  private processed = 0;
  private commits = 0;
  /** Committed offsets of repartition partitions, deleted below at the next purge. */
  private readonly purgeable = new Map<string, Map<number, number>>();
  private lastPurgeAt = performance.now();
  private restored = 0;

  constructor(
    private readonly topology: Topology,
    config: StreamsConfig,
  ) {
    this.config = resolveConfig(config);
    this.eos = this.config.processingGuarantee === 'exactly_once_v2';
    this.kafka = new Kafka({
      clientId: this.config.clientId,
      brokers: [...this.config.bootstrapServers],
      logLevel: logLevel.NOTHING,
      retry: { retries: 8, initialRetryTime: 100 },
    });
  }

  get state(): StreamsState {
    return this.currentState;
  }

  /** The error that put the instance in ERROR, if any. */
  get error(): Error | null {
    return this.failure;
  }

  onStateChange(listener: (state: StreamsState, previous: StreamsState) => void): void {
    this.listeners.push(listener);
  }

  metrics(): StreamsMetrics {
    return {
      processedRecords: this.processed,
      commits: this.commits,
      restoredRecords: this.restored,
      tasks: [...this.assigned.keys()].sort(),
    };
  }

  /**
   * Creates the internal topics, checks co-partitioning, connects the
   * producer and joins the group. Resolves once the member runs; processing
   * goes on in the background until close().
   */
  async start(): Promise<void> {
    if (this.currentState !== 'CREATED') throw new StreamsError(`start() called in state ${this.currentState}`);
    this.setState('STARTING');
    try {
      await this.prepare();
    } catch (error) {
      await this.disconnectAll();
      this.failure = error as Error;
      this.setState('ERROR');
      throw error;
    }
  }

  /** Commits (each batch already did), closes the tasks and leaves the group. */
  async close(): Promise<void> {
    if (this.currentState === 'NOT_RUNNING' || this.currentState === 'CREATED') {
      this.setState('NOT_RUNNING');
      return;
    }
    if (this.currentState !== 'ERROR') this.setState('PENDING_SHUTDOWN');
    // Stops the fetch loop after the batch in hand (which commits), then leaves the group.
    await this.consumer?.disconnect().catch(() => {});
    for (const name of [...this.tasks.keys()]) this.closeTask(name);
    this.collector?.drain();
    await this.disconnectAll();
    if (this.ownedStateDir !== null) fs.rmSync(this.ownedStateDir, { recursive: true, force: true });
    if (this.currentState !== 'ERROR') this.setState('NOT_RUNNING');
  }

  private async prepare(): Promise<void> {
    const { applicationId } = this.config;
    const admin = this.kafka.admin();
    this.admin = admin;
    await admin.connect();
    const existing = await this.partitionCounts(admin);
    const plan = planTopics(this.topology, applicationId, existing);
    this.plan = plan;
    const toCreate = plan.internalTopics.filter((t) => !existing.has(t.topic));
    if (toCreate.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: toCreate.map((t) => ({ ...t, replicationFactor: this.config.replicationFactor })),
      });
    }
    const sinkCounts = new Map(plan.partitions);
    const missingSinks: string[] = [];
    for (const node of this.topology.nodes.values()) {
      if (node.kind !== 'sink' || this.topology.isInternalTopic(node.topic)) continue;
      const count = existing.get(node.topic);
      if (count === undefined) missingSinks.push(node.topic);
      else sinkCounts.set(node.topic, count);
    }
    if (missingSinks.length > 0) {
      throw new StreamsError(
        `output topic${missingSinks.length > 1 ? 's' : ''} ${missingSinks.join(', ')} not found: create ${missingSinks.length > 1 ? 'them' : 'it'} before starting ${applicationId}`,
      );
    }
    this.collector = new BufferedRecordCollector((topic) => {
      const count = sinkCounts.get(topic);
      if (count === undefined) throw new StreamsError(`no partition count known for topic ${topic}`);
      return count;
    });
    for (const s of plan.layout.subtopologies) for (const t of s.sourceTopics) this.subtopologyByTopic.set(t, s.id);
    for (const t of this.topology.repartitionTopics())
      this.repartitionTopics.add(this.topology.physicalTopic(applicationId, t));
    this.setUpStateDir();

    await this.connectedProducer();

    const consumer = this.kafka.consumer({
      groupId: applicationId,
      partitionAssigners: [streamsAssignor(plan.layout, () => [...this.tasks.keys()])],
      readUncommitted: !this.eos,
      sessionTimeout: this.config.sessionTimeoutMs,
      rebalanceTimeout: Math.max(this.config.sessionTimeoutMs, 30_000),
      heartbeatInterval: this.config.heartbeatIntervalMs,
      maxWaitTimeInMs: this.config.maxWaitTimeMs,
      minBytes: this.config.minBytes,
      maxBytesPerPartition: this.config.maxBytesPerPartition,
      retry: { retries: 8, initialRetryTime: 100 },
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => this.onAssignment(payload.memberAssignment));
    consumer.on(consumer.events.REBALANCING, () => {
      if (this.currentState === 'RUNNING') this.setState('REBALANCING');
    });
    // Batches handled after this completed fetch were on the broker by then (PartitionGroup's `at`).
    consumer.on(consumer.events.FETCH_START, () => {
      this.lastFetchSentAt = performance.now();
      // This fetch applies the seeks (one broker: fetches follow one another).
      this.seeking.clear();
    });
    consumer.on(consumer.events.FETCH, () => {
      this.lastFetchAt = performance.now();
    });
    consumer.on(consumer.events.START_BATCH_PROCESS, ({ payload }) => {
      if (payload.batchSize === 0) this.onFilteredBatch(payload);
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (payload.restart) this.config.onWarning?.('the consumer crashed and restarts', payload.error);
      else this.fail(payload.error);
    });
    await consumer.connect();
    await consumer.subscribe({
      topics: plan.layout.subtopologies.flatMap((s) => s.sourceTopics),
      fromBeginning: true, // auto.offset.reset=earliest, Kafka Streams' default
    });
    this.setState('REBALANCING');
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: ({ batch, resolveOffset, isRunning, isStale, heartbeat }) =>
        this.exclusive(async () => {
          if (!isRunning() || isStale()) return;
          this.inBatch = true;
          try {
            await this.ensureTasks(heartbeat).catch((error: Error) => {
              throw transient(error);
            });
            // A new task seeked its partitions: this batch may come from the consumer's older position.
            if (isStale()) return;
            await this.processBatch(batch);
            // Fetched is not processed: buffered records are committed once processed (PartitionGroup).
            resolveOffset(batch.lastOffset());
          } finally {
            this.inBatch = false;
            const pending = this.pendingAssignment;
            if (pending !== null) {
              this.pendingAssignment = null;
              this.onAssignment(pending);
            }
          }
        }),
    });
  }

  /**
   * The producer, created again after a failed commit: a new transactional
   * producer bumps the epoch, which makes the broker abort whatever the
   * failed transaction left open before tasks read their committed offsets.
   */
  private async connectedProducer(): Promise<Producer> {
    if (this.producer !== null) return this.producer;
    const producer = this.eos
      ? this.kafka.producer({
          transactionalId: `${this.config.applicationId}-${this.processId}`,
          idempotent: true,
          maxInFlightRequests: 1,
          transactionTimeout: this.config.transactionTimeoutMs,
          createPartitioner: murmur2Partitioner,
        })
      : this.kafka.producer({
          idempotent: true,
          maxInFlightRequests: 1,
          createPartitioner: murmur2Partitioner,
        });
    await producer.connect();
    this.producer = producer;
    return producer;
  }

  private async partitionCounts(admin: Admin): Promise<Map<string, number>> {
    const listed = new Set(await admin.listTopics());
    const wanted = new Set<string>(this.topology.externalSourceTopics());
    for (const node of this.topology.nodes.values()) if (node.kind === 'sink') wanted.add(node.topic);
    for (const topic of this.topology.repartitionTopics())
      wanted.add(this.topology.physicalTopic(this.config.applicationId, topic));
    for (const topic of this.topology.changelogTopics(this.config.applicationId).values()) wanted.add(topic);
    const present = [...wanted].filter((t) => listed.has(t));
    const counts = new Map<string, number>();
    if (present.length === 0) return counts;
    const { topics } = await admin.fetchTopicMetadata({ topics: present });
    for (const t of topics) counts.set(t.name, t.partitions.length);
    return counts;
  }

  private setUpStateDir(): void {
    const needsDisk = [...this.topology.stores.values()].some((b) => b.persistent);
    if (this.config.stateDir !== undefined) {
      this.stateDir = this.config.stateDir;
    } else if (needsDisk) {
      this.ownedStateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-streams-'));
      this.stateDir = this.ownedStateDir;
    }
    if (this.config.processId !== undefined) {
      this.processId = this.config.processId;
    } else if (this.config.stateDir !== undefined) {
      // Kept beside the state, like Kafka Streams' process id, so a restart fences the previous transactional id.
      const file = path.join(this.config.stateDir, this.config.applicationId, 'process-id');
      if (fs.existsSync(file)) this.processId = fs.readFileSync(file, 'utf8').trim();
      else {
        this.processId = randomUUID();
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, this.processId);
      }
    } else {
      this.processId = randomUUID();
    }
  }

  /** A new assignment: close the tasks that went elsewhere now (their work is committed); create the new ones lazily. */
  private onAssignment(assignment: Record<string, number[]>): void {
    if (this.inBatch) {
      this.pendingAssignment = assignment;
      return;
    }
    const layout = (this.plan as TopicPlan).layout;
    this.assigned = new Map(tasksOf(layout, assignment).map((t) => [taskName(t), t]));
    for (const name of [...this.tasks.keys()]) if (!this.assigned.has(name)) this.closeTask(name);
    if (this.currentState === 'REBALANCING' || this.currentState === 'STARTING') this.setState('RUNNING');
  }

  /** Creates the assigned tasks that do not exist yet, restoring their stores from the changelogs first. */
  private async ensureTasks(heartbeat: () => Promise<void>): Promise<void> {
    const missing = [...this.assigned].filter(([name]) => !this.tasks.has(name));
    if (missing.length === 0) return;
    await this.connectedProducer(); // first, so that committed offsets are settled
    const plan = this.plan as TopicPlan;
    const subtopologies = this.topology.subtopologies();
    const created: RunningTask[] = [];
    const targets: Parameters<typeof restoreChangelogs>[2][number][] = [];
    for (const [name, id] of missing) {
      const sub = subtopologies.find((s) => s.id === id.subtopology);
      if (sub === undefined) throw new StreamsError(`task ${name}: no sub-topology ${id.subtopology}`);
      // Asked before the task opens its stores, so that a failure leaves nothing open.
      const topics = plan.layout.subtopologies.find((s) => s.id === id.subtopology)?.sourceTopics ?? [];
      const group = await this.partitionGroup(topics, id.partition).catch((error: Error) => {
        for (const { task } of created) task.close();
        throw error;
      });
      // No checkpoints: the changelog is the state, so a task's folder starts empty.
      if (this.stateDir !== null)
        fs.rmSync(path.join(this.stateDir, this.config.applicationId, name), { recursive: true, force: true });
      const task = new StreamTask(
        this.topology,
        {
          applicationId: this.config.applicationId,
          taskId: name,
          partition: id.partition,
          stateDir: this.stateDir,
          caching: this.config.cacheMaxBytes > 0,
          cacheMaxBytes: this.config.cacheMaxBytes,
          collector: this.collector as BufferedRecordCollector,
          changelog: this.collector,
          processingLog: (entry: ProcessingLogEntry) => this.config.processingLog?.(entry),
          clock: Date.now,
          config: this.config.config,
          ...(this.config.defaultTimestampExtractor
            ? { defaultTimestampExtractor: this.config.defaultTimestampExtractor }
            : {}),
        },
        sub.nodes,
      );
      task.initializeStores();
      for (const store of sub.stores) {
        const topic = plan.changelogs.get(store);
        if (topic !== undefined)
          targets.push({ topic, partition: id.partition, apply: (records) => task.restore(store, records) });
      }
      created.push({ id, task, group, committed: group.committableOffsets() });
    }
    try {
      await heartbeat();
      this.restored += await restoreChangelogs(this.kafka, this.admin as Admin, targets, {
        applicationId: this.config.applicationId,
        maxWaitTimeMs: this.config.maxWaitTimeMs,
        sessionTimeoutMs: this.config.sessionTimeoutMs,
        timeoutMs: 2 * this.config.transactionTimeoutMs + 30_000,
      });
    } catch (error) {
      for (const { task } of created) task.close();
      this.collector?.drain();
      throw error;
    }
    for (const running of created) {
      running.task.initializeProcessors();
      this.tasks.set(taskName(running.id), running);
      this.seek(running.committed);
    }
  }

  /**
   * Points the consumer at where a task's partitions must be fetched from:
   * a new task's start, or a dropped task's last commit. The consumer's own
   * position can be ahead (it moves when a batch is buffered, not when it is
   * processed): fetching on from there would skip what the task had buffered.
   */
  private seek(positions: readonly { topic: string; partition: number; offset: number }[]): void {
    const consumer = this.consumer as Consumer;
    for (const { topic, partition, offset } of positions) {
      consumer.seek({ topic, partition, offset: String(offset) });
      this.seeking.add(`${topic}-${partition}`);
    }
  }

  /**
   * Where each input partition of a new task starts (its group's committed
   * offset, else by auto.offset.reset: the log start, or for a source topic
   * set to latest its end) and where its log ends, so the task knows which
   * partitions have records still to fetch.
   */
  private async partitionGroup(topics: readonly string[], partition: number): Promise<PartitionGroup<KafkaMessage>> {
    const admin = this.admin as Admin;
    const knownAt = performance.now();
    const committed = await admin.fetchOffsets({ groupId: this.config.applicationId, topics: [...topics] });
    const positions = [];
    for (const topic of topics) {
      const ends = await admin.fetchTopicOffsets(topic);
      const end = ends.find((o) => o.partition === partition);
      const offset = committed.find((c) => c.topic === topic)?.partitions.find((p) => p.partition === partition);
      const fromEnd = this.config.autoOffsetReset === 'latest' && !this.repartitionTopics.has(topic);
      const reset = Number((fromEnd ? end?.high : end?.low) ?? 0);
      const start = offset === undefined || Number(offset.offset) < 0 ? reset : Number(offset.offset);
      positions.push({ topic, partition, offset: start, endOffset: Number(end?.high ?? 0) });
    }
    return new PartitionGroup(positions, knownAt, kafkajsPosition);
  }

  private taskOf(topic: string, partition: number): RunningTask | undefined {
    const subtopology = this.subtopologyByTopic.get(topic);
    return subtopology === undefined ? undefined : this.tasks.get(`${subtopology}_${partition}`);
  }

  private async processBatch(batch: Batch): Promise<void> {
    const running = this.taskOf(batch.topic, batch.partition);
    if (running === undefined) {
      throw new StreamsError(`received ${batch.topic}-${batch.partition}, which belongs to no task of this instance`);
    }
    running.group.add(
      batch.topic,
      batch.partition,
      batch.messages,
      Number(batch.lastOffset()) + 1,
      Number(batch.highWatermark),
      this.lastFetchSentAt,
      this.lastFetchAt,
    );
    await this.drain(running);
  }

  /** Processes the task's buffered records in timestamp order, as far as its partitions allow, then commits. */
  private async drain(running: RunningTask): Promise<void> {
    const { task, group } = running;
    let processed = 0;
    do {
      for (let m = group.take(); m !== null; m = group.take()) {
        const headers = m.headers === undefined || isEmpty(m.headers) ? NO_HEADERS : fromKafkaHeaders(m.headers);
        const { takenTopic, takenPartition, takenOffset, takenTimestamp } = group;
        task.process(takenTopic, takenPartition, takenOffset, takenTimestamp, headers, m.key ?? null, m.value ?? null);
        task.maybePunctuateStreamTime();
        processed++;
      }
    } while (await this.confirmLogEnds(group));
    task.maybePunctuateSystemTime();
    await this.commit(running, group.committableOffsets());
    this.processed += processed;
  }

  /**
   * Asks the broker where the logs of the partitions holding the task end
   * (PartitionGroup.unconfirmed); false when none holds it. One request per
   * topic serves every task whose records arrived before it started.
   */
  private async confirmLogEnds(group: PartitionGroup<KafkaMessage>): Promise<boolean> {
    const waiting = group.unconfirmed();
    if (waiting.length === 0) return false;
    for (const topic of new Set(waiting.map((w) => w.topic))) {
      const { startedAt, ends } = this.logEndsSince(topic, group.newestArrival());
      const byPartition = await ends;
      for (const w of waiting) {
        if (w.topic === topic) group.confirm(topic, w.partition, byPartition.get(w.partition) ?? 0, startedAt);
      }
    }
    return true;
  }

  private logEndsSince(topic: string, since: number): LogEndsRequest {
    const cached = this.logEndRequests.get(topic);
    if (cached !== undefined && cached.startedAt > since) return cached;
    const startedAt = performance.now();
    const ends = (this.admin as Admin)
      .fetchTopicOffsets(topic)
      .then((offsets) => new Map(offsets.map((o) => [o.partition, Number(o.high)])));
    const request = { startedAt, ends };
    // A failed request is not kept: the next task asks again.
    ends.catch(() => {
      if (this.logEndRequests.get(topic) === request) this.logEndRequests.delete(topic);
    });
    this.logEndRequests.set(topic, request);
    return request;
  }

  /**
   * A fetch of only control records or aborted data moves a partition's
   * position without an eachBatch call: it may be what a waiting task needed.
   */
  private onFilteredBatch(payload: { topic: string; partition: number; lastOffset: string; highWatermark: string }) {
    const running = this.taskOf(payload.topic, payload.partition);
    if (running === undefined || this.seeking.has(`${payload.topic}-${payload.partition}`)) return;
    running.group.add(
      payload.topic,
      payload.partition,
      [],
      Number(payload.lastOffset) + 1,
      Number(payload.highWatermark),
      this.lastFetchSentAt,
      this.lastFetchAt,
    );
    void this.exclusive(async () => {
      if (this.tasks.get(taskName(running.id)) !== running || this.inBatch) return;
      this.inBatch = true;
      try {
        await this.drain(running);
      } finally {
        this.inBatch = false;
        const pending = this.pendingAssignment;
        if (pending !== null) {
          this.pendingAssignment = null;
          this.onAssignment(pending);
        }
      }
    }).catch((error: Error) => this.fail(error));
  }

  /** Runs `fn` after the batches and drains before it, never beside them. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.work.then(fn);
    this.work = run.catch(() => {});
    return run;
  }

  /**
   * Commits a task: its output, its changelog records and its consumed
   * offsets, in one transaction under exactly-once. A commit that fails
   * (a lost connection, a broker restarting) drops the task: it is rebuilt
   * from its changelog and fetches again from its last commit.
   */
  private async commit(
    running: RunningTask,
    positions: readonly { topic: string; partition: number; offset: number }[],
  ): Promise<void> {
    const collector = this.collector as BufferedRecordCollector;
    running.task.commit(); // flushes caches into the collector
    const sends = collector.drain();
    const byTopic = new Map<string, { partition: number; offset: string }[]>();
    for (const p of positions) {
      const list = byTopic.get(p.topic) ?? [];
      list.push({ partition: p.partition, offset: String(p.offset) });
      byTopic.set(p.topic, list);
    }
    const offsets = { topics: [...byTopic].map(([topic, partitions]) => ({ topic, partitions })) };
    let transaction: Transaction | null = null;
    try {
      const producer = await this.connectedProducer();
      if (this.eos) {
        transaction = await producer.transaction();
        for (const topicMessages of sends) await transaction.sendBatch({ topicMessages, acks: -1 });
        await transaction.sendOffsets({ consumerGroupId: this.config.applicationId, ...offsets });
        await transaction.commit();
      } else {
        for (const topicMessages of sends) await producer.sendBatch({ topicMessages, acks: -1 });
        await (this.consumer as Consumer).commitOffsets(
          offsets.topics.flatMap(({ topic, partitions }) => partitions.map((p) => ({ topic, ...p }))),
        );
      }
    } catch (error) {
      await transaction?.abort().catch(() => {});
      this.abandonTask(running, error as Error);
      return;
    }
    running.committed = positions;
    this.commits++;
    this.purgeRepartitionRecords(positions);
  }

  /**
   * Deletes what every task has committed past in repartition topics, at most
   * once per purge interval (Kafka Streams' repartition.purge.interval.ms):
   * only this application reads them. A failed purge is retried next time.
   */
  private purgeRepartitionRecords(positions: readonly { topic: string; partition: number; offset: number }[]): void {
    for (const { topic, partition, offset } of positions) {
      if (!this.repartitionTopics.has(topic)) continue;
      const partitions = this.purgeable.get(topic) ?? new Map<number, number>();
      partitions.set(partition, offset);
      this.purgeable.set(topic, partitions);
    }
    const now = performance.now();
    if (this.purgeable.size === 0 || now - this.lastPurgeAt < this.config.repartitionPurgeIntervalMs) return;
    this.lastPurgeAt = now;
    const admin = this.admin as Admin;
    for (const [topic, partitions] of this.purgeable) {
      const entries = [...partitions].map(([partition, offset]) => ({ partition, offset: String(offset) }));
      void admin.deleteTopicRecords({ topic, partitions: entries }).catch(() => {});
    }
    this.purgeable.clear();
  }

  /**
   * After a failed commit the task's state is ahead of its changelog: drop
   * it, replace the producer, and fetch its partitions again from its last
   * commit (the next batch rebuilds it). A fenced producer means another
   * process took our transactional id: fatal.
   */
  private abandonTask(running: RunningTask, error: Error): void {
    const type = (error as { type?: string }).type;
    if (
      type === 'INVALID_PRODUCER_EPOCH' ||
      type === 'PRODUCER_FENCED' ||
      type === 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED'
    ) {
      this.fail(
        new StreamsError(`the transactional producer was fenced (${type}): another process runs as ${this.processId}`),
      );
      return;
    }
    this.config.onWarning?.(`task ${taskName(running.id)} dropped after a failed commit`, error);
    this.closeTask(taskName(running.id));
    this.collector?.drain();
    const producer = this.producer;
    this.producer = null;
    void producer?.disconnect().catch(() => {});
    this.seek(running.committed);
  }

  private closeTask(name: string): void {
    const running = this.tasks.get(name);
    if (running === undefined) return;
    this.tasks.delete(name);
    running.task.close();
  }

  private fail(error: Error): void {
    if (this.currentState === 'ERROR') return;
    this.failure = error;
    this.setState('ERROR');
    // Leave the group so others take over; close() finishes the cleanup.
    void this.consumer?.stop().catch(() => {});
  }

  private async disconnectAll(): Promise<void> {
    await this.producer?.disconnect().catch(() => {});
    await this.admin?.disconnect().catch(() => {});
  }

  private setState(next: StreamsState): void {
    const previous = this.currentState;
    if (previous === next) return;
    this.currentState = next;
    for (const listener of this.listeners) listener(next, previous);
  }
}

/**
 * A client error while tasks are created (a lost connection, a coordinator
 * moving) is worth a retry: marked retriable, the consumer restarts from the
 * committed offsets instead of crashing the instance. Our own errors stay fatal.
 */
function transient(error: Error): Error {
  // Retriable ones (a rebalance, an unknown member) keep their type: kafkajs rejoins on them.
  if (!error.name.startsWith('KafkaJS') || (error as { retriable?: boolean }).retriable === true) return error;
  return Object.assign(new Error(`creating tasks failed: ${error.message}`), {
    name: 'TransientError',
    retriable: true,
  });
}

/** Fetched records wait as kafkajs decoded them: their offsets and timestamps are strings. */
const kafkajsPosition: RecordPosition<KafkaMessage> = {
  offset: (m) => Number(m.offset),
  timestamp: (m) => Number(m.timestamp),
};

function isEmpty(headers: object): boolean {
  for (const _ in headers) return false;
  return true;
}
