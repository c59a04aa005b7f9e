/**
 * What the coordinator writes to its store: group metadata after each
 * generation (with the assignment) and tombstones when things are deleted.
 */
import { ERROR_CODES } from '../protocol/error-codes.ts';
import type { GroupMetadata } from './group-metadata.ts';
import type { GroupMetadataRecord, OffsetCommitRecord } from './store.ts';

const NO_BYTES = Buffer.alloc(0);

/** The group as of now, with `assignment` per member id (members without one get empty bytes). */
export function groupMetadataRecord(
  group: GroupMetadata,
  assignment: ReadonlyMap<string, Buffer>,
): GroupMetadataRecord {
  const protocolName = group.protocolName;
  return {
    type: 'group-metadata',
    groupId: group.groupId,
    value: {
      protocolType: group.protocolType,
      generationId: group.generationId,
      protocolName,
      leader: group.leaderId,
      currentStateTimestamp: group.stateTimestamp,
      members: group.allMembers().map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        rebalanceTimeoutMs: m.rebalanceTimeoutMs,
        sessionTimeoutMs: m.sessionTimeoutMs,
        subscription: protocolName === null ? NO_BYTES : m.metadataFor(protocolName),
        assignment: assignment.get(m.memberId) ?? NO_BYTES,
      })),
    },
  };
}

export function groupTombstone(groupId: string): GroupMetadataRecord {
  return { type: 'group-metadata', groupId, value: null };
}

export function offsetTombstone(groupId: string, topic: string, partition: number): OffsetCommitRecord {
  return { type: 'offset-commit', groupId, topic, partition, value: null };
}

/**
 * The error a request gets when its append fails: the rejection's own Kafka
 * error code if it carries one, else COORDINATOR_NOT_AVAILABLE, which clients
 * treat as "find the coordinator again and retry".
 */
export function storeErrorCode(error: unknown): number {
  if (typeof error === 'object' && error !== null && 'errorCode' in error && typeof error.errorCode === 'number') {
    return error.errorCode;
  }
  return ERROR_CODES.COORDINATOR_NOT_AVAILABLE;
}
