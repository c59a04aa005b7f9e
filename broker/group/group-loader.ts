/**
 * Rebuilds groups from the store's records, replayed in order the way Kafka's
 * GroupMetadataManager loads a `__consumer_offsets` partition: the last value
 * of each key wins, a tombstone deletes it, and transactional offsets wait for
 * their producer's marker (a transaction still open at the end stays pending,
 * to be completed later through the coordinator).
 */
import { GroupMetadata } from './group-metadata.ts';
import { MemberMetadata } from './member-metadata.ts';
import { GroupOffsets } from './offsets.ts';
import type { CoordinatorRecord, GroupMetadataValue } from './store.ts';

export async function loadGroups(records: AsyncIterable<CoordinatorRecord>, nowMs: number) {
  const offsets = new Map<string, GroupOffsets>();
  const metadata = new Map<string, GroupMetadataValue>();
  const offsetsOf = (groupId: string) => {
    let group = offsets.get(groupId);
    if (!group) {
      group = new GroupOffsets();
      offsets.set(groupId, group);
    }
    return group;
  };

  for await (const record of records) {
    switch (record.type) {
      case 'offset-commit': {
        const group = offsetsOf(record.groupId);
        if (record.producerId !== undefined) {
          if (record.value) group.stageTransactional(record.producerId, record.topic, record.partition, record.value);
        } else if (record.value) {
          group.commit(record.topic, record.partition, record.value);
        } else {
          group.remove(record.topic, record.partition);
        }
        break;
      }
      case 'group-metadata':
        if (record.value) metadata.set(record.groupId, record.value);
        else metadata.delete(record.groupId);
        break;
      case 'transaction-marker':
        for (const group of offsets.values()) group.completeTransaction(record.producerId, record.committed);
        break;
    }
  }

  const groups = new Map<string, GroupMetadata>();
  for (const [groupId, value] of metadata) {
    groups.set(groupId, restoreGroup(groupId, value, offsets.get(groupId) ?? new GroupOffsets(), nowMs));
  }
  for (const [groupId, groupOffsets] of offsets) {
    if (groups.has(groupId) || (groupOffsets.size === 0 && !groupOffsets.hasPendingTransactions)) continue;
    // Offsets without group metadata: a group that only stores offsets (simple consumers).
    groups.set(groupId, new GroupMetadata(groupId, nowMs, { offsets: groupOffsets }));
  }
  return groups;
}

function restoreGroup(groupId: string, value: GroupMetadataValue, offsets: GroupOffsets, nowMs: number) {
  const state = value.members.length > 0 ? 'Stable' : 'Empty';
  const group = new GroupMetadata(groupId, value.currentStateTimestamp ?? nowMs, { state, offsets });
  group.generationId = value.generationId;
  group.protocolType = value.protocolType;
  group.protocolName = value.protocolName;
  const protocolName = value.protocolName ?? '';
  for (const stored of value.members) {
    const member = new MemberMetadata({
      memberId: stored.memberId,
      groupInstanceId: stored.groupInstanceId,
      clientId: stored.clientId,
      clientHost: stored.clientHost,
      rebalanceTimeoutMs: stored.rebalanceTimeoutMs,
      sessionTimeoutMs: stored.sessionTimeoutMs,
      protocolType: value.protocolType,
      // Only the chosen protocol's metadata is stored, as in Kafka.
      protocols: [{ name: protocolName, metadata: stored.subscription }],
    });
    member.assignment = stored.assignment;
    group.add(member);
  }
  group.leaderId = value.leader;
  return group;
}
