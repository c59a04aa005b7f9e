import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { testLogger } from '../../test/support/index.ts';
import { ERROR_CODES } from '../protocol/index.ts';
import { TransactionCoordinator } from './transaction-coordinator.ts';
import { InMemoryTransactionLogStore, type TopicPartitionRef } from './transaction-log.ts';

function setup(store = new InMemoryTransactionLogStore()) {
  let now = 1_000_000;
  const markers: { partitions: TopicPartitionRef[]; producerId: number; producerEpoch: number; commit: boolean }[] = [];
  const settled: { groups: string[]; producerId: number; commit: boolean }[] = [];
  const coordinator = new TransactionCoordinator({
    store,
    logger: testLogger(),
    markers: { writeMarkers: async (partitions, marker) => void markers.push({ partitions, ...marker }) },
    offsets: {
      completeTransaction: async (groups, producerId, commit) => void settled.push({ groups, producerId, commit }),
    },
    now: () => now,
    expiryCheckIntervalMs: 3_600_000,
  });
  return {
    coordinator,
    store,
    markers,
    settled,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

const votes0 = { topic: 'votes', partition: 0 };
const votes1 = { topic: 'votes', partition: 1 };

describe('TransactionCoordinator', () => {
  it('hands idempotent producers distinct ids at epoch 0, never reused after a restart', async () => {
    const { coordinator, store } = setup();
    await coordinator.load();
    const first = await coordinator.initProducerId(null, 0);
    const second = await coordinator.initProducerId(null, 0);
    assert.deepEqual(first, { errorCode: 0, producerId: 0, producerEpoch: 0 });
    assert.equal(second.producerId, 1);
    coordinator.close();

    const restarted = setup(store).coordinator;
    await restarted.load();
    const third = await restarted.initProducerId(null, 0);
    assert.ok(third.producerId > 1, `producer id ${third.producerId} was handed out before the restart`);
    restarted.close();
  });

  it('bumps the epoch each time a transactional id initialises, fencing the older producer', async () => {
    const { coordinator } = setup();
    await coordinator.load();
    const a = await coordinator.initProducerId('tally-engine-1', 60_000);
    const b = await coordinator.initProducerId('tally-engine-1', 60_000);
    assert.equal(b.producerId, a.producerId);
    assert.equal(b.producerEpoch, a.producerEpoch + 1);
    assert.equal(
      await coordinator.addPartitions('tally-engine-1', a.producerId, a.producerEpoch, [votes0]),
      ERROR_CODES.INVALID_PRODUCER_EPOCH,
    );
    assert.equal(
      await coordinator.addPartitions('tally-engine-1', a.producerId + 7, b.producerEpoch, [votes0]),
      ERROR_CODES.INVALID_PRODUCER_ID_MAPPING,
    );
    coordinator.close();
  });

  it('commits: markers on every partition written, group offsets made visible, state CompleteCommit', async () => {
    const { coordinator, markers, settled } = setup();
    await coordinator.load();
    const { producerId, producerEpoch } = await coordinator.initProducerId('t', 60_000);
    assert.equal(await coordinator.addPartitions('t', producerId, producerEpoch, [votes0]), 0);
    assert.equal(await coordinator.addPartitions('t', producerId, producerEpoch, [votes0, votes1]), 0);
    assert.equal(await coordinator.addOffsets('t', producerId, producerEpoch, 'engine-group'), 0);
    assert.equal(coordinator.isOngoing('t', producerId, producerEpoch), 0);
    assert.equal(await coordinator.endTransaction('t', producerId, producerEpoch, true), 0);

    assert.deepEqual(markers, [{ partitions: [votes0, votes1], producerId, producerEpoch, commit: true }]);
    assert.deepEqual(settled, [{ groups: ['engine-group'], producerId, commit: true }]);
    assert.equal(coordinator.describe('t')?.state, 'CompleteCommit');
    // A retried commit succeeds; an abort of a committed transaction does not.
    assert.equal(await coordinator.endTransaction('t', producerId, producerEpoch, true), 0);
    assert.equal(
      await coordinator.endTransaction('t', producerId, producerEpoch, false),
      ERROR_CODES.INVALID_TXN_STATE,
    );
    assert.equal(coordinator.isOngoing('t', producerId, producerEpoch), ERROR_CODES.INVALID_TXN_STATE);
    coordinator.close();
  });

  it('aborts: abort markers, offsets dropped', async () => {
    const { coordinator, markers, settled } = setup();
    await coordinator.load();
    const { producerId, producerEpoch } = await coordinator.initProducerId('t', 60_000);
    await coordinator.addPartitions('t', producerId, producerEpoch, [votes1]);
    await coordinator.addOffsets('t', producerId, producerEpoch, 'g');
    assert.equal(await coordinator.endTransaction('t', producerId, producerEpoch, false), 0);
    assert.deepEqual(markers, [{ partitions: [votes1], producerId, producerEpoch, commit: false }]);
    assert.deepEqual(settled, [{ groups: ['g'], producerId, commit: false }]);
    assert.equal(coordinator.describe('t')?.state, 'CompleteAbort');
    coordinator.close();
  });

  it('refuses EndTxn when no transaction is open', async () => {
    const { coordinator } = setup();
    await coordinator.load();
    const { producerId, producerEpoch } = await coordinator.initProducerId('t', 60_000);
    assert.equal(await coordinator.endTransaction('t', producerId, producerEpoch, true), ERROR_CODES.INVALID_TXN_STATE);
    coordinator.close();
  });

  it('aborts a transaction that outlives its timeout and fences its producer', async () => {
    const { coordinator, markers, advance } = setup();
    await coordinator.load();
    const { producerId, producerEpoch } = await coordinator.initProducerId('slow', 10_000);
    await coordinator.addPartitions('slow', producerId, producerEpoch, [votes0]);
    advance(5_000);
    await coordinator.abortExpired();
    assert.equal(markers.length, 0, 'aborted before its timeout');
    advance(6_000);
    await coordinator.abortExpired();
    assert.deepEqual(markers, [{ partitions: [votes0], producerId, producerEpoch: producerEpoch + 1, commit: false }]);
    assert.equal(
      await coordinator.endTransaction('slow', producerId, producerEpoch, true),
      ERROR_CODES.INVALID_PRODUCER_EPOCH,
    );
    coordinator.close();
  });

  it('aborts what an earlier incarnation left open when a transactional id initialises again', async () => {
    const { coordinator, markers } = setup();
    await coordinator.load();
    const first = await coordinator.initProducerId('t', 60_000);
    await coordinator.addPartitions('t', first.producerId, first.producerEpoch, [votes0]);
    const second = await coordinator.initProducerId('t', 60_000);
    assert.equal(markers.length, 1);
    assert.equal(markers[0]?.commit, false);
    assert.ok(second.producerEpoch > first.producerEpoch);
    assert.equal(coordinator.describe('t')?.state, 'Empty');
    coordinator.close();
  });

  it('finishes, after a restart, a transaction that was prepared but not completed', async () => {
    const store = new InMemoryTransactionLogStore();
    const { coordinator } = setup(store);
    await coordinator.load();
    const { producerId, producerEpoch } = await coordinator.initProducerId('t', 60_000);
    await coordinator.addPartitions('t', producerId, producerEpoch, [votes0]);
    coordinator.close();
    // As if the broker died between persisting PrepareCommit and writing the markers.
    const ongoing = coordinator.describe('t')!;
    await store.append([{ kind: 'transaction', metadata: { ...ongoing, state: 'PrepareCommit' } }]);

    const restarted = setup(store);
    await restarted.coordinator.load();
    assert.deepEqual(restarted.markers, [{ partitions: [votes0], producerId, producerEpoch, commit: true }]);
    assert.equal(restarted.coordinator.describe('t')?.state, 'CompleteCommit');
    restarted.coordinator.close();
  });

  it('rejects a timeout above transaction.max.timeout.ms', async () => {
    const { coordinator } = setup();
    await coordinator.load();
    const result = await coordinator.initProducerId('t', 3_600_000);
    assert.equal(result.errorCode, ERROR_CODES.INVALID_TRANSACTION_TIMEOUT);
    coordinator.close();
  });
});
