import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { ERROR_CODES as E } from '../protocol/error-codes.ts';
import { GroupCoordinator } from './coordinator.ts';
import { InMemoryGroupMetadataStore } from './store.ts';
import {
  formGroup,
  type Harness,
  heartbeat,
  isSettled,
  join,
  joinRequest,
  protocols,
  REBALANCE_TIMEOUT_MS,
  SESSION_TIMEOUT_MS,
  settle,
  startCoordinator,
  sync,
  TEST_CONFIG,
} from './testing.ts';

const INITIAL_DELAY = TEST_CONFIG.initialRebalanceDelayMs ?? 0;
const harnesses: Harness[] = [];

async function start(config = {}): Promise<Harness> {
  const harness = await startCoordinator({ config });
  harnesses.push(harness);
  return harness;
}

afterEach(() => {
  for (const { coordinator, clock } of harnesses.splice(0)) {
    coordinator.close();
    assert.equal(clock.pendingTimers, 0, 'close() leaves no timer behind');
  }
});

describe('one member', () => {
  test('joins with MEMBER_ID_REQUIRED first, then syncs and heartbeats', async () => {
    const { coordinator, clock } = await start();
    const context = { clientId: 'kafkajs', clientHost: '/127.0.0.1', apiVersion: 5 };

    const first = await coordinator.joinGroup(joinRequest(), context);
    assert.equal(first.errorCode, E.MEMBER_ID_REQUIRED);
    assert.match(first.memberId, /^kafkajs-[0-9a-f-]{36}$/);
    assert.equal(first.generationId, -1);

    const joining = coordinator.joinGroup(joinRequest({ memberId: first.memberId }), context);
    assert.equal(await isSettled(joining), false, 'a new group waits group.initial.rebalance.delay.ms');
    clock.advance(INITIAL_DELAY);
    const joined = await joining;
    assert.equal(joined.errorCode, E.NONE);
    assert.equal(joined.generationId, 1);
    assert.equal(joined.memberId, first.memberId);
    assert.equal(joined.leader, first.memberId);
    assert.equal(joined.protocolName, 'range');
    assert.deepEqual(
      joined.members.map((m) => [m.memberId, m.metadata.toString()]),
      [[first.memberId, 'subscription for range']],
    );
    assert.equal(coordinator.groupState('votes'), 'CompletingRebalance');

    const synced = await sync(coordinator, joined, { [joined.memberId]: 'partitions 0-2' });
    assert.equal(synced.errorCode, E.NONE);
    assert.equal(synced.assignment.toString(), 'partitions 0-2');
    assert.equal(coordinator.groupState('votes'), 'Stable');
    assert.equal((await heartbeat(coordinator, joined)).errorCode, E.NONE);
  });

  test('JoinGroup v0-3 joins without the member id round trip', async () => {
    const { coordinator, clock } = await start();
    const joining = join(coordinator, {}, 'librdkafka');
    await settle();
    clock.advance(INITIAL_DELAY);
    const joined = await joining;
    assert.equal(joined.errorCode, E.NONE);
    assert.match(joined.memberId, /^librdkafka-/);
  });

  test('a member id the group never handed out is unknown', async () => {
    const { coordinator } = await start();
    const joined = await join(coordinator, { memberId: 'made-up' });
    assert.equal(joined.errorCode, E.UNKNOWN_MEMBER_ID);
  });

  test('a session timeout outside the broker bounds is rejected', async () => {
    const { coordinator } = await start({ minSessionTimeoutMs: 6_000 });
    assert.equal((await join(coordinator, { sessionTimeoutMs: 10 })).errorCode, E.INVALID_SESSION_TIMEOUT);
  });

  test('an empty group id is invalid for group management', async () => {
    const { coordinator } = await start();
    assert.equal((await join(coordinator, { groupId: '' })).errorCode, E.INVALID_GROUP_ID);
  });
});

