import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { ERROR_CODES as E } from '../protocol/error-codes.ts';
import type { GroupCoordinator } from './coordinator.ts';
import { formGroup, type Harness, join, settle, startCoordinator, sync, TEST_CONFIG } from './testing.ts';
import type { OffsetCommitRequest, OffsetFetchResult } from './types.ts';

const harnesses: Harness[] = [];

async function start(config = {}): Promise<Harness> {
  const harness = await startCoordinator({ config });
  harnesses.push(harness);
  return harness;
}

afterEach(() => {
  for (const { coordinator } of harnesses.splice(0)) coordinator.close();
});

function commit(
  overrides: Partial<OffsetCommitRequest> & { offsets?: Record<number, bigint> } = {},
): OffsetCommitRequest {
  const { offsets = { 0: 42n }, ...rest } = overrides;
  return {
    groupId: 'votes',
    generationId: -1,
    memberId: '',
    groupInstanceId: null,
    topics: [
      {
        name: 'ballots',
        partitions: Object.entries(offsets).map(([partition, offset]) => ({
          partitionIndex: Number(partition),
          committedOffset: offset,
          committedLeaderEpoch: 3,
          committedMetadata: `m${partition}`,
        })),
      },
    ],
    ...rest,
  };
}

function errors(result: { topics: { partitions: { errorCode: number }[] }[] }): number[] {
  return result.topics.flatMap((t) => t.partitions.map((p) => p.errorCode));
}

async function fetched(coordinator: GroupCoordinator, partitions = [0], requireStable = false) {
  const result = await coordinator.fetchOffsets({
    groupId: 'votes',
    topics: [{ name: 'ballots', partitionIndexes: partitions }],
    requireStable,
  });
  return result.topics[0]?.partitions ?? [];
}

function offsetsOf(result: OffsetFetchResult): Record<string, bigint> {
  return Object.fromEntries(
    result.topics.flatMap((t) => t.partitions.map((p) => [`${t.name}-${p.partitionIndex}`, p.committedOffset])),
  );
}

describe('OffsetCommit and OffsetFetch', () => {
  test('a member of a Stable group commits; fetch returns offset, leader epoch and metadata', async () => {
    const harness = await start();
    const { coordinator, store, clock } = harness;
    const [member] = await formGroup(harness, 1);
    assert.ok(member);
    const result = await coordinator.commitOffsets(
      commit({ generationId: member.generationId, memberId: member.memberId, offsets: { 0: 42n, 1: 7n } }),
    );
    assert.deepEqual(errors(result), [E.NONE, E.NONE]);
    assert.deepEqual(await fetched(coordinator, [0, 1, 2]), [
      { partitionIndex: 0, committedOffset: 42n, committedLeaderEpoch: 3, metadata: 'm0', errorCode: E.NONE },
      { partitionIndex: 1, committedOffset: 7n, committedLeaderEpoch: 3, metadata: 'm1', errorCode: E.NONE },
      { partitionIndex: 2, committedOffset: -1n, committedLeaderEpoch: -1, metadata: '', errorCode: E.NONE },
    ]);
    const stored = store.records.filter((r) => r.type === 'offset-commit');
    assert.equal(stored.length, 2);
    assert.equal(stored[0]?.value?.commitTimestamp, clock.now(), 'commits carry their timestamp');
  });

  test('commits are checked against the generation and membership', async () => {
    const harness = await start();
    const { coordinator } = harness;
    const [member] = await formGroup(harness, 1);
    assert.ok(member);
    const stale = await coordinator.commitOffsets(commit({ generationId: 0, memberId: member.memberId }));
    assert.deepEqual(errors(stale), [E.ILLEGAL_GENERATION]);
    const stranger = await coordinator.commitOffsets(commit({ generationId: 1, memberId: 'stranger' }));
    assert.deepEqual(errors(stranger), [E.UNKNOWN_MEMBER_ID]);
    const outsider = await coordinator.commitOffsets(commit());
    assert.deepEqual(errors(outsider), [E.UNKNOWN_MEMBER_ID], 'a group with members only takes its members’ commits');
    const unknownGroup = await coordinator.commitOffsets(commit({ groupId: 'gone', generationId: 3, memberId: 'x' }));
    assert.deepEqual(errors(unknownGroup), [E.ILLEGAL_GENERATION]);
  });

  test('a commit between JoinGroup and SyncGroup gets REBALANCE_IN_PROGRESS', async () => {
    const { coordinator, clock } = await start();
    const joining = join(coordinator);
    await settle();
    clock.advance(TEST_CONFIG.initialRebalanceDelayMs ?? 0);
    const joined = await joining;
    const result = await coordinator.commitOffsets(commit({ generationId: 1, memberId: joined.memberId }));
    assert.deepEqual(errors(result), [E.REBALANCE_IN_PROGRESS]);
    await sync(coordinator, joined);
  });

  test('commits without group management (generation -1) create an Empty group', async () => {
    const { coordinator } = await start();
    assert.deepEqual(errors(await coordinator.commitOffsets(commit())), [E.NONE]);
    assert.equal(coordinator.groupState('votes'), 'Empty');
    assert.equal((await fetched(coordinator))[0]?.committedOffset, 42n);
  });

  test('a null topic list fetches every committed partition', async () => {
    const { coordinator } = await start();
    await coordinator.commitOffsets(commit({ offsets: { 0: 1n, 3: 4n } }));
    await coordinator.commitOffsets({
      ...commit(),
      topics: [
        {
          name: 'tallies',
          partitions: [{ partitionIndex: 0, committedOffset: 9n, committedLeaderEpoch: -1, committedMetadata: null }],
        },
      ],
    });
    const all = await coordinator.fetchOffsets({ groupId: 'votes', topics: null });
    assert.deepEqual(offsetsOf(all), { 'ballots-0': 1n, 'ballots-3': 4n, 'tallies-0': 9n });
    const none = await coordinator.fetchOffsets({ groupId: 'no-such-group', topics: null });
    assert.deepEqual(none, { errorCode: E.NONE, topics: [] });
  });

  test('oversized metadata is refused per partition', async () => {
    const { coordinator } = await start({ offsetMetadataMaxBytes: 4 });
    const request = commit({ offsets: { 0: 1n } });
    const partition = request.topics[0]?.partitions[0];
    assert.ok(partition);
    partition.committedMetadata = 'too long';
    assert.deepEqual(errors(await coordinator.commitOffsets(request)), [E.OFFSET_METADATA_TOO_LARGE]);
  });

  test('a failed store write fails the commit and leaves the old offset visible', async () => {
    const { coordinator, store } = await start();
    await coordinator.commitOffsets(commit({ offsets: { 0: 1n } }));
    store.failNextAppend = new Error('disk full');
    assert.deepEqual(errors(await coordinator.commitOffsets(commit({ offsets: { 0: 2n } }))), [
      E.COORDINATOR_NOT_AVAILABLE,
    ]);
    assert.equal((await fetched(coordinator))[0]?.committedOffset, 1n);
  });

  test('offsets of an empty group expire after the retention and the group goes away', async () => {
    const { coordinator, clock, store } = await start({ offsetsRetentionMs: 10_000 });
    await coordinator.commitOffsets(commit());
    clock.advance(9_999);
    assert.equal(await coordinator.expireOffsets(), 0);
    clock.advance(1);
    assert.equal(await coordinator.expireOffsets(), 1);
    assert.equal(coordinator.groupState('votes'), undefined);
    assert.deepEqual(
      store.records.slice(-2).map((r) => r.type !== 'transaction-marker' && r.value),
      [null, null],
      'an offset tombstone and a group tombstone',
    );
  });
});

