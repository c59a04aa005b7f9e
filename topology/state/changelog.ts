/**
 * Changelogs: every logged store appends each change to a compacted topic
 * `<application.id>-<store>-changelog`, partition = the task's partition, and
 * is rebuilt on start by replaying that topic. The runtime decides where the
 * records go: the test driver collects them as output records; the Kafka
 * runner sends them with the task's (transactional) producer.
 */

export interface ChangelogWriter {
  log(topic: string, partition: number, key: Buffer, value: Buffer | null, timestamp: number): void;
  /**
   * Optional: the same record from a timestamped store's bytes
   * ([timestamp: int64][value]), for a writer that copies the value anyway
   * and so saves cutting it out.
   */
  logTimestamped?(topic: string, partition: number, key: Buffer, stored: Buffer): void;
  /**
   * Optional: a timestamped window store's change, for a writer that copies
   * keys anyway and so saves building the changelog key
   * ([key][window start: int64][seqnum: int32]) first.
   */
  logTimestampedWindow?(
    topic: string,
    partition: number,
    key: Buffer,
    windowStart: number,
    seqnum: number,
    stored: Buffer,
  ): void;
}

/** One record of a changelog topic, as read back for restoration. */
export interface ChangelogRecord {
  readonly key: Buffer;
  readonly value: Buffer | null;
  readonly timestamp: number;
}

export function changelogTopic(applicationId: string, storeName: string): string {
  return `${applicationId}-${storeName}-changelog`;
}