describe('rebalances', () => {
  test('three members joining together form one generation with one leader', async () => {
    const harness = await start();
    const { coordinator, clock } = harness;
    const joins = [join(coordinator, {}, 'a'), join(coordinator, {}, 'b')];
    await settle();
    clock.advance(INITIAL_DELAY - 10);
    // A newcomer inside the delay extends it.
    joins.push(join(coordinator, {}, 'c'));
    await settle();
    clock.advance(10);
    assert.equal(await isSettled(Promise.all(joins)), false, 'the delay restarted for the third member');
    clock.advance(INITIAL_DELAY);
    const joined = await Promise.all(joins);

    assert.ok(joined.every((j) => j.errorCode === E.NONE && j.generationId === 1));
    const leaders = new Set(joined.map((j) => j.leader));
    assert.equal(leaders.size, 1);
    const leader = joined.find((j) => j.memberId === j.leader);
    assert.ok(leader);
    assert.equal(leader.members.length, 3);
    for (const follower of joined.filter((j) => j !== leader)) assert.deepEqual(follower.members, []);

    // Followers wait in SyncGroup for the leader's assignment.
    const followerSyncs = joined.filter((j) => j !== leader).map((j) => sync(coordinator, j));
    assert.equal(await isSettled(Promise.all(followerSyncs)), false);
    const assignments = Object.fromEntries(joined.map((j) => [j.memberId, `for ${j.memberId}`]));
    const leaderSync = await sync(coordinator, leader, assignments);
    assert.equal(leaderSync.assignment.toString(), `for ${leader.memberId}`);
    const followerResults = await Promise.all(followerSyncs);
    followerResults.forEach((r, i) => {
      const follower = joined.filter((j) => j !== leader)[i];
      assert.equal(r.errorCode, E.NONE);
      assert.equal(r.assignment.toString(), `for ${follower?.memberId}`);
    });
  });

  test('a new member makes the others rejoin; the join completes once all have', async () => {
    const harness = await start();
    const { coordinator } = harness;
    const [a, b] = await formGroup(harness, 2);
    assert.ok(a && b);

    const newcomer = join(coordinator, {}, 'c');
    await settle();
    assert.equal(coordinator.groupState('votes'), 'PreparingRebalance');
    assert.equal((await heartbeat(coordinator, a)).errorCode, E.REBALANCE_IN_PROGRESS);
    assert.equal((await sync(coordinator, b)).errorCode, E.REBALANCE_IN_PROGRESS);

    const rejoins = [join(coordinator, { memberId: a.memberId }), join(coordinator, { memberId: b.memberId })];
    // No timer needed: everyone known has rejoined.
    const joined = await Promise.all([newcomer, ...rejoins]);
    assert.ok(joined.every((j) => j.errorCode === E.NONE && j.generationId === 2));
    assert.equal(joined[1]?.leader, a.memberId, 'the leader keeps its role when it rejoins');
    assert.equal(joined.find((j) => j.memberId === a.memberId)?.members.length, 3);
  });

  test('a member that leaves triggers a rebalance among the others', async () => {
    const harness = await start();
    const { coordinator } = harness;
    const [a, b, c] = await formGroup(harness, 3);
    assert.ok(a && b && c);

    const left = await coordinator.leaveGroup(
      { groupId: 'votes', memberId: b.memberId, members: [{ memberId: b.memberId, groupInstanceId: null }] },
      { apiVersion: 1 },
    );
    assert.equal(left.errorCode, E.NONE);
    assert.equal(coordinator.groupState('votes'), 'PreparingRebalance');
    assert.equal((await heartbeat(coordinator, c)).errorCode, E.REBALANCE_IN_PROGRESS);

    const joined = await Promise.all([
      join(coordinator, { memberId: a.memberId }),
      join(coordinator, { memberId: c.memberId }),
    ]);
    assert.ok(joined.every((j) => j.generationId === 2));
    const leader = joined.find((j) => j.members.length > 0);
    assert.deepEqual(leader?.members.map((m) => m.memberId).sort(), [a.memberId, c.memberId].sort());
    assert.equal((await heartbeat(coordinator, b)).errorCode, E.UNKNOWN_MEMBER_ID);
  });

  test('LeaveGroup v3 removes several members at once and answers per member', async () => {
    const harness = await start();
    const { coordinator, clock } = harness;
    const [a, b] = await formGroup(harness, 2);
    assert.ok(a && b);
    const left = await coordinator.leaveGroup(
      {
        groupId: 'votes',
        memberId: '',
        members: [
          { memberId: a.memberId, groupInstanceId: null },
          { memberId: b.memberId, groupInstanceId: null },
          { memberId: 'stranger', groupInstanceId: null },
        ],
      },
      { apiVersion: 3 },
    );
    assert.equal(left.errorCode, E.NONE);
    assert.deepEqual(
      left.members.map((m) => m.errorCode),
      [E.NONE, E.NONE, E.UNKNOWN_MEMBER_ID],
    );
    clock.advance(0);
    assert.equal(coordinator.groupState('votes'), 'Empty', 'with everyone gone the group is empty');
  });

  test('a leaving member unknown to the group gets UNKNOWN_MEMBER_ID (v0-2: top-level)', async () => {
    const { coordinator } = await start();
    const left = await coordinator.leaveGroup(
      { groupId: 'nobody', memberId: 'x', members: [{ memberId: 'x', groupInstanceId: null }] },
      { apiVersion: 0 },
    );
    assert.equal(left.errorCode, E.UNKNOWN_MEMBER_ID);
  });

  test('members that do not rejoin within the rebalance timeout are removed', async () => {
    const harness = await start();
    const { coordinator, clock } = harness;
    const [a, b] = await formGroup(harness, 2);
    assert.ok(a && b);
    // The leader asks for a rebalance; b never rejoins (but keeps heartbeating).
    const rejoin = join(coordinator, { memberId: a.memberId });
    const step = SESSION_TIMEOUT_MS / 2;
    for (let elapsed = 0; elapsed < REBALANCE_TIMEOUT_MS - step; elapsed += step) {
      assert.equal((await heartbeat(coordinator, b)).errorCode, E.REBALANCE_IN_PROGRESS);
      clock.advance(step);
    }
    assert.equal(await isSettled(rejoin), false, 'the join waits for b until the rebalance timeout');
    clock.advance(step);
    const joined = await rejoin;
    assert.equal(joined.generationId, 2);
    assert.deepEqual(
      joined.members.map((m) => m.memberId),
      [a.memberId],
    );
    assert.equal((await heartbeat(coordinator, b)).errorCode, E.UNKNOWN_MEMBER_ID);
  });

  test('a silent member is removed after its session timeout and the others rebalance', async () => {
    const harness = await start();
    const { coordinator, clock } = harness;
    const [a, b] = await formGroup(harness, 2);
    assert.ok(a && b);
    for (let elapsed = 0; elapsed < SESSION_TIMEOUT_MS; elapsed += SESSION_TIMEOUT_MS / 4) {
      clock.advance(SESSION_TIMEOUT_MS / 4);
      if (elapsed + SESSION_TIMEOUT_MS / 4 < SESSION_TIMEOUT_MS) {
        assert.equal((await heartbeat(coordinator, a)).errorCode, E.NONE);
      }
    }
    assert.equal(coordinator.groupState('votes'), 'PreparingRebalance', 'b went silent');
    assert.equal((await heartbeat(coordinator, a)).errorCode, E.REBALANCE_IN_PROGRESS);
    const joined = await join(coordinator, { memberId: a.memberId });
    assert.equal(joined.generationId, 2);
    assert.deepEqual(
      joined.members.map((m) => m.memberId),
      [a.memberId],
    );
    assert.equal((await heartbeat(coordinator, b)).errorCode, E.UNKNOWN_MEMBER_ID);
  });

  test('the last member timing out leaves the group Empty at a new generation', async () => {
    const harness = await start();
    const { coordinator, clock, store } = harness;
    await formGroup(harness, 1);
    clock.advance(SESSION_TIMEOUT_MS);
    await settle();
    assert.equal(coordinator.groupState('votes'), 'Empty');
    const last = store.records.at(-1);
    assert.ok(last?.type === 'group-metadata' && last.value);
    assert.equal(last.value.generationId, 2);
    assert.deepEqual(last.value.members, []);
  });

  test('a member id handed out with MEMBER_ID_REQUIRED but never used expires', async () => {
    const harness = await start();
    const { coordinator, clock } = harness;
    const [a] = await formGroup(harness, 1);
    assert.ok(a);
    const context = { clientId: 'ghost', clientHost: '/127.0.0.1', apiVersion: 4 };
    const ghost = await coordinator.joinGroup(joinRequest(), context);
    assert.equal(ghost.errorCode, E.MEMBER_ID_REQUIRED);
    // The leader's rejoin waits for the pending member until its session runs out.
    const rejoin = join(coordinator, { memberId: a.memberId });
    assert.equal(await isSettled(rejoin), false);
    clock.advance(SESSION_TIMEOUT_MS);
    const joined = await rejoin;
    assert.equal(joined.generationId, 2);
    assert.equal(joined.members.length, 1);
  });
});

