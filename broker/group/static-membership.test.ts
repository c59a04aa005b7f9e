import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { ERROR_CODES as E } from '../protocol/error-codes.ts';
import { type Harness, heartbeat, joinRequest, settle, startCoordinator, sync, TEST_CONFIG } from './testing.ts';
import type { JoinGroupRequest } from './types.ts';

const harnesses: Harness[] = [];

afterEach(() => {
  for (const { coordinator } of harnesses.splice(0)) coordinator.close();
});

function joinStatic(harness: Harness, overrides: Partial<JoinGroupRequest>) {
  return harness.coordinator.joinGroup(joinRequest(overrides), {
    clientId: 'static',
    clientHost: '/127.0.0.1',
    apiVersion: 5,
  });
}

test('a static member joins without MEMBER_ID_REQUIRED and comes back after a restart without a rebalance', async () => {
  const harness = await startCoordinator();
  harnesses.push(harness);
  const { coordinator, clock } = harness;
  const joining = joinStatic(harness, { groupInstanceId: 'counter-1' });
  await settle();
  clock.advance(TEST_CONFIG.initialRebalanceDelayMs ?? 0);
  const first = await joining;
  assert.equal(first.errorCode, E.NONE);
  assert.match(first.memberId, /^counter-1-/);
  assert.equal(first.members[0]?.groupInstanceId, 'counter-1');
  await sync(coordinator, first, { [first.memberId]: 'partition 0' });

  // The same instance restarts: it has lost its member id.
  const again = await joinStatic(harness, { groupInstanceId: 'counter-1' });
  assert.equal(again.errorCode, E.NONE);
  assert.notEqual(again.memberId, first.memberId);
  assert.equal(again.generationId, first.generationId, 'no new generation');
  assert.equal(again.leader, first.memberId, 'the old leader id, so it does not reassign');
  assert.equal(coordinator.groupState('votes'), 'Stable');
  const synced = await sync(coordinator, again);
  assert.equal(synced.assignment.toString(), 'partition 0', 'it keeps its assignment');

  // The old incarnation is fenced.
  const stale = await coordinator.heartbeat({
    groupId: 'votes',
    generationId: first.generationId,
    memberId: first.memberId,
    groupInstanceId: 'counter-1',
  });
  assert.equal(stale.errorCode, E.FENCED_INSTANCE_ID);
  assert.equal((await heartbeat(coordinator, { ...again, memberId: again.memberId })).errorCode, E.NONE);
});

test('an admin removes a static member by instance id (LeaveGroup v3)', async () => {
  const harness = await startCoordinator();
  harnesses.push(harness);
  const { coordinator, clock } = harness;
  const joining = joinStatic(harness, { groupInstanceId: 'counter-1' });
  await settle();
  clock.advance(TEST_CONFIG.initialRebalanceDelayMs ?? 0);
  await sync(coordinator, await joining);
  const left = await coordinator.leaveGroup(
    { groupId: 'votes', memberId: '', members: [{ memberId: '', groupInstanceId: 'counter-1' }] },
    { apiVersion: 3 },
  );
  assert.deepEqual(
    left.members.map((m) => m.errorCode),
    [E.NONE],
  );
  assert.equal(coordinator.groupState('votes'), 'Empty');
});
