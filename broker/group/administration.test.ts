import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { ERROR_CODES as E } from '../protocol/error-codes.ts';
import { formGroup, type Harness, join, settle, startCoordinator } from './testing.ts';

const harnesses: Harness[] = [];

async function start(): Promise<Harness> {
  const harness = await startCoordinator();
  harnesses.push(harness);
  return harness;
}

afterEach(() => {
  for (const { coordinator } of harnesses.splice(0)) coordinator.close();
});

async function commitOutsideGroup(harness: Harness, groupId: string) {
  await harness.coordinator.commitOffsets({
    groupId,
    generationId: -1,
    memberId: '',
    groupInstanceId: null,
    topics: [
      {
        name: 'ballots',
        partitions: [{ partitionIndex: 0, committedOffset: 1n, committedLeaderEpoch: -1, committedMetadata: null }],
      },
    ],
  });
}

test('DescribeGroups shows a Stable group with its members, metadata and assignments', async () => {
  const harness = await start();
  const [a] = await formGroup(harness, 1);
  assert.ok(a);
  const [group, unknown] = await harness.coordinator.describeGroups(['votes', 'nobody']);
  assert.deepEqual(group, {
    errorCode: E.NONE,
    groupId: 'votes',
    groupState: 'Stable',
    protocolType: 'consumer',
    protocolData: 'range',
    members: [
      {
        memberId: a.memberId,
        groupInstanceId: null,
        clientId: 'client-0',
        clientHost: '/127.0.0.1',
        memberMetadata: Buffer.from('subscription for range'),
        memberAssignment: Buffer.from('assignment-0'),
      },
    ],
    authorizedOperations: -2147483648,
  });
  // Kafka answers an unknown group without an error, as Dead.
  assert.equal(unknown?.errorCode, E.NONE);
  assert.equal(unknown?.groupState, 'Dead');
});

test('DescribeGroups during a rebalance shows members without metadata', async () => {
  const harness = await start();
  void join(harness.coordinator);
  await settle();
  const [group] = await harness.coordinator.describeGroups(['votes']);
  assert.equal(group?.groupState, 'PreparingRebalance');
  assert.equal(group?.protocolData, '');
  assert.equal(group?.members[0]?.memberMetadata.length, 0);
});

test('ListGroups lists every group with its type and state, optionally filtered by state', async () => {
  const harness = await start();
  await formGroup(harness, 1);
  await commitOutsideGroup(harness, 'offsets-only');
  const all = await harness.coordinator.listGroups();
  assert.equal(all.errorCode, E.NONE);
  assert.deepEqual(
    all.groups.sort((x, y) => x.groupId.localeCompare(y.groupId)),
    [
      { groupId: 'offsets-only', protocolType: '', groupState: 'Empty' },
      { groupId: 'votes', protocolType: 'consumer', groupState: 'Stable' },
    ],
  );
  const empty = await harness.coordinator.listGroups(['empty']);
  assert.deepEqual(
    empty.groups.map((g) => g.groupId),
    ['offsets-only'],
  );
});

test('DeleteGroups deletes only empty groups, with their offsets', async () => {
  const harness = await start();
  await formGroup(harness, 1);
  await commitOutsideGroup(harness, 'offsets-only');
  const results = await harness.coordinator.deleteGroups(['offsets-only', 'votes', 'nobody']);
  assert.deepEqual(results, [
    { groupId: 'offsets-only', errorCode: E.NONE },
    { groupId: 'votes', errorCode: E.NON_EMPTY_GROUP },
    { groupId: 'nobody', errorCode: E.GROUP_ID_NOT_FOUND },
  ]);
  const fetched = await harness.coordinator.fetchOffsets({ groupId: 'offsets-only', topics: null });
  assert.deepEqual(fetched.topics, []);
  assert.deepEqual(await harness.coordinator.deleteGroups(['offsets-only']), [
    { groupId: 'offsets-only', errorCode: E.GROUP_ID_NOT_FOUND },
  ]);
});
