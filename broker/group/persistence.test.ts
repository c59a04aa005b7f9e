import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ERROR_CODES as E } from '../protocol/error-codes.ts';
import { ManualClock } from './clock.ts';
import { decodeRecord, encodeRecordKey, encodeRecordValue } from './consumer-offsets-codec.ts';
import type { CoordinatorRecord, GroupMetadataRecord, InMemoryGroupMetadataStore } from './store.ts';
import { formGroup, heartbeat, SESSION_TIMEOUT_MS, startCoordinator } from './testing.ts';

/** A "restart": a new coordinator on the same store. */
async function restart(store: InMemoryGroupMetadataStore) {
  return startCoordinator({ store, clock: new ManualClock() });
}

const txnCommit = (groupId: string, producerId: bigint, offset: bigint) => ({
  transactionalId: 't',
  groupId,
  producerId,
  producerEpoch: 0,
  topics: [
    {
      name: 'ballots',
      partitions: [{ partitionIndex: 0, committedOffset: offset, committedLeaderEpoch: -1, committedMetadata: '' }],
    },
  ],
});

async function committedOffset(coordinator: Awaited<ReturnType<typeof restart>>['coordinator'], groupId: string) {
  const result = await coordinator.fetchOffsets({ groupId, topics: [{ name: 'ballots', partitionIndexes: [0] }] });
  return result.topics[0]?.partitions[0]?.committedOffset;
}

describe('restart', () => {
  test('offsets and groups come back from the store', async () => {
    const before = await startCoordinator();
    const [a, b] = await formGroup(before, 2);
    assert.ok(a && b);
    await before.coordinator.commitOffsets({
      groupId: 'votes',
      generationId: a.generationId,
      memberId: a.memberId,
      groupInstanceId: null,
      topics: [
        {
          name: 'ballots',
          partitions: [{ partitionIndex: 0, committedOffset: 123n, committedLeaderEpoch: 1, committedMetadata: 'x' }],
        },
      ],
    });
    before.coordinator.close();

    const after = await restart(before.store);
    const { coordinator, clock } = after;
    assert.equal(await committedOffset(coordinator, 'votes'), 123n);
    const [described] = await coordinator.describeGroups(['votes']);
    assert.equal(described?.groupState, 'Stable');
    assert.equal(described?.protocolData, 'range');
    assert.deepEqual(
      described?.members.map((m) => [m.memberId, m.memberAssignment.toString()]).sort(),
      [
        [a.memberId, 'assignment-0'],
        [b.memberId, 'assignment-1'],
      ].sort(),
    );
    // Members carry on with their generation; one that stays silent is removed.
    assert.equal((await heartbeat(coordinator, a)).errorCode, E.NONE);
    clock.advance(SESSION_TIMEOUT_MS / 2);
    assert.equal((await heartbeat(coordinator, a)).errorCode, E.NONE);
    clock.advance(SESSION_TIMEOUT_MS / 2);
    assert.equal(coordinator.groupState('votes'), 'PreparingRebalance');
    assert.equal((await heartbeat(coordinator, b)).errorCode, E.UNKNOWN_MEMBER_ID);
    coordinator.close();
  });

  test('a deleted group stays deleted', async () => {
    const before = await startCoordinator();
    await before.coordinator.commitOffsets({
      groupId: 'old',
      generationId: -1,
      memberId: '',
      groupInstanceId: null,
      topics: [
        {
          name: 'ballots',
          partitions: [{ partitionIndex: 0, committedOffset: 5n, committedLeaderEpoch: -1, committedMetadata: null }],
        },
      ],
    });
    assert.deepEqual(await before.coordinator.deleteGroups(['old']), [{ groupId: 'old', errorCode: E.NONE }]);
    before.coordinator.close();
    const { coordinator } = await restart(before.store);
    assert.deepEqual((await coordinator.listGroups()).groups, []);
    assert.equal(await committedOffset(coordinator, 'old'), -1n);
    coordinator.close();
  });

  test('transactions: committed offsets reappear, aborted ones do not, open ones stay pending', async () => {
    const before = await startCoordinator();
    const c = before.coordinator;
    await c.commitTransactionalOffsets(txnCommit('committed', 1n, 10n));
    await c.completeTransaction(1n, true);
    await c.commitTransactionalOffsets(txnCommit('aborted', 2n, 20n));
    await c.completeTransaction(2n, false);
    await c.commitTransactionalOffsets(txnCommit('open', 3n, 30n));
    c.close();

    const { coordinator } = await restart(before.store);
    assert.equal(await committedOffset(coordinator, 'committed'), 10n);
    assert.equal(await committedOffset(coordinator, 'aborted'), -1n);
    assert.equal(await committedOffset(coordinator, 'open'), -1n);
    await coordinator.completeTransaction(3n, true);
    assert.equal(await committedOffset(coordinator, 'open'), 30n);
    coordinator.close();
  });
});

describe('__consumer_offsets record format', () => {
  test('an offset commit key is Kafka’s key version 1', () => {
    const key = encodeRecordKey({ type: 'offset-commit', groupId: 'g', topic: 't', partition: 2, value: null });
    assert.equal(key.toString('hex'), '0001' + '000167' + '000174' + '00000002');
  });

  test('an offset commit value is Kafka’s value version 3 (version 1 with an expiry)', () => {
    const value = encodeRecordValue({
      type: 'offset-commit',
      groupId: 'g',
      topic: 't',
      partition: 0,
      value: { offset: 5n, leaderEpoch: 1, metadata: '', commitTimestamp: 1000, expireTimestamp: null },
    });
    assert.equal(value?.toString('hex'), '0003' + '0000000000000005' + '00000001' + '0000' + '00000000000003e8');
    const withExpiry = encodeRecordValue({
      type: 'offset-commit',
      groupId: 'g',
      topic: 't',
      partition: 0,
      value: { offset: 5n, leaderEpoch: 1, metadata: '', commitTimestamp: 1000, expireTimestamp: 2000 },
    });
    assert.equal(withExpiry?.readInt16BE(0), 1);
  });

  test('every record the coordinator writes survives encode and decode', async () => {
    const harness = await startCoordinator();
    await formGroup(harness, 2);
    await harness.coordinator.commitOffsets({
      groupId: 'votes',
      generationId: -1,
      memberId: '',
      groupInstanceId: null,
      topics: [],
    });
    harness.coordinator.close();
    const keyed = harness.store.records.filter(
      (r): r is Exclude<CoordinatorRecord, { type: 'transaction-marker' }> => r.type !== 'transaction-marker',
    );
    const tombstone: GroupMetadataRecord = { type: 'group-metadata', groupId: 'votes', value: null };
    for (const record of [...keyed, tombstone]) {
      assert.deepEqual(decodeRecord(encodeRecordKey(record), encodeRecordValue(record)), record);
    }
  });

  test('truncated bytes are reported with what was being read', () => {
    assert.throws(() => decodeRecord(Buffer.from('0002000567', 'hex'), null), /__consumer_offsets key: truncated/);
  });
});
