/**
 * broker/group: the consumer group coordinator, Kafka's classic group
 * protocol without networking. Request handlers pass decoded requests in and
 * encode what comes back.
 *
 * Contract:
 * - `new GroupCoordinator({ store, clock?, config?, logger? })`, then
 *   `await load()` to rebuild groups and offsets from the store; until then
 *   requests get COORDINATOR_LOAD_IN_PROGRESS. `close()` stops every timer and
 *   answers parked requests with NOT_COORDINATOR.
 * - One async method per API: joinGroup, syncGroup, heartbeat, leaveGroup,
 *   describeGroups, listGroups, deleteGroups, commitOffsets,
 *   commitTransactionalOffsets, fetchOffsets; plus completeTransaction for the
 *   transaction coordinator and expireOffsets. Each promise resolves when
 *   Kafka would answer: JoinGroup once the rebalance completes, a follower's
 *   SyncGroup once the leader's assignment is stored, a commit once it is
 *   durable. Results carry the wire types' field names
 *   (broker/protocol/apis/<api>/types.ts) minus throttleTimeMs; errors are
 *   Kafka error codes (ERROR_CODES in broker/protocol/error-codes.ts).
 * - Durability goes through `GroupMetadataStore` (append a batch of records,
 *   load them back in order), whose records mirror `__consumer_offsets`: keyed
 *   offset commits and group metadata with tombstones, plus transaction
 *   markers. `consumer-offsets-codec.ts` gives their exact Kafka bytes;
 *   `InMemoryGroupMetadataStore` serves tests.
 * - Time comes from a `Clock`; `ManualClock` lets tests step through session,
 *   rebalance and initial-delay timeouts.
 */

export { type Clock, ManualClock, systemClock, type Timer } from './clock.ts';
export { DEFAULT_GROUP_COORDINATOR_CONFIG, type GroupCoordinatorConfig } from './config.ts';
export { decodeRecord, encodeRecordKey, encodeRecordValue, isKeyedRecord } from './consumer-offsets-codec.ts';
export { type CoordinatorLogger, GroupCoordinator, type GroupCoordinatorOptions } from './coordinator.ts';
export type { GroupState } from './group-state.ts';
export {
  type CoordinatorRecord,
  type GroupMetadataRecord,
  type GroupMetadataStore,
  type GroupMetadataValue,
  InMemoryGroupMetadataStore,
  type OffsetCommitRecord,
  type OffsetCommitValue,
  type StoredMember,
  type TransactionMarkerRecord,
} from './store.ts';
export type * from './types.ts';