describe('protocols', () => {
  test('a member sharing no protocol with the group is rejected (kafkajs vs librdkafka)', async () => {
    const harness = await start();
    const { coordinator } = harness;
    await Promise.all([formGroup(harness, 1)]);
    const kafkajs = await join(coordinator, { protocols: protocols('RoundRobinAssigner') }, 'kafkajs');
    assert.equal(kafkajs.errorCode, E.INCONSISTENT_GROUP_PROTOCOL);
    const otherType = await join(coordinator, { protocolType: 'connect' });
    assert.equal(otherType.errorCode, E.INCONSISTENT_GROUP_PROTOCOL);
  });

  test('the group uses the protocol most members prefer among those all support', async () => {
    const { coordinator, clock } = await start();
    const joins = [
      join(coordinator, { protocols: protocols('range', 'roundrobin') }, 'a'),
      join(coordinator, { protocols: protocols('roundrobin', 'range') }, 'b'),
      join(coordinator, { protocols: protocols('cooperative-sticky', 'roundrobin', 'range') }, 'c'),
    ];
    await settle();
    clock.advance(INITIAL_DELAY * 3);
    const joined = await Promise.all(joins);
    assert.ok(joined.every((j) => j.protocolName === 'roundrobin'));
    const leader = joined.find((j) => j.members.length > 0);
    assert.ok(leader?.members.every((m) => m.metadata.toString() === 'subscription for roundrobin'));
  });
});

