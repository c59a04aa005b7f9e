/**
 * Helpers for the coordinator's tests: a coordinator on a manual clock and an
 * in-memory store, and members that join, sync and heartbeat in one call.
 */
import { ManualClock } from './clock.ts';
import type { GroupCoordinatorConfig } from './config.ts';
import { GroupCoordinator } from './coordinator.ts';
import { InMemoryGroupMetadataStore } from './store.ts';
import type { GroupProtocol, JoinGroupRequest, JoinGroupResult, SyncGroupResult } from './types.ts';

export const TEST_CONFIG: Partial<GroupCoordinatorConfig> = {
  initialRebalanceDelayMs: 100,
  minSessionTimeoutMs: 100,
  offsetsRetentionCheckIntervalMs: 0,
};

export const SESSION_TIMEOUT_MS = 1_000;
export const REBALANCE_TIMEOUT_MS = 5_000;

export interface Harness {
  coordinator: GroupCoordinator;
  clock: ManualClock;
  store: InMemoryGroupMetadataStore;
}

export async function startCoordinator(
  options: { config?: Partial<GroupCoordinatorConfig>; store?: InMemoryGroupMetadataStore; clock?: ManualClock } = {},
): Promise<Harness> {
  const clock = options.clock ?? new ManualClock();
  const store = options.store ?? new InMemoryGroupMetadataStore();
  const coordinator = new GroupCoordinator({ store, clock, config: { ...TEST_CONFIG, ...options.config } });
  await coordinator.load();
  return { coordinator, clock, store };
}

export function protocols(...names: string[]): GroupProtocol[] {
  return names.map((name) => ({ name, metadata: Buffer.from(`subscription for ${name}`) }));
}

export function joinRequest(overrides: Partial<JoinGroupRequest> = {}): JoinGroupRequest {
  return {
    groupId: 'votes',
    sessionTimeoutMs: SESSION_TIMEOUT_MS,
    rebalanceTimeoutMs: REBALANCE_TIMEOUT_MS,
    memberId: '',
    groupInstanceId: null,
    protocolType: 'consumer',
    protocols: protocols('range'),
    ...overrides,
  };
}

/** Lets promise callbacks (store appends, parked responses) run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** Whether a promise has resolved yet, without waiting for it. */
export async function isSettled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(() => {
    done = true;
  });
  await settle();
  return done;
}

/** JoinGroup v3 (no MEMBER_ID_REQUIRED round trip); parks until the rebalance completes. */
export function join(
  coordinator: GroupCoordinator,
  overrides: Partial<JoinGroupRequest> = {},
  clientId = 'tally-consumer',
): Promise<JoinGroupResult> {
  return coordinator.joinGroup(joinRequest(overrides), { clientId, clientHost: '/127.0.0.1', apiVersion: 3 });
}

export function sync(
  coordinator: GroupCoordinator,
  joined: JoinGroupResult,
  assignments: Record<string, string> = {},
  groupId = 'votes',
): Promise<SyncGroupResult> {
  return coordinator.syncGroup({
    groupId,
    generationId: joined.generationId,
    memberId: joined.memberId,
    groupInstanceId: null,
    assignments: Object.entries(assignments).map(([memberId, assignment]) => ({
      memberId,
      assignment: Buffer.from(assignment),
    })),
  });
}

export function heartbeat(coordinator: GroupCoordinator, joined: JoinGroupResult, groupId = 'votes') {
  return coordinator.heartbeat({
    groupId,
    generationId: joined.generationId,
    memberId: joined.memberId,
    groupInstanceId: null,
  });
}

/**
 * Members join together, the leader assigns `assignment-<i>` to the i-th
 * member, everyone syncs: a Stable group. Returns the join results in order.
 */
export async function formGroup(harness: Harness, count: number, groupId = 'votes'): Promise<JoinGroupResult[]> {
  const joins = Array.from({ length: count }, (_, i) => join(harness.coordinator, { groupId }, `client-${i}`));
  await settle();
  // Each member that arrives during the initial delay extends it once more.
  harness.clock.advance((TEST_CONFIG.initialRebalanceDelayMs ?? 0) * (count + 1));
  const joined = await Promise.all(joins);
  const leader = joined.find((j) => j.leader === j.memberId);
  if (!leader) throw new Error('no leader elected');
  const assignments = Object.fromEntries(joined.map((j, i) => [j.memberId, `assignment-${i}`]));
  const syncs = joined.map((j) => sync(harness.coordinator, j, j === leader ? assignments : {}, groupId));
  await Promise.all(syncs);
  return joined;
}
