// A clean shutdown does not wait for requests that would otherwise wait long:
// long-polling fetches and JoinGroups parked until a rebalance completes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestBroker } from '../../test/support/broker.ts';
import { kafkajs } from './clients.ts';

describe('broker shutdown', () => {
  it('answers parked JoinGroups and long polls, and stops well before they would have ended', async () => {
    const { address, broker, stop } = await startTestBroker({ groupInitialRebalanceDelayMs: 0 });
    const kafka = kafkajs(address, { retry: { retries: 0 } });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'votes' }] });
    await admin.disconnect();

    // The first member long-polls for 25 s, so the second member's JoinGroup waits that long for it to rejoin.
    const first = kafka.consumer({
      groupId: 'parked',
      maxWaitTimeInMs: 25_000,
      sessionTimeout: 30_000,
      rebalanceTimeout: 60_000,
    });
    await first.connect();
    await first.subscribe({ topic: 'votes' });
    let joined = false;
    first.on(first.events.GROUP_JOIN, () => {
      joined = true;
    });
    await first.run({ eachMessage: async () => {} });
    while (!joined) await sleep(20);
    const second = kafka.consumer({ groupId: 'parked', sessionTimeout: 30_000, rebalanceTimeout: 60_000 });
    await second.connect();
    await second.subscribe({ topic: 'votes' });
    void second.run({ eachMessage: async () => {} }).catch(() => {});
    await sleep(500);
    assert.equal(broker.context.stopping, false);

    const started = Date.now();
    await stop();
    const tookMs = Date.now() - started;
    assert.ok(tookMs < 10_000, `stop took ${tookMs} ms: it waited for the parked requests`);
    await Promise.all([first.disconnect(), second.disconnect()]).catch(() => {});
  });
});
