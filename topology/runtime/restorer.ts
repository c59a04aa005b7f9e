/**
 * Restores stores from their changelog partitions before their task
 * processes anything, so state follows a partition to whichever process gets
 * it. Reads with read_committed: an aborted or still-open transaction of the
 * partition's previous owner is never restored.
 *
 * kafkajs consumers cannot be assigned partitions by hand, so the restorer
 * uses a short-lived consumer of its own group, reads the changelog topics
 * from the beginning, pauses the partitions it does not need, and stops when
 * every wanted partition has reached the end offset taken at the start.
 */
import { randomUUID } from 'node:crypto';
import type { Admin, Kafka } from 'kafkajs';
import { StreamsError } from '../processor/task.ts';
import type { ChangelogRecord } from '../state/changelog.ts';

export interface RestoreTarget {
  readonly topic: string;
  readonly partition: number;
  apply(records: ChangelogRecord[]): void;
}

export interface RestoreOptions {
  readonly applicationId: string;
  readonly maxWaitTimeMs: number;
  readonly sessionTimeoutMs: number;
  /** Longest wait for the changelogs' ends (an open transaction of a dead owner lasts up to its timeout). */
  readonly timeoutMs: number;
}

/** Returns the number of records restored. */
export async function restoreChangelogs(
  kafka: Kafka,
  admin: Admin,
  targets: readonly RestoreTarget[],
  options: RestoreOptions,
): Promise<number> {
  const key = (topic: string, partition: number) => `${topic}\u0000${partition}`;
  const ends = new Map<string, number>();
  const byKey = new Map<string, RestoreTarget>();
  for (const topic of new Set(targets.map((t) => t.topic))) {
    for (const p of await admin.fetchTopicOffsets(topic)) {
      const target = targets.find((t) => t.topic === topic && t.partition === p.partition);
      if (target !== undefined && Number(p.high) > Number(p.low)) {
        ends.set(key(topic, p.partition), Number(p.high));
        byKey.set(key(topic, p.partition), target);
      }
    }
  }
  if (byKey.size === 0) return 0;

  const groupId = `${options.applicationId}-restore-${randomUUID()}`;
  const consumer = kafka.consumer({
    groupId,
    readUncommitted: false,
    maxWaitTimeInMs: options.maxWaitTimeMs,
    sessionTimeout: options.sessionTimeoutMs,
    heartbeatInterval: Math.min(1000, options.sessionTimeoutMs / 3),
  });
  let restored = 0;
  const remaining = new Set(byKey.keys());
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const progress = (topic: string, partition: number, lastOffset: string) => {
    const k = key(topic, partition);
    if (remaining.has(k) && Number(lastOffset) + 1 >= (ends.get(k) as number)) {
      remaining.delete(k);
      if (remaining.size === 0) finish();
    }
  };
  // Batches of only control or aborted records never reach eachBatch; this event still reports their end.
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) =>
    progress(payload.topic, payload.partition, payload.lastOffset),
  );
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [...new Set([...byKey.values()].map((t) => t.topic))], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch, pause }) => {
        const target = byKey.get(key(batch.topic, batch.partition));
        if (target === undefined || !remaining.has(key(batch.topic, batch.partition))) {
          pause();
          return;
        }
        const records: ChangelogRecord[] = [];
        for (const m of batch.messages) {
          if (m.key === null) continue;
          records.push({ key: m.key, value: m.value, timestamp: Number(m.timestamp) });
        }
        target.apply(records);
        restored += records.length;
      },
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new StreamsError(
              `restoring ${[...remaining].map((k) => k.replace('\u0000', '-')).join(', ')} did not reach the changelog end within ${options.timeoutMs} ms`,
            ),
          ),
        options.timeoutMs,
      );
    });
    try {
      await Promise.race([done, timeout]);
    } finally {
      clearTimeout(timer);
    }
  } finally {
    await consumer.disconnect();
    await admin.deleteGroups([groupId]).catch(() => {
      // Best effort: an empty group without offsets also expires by itself.
    });
  }
  return restored;
}
