/**
 * Records sent at a steady rate through a RecordSink: the k-th is due
 * k / rate seconds after the start, and is handed to the Kafka client at
 * its due time or, when the client holds the sender back, as soon as it
 * can take more (what is due by then goes in one write).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { OutgoingRecord, RecordSink } from '../../producers/kafka/index.ts';

export interface SteadyRun {
  /** When each record was due (performance.now()): its production time. */
  dueAt: number[];
  /** When each was handed to the client; later than dueAt when the client held the sender back. */
  handedAt: number[];
  /** When the last one was acknowledged by the broker. */
  flushedAt: number;
}

export async function sendSteadily(
  sink: RecordSink,
  topic: string,
  records: readonly OutgoingRecord[],
  perSecond: number,
): Promise<SteadyRun> {
  const start = performance.now();
  const dueAt = records.map((_, k) => start + (k * 1000) / perSecond);
  const handedAt: number[] = [];
  while (handedAt.length < records.length) {
    const now = performance.now();
    const due = Math.min(records.length, Math.floor(((now - start) * perSecond) / 1000) + 1);
    if (due > handedAt.length) {
      const from = handedAt.length;
      for (let k = from; k < due; k++) handedAt.push(now);
      await sink.write(topic, records.slice(from, due));
    } else {
      await sleep(Math.max(1, (dueAt[due] ?? now) - now));
    }
  }
  await sink.flush();
  return { dueAt, handedAt, flushedAt: performance.now() };
}
