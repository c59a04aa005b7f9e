/**
 * Producing an election to Kafka: create the topics, then send each topic's
 * records in turn through one RecordSink, paced or as fast as possible.
 * Each topic is flushed (acknowledged) before the next starts, because the
 * pipeline needs voters and candidates in Kafka before the votes that refer
 * to them. A stop signal (Ctrl-C) ends the current topic early; what was
 * sent is flushed either way.
 */
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import { type KafkaClientConfig, UserError } from '../config/index.ts';
import type { Logger } from '../logging/index.ts';
import type { Election } from './election.ts';
import {
  connectAdmin,
  connectSink,
  type ElectionTopic,
  ensureTopics,
  type KafkaClientName,
  type OutgoingRecord,
  type RecordSink,
} from './kafka/index.ts';
import { type Pace, Pacer } from './pacing.ts';
import { placeRecords } from './placement.ts';
import type { Progress } from './progress.ts';
import { type TopicRecords, topicRecords } from './topic-records.ts';

/**
 * Records per write in backfill: enough to amortise a write (the sinks batch
 * further by themselves), few enough that a batch's records die young, while
 * they are still cheap for the garbage collector (5,000 cost up to a fifth
 * more CPU per vote in bench/produce.ts).
 */
export const DEFAULT_BATCH_SIZE = 1_000;
/** Longest stretch without yielding to the event loop (signals, timers, delivery reports). */
const YIELD_EVERY_MS = 50;

export interface ProduceOptions {
  election: Election;
  /** Topics in the order to produce them. */
  topics: readonly ElectionTopic[];
  client: KafkaClientName;
  kafka: KafkaClientConfig;
  partitions: number;
  /** True when the user chose the partition count (an existing topic with another count is then an error). */
  partitionsChosen: boolean;
  /** The pace of the last topic (votes, in a whole election); earlier ones are sent as fast as possible. */
  pace: Pace;
  logger: Logger;
  /** A Progress for each topic; none by default. */
  progress?: (topic: ElectionTopic, total: number) => Progress;
  signal?: AbortSignal;
  batchSize?: number;
  /** Skip what a stopped run already wrote (placement.ts), and go on from there. */
  resume?: boolean;
}

export interface ProduceReport {
  /** Records sent and acknowledged, per topic. */
  counts: Partial<Record<ElectionTopic, number>>;
  /** Records found already written by an earlier run (with `resume`), per topic. */
  resumed: Partial<Record<ElectionTopic, number>>;
  /** Partition count of each topic produced to. */
  partitions: Partial<Record<ElectionTopic, number>>;
  /** True when the signal stopped the run before every record was sent. */
  stopped: boolean;
}

export async function produceElection(options: ProduceOptions): Promise<ProduceReport> {
  const { election, topics, client, kafka, logger, signal } = options;
  const admin = await connectAdmin(client, kafka, logger);
  let partitionCounts: Map<string, number>;
  const written = new Map<string, number[]>();
  try {
    partitionCounts = await ensureTopics(admin, {
      topics,
      partitions: options.partitions,
      chosen: options.partitionsChosen,
    });
    if (options.resume) for (const topic of topics) written.set(topic, await admin.endOffsets(topic));
  } finally {
    await admin.close();
  }
  const report: ProduceReport = {
    counts: {},
    resumed: Object.fromEntries([...written].map(([t, ends]) => [t, ends.reduce((a, b) => a + b, 0)])),
    partitions: Object.fromEntries(topics.map((t) => [t, partitionCounts.get(t) ?? 0])),
    stopped: false,
  };

  const sink = await connectSink(client, kafka, logger);
  try {
    for (const [i, topic] of topics.entries()) {
      if (signal?.aborted) break;
      const records = placeRecords(topicRecords(election, topic), partitionCounts.get(topic) ?? 1, written.get(topic));
      const pace = i === topics.length - 1 ? resumedPace(options.pace, report.resumed[topic] ?? 0) : BACKFILL;
      const progress = options.progress?.(topic, records.total);
      let sent: number;
      try {
        sent = await sendTopic(records, sink, {
          pacer: new Pacer(pace),
          batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE,
          ...(progress && { progress }),
          ...(signal && { signal }),
        });
        await sink.flush();
      } catch (error) {
        throw deliveryFailed(topic, kafka, error);
      }
      report.counts[topic] = sent;
      const stopped = sent < records.total;
      progress?.finish(stopped);
      logger.info({ topic, records: sent, total: records.total }, stopped ? 'stopped' : 'produced');
      if (stopped) report.stopped = true;
    }
  } finally {
    await sink.close();
  }
  return report;
}

const BACKFILL: Pace = { kind: 'backfill' };

/** A resumed real-time run goes on from its first unsent record, not from the polls opening. */
function resumedPace(pace: Pace, alreadyWritten: number): Pace {
  return pace.kind === 'speed' && alreadyWritten > 0 ? { kind: 'speed', factor: pace.factor } : pace;
}

/** A failure while sending is the cluster's (it went away, refused a record): say so plainly. */
function deliveryFailed(topic: string, kafka: KafkaClientConfig, error: unknown): Error {
  if (error instanceof UserError) return error;
  const reason = (error as Error).message.replace(/\.$/, '');
  return new UserError(
    `Producing ${topic} to Kafka at ${kafka.brokers.join(', ')} failed: ${reason}.\n` +
      'Records sent before the failure stay in Kafka. Check that the broker is still running (`tally status`), then run again.',
    { cause: error },
  );
}

export interface SendOptions {
  pacer: Pacer;
  batchSize: number;
  progress?: Progress;
  signal?: AbortSignal;
}

/** Sends one topic's records in order, in batches, each when it is due; returns how many were written. */
export async function sendTopic(source: TopicRecords, sink: RecordSink, options: SendOptions): Promise<number> {
  const { pacer, batchSize, progress, signal } = options;
  let batch: OutgoingRecord[] = [];
  let sent = 0;
  let yieldedAt = performance.now();
  const writeBatch = async () => {
    if (batch.length === 0) return;
    await sink.write(source.topic, batch);
    sent += batch.length;
    progress?.advance(batch.length);
    batch = [];
    if (performance.now() - yieldedAt > YIELD_EVERY_MS) {
      await nextTurn();
      yieldedAt = performance.now();
    }
  };
  for (const record of source.records()) {
    if (signal?.aborted) break;
    const wait = pacer.dueIn(sent + batch.length, record.timestamp);
    if (wait > 0) {
      // Not due yet: send what is, then sleep until it is.
      await writeBatch();
      if (!(await sleepUnlessStopped(wait, signal))) break;
      yieldedAt = performance.now();
    }
    batch.push(record);
    if (batch.length >= batchSize) await writeBatch();
  }
  if (!signal?.aborted) await writeBatch();
  return sent;
}

/** False when the signal fired during the sleep. */
async function sleepUnlessStopped(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  try {
    await sleep(ms, undefined, signal ? { signal } : {});
    return true;
  } catch {
    return false;
  }
}
