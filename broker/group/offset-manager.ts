/**
 * Offset commits and fetches for the groups of one coordinator, as Kafka's
 * GroupCoordinator.handleCommitOffsets / handleTxnCommitOffsets /
 * handleFetchOffsets and GroupMetadataManager.storeOffsets: validate against
 * the group's membership, write to the store, and make the offsets visible
 * only once the write is durable (for a transaction: once it commits).
 */
import { ERROR_CODES } from '../protocol/error-codes.ts';
import type { Clock } from './clock.ts';
import type { GroupCoordinatorConfig } from './config.ts';
import type { GroupMetadata } from './group-metadata.ts';
import { groupTombstone, offsetTombstone, storeErrorCode } from './group-records.ts';
import type { MemberMetadata } from './member-metadata.ts';
import type { CoordinatorRecord, GroupMetadataStore, OffsetCommitRecord, OffsetCommitValue } from './store.ts';
import type {
  OffsetCommitRequest,
  OffsetCommitResult,
  OffsetCommitTopic,
  OffsetFetchRequest,
  OffsetFetchResult,
  OffsetFetchTopic,
  TxnOffsetCommitRequest,
} from './types.ts';

/** What the offset manager needs from the coordinator that owns the groups. */
export interface OffsetManagerHost {
  readonly store: GroupMetadataStore;
  readonly clock: Clock;
  readonly config: GroupCoordinatorConfig;
  group(groupId: string): GroupMetadata | undefined;
  /** The group, created Empty if it does not exist: commits outside group management create one. */
  getOrCreateGroup(groupId: string): GroupMetadata;
  /** Forgets a group (offset expiration of an empty group). */
  removeGroup(group: GroupMetadata): void;
  allGroups(): Iterable<GroupMetadata>;
  /** A member's commit counts as a sign of life, like a heartbeat. */
  touchMember(group: GroupMetadata, member: MemberMetadata): void;
}

/** OffsetCommit v2-4 retention_time_ms that means "the broker's retention". */
const DEFAULT_RETENTION = -1n;

function everyPartition(topics: readonly OffsetCommitTopic[], errorCode: number): OffsetCommitResult {
  return {
    topics: topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode })),
    })),
  };
}

export class OffsetManager {
  constructor(private readonly host: OffsetManagerHost) {}

  async commit(request: OffsetCommitRequest): Promise<OffsetCommitResult> {
    let group = this.host.group(request.groupId);
    if (!group) {
      // Only a commit from outside group management may create the group;
      // otherwise it comes from a generation of a group that no longer exists.
      if (request.generationId >= 0) return everyPartition(request.topics, ERROR_CODES.ILLEGAL_GENERATION);
      group = this.host.getOrCreateGroup(request.groupId);
    }
    const error = this.validateCommit(group, request.generationId, request.memberId, request.groupInstanceId, false);
    if (error !== null) return everyPartition(request.topics, error);

    switch (group.state) {
      case 'Empty':
        break;
      case 'Stable':
      case 'PreparingRebalance': {
        // Commits stay allowed while preparing a rebalance: members learn of
        // the rebalance from their next heartbeat.
        const member = group.get(request.memberId);
        if (member) this.host.touchMember(group, member);
        break;
      }
      default:
        // The member has its new generation from JoinGroup but no assignment yet.
        return everyPartition(request.topics, ERROR_CODES.REBALANCE_IN_PROGRESS);
    }
    const retention = request.retentionTimeMs ?? DEFAULT_RETENTION;
    const expireTimestamp = retention === DEFAULT_RETENTION ? null : this.host.clock.now() + Number(retention);
    return this.store(group, request.topics, expireTimestamp, null);
  }

  async commitTransactional(request: TxnOffsetCommitRequest): Promise<OffsetCommitResult> {
    const group = this.host.getOrCreateGroup(request.groupId);
    const error = this.validateCommit(
      group,
      request.generationId ?? -1,
      request.memberId ?? '',
      request.groupInstanceId ?? null,
      true,
    );
    if (error !== null) return everyPartition(request.topics, error);
    return this.store(group, request.topics, null, { producerId: request.producerId, epoch: request.producerEpoch });
  }

  /**
   * Makes the offsets a producer committed in its transaction visible, or
   * drops them on abort, once the marker is stored. Rejects when the store
   * fails (the transaction coordinator retries its markers).
   */
  async completeTransaction(producerId: bigint, commit: boolean): Promise<void> {
    const affected = [...this.host.allGroups()].filter((g) => g.offsets.hasPendingTransaction(producerId));
    if (affected.length === 0) return;
    await this.host.store.append([{ type: 'transaction-marker', producerId, committed: commit }]);
    for (const group of affected) group.offsets.completeTransaction(producerId, commit);
  }

  fetch(request: OffsetFetchRequest): OffsetFetchResult {
    const offsets = this.host.group(request.groupId)?.offsets;
    if (request.topics === null) {
      const byTopic = new Map<string, OffsetFetchTopic>();
      for (const { topic, partition, value } of offsets?.all() ?? []) {
        let entry = byTopic.get(topic);
        if (!entry) {
          entry = { name: topic, partitions: [] };
          byTopic.set(topic, entry);
        }
        entry.partitions.push(this.fetchedPartition(partition, value, ERROR_CODES.NONE));
      }
      return { errorCode: ERROR_CODES.NONE, topics: [...byTopic.values()] };
    }
    return {
      errorCode: ERROR_CODES.NONE,
      topics: request.topics.map((t) => ({
        name: t.name,
        partitions: t.partitionIndexes.map((partition) => {
          if (request.requireStable && offsets?.isPendingInTransaction(t.name, partition)) {
            return this.fetchedPartition(partition, undefined, ERROR_CODES.UNSTABLE_OFFSET_COMMIT);
          }
          return this.fetchedPartition(partition, offsets?.get(t.name, partition), ERROR_CODES.NONE);
        }),
      })),
    };
  }