describe('SyncGroup and Heartbeat errors', () => {
  test('a stale generation is ILLEGAL_GENERATION, an unknown member UNKNOWN_MEMBER_ID', async () => {
    const harness = await start();
    const { coordinator } = harness;
    const [a] = await formGroup(harness, 1);
    assert.ok(a);
    assert.equal((await sync(coordinator, { ...a, generationId: 7 })).errorCode, E.ILLEGAL_GENERATION);
    assert.equal((await heartbeat(coordinator, { ...a, generationId: 0 })).errorCode, E.ILLEGAL_GENERATION);
    assert.equal((await sync(coordinator, { ...a, memberId: 'nobody' })).errorCode, E.UNKNOWN_MEMBER_ID);
    assert.equal((await heartbeat(coordinator, a, 'no-such-group')).errorCode, E.UNKNOWN_MEMBER_ID);
    // A Stable group repeats the assignment to a member that syncs again.
    const again = await sync(coordinator, a);
    assert.equal(again.assignment.toString(), 'assignment-0');
  });
});

describe('lifecycle', () => {
  test('requests before load() are COORDINATOR_LOAD_IN_PROGRESS; after close() COORDINATOR_NOT_AVAILABLE', async () => {
    const coordinator = new GroupCoordinator({ store: new InMemoryGroupMetadataStore(), config: TEST_CONFIG });
    assert.equal((await join(coordinator)).errorCode, E.COORDINATOR_LOAD_IN_PROGRESS);
    await coordinator.load();
    coordinator.close();
    assert.equal((await join(coordinator)).errorCode, E.COORDINATOR_NOT_AVAILABLE);
  });

  test('close() answers parked requests with NOT_COORDINATOR and stops every timer', async () => {
    const { coordinator, clock } = await startCoordinator();
    const parked = join(coordinator);
    await settle();
    coordinator.close();
    assert.equal((await parked).errorCode, E.NOT_COORDINATOR);
    assert.equal(clock.pendingTimers, 0);
  });
});