describe('transactional offset commits', () => {
  const txn = (producerId: bigint, offset: bigint) => ({
    transactionalId: 'tally-aggregator',
    groupId: 'votes',
    producerId,
    producerEpoch: 0,
    topics: [
      {
        name: 'ballots',
        partitions: [{ partitionIndex: 0, committedOffset: offset, committedLeaderEpoch: -1, committedMetadata: '' }],
      },
    ],
  });

  test('stay invisible until the transaction commits', async () => {
    const { coordinator } = await start();
    assert.deepEqual(errors(await coordinator.commitTransactionalOffsets(txn(1000n, 50n))), [E.NONE]);
    assert.equal((await fetched(coordinator))[0]?.committedOffset, -1n);
    assert.equal((await fetched(coordinator, [0], true))[0]?.errorCode, E.UNSTABLE_OFFSET_COMMIT);
    await coordinator.completeTransaction(1000n, true);
    assert.equal((await fetched(coordinator))[0]?.committedOffset, 50n);
    assert.equal((await fetched(coordinator, [0], true))[0]?.errorCode, E.NONE);
  });

  test('are dropped when the transaction aborts', async () => {
    const { coordinator } = await start();
    await coordinator.commitOffsets(commit({ offsets: { 0: 10n } }));
    await coordinator.commitTransactionalOffsets(txn(1000n, 50n));
    await coordinator.completeTransaction(1000, false);
    assert.equal((await fetched(coordinator))[0]?.committedOffset, 10n);
  });

  test('lose to a plain commit written after them', async () => {
    const { coordinator } = await start();
    await coordinator.commitTransactionalOffsets(txn(7n, 50n));
    await coordinator.commitOffsets(commit({ offsets: { 0: 60n } }));
    await coordinator.completeTransaction(7n, true);
    assert.equal((await fetched(coordinator))[0]?.committedOffset, 60n);
  });

  test('of different producers are independent', async () => {
    const { coordinator } = await start();
    await coordinator.commitTransactionalOffsets(txn(1n, 11n));
    await coordinator.commitTransactionalOffsets({ ...txn(2n, 22n), groupId: 'other' });
    await coordinator.completeTransaction(2n, true);
    assert.equal((await fetched(coordinator))[0]?.committedOffset, -1n);
    const other = await coordinator.fetchOffsets({ groupId: 'other', topics: null });
    assert.deepEqual(offsetsOf(other), { 'ballots-0': 22n });
  });
});