  /**
   * Removes offsets past retention, and empty groups left with no offsets
   * (GroupMetadataManager.cleanupGroupMetadata). Only groups without live
   * members expire: Kafka 2.1+ (KIP-211) keeps a live group's offsets. Returns
   * how many offsets were removed.
   */
  async expire(): Promise<number> {
    const now = this.host.clock.now();
    const { offsetsRetentionMs } = this.host.config;
    const tombstones: CoordinatorRecord[] = [];
    let removed = 0;
    for (const group of [...this.host.allGroups()]) {
      if (!group.is('Empty')) continue;
      // A consumer group's offsets count from when it became empty; a group
      // that only stores offsets counts from each commit.
      const usesGroupManagement = group.protocolType !== '';
      const expired = group.offsets.removeExpired(now, offsetsRetentionMs, (value) =>
        usesGroupManagement ? group.stateTimestamp : value.commitTimestamp,
      );
      removed += expired.length;
      for (const { topic, partition } of expired) tombstones.push(offsetTombstone(group.groupId, topic, partition));
      if (group.offsets.size === 0 && !group.offsets.hasPendingTransactions) {
        this.host.removeGroup(group);
        tombstones.push(groupTombstone(group.groupId));
      }
    }
    if (tombstones.length > 0) await this.host.store.append(tombstones);
    return removed;
  }

  /** Kafka's validateOffsetCommit; an error code, or null. */
  private validateCommit(
    group: GroupMetadata,
    generationId: number,
    memberId: string,
    groupInstanceId: string | null,
    transactional: boolean,
  ): number | null {
    if (group.is('Dead')) return ERROR_CODES.COORDINATOR_NOT_AVAILABLE;
    if (generationId >= 0 || memberId !== '' || groupInstanceId !== null) {
      const memberError = group.validateCurrentMember(memberId, groupInstanceId);
      if (memberError !== null) return memberError;
      return generationId === group.generationId ? null : ERROR_CODES.ILLEGAL_GENERATION;
    }
    // Without a generation only an empty group takes commits; transactional
    // commits before KIP-447 carry no membership at all, so they pass.
    if (!transactional && !group.is('Empty')) return ERROR_CODES.UNKNOWN_MEMBER_ID;
    return null;
  }

  private async store(
    group: GroupMetadata,
    topics: readonly OffsetCommitTopic[],
    expireTimestamp: number | null,
    producer: { producerId: bigint; epoch: number } | null,
  ): Promise<OffsetCommitResult> {
    const now = this.host.clock.now();
    const records: OffsetCommitRecord[] = [];
    const result: OffsetCommitResult = { topics: [] };
    const accepted: { errorCode: number }[] = [];
    for (const topic of topics) {
      const partitions: { partitionIndex: number; errorCode: number }[] = [];
      result.topics.push({ name: topic.name, partitions });
      for (const p of topic.partitions) {
        const metadata = p.committedMetadata ?? '';
        if (Buffer.byteLength(metadata, 'utf8') > this.host.config.offsetMetadataMaxBytes) {
          partitions.push({ partitionIndex: p.partitionIndex, errorCode: ERROR_CODES.OFFSET_METADATA_TOO_LARGE });
          continue;
        }
        const value: OffsetCommitValue = {
          offset: p.committedOffset,
          leaderEpoch: p.committedLeaderEpoch,
          metadata,
          commitTimestamp: now,
          expireTimestamp,
        };
        const record: OffsetCommitRecord = {
          type: 'offset-commit',
          groupId: group.groupId,
          topic: topic.name,
          partition: p.partitionIndex,
          value,
        };
        if (producer) {
          record.producerId = producer.producerId;
          record.producerEpoch = producer.epoch;
        }
        records.push(record);
        const entry = { partitionIndex: p.partitionIndex, errorCode: ERROR_CODES.NONE };
        partitions.push(entry);
        accepted.push(entry);
      }
    }
    if (records.length === 0) return result;

    try {
      await this.host.store.append(records);
    } catch (error) {
      const code = storeErrorCode(error);
      for (const entry of accepted) entry.errorCode = code;
      return result;
    }
    // A group deleted while the write was in flight keeps nothing in memory.
    if (group.is('Dead')) return result;
    for (const record of records) {
      if (!record.value) continue;
      if (producer) group.offsets.stageTransactional(producer.producerId, record.topic, record.partition, record.value);
      else group.offsets.commit(record.topic, record.partition, record.value);
    }
    return result;
  }

  private fetchedPartition(partitionIndex: number, value: OffsetCommitValue | undefined, errorCode: number) {
    return {
      partitionIndex,
      committedOffset: value?.offset ?? -1n,
      committedLeaderEpoch: value?.leaderEpoch ?? -1,
      // Kafka answers '' (OffsetFetchResponse.NO_METADATA) when nothing is committed.
      metadata: value?.metadata ?? '',
      errorCode,
    };
  }
}
