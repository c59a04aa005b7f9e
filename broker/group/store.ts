/**
 * Durable state of the coordinator, as the records Kafka writes to its
 * compacted `__consumer_offsets` topic:
 *
 * - an offset commit, keyed by (group, topic, partition);
 * - a group's metadata (generation, protocol, leader, members and their
 *   assignments), keyed by group;
 * - a null value (tombstone) deletes a key: an offset, or a whole group;
 * - offset commits made inside a transaction carry the producer id and count
 *   only once a transaction marker for that producer commits them.
 *
 * `consumer-offsets-codec.ts` turns the first two into Kafka's exact key and
 * value bytes; a transaction marker is a control batch on the log, and the
 * producer id of a transactional commit lives in its batch header.
 */

export interface OffsetCommitValue {
  offset: bigint;
  /** -1 when unknown. */
  leaderEpoch: number;
  metadata: string;
  commitTimestamp: number;
  /** Only for commits that asked for an explicit retention (OffsetCommit v2-4). */
  expireTimestamp: number | null;
}

export interface StoredMember {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  rebalanceTimeoutMs: number;
  sessionTimeoutMs: number;
  /** The member's metadata for the group's protocol. */
  subscription: Buffer;
  assignment: Buffer;
}

export interface GroupMetadataValue {
  protocolType: string;
  generationId: number;
  protocolName: string | null;
  leader: string | null;
  /** When the group entered its current state; what offset retention of an empty group counts from. */
  currentStateTimestamp: number | null;
  members: StoredMember[];
}

export interface OffsetCommitRecord {
  type: 'offset-commit';
  groupId: string;
  topic: string;
  partition: number;
  value: OffsetCommitValue | null;
  /** Set for a TxnOffsetCommit: pending until a marker for this producer. */
  producerId?: bigint;
  producerEpoch?: number;
}

export interface GroupMetadataRecord {
  type: 'group-metadata';
  groupId: string;
  value: GroupMetadataValue | null;
}

export interface TransactionMarkerRecord {
  type: 'transaction-marker';
  producerId: bigint;
  producerEpoch?: number;
  committed: boolean;
}

export type CoordinatorRecord = OffsetCommitRecord | GroupMetadataRecord | TransactionMarkerRecord;

export interface GroupMetadataStore {
  /**
   * Appends records atomically (one batch) and resolves once they are durable;
   * the coordinator answers the request only then. A rejection fails the
   * request with COORDINATOR_NOT_AVAILABLE, or with the rejection's numeric
   * `errorCode` when it has one.
   */
  append(records: readonly CoordinatorRecord[]): Promise<void>;
  /** Every record appended so far (or a compacted equivalent), in append order. */
  load(): AsyncIterable<CoordinatorRecord>;
}

/** A store in memory: for tests, and for a broker that needs no durability. */
export class InMemoryGroupMetadataStore implements GroupMetadataStore {
  readonly records: CoordinatorRecord[] = [];
  /** When set, the next append rejects with it (then it is cleared). */
  failNextAppend: Error | null = null;

  async append(records: readonly CoordinatorRecord[]): Promise<void> {
    const failure = this.failNextAppend;
    if (failure) {
      this.failNextAppend = null;
      throw failure;
    }
    this.records.push(...records);
  }

  async *load(): AsyncIterable<CoordinatorRecord> {
    yield* this.records;
  }
}
